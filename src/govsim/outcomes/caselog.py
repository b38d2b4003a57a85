"""A run's cases as a case log (模拟工单): what a real export of the same period would hold.

One row per case that became known to the system (reported, found on patrol, or
petitioned) in the period after the warm-up, ``[warmup_days, days)`` of the reform
clock — a log holds no case nobody knew of. Columns, as a real log's fields
(:mod:`govsim.cases.mapping`):

- ``id``: the case's number in the run;
- ``created``: when it became known (the log's report time, 上报时间);
- ``closed``: when it was closed, empty if still open at the end of the run (办结时间);
- ``category``: its case type; ``unit``: where it arose, at ``unit_level`` (``street/0``
  ..., named as in ``units.parquet``); ``handler``: the level it was closed at (``grid``,
  ``community``, ``street``, ``department``, ``above``), empty if open.

Day 0 of the reform clock is ``start`` (default :data:`DEFAULT_START`); a model time of
``t`` days is ``start + t`` days, truncated to the second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govsim.city.levels import Level
from govsim.model.ledger import Status
from govsim.model.model import GovernanceModel

__all__ = ["CASE_LOG_COLUMNS", "DEFAULT_START", "case_log"]

DEFAULT_START = "2025-01-01 00:00"
"""The date of day 0 when none is given (a convention: govsim's days have no calendar)."""

CASE_LOG_COLUMNS = ("id", "created", "closed", "category", "unit", "handler")


def _unit_names(model: GovernanceModel, unit_level: str, grid: np.ndarray) -> np.ndarray:
    city = model.city
    index = {"grid": grid, "community": city.grid_community[grid],
             "street": city.grid_street[grid],
             "district": city.street_district[city.grid_street[grid]]}
    if unit_level not in index:
        raise ValueError(f"unit_level {unit_level!r}: not one of {', '.join(index)}")
    return np.char.add(f"{unit_level}/", index[unit_level].astype(str))


def case_log(model: GovernanceModel, start: str | pd.Timestamp = DEFAULT_START,
             unit_level: str = "street") -> pd.DataFrame:
    """The cases of a finished run that became known in the period, as a log."""
    led = model.ledger
    n = len(led)
    known = led.known[:n] - model.reform_day
    cfg = model.config
    chosen = np.flatnonzero(np.isfinite(known) & (known >= cfg.warmup_days)
                            & (known < cfg.days))
    chosen = chosen[np.argsort(known[chosen], kind="stable")]
    origin = pd.Timestamp(start)

    def stamp(days: np.ndarray) -> pd.Series:
        seconds = np.floor(days * 86_400.0)
        return (origin + pd.to_timedelta(seconds, unit="s")).to_series(index=range(len(days)))

    status = led.status[:n][chosen]
    done = status >= Status.RESOLVED
    closed_days = np.where(done, led.closed[:n][chosen] - model.reform_day, np.nan)
    level_names = np.array([level.name.lower() for level in Level])
    levels = led.level[:n][chosen]
    return pd.DataFrame({
        "id": chosen,
        "created": stamp(known[chosen]),
        "closed": stamp(closed_days),
        "category": np.asarray(model.city.case_type_names)[led.case_type[:n][chosen]],
        "unit": _unit_names(model, unit_level, led.grid[:n][chosen]),
        "handler": np.where(done, level_names[np.clip(levels, 0, len(Level) - 1)], ""),
    }, columns=list(CASE_LOG_COLUMNS))
