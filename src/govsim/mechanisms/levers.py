"""Levers: the quantities mechanisms act on, reset and set again every day.

Each active mechanism multiplies the levers it acts on by an amount scaled by its
roll-out intensity (0 before its start day, rising over its ramp to 1). Probabilities are
acted on through their *failure* factor: a gain g turns a probability p into
1 − (1 − p)(1 − g), so gains of several mechanisms combine without exceeding 1.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["Levers", "scaled"]


def scaled(target: float, intensity: float) -> float:
    """The factor ``target`` applied at a share ``intensity`` of full effect."""
    return 1.0 + (target - 1.0) * intensity


@dataclass
class Levers:
    """Multipliers on the city's base behaviour (1.0 = no change)."""

    report: float = 1.0
    """Residents' probability of reporting a case themselves (capped at 1)."""
    report_delay: float = 1.0
    """Mean delay before a resident reports."""
    discovery: float = 1.0
    """Grid workers' patrol discovery rate."""
    grid_reports: float = 1.0
    """Times a day grid workers submit their finds (× the city's ``grid_reports_per_day``)."""
    discovery_extra: float = 0.0
    """Discovery rate added by others (volunteers, sentinels), per day."""
    grid_failure: float = 1.0
    """Failure factor of settling on the spot in the grid."""
    mediation_failure: float = 1.0
    """Failure factor of community mediation."""
    street_failure: float = 1.0
    """Failure factor of the street office settling alone."""
    escalation: float = 1.0
    """Hazard of an unattended grievance escalating, all case types."""
    dispute_escalation: float = 1.0
    """Extra factor on the escalation hazard of disputes (mediable case types)."""
    bounce: float = 1.0
    """Probability that a department bounces a hand-off."""
    response_delay: float = 1.0
    """Departments' response delay to forwarded cases."""
    grid_time: float = 1.0
    """Time grid workers need per case (less of their day is left for cases when they patrol
    more)."""
    community_time: float = 1.0
    """Time community staff need per case (burden of tasks pushed down)."""
    department_time: float = 1.0
    """Time department staff need per case (e.g. reporting for assessment)."""
    cross_region_delay: float = 1.0
    """Delay a cross-boundary case waits for the other side."""
    department_compliance: float = 1.0
    """Factor on the probability that departments join a case at the street (capped at 1)."""
    misrouting: float = 0.0
    """Misrouting probability of automatic dispatch."""
    misrouting_weight: float = 0.0
    """How far bounces move from the departments' rates toward ``misrouting`` (0–1)."""
    hotline_channel: float = -1.0
    """Share of reporting residents who call 12345 (-1: the city's own share)."""
    callback: float = 0.0
    """Share of closures the hotline or centre calls back (回访): a closure without a fix
    called back is caught by the resident's answer and reopened."""
    callback_days: float = 0.0
    """Days from a closure to its callback (the callback falls uniformly within them)."""
    audit: float = 0.0
    """Share of closures spot-checked (督查): a closure without a fix checked is caught."""
    audit_days: float = 0.0
    """Days from a closure to its spot check (uniformly within them)."""

    def reset(self) -> None:
        """Back to the base behaviour."""
        for f in fields(self):
            setattr(self, f.name, f.default)
