"""Daily series for Mesa's DataCollector: one named function per series.

Shares are over the cases arisen so far (open ones count against them), through the same
:class:`~govsim.outcomes.measures.Tally` as the run metrics; so are the days to resolution,
each case followed to today (a case not resolved yet counts the days since it arose).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govsim.city.levels import Level
from govsim.outcomes.measures import Tally

if TYPE_CHECKING:  # a run's series; naming them (the memory budget) needs no model
    from govsim.model.model import GovernanceModel

__all__ = ["DAILY_REPORTERS", "running_tally"]


def running_tally(model: GovernanceModel) -> Tally:
    """The tally of every case arisen so far, each followed to today."""
    c = model.engine.counters
    waiting = c.arisen - c.true_resolved
    waited = waiting * float(model.day) - (c.arisen_time_sum - c.true_resolved_arisen_time_sum)
    return Tally(
        arisen=c.arisen,
        resolved=c.reported,
        true_resolved=c.true_resolved,
        reopened=c.reopened,
        settled_at_or_below_street=c.settled_at_or_below_street,
        handled_at_or_below_street=c.handled_at_or_below_street,
        responded=c.responded,
        satisfied=c.satisfied,
        escalated=c.escalated_above_street,
        resolution_days=c.resolution_days_sum + max(waited, 0.0),
        staff_days=float(model.stations.staff_days.sum()),
        known=c.known,
        patrol_found=c.patrol_found,
    )


def day(model: GovernanceModel) -> int:
    """Days since the reform began (negative before it, with ``prereform_days``)."""
    return model.day - model.reform_day


def cases_arisen(model: GovernanceModel) -> int:
    """Cases arisen so far."""
    return model.engine.counters.arisen


def cases_resolved(model: GovernanceModel) -> int:
    """Cases resolved so far, at any level."""
    return model.engine.counters.resolved


def true_resolution_rate(model: GovernanceModel) -> float:
    """Share of the cases arisen so far that are truly resolved."""
    return running_tally(model).true_resolution_rate


def resolution_rate(model: GovernanceModel) -> float:
    """Share of the cases arisen so far closed as resolved, as the units report it."""
    return running_tally(model).resolution_rate


def share_arisen_settled_at_or_below_street(model: GovernanceModel) -> float:
    """Share of the cases arisen so far settled at or below the street (venue)."""
    return running_tally(model).share_arisen_settled_at_or_below_street


def share_arisen_handled_at_or_below_street(model: GovernanceModel) -> float:
    """Share of the cases arisen so far resolved with no staff above the street."""
    return running_tally(model).share_arisen_handled_at_or_below_street


def satisfaction_rate(model: GovernanceModel) -> float:
    """Share of the cases arisen so far whose resident is satisfied."""
    return running_tally(model).satisfaction_rate


def resolution_days_mean(model: GovernanceModel) -> float:
    """Mean days to true resolution of the cases arisen so far (unresolved: days so far)."""
    return running_tally(model).resolution_days_mean


def known_share(model: GovernanceModel) -> float:
    """Share of the cases arisen so far that have become known."""
    return running_tally(model).known_share


def patrol_found_share(model: GovernanceModel) -> float:
    """Of the cases known so far, the share a grid worker's patrol found first."""
    return running_tally(model).patrol_found_share


def staff_days(model: GovernanceModel) -> float:
    """Staff days spent on cases so far, all levels together."""
    return float(model.stations.staff_days.sum())


def backlog(model: GovernanceModel) -> int:
    """Open cases, latent (not yet known) ones included."""
    return model.engine.counters.open


def department_backlog(model: GovernanceModel) -> int:
    """Open cases with the departments (forwarded, in transit or handled jointly)."""
    return model.engine.counters.by_stage[Level.DEPARTMENT]


def cases_escalated_above_street(model: GovernanceModel) -> int:
    """Cases that have gone above the street so far."""
    return model.engine.counters.escalated_above_street


def petitions(model: GovernanceModel) -> int:
    """Unattended grievances turned petitions (信访) so far."""
    return model.engine.counters.petitions


def whistles(model: GovernanceModel) -> int:
    """Whistles blown so far."""
    return model.engine.counters.whistles


def mean_trust(model: GovernanceModel) -> float:
    """Mean trust of residents in the authorities."""
    return model.residents.mean_trust


DAILY_REPORTERS = {
    f.__name__: f
    for f in (
        day,
        cases_arisen,
        cases_resolved,
        true_resolution_rate,
        resolution_rate,
        share_arisen_settled_at_or_below_street,
        share_arisen_handled_at_or_below_street,
        satisfaction_rate,
        resolution_days_mean,
        backlog,
        department_backlog,
        cases_escalated_above_street,
        petitions,
        whistles,
        mean_trust,
        staff_days,
        known_share,
        patrol_found_share,
    )
}
"""The daily series, by name."""
