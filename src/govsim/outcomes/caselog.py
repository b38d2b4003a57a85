"""A run's cases as a case log (模拟工单): what a real export of the same period would hold.

One row per case that became known to the system (reported, found on patrol, or
petitioned) in the period after the warm-up, ``[warmup_days, days)`` of the reform
clock — a log holds no case nobody knew of. Columns, as a real log's fields
(:mod:`govsim.cases.mapping`):

- ``id``: the case's number in the run;
- ``created``: when it became known (the log's report time, 上报时间);
- ``closed``: when it was closed, empty if still open at the end of the run (办结时间);
- ``category``: its case type; ``unit``: where it arose, at ``unit_level``, by the unit's
  name (a city's own, or ``street/0`` ... for an archetype; as ``name`` in
  ``units.parquet``); ``handler``: the level it was closed at (``grid``, ``community``,
  ``street``, ``department``, ``above``), empty if open.

Model day 0 is the city's ``calendar.start_date`` (pre-reform days included); a model time
of ``t`` days is that date + ``t`` days, truncated to the second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govsim.city.levels import Level
from govsim.model.ledger import Status
from govsim.model.model import GovernanceModel

__all__ = ["CASE_LOG_COLUMNS", "case_log"]

CASE_LOG_COLUMNS = ("id", "created", "closed", "category", "unit", "handler")


def _unit_names(model: GovernanceModel, unit_level: str, grid: np.ndarray) -> np.ndarray:
    city = model.city
    units = city.units
    index = {
        "grid": (grid, units.grid_names),
        "community": (city.grid_community[grid], units.community_names),
        "street": (city.grid_street[grid], units.street_names),
        "district": (city.street_district[city.grid_street[grid]], units.district_names),
    }
    if unit_level not in index:
        raise ValueError(f"unit_level {unit_level!r}: not one of {', '.join(index)}")
    of_case, names = index[unit_level]
    return np.asarray(names, dtype=object)[of_case]


def case_log(model: GovernanceModel, unit_level: str = "street") -> pd.DataFrame:
    """The cases of a finished run that became known in the period, as a log."""
    led = model.ledger
    n = len(led)
    known = led.known[:n]
    cfg = model.config
    reform = known - model.reform_day
    chosen = np.flatnonzero(np.isfinite(known) & (reform >= cfg.warmup_days) & (reform < cfg.days))
    chosen = chosen[np.argsort(known[chosen], kind="stable")]
    origin = pd.Timestamp(str(model.city.config.calendar.start_date))

    def stamp(days: np.ndarray) -> pd.Series:
        seconds = np.floor(days * 86_400.0)
        return (origin + pd.to_timedelta(seconds, unit="s")).to_series(index=range(len(days)))

    status = led.status[:n][chosen]
    done = status >= Status.RESOLVED
    closed_days = np.where(done, led.closed[:n][chosen], np.nan)
    level_names = np.array([level.name.lower() for level in Level])
    levels = led.level[:n][chosen]
    return pd.DataFrame(
        {
            "id": chosen,
            "created": stamp(known[chosen]),
            "closed": stamp(closed_days),
            "category": np.asarray(model.city.case_type_names)[led.case_type[:n][chosen]],
            "unit": _unit_names(model, unit_level, led.grid[:n][chosen]),
            "handler": np.where(done, level_names[np.clip(levels, 0, len(Level) - 1)], ""),
        },
        columns=list(CASE_LOG_COLUMNS),
    )
