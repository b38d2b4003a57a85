"""Daily reporters for Mesa's DataCollector: one named function per series."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govsim.levels import Level

if TYPE_CHECKING:
    from govsim.model import GovernanceModel

__all__ = ["DAILY_REPORTERS"]


def day(model: GovernanceModel) -> int:
    """Days simulated so far."""
    return model.day


def cases_arisen(model: GovernanceModel) -> int:
    """Cases arisen so far."""
    return model.flow.counters.arisen


def cases_resolved(model: GovernanceModel) -> int:
    """Cases resolved so far, at any level."""
    return model.flow.counters.resolved


def share_resolved_at_or_below_street(model: GovernanceModel) -> float:
    """Share of cases resolved so far that were resolved at the street or below."""
    c = model.flow.counters
    return c.resolved_at_or_below_street / c.resolved if c.resolved else float("nan")


def mean_resolution_days(model: GovernanceModel) -> float:
    """Mean days from arising to resolution of the cases resolved so far."""
    c = model.flow.counters
    return c.resolution_days_sum / c.resolved if c.resolved else float("nan")


def staff_days(model: GovernanceModel) -> float:
    """Staff days spent on cases so far, all levels together."""
    return float(model.stations.staff_days.sum())


def backlog(model: GovernanceModel) -> int:
    """Open cases, latent (not yet known) ones included."""
    return model.flow.counters.open


def department_backlog(model: GovernanceModel) -> int:
    """Open cases with the departments (forwarded, in transit or whistled)."""
    return model.flow.counters.by_stage[Level.DEPARTMENT]


def cases_escalated_above_street(model: GovernanceModel) -> int:
    """Cases that have gone above the street so far."""
    return model.flow.counters.escalated_above_street


def petitions(model: GovernanceModel) -> int:
    """Unattended grievances turned petitions (信访) so far."""
    return model.flow.counters.petitions


def whistles(model: GovernanceModel) -> int:
    """Whistles blown so far."""
    return model.flow.counters.whistles


def mean_satisfaction(model: GovernanceModel) -> float:
    """Mean satisfaction with the cases closed so far."""
    c = model.flow.counters
    closed = c.resolved + c.unresolved
    return c.satisfaction_sum / closed if closed else float("nan")


def mean_trust(model: GovernanceModel) -> float:
    """Mean trust of residents in the authorities."""
    return model.residents.mean_trust


DAILY_REPORTERS = {
    f.__name__: f
    for f in (day, cases_arisen, cases_resolved, share_resolved_at_or_below_street,
              mean_resolution_days, backlog, department_backlog, cases_escalated_above_street,
              petitions, whistles, mean_satisfaction, mean_trust, staff_days)
}
