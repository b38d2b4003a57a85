"""What a running design did day by day, read over its last days (近期指标).

Running totals are shares of every case arisen so far: a few months into a run, a lever
moved today changes the cases of the next days and hardly moves the total. So each day's
counts are kept as they come (:func:`day_counts`), and the charts and counters read them
over the last :data:`WINDOW` days (:func:`window_share`, :func:`window_sum`). The workshop
city has about four cases a day: one day's share jumps between 0 and 100%, a fortnight's
settles within a few points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govsim.city.levels import Level
from govsim.model.ledger import Status
from govsim.model.model import GovernanceModel
from govsim.model.state import COUNTS

__all__ = [
    "CLOSED",
    "DAY_COUNTS",
    "RATIOS",
    "WINDOW",
    "Ratio",
    "day_counts",
    "window_share",
    "window_sum",
]

WINDOW = 14
"""Days the recent measures are read over."""

ENGINE_COUNTS = (
    "true_resolved",
    "settled_at_or_below_street",
    "handled_at_or_below_street",
    "known",
    "patrol_found",
    "petitions",
    "whistles",
    "whistled_parts",
    "whistle_answers",
)
"""The engine's running counts kept as each day's increase (as ``day_`` and the count)."""

CLOSED = tuple(f"day_closed_{level.name.lower()}" for level in Level)
"""Cases closed on the day at each level (the venue: grid, community, street, departments,
petition office or court)."""

DISCOVERY_DAYS = "day_discovery_days"
"""Days from arising to becoming known, summed over the cases that became known that day."""

DAY_COUNTS = (*(f"day_{key}" for key in ENGINE_COUNTS), *CLOSED, DISCOVERY_DAYS)
"""Everything recorded of a day, by name (apart from the running series' names)."""


@dataclass(frozen=True)
class Ratio:
    """A recent measure: one day count over another, summed over the window."""

    numerator: str
    denominator: str
    percent: bool
    """Shown as a percentage (else as days)."""


RATIOS: dict[str, Ratio] = {
    "recent_settled": Ratio("day_settled_at_or_below_street", "day_true_resolved", True),
    "recent_handled": Ratio("day_handled_at_or_below_street", "day_true_resolved", True),
    "recent_whistle_answers": Ratio("day_whistle_answers", "day_whistled_parts", True),
    "recent_patrol_found": Ratio("day_patrol_found", "day_known", True),
    "recent_discovery_days": Ratio(DISCOVERY_DAYS, "day_known", False),
}
"""The recent measures, by name: of the cases truly resolved in the window, those settled
(handled) at or below the street; of the department parts whistled for, those answered
(报到); of the cases that became known, those a patrol found first, and the mean days they
had waited to be known."""


def day_counts(model: GovernanceModel, before: np.ndarray) -> dict[str, float]:
    """The counts of the day just simulated (``before``: the engine's counts at its start)."""
    counts = model.engine.counters.counts
    today = {
        f"day_{key}": float(counts[COUNTS.index(key)] - before[COUNTS.index(key)])
        for key in ENGINE_COUNTS
    }
    led = model.ledger
    n = len(led)
    start = float(model.day - 1)
    closed = (led.closed[:n] >= start) & (led.status[:n] >= Status.RESOLVED) & (led.level[:n] >= 0)
    levels = np.bincount(led.level[:n][closed], minlength=len(Level))
    today.update({key: float(levels[level]) for key, level in zip(CLOSED, Level, strict=True)})
    known = led.known[:n] >= start
    today[DISCOVERY_DAYS] = float((led.known[:n][known] - led.arisen[:n][known]).sum())
    return today


def window_sum(values: list[float], days: int = WINDOW) -> np.ndarray:
    """Each day's sum over the ``days`` up to it (fewer at the start of a run)."""
    total = np.cumsum(np.asarray(values, dtype=float))
    shifted = np.concatenate([np.zeros(min(days, len(total))), total[:-days]])
    return total - shifted


def window_share(history: dict[str, list[float]], measure: str, days: int = WINDOW) -> np.ndarray:
    """A recent measure on each day (NaN where its denominator was 0 in the window)."""
    ratio = RATIOS[measure]
    # the days both counts hold: a page drawn while the design steps may find one a day ahead
    n = min(len(history[ratio.numerator]), len(history[ratio.denominator]))
    top = window_sum(history[ratio.numerator][:n], days)
    bottom = window_sum(history[ratio.denominator][:n], days)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.maximum(bottom, 1e-300), np.nan)
