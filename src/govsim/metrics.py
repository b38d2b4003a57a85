"""Run metrics from the case ledger: what a scenario is judged by.

Case-based metrics count the cases that arose after the warm-up; staff time and the
backlog are whole-run quantities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from govsim.index import governance_index
from govsim.ledger import Status
from govsim.levels import Level

if TYPE_CHECKING:
    from govsim.model import GovernanceModel

__all__ = ["HEADLINE", "KEY_METRICS", "METRICS", "run_metrics"]

HEADLINE = "share_resolved_at_or_below_street"

KEY_METRICS = [
    "share_resolved_at_or_below_street", "share_arisen_resolved_at_or_below_street",
    "resolution_days_mean", "resolution_days_median", "resolution_days_p90",
    "escalated_per_1000_cases", "backlog_end", "never_resolved", "mean_satisfaction",
    "staff_days_per_resolved_case", "whistles_per_1000_cases",
]
"""The metrics shown in summaries and reports."""

METRICS: dict[str, str] = {
    "share_resolved_at_or_below_street": "resolved cases resolved at street level or below",
    "share_arisen_resolved_at_or_below_street": "arisen cases resolved at street level or below",
    "resolution_days_mean": "mean days from arising to resolution",
    "resolution_days_median": "median days from arising to resolution",
    "resolution_days_p90": "90th percentile of days to resolution",
    "wait_days_mean": "mean days a case waited in queues for staff",
    "cases_arisen": "cases arisen",
    "cases_resolved": "cases resolved",
    "cases_escalated_above_street": "cases that went above the street",
    "escalated_per_1000_cases": "cases above the street per 1,000 cases",
    "petitions": "grievances turned petitions (信访)",
    "backlog_end": "open cases at the end",
    "never_resolved": "cases open at the end or closed unresolved",
    "mean_satisfaction": "mean satisfaction with closed cases (0-1)",
    "mean_trust_end": "mean resident trust at the end (0-1)",
    "staff_days_per_resolved_case": "staff days worked per resolved case",
    "whistles_per_1000_cases": "whistles per 1,000 cases",
    "whistle_deadline_breach_share": "whistle jobs started after the deadline",
    "bounces_per_1000_cases": "hand-offs bounced back per 1,000 cases",
    "reported_share": "cases reported by residents (rest discovered or escalated)",
    "department_utilisation": "share of department staff time spent on cases",
    "discovery_days_mean": "mean days from arising to being known (reported or discovered)",
    "collective_incidents": "petitions that became collective incidents (群体性事件)",
    "litigated_per_1000_cases": "disputes reaching petition office or court per 1,000 cases",
    "backlog_open_window": "cases of the window still open at the end",
    "governance_index": "composite index, 红棉指数-like 5 dimensions (0-100; govsim.index)",
    **{f"resolved_share_{lv.name.lower()}": f"share of resolved cases resolved at {lv.name.lower()}"
       for lv in Level},
}
"""Every run metric and what it measures."""


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole else float("nan")


def run_metrics(model: GovernanceModel) -> dict[str, float]:
    """Compute every metric of :data:`METRICS` for a finished run."""
    led = model.ledger
    n = len(led)
    counters = model.flow.counters
    window = led.arisen[:n] >= model.config.warmup_days
    status = led.status[:n][window]
    level = led.level[:n][window]
    resolved = status == Status.RESOLVED
    low = resolved & (level <= Level.STREET)
    days = (led.closed[:n] - led.arisen[:n])[window][resolved]
    arisen = int(window.sum())
    n_resolved = int(resolved.sum())
    closed = status >= Status.RESOLVED
    known = ~np.isnan(led.known[:n][window])
    mediable_types = np.array([t.mediable for t in model.city.config.case_types.values()])
    mediable = mediable_types[led.case_type[:n]]
    escalated = int(led.escalated[:n][window].sum())
    city = model.city
    dept = city.station_level == Level.DEPARTMENT
    dept_capacity = float(city.station_servers[dept].sum()) * model.day
    breaches = counters.whistle_deadline_breaches
    extra: dict[str, float] = {}
    for mechanism in model.mechanisms:
        extra.update(mechanism.metrics(model, window))
    metrics = {
        "share_resolved_at_or_below_street": _share(low.sum(), n_resolved),
        "share_arisen_resolved_at_or_below_street": _share(low.sum(), arisen),
        "resolution_days_mean": float(days.mean()) if len(days) else float("nan"),
        "resolution_days_median": float(np.median(days)) if len(days) else float("nan"),
        "resolution_days_p90": float(np.quantile(days, 0.9)) if len(days) else float("nan"),
        "wait_days_mean": float(led.wait_days[:n][window][closed].mean())
        if closed.any() else float("nan"),
        "cases_arisen": arisen,
        "cases_resolved": n_resolved,
        "cases_escalated_above_street": escalated,
        "escalated_per_1000_cases": 1000 * _share(escalated, arisen),
        "petitions": int(led.petitioned[:n][window].sum()),
        "backlog_end": counters.open,
        "never_resolved": int(arisen - n_resolved),
        "mean_satisfaction": float(led.satisfaction[:n][window][closed].mean())
        if closed.any() else float("nan"),
        "mean_trust_end": model.residents.mean_trust,
        "staff_days_per_resolved_case": _share(model.stations.staff_days.sum(), counters.resolved),
        "whistles_per_1000_cases": 1000 * _share(led.whistled[:n][window].sum(), arisen),
        "whistle_deadline_breach_share": _share(breaches, counters.whistle_parts),
        "bounces_per_1000_cases": 1000 * _share(led.bounces[:n][window].sum(), arisen),
        "reported_share": _share(led.reported[:n][window].sum(), arisen),
        "department_utilisation": _share(model.stations.staff_days[dept].sum(), dept_capacity),
        "discovery_days_mean": float((led.known[:n] - led.arisen[:n])[window][known].mean())
        if known.any() else float("nan"),
        "collective_incidents": int(led.collective[:n][window].sum()),
        "litigated_per_1000_cases": 1000 * _share(
            (led.reached_above[:n] & mediable)[window].sum(), arisen),
        "backlog_open_window": int((~closed).sum()),
        **{f"resolved_share_{lv.name.lower()}": _share((level[resolved] == lv).sum(), n_resolved)
           for lv in Level},
        **extra,
    }
    return {**metrics, **governance_index(metrics)}
