"""Every measure of govsim, defined once.

A :class:`Tally` counts a set of cases — the cases of a run's window, the cases arisen so
far on a given day, the cases of one street — and each share is one property of it, so
the run metrics, the daily series, the per-unit results, the reports and the workshop app
all compute a measure the same way.

Every share is taken over the cases that *arose*: a case still open, or closed
unresolved, counts against it. A share of resolved cases alone would improve as a city
fails (fewer, easier cases get resolved); a share of arisen cases cannot. Resolution is
*true* resolution, except in ``resolution_rate``, which is what the units report (and the
rankings see): a unit under pressure may close a case as resolved without solving it.

Days to resolution are taken over the arisen cases too: a case not resolved by the end of
its follow-up counts the whole follow-up (it is censored there, not dropped). Averaged over
the resolved cases alone, days would fall as a city fails (the slow cases never get
resolved and drop out). Every ratio "per case" is per arisen case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["HANDLED", "HEADLINE", "Tally", "share"]

HEADLINE = "share_arisen_settled_at_or_below_street"
"""The policy's own KPI: the venue. Always shown beside :data:`HANDLED`."""

HANDLED = "share_arisen_handled_at_or_below_street"
"""The same KPI counted by whose staff did the work."""


def share(part: Any, whole: Any) -> Any:
    """``part / whole``, or NaN for an empty whole (element-wise for numpy arrays)."""
    if getattr(whole, "ndim", 0) > 0:
        import numpy as np

        whole = np.asarray(whole, dtype=float)
        return np.divide(part, whole, out=np.full(whole.shape, np.nan), where=whole > 0)
    return float(part / whole) if whole else math.nan


@dataclass(frozen=True)
class Tally:
    """Counts of a set of cases, and the shares and means that follow from them."""

    arisen: int
    """Cases that arose."""
    resolved: int
    """Of them, closed as resolved by the end, as the units report it: a closure without a
    fix counts even when a check reopened the case afterwards (it was in the books)."""
    true_resolved: int
    """Of them, truly resolved by the end."""
    reopened: int
    """Of them, reopened at least once after a closure without a fix (caught by a callback,
    an audit or the resident's repeat call)."""
    settled_at_or_below_street: int
    """Truly resolved with the venue at the grid, community or street (street joint
    handling with departments included)."""
    handled_at_or_below_street: int
    """Truly resolved without any staff above the street working on the case."""
    responded: int
    """Answered (closed, resolved or not) within the time limit of its type from being
    known."""
    satisfied: int
    """Residents satisfied with the outcome."""
    escalated: int
    """Cases that went above the street (forwarded, petitioned or sent up)."""
    resolution_days: float
    """Sum over the cases of days from arising to true resolution, each capped at the end of
    the case's follow-up: a case not resolved by then counts the whole follow-up (the run's
    ``horizon_days`` for a run's window, the days since it arose in a running tally)."""
    staff_days: float
    """Staff days worked on the cases, at every level."""
    known: int
    """Cases that became known (reported, found on patrol, or petitioned)."""
    patrol_found: int
    """Of the known cases, those a grid worker's patrol found before anyone reported them."""

    @property
    def resolution_rate(self) -> float:
        """解决率 as reported: share of cases closed as resolved (what the ranking sees)."""
        return share(self.resolved, self.arisen)

    @property
    def true_resolution_rate(self) -> float:
        """Share of cases truly resolved."""
        return share(self.true_resolved, self.arisen)

    @property
    def reopen_rate(self) -> float:
        """Share of cases reopened after a closure without a fix (callback, audit, repeat call)."""
        return share(self.reopened, self.arisen)

    @property
    def share_arisen_settled_at_or_below_street(self) -> float:
        """Share of cases settled at the grid, community or street (the venue)."""
        return share(self.settled_at_or_below_street, self.arisen)

    @property
    def share_arisen_handled_at_or_below_street(self) -> float:
        """Share of cases resolved with no staff above the street working on them."""
        return share(self.handled_at_or_below_street, self.arisen)

    @property
    def share_of_resolved_at_or_below_street(self) -> float:
        """Share of the *resolved* cases settled at or below the street (not the headline)."""
        return share(self.settled_at_or_below_street, self.true_resolved)

    @property
    def response_rate(self) -> float:
        """响应率: share of cases answered within the time limit that applies."""
        return share(self.responded, self.arisen)

    @property
    def satisfaction_rate(self) -> float:
        """满意率: share of cases whose resident is satisfied with the outcome."""
        return share(self.satisfied, self.arisen)

    @property
    def escalated_per_1000_cases(self) -> float:
        """Cases that went above the street, per 1,000 cases."""
        return 1000.0 * share(self.escalated, self.arisen)

    @property
    def resolution_days_mean(self) -> float:
        """Restricted mean days from arising to true resolution, over the arisen cases.

        Each case's days are capped at its follow-up (a case unresolved by then counts the
        whole follow-up): the restricted mean survival time of the days to resolution.
        """
        return share(self.resolution_days, self.arisen)

    @property
    def known_share(self) -> float:
        """Share of the cases that became known at all (reported, found or petitioned)."""
        return share(self.known, self.arisen)

    @property
    def patrol_found_share(self) -> float:
        """Of the cases that became known, the share a grid worker's patrol found first."""
        return share(self.patrol_found, self.known)

    @property
    def staff_days_per_arisen_case(self) -> float:
        """Staff days worked per case that arose."""
        return share(self.staff_days, self.arisen)

    @property
    def never_resolved(self) -> int:
        """Cases open at the end, closed unresolved, or closed without being solved."""
        return self.arisen - self.true_resolved

    def measures(self) -> dict[str, float]:
        """Every measure of the tally by name."""
        return {name: float(getattr(self, name)) for name in TALLY_MEASURES}


TALLY_MEASURES = (
    "true_resolution_rate",
    "resolution_days_mean",
    "escalated_per_1000_cases",
    "satisfaction_rate",
    HEADLINE,
    HANDLED,
    "share_of_resolved_at_or_below_street",
    "response_rate",
    "resolution_rate",
    "reopen_rate",
    "staff_days_per_arisen_case",
    "never_resolved",
    "known_share",
    "patrol_found_share",
)
"""The measures a :class:`Tally` defines, in the order summaries show them."""
