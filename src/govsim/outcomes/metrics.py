"""Run metrics from the case ledger: what a scenario is judged by.

**The window.** A case counts if it arose in [``warmup_days``, ``days`` − ``horizon_days``)
and is followed to the end of the run: a case born on the last day is not a failure,
while a case of the window still open at the end, or closed unresolved, counts against
every share (:mod:`govsim.outcomes.measures`). Staff time of the window's cases is their
own (every job they needed, to the end of the run); the backlog at the end counts every
open case.

**Days to resolution.** Over every case of the window, a case not truly resolved by the
end of the run censored there (not dropped): the median and 90th percentile are read off
the Kaplan–Meier curve of the days to resolution (``inf`` where the curve never falls that
far within the run), and the mean is the restricted mean up to ``horizon_days`` (every case
of the window is followed at least that long, so each case's days capped there are
observed exactly; NaN with ``horizon_days = 0``).
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np

from govsim.city.levels import Level
from govsim.model.ledger import CaseLedger, Channel, Status
from govsim.outcomes.index import governance_index
from govsim.outcomes.measures import HANDLED, HEADLINE, TALLY_MEASURES, Tally, share

if TYPE_CHECKING:  # metrics of a run; naming them (tables, reports) needs no model
    from govsim.model.model import GovernanceModel

__all__ = [
    "BY_TYPE",
    "HANDLED",
    "HEADLINE",
    "KEY_METRICS",
    "LEVER_METRICS",
    "METRICS",
    "by_type",
    "follow_up",
    "km_quantiles",
    "run_metrics",
    "tally",
    "tally_by",
    "window",
]

KEY_METRICS = [
    "true_resolution_rate",
    "resolution_days_mean",
    "escalated_per_1000_cases",
    "satisfaction_rate",
    HEADLINE,
    HANDLED,
    "response_rate",
    "resolution_rate",
    "reopen_rate",
    "staff_days_per_arisen_case",
    "backlog_end",
    "never_resolved",
    "known_share",
    "patrol_found_share",
]
"""The metrics of every summary, in order: first what a resident feels (truly resolved,
days, escalations, satisfaction), then the KPI with both attributions, then the three
rates as the units report them (response, reported resolution beside the reopen rate),
cost and backlog, and who found the cases."""

LEVER_METRICS = [
    *KEY_METRICS,
    "petitions",
    "collective_incidents",
    "discovery_days_mean",
    "mean_trust_end",
]
"""Outcomes through which a lever must act (``tests/test_levers.py``): a lever that moves
only its own bookkeeping (counted breaches, say) moves nothing."""

METRICS: dict[str, str] = {
    "true_resolution_rate": "share of the window's cases truly resolved by the end",
    "resolution_rate": "解决率 as reported: share of the window's cases closed as resolved by "
    "the end, those closed without being solved included, even when a "
    "check reopened them later (what the units' books show)",
    "reopen_rate": "share of cases reopened after a closure without a fix, caught by a "
    "callback, an audit or the resident's repeat call",
    "resolution_days_mean": "restricted mean days from arising to true resolution over the "
    "window's cases, each capped at horizon_days (a case unresolved "
    "by then counts horizon_days)",
    "resolution_days_median": "median days from arising to true resolution over the window's "
    "cases (Kaplan–Meier, unresolved cases censored at the run's "
    "end; inf if not reached)",
    "resolution_days_p90": "90th percentile of days to true resolution over the window's "
    "cases (Kaplan–Meier, unresolved cases censored at the run's end; "
    "inf if not reached within the run)",
    "escalated_per_1000_cases": "cases that went above the street per 1,000 cases arisen",
    "satisfaction_rate": "满意率: share of cases whose resident is satisfied with the outcome",
    HEADLINE: "share of cases settled at the grid, community or street (the venue; joint "
    "handling with departments at the street included): the KPI",
    HANDLED: "share of cases resolved with no staff above the street working on them",
    "share_of_resolved_at_or_below_street": "share of the resolved cases settled at or below "
    "the street (resolved cases only: not the KPI)",
    "response_rate": "响应率: share of cases answered within the time limit of their type",
    "staff_days_per_arisen_case": "staff days worked on a case, per case that arose",
    "backlog_end": "open cases at the end (all cases, latent ones included)",
    "never_resolved": "cases of the window not truly resolved by the end (open, closed "
    "unresolved, or closed without being solved)",
    "cases_arisen": "cases of the window",
    "cases_resolved": "cases of the window truly resolved by the end",
    "cases_escalated_above_street": "cases that went above the street",
    "petitions": "grievances turned petitions (信访)",
    "collective_incidents": "petitions that became collective incidents (群体性事件)",
    "mean_satisfaction": "mean satisfaction score (0–1) of the closed cases",
    "mean_trust_end": "mean resident trust at the end (0–1)",
    "wait_days_mean": "mean days a closed case waited in queues for staff",
    "discovery_days_mean": "mean days from arising to being known (reported or discovered)",
    "reported_share": "cases reported by residents, of the cases arisen (the rest found on "
    "patrol, escalated unknown, or never known)",
    "known_share": "share of the window's cases that became known by the end (reported, "
    "found on patrol or petitioned)",
    "patrol_found_share": "of the window's cases that became known, the share a grid "
    "worker's patrol found before anyone reported them",
    "whistles_per_1000_cases": "whistles per 1,000 cases",
    "joint_deadline_breach_share": "joint jobs started after their deadline",
    "bounces_per_1000_cases": "hand-offs bounced back per 1,000 cases",
    "department_utilisation": "share of department staff time busy with cases (after the warm-up)",
    "litigated_per_1000_cases": "disputes reaching petition office or court per 1,000 cases",
    "backlog_open_window": "cases of the window still open at the end",
    "governance_index": "composite index, 红棉指数-like, 5 dimensions (0–100; "
    "govsim.outcomes.index)",
    **{
        f"resolved_share_{lv.name.lower()}": (
            f"share of resolved cases resolved at {lv.name.lower()}"
        )
        for lv in Level
    },
}
"""Every run metric and what it measures."""

BY_TYPE = ("true_resolution_rate", "resolution_days_mean", HEADLINE)
"""Measures also reported per case type, as ``MEASURE__TYPE`` (e.g.
``resolution_rate__neighbour_dispute``)."""


def by_type(metric: str, case_type: str) -> str:
    """The column of a measure of one case type."""
    return f"{metric}__{case_type}"


def window(model: GovernanceModel) -> np.ndarray:
    """Mask of the cases counted: arisen in [warmup_days, days − horizon_days) of the reform."""
    led = model.ledger
    arisen = led.arisen[: len(led)] - model.reform_day
    cfg = model.config
    return (arisen >= cfg.warmup_days) & (arisen < cfg.days - cfg.horizon_days)


def follow_up(model: GovernanceModel) -> float:
    """Days every case of the window is followed: ``horizon_days`` (NaN if 0)."""
    return float(model.config.horizon_days) or float("nan")


def tally(led: CaseLedger, cases: np.ndarray, follow: float) -> Tally:
    """The :class:`Tally` of the cases in mask ``cases``, each followed ``follow`` days."""
    one = tally_by(led, cases, np.zeros(len(led), dtype=np.intp), 1, follow)
    return Tally(
        **{
            f.name: (int if f.type == "int" else float)(getattr(one, f.name)[0])
            for f in fields(Tally)
        }
    )


def tally_by(
    led: CaseLedger, cases: np.ndarray, group: np.ndarray, groups: int, follow: float
) -> Tally:
    """A :class:`Tally` of arrays: one entry per group of the cases in mask ``cases``.

    ``group`` gives each case's group (0 .. groups − 1); the shares are element-wise. Each
    case's days to resolution are capped at ``follow``, the days every case is followed.
    """
    n = len(led)
    status = led.status[:n][cases]
    resolved = status == Status.RESOLVED
    true = resolved & led.true_resolved[:n][cases]
    reopened = led.reopened[:n][cases] > 0
    # in the books: closed as resolved now, or once before a check or a call reopened it
    reported = resolved | reopened
    low = true & (led.level[:n][cases] <= Level.STREET)
    closed = status >= Status.RESOLVED
    responded = closed & (led.closed[:n][cases] <= led.answer_due[:n][cases])
    days = np.minimum(np.where(true, (led.closed[:n] - led.arisen[:n])[cases], np.inf), follow)
    known = np.isfinite(led.known[:n][cases])
    of = group[cases]

    def count(weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(of, weights=weights, minlength=groups)

    return Tally(
        arisen=count(),
        resolved=count(reported),
        true_resolved=count(true),
        reopened=count(reopened),
        settled_at_or_below_street=count(low),
        handled_at_or_below_street=count(low & ~led.handled_above[:n][cases]),
        responded=count(responded),
        satisfied=count(led.satisfied[:n][cases] & closed),
        escalated=count(led.escalated[:n][cases]),
        resolution_days=count(days),
        staff_days=count(led.staff_days[:n][cases]),
        known=count(known),
        patrol_found=count(known & (led.channel[:n][cases] == Channel.PATROL)),
    )


def km_quantiles(days: np.ndarray, resolved: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """Quantiles of days to resolution from the Kaplan–Meier curve of right-censored data.

    ``days`` are each case's days to resolution if ``resolved``, else to its censoring.
    The q-quantile is the first time the curve is at or below 1 − q; ``inf`` if it never
    gets there (the quantile lies beyond the follow-up), NaN without cases.
    """
    if not len(days):
        return [float("nan")] * len(qs)
    order = np.lexsort((~resolved, days))  # at a tie, resolutions before censorings
    t, event = days[order], resolved[order]
    at_risk = len(t) - np.arange(len(t), dtype=float)
    curve = np.cumprod(np.where(event, 1.0 - 1.0 / at_risk, 1.0))
    out = []
    for q in qs:
        reached = np.flatnonzero(event & (curve <= 1.0 - q + 1e-12))
        out.append(float(t[reached[0]]) if len(reached) else math.inf)
    return out


def run_metrics(model: GovernanceModel) -> dict[str, float]:
    """Compute every metric of :data:`METRICS` for a finished run."""
    led = model.ledger
    n = len(led)
    counted = window(model)
    follow = follow_up(model)
    counts = tally(led, counted, follow)
    status = led.status[:n][counted]
    level = led.level[:n][counted]
    resolved = (status == Status.RESOLVED) & led.true_resolved[:n][counted]
    closed = status >= Status.RESOLVED
    days = np.where(resolved, led.closed[:n][counted], float(model.day)) - led.arisen[:n][counted]
    median, p90 = km_quantiles(days, resolved, (0.5, 0.9))
    known = ~np.isnan(led.known[:n][counted])
    mediable = np.asarray(model.engine.table.mediable)[led.case_type[:n]]
    city = model.city
    dept = city.station_level == Level.DEPARTMENT
    busy = model.stations.statistics(float(model.day))["utilisation"]
    servers = np.asarray(model.stations.servers, dtype=float)
    arisen = counts.arisen
    metrics = {
        **counts.measures(),
        "resolution_days_median": median,
        "resolution_days_p90": p90,
        "backlog_end": model.engine.counters.open,
        "cases_arisen": arisen,
        "cases_resolved": counts.true_resolved,
        "cases_escalated_above_street": counts.escalated,
        "petitions": int(led.petitioned[:n][counted].sum()),
        "collective_incidents": int(led.collective[:n][counted].sum()),
        "mean_satisfaction": float(led.satisfaction[:n][counted][closed].mean())
        if closed.any()
        else float("nan"),
        "mean_trust_end": model.residents.mean_trust,
        "wait_days_mean": float(led.wait_days[:n][counted][closed].mean())
        if closed.any()
        else float("nan"),
        "discovery_days_mean": float((led.known[:n] - led.arisen[:n])[counted][known].mean())
        if known.any()
        else float("nan"),
        "reported_share": share(led.reported[:n][counted].sum(), arisen),
        "whistles_per_1000_cases": 1000 * share(led.whistled[:n][counted].sum(), arisen),
        "joint_deadline_breach_share": share(
            model.engine.counters.joint_deadline_breaches, model.engine.counters.joint_parts
        ),
        "bounces_per_1000_cases": 1000 * share(led.bounces[:n][counted].sum(), arisen),
        "department_utilisation": share((busy * servers)[dept].sum(), servers[dept].sum()),
        "litigated_per_1000_cases": 1000
        * share((led.reached_above[:n] & mediable)[counted].sum(), arisen),
        "backlog_open_window": int((~closed).sum()),
        **{
            f"resolved_share_{lv.name.lower()}": share(
                (level[resolved] == lv).sum(), counts.true_resolved
            )
            for lv in Level
        },
    }
    assert set(TALLY_MEASURES) <= set(metrics)
    names = model.city.case_type_names
    # one tally of every type at once: each type's sums add its cases in the same order
    by_types = tally_by(led, counted, led.case_type[:n].astype(np.intp), len(names), follow)
    for k, name in enumerate(names):
        for measure in BY_TYPE:
            metrics[by_type(measure, name)] = float(getattr(by_types, measure)[k])
    return {**metrics, **governance_index(metrics)}
