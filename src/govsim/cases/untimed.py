"""Delays a log does not time, bounded by the times it does (未见环节的等待).

A district's log times each case from its report to its closure at the unit that closed it,
but some of the model's waits never show in it as waits of their own: a case spanning two
towns first waits for the other side (片区协作, ``cross_region_delay_days``), and a
department that closes none of the log's cases has no response time to read. The archetype's
values (a mean 5 days across a boundary, 2 to 6 days for a department's response) put a
tail of cases still open after a week into the fitted city which the log does not have
(Haishu: 0.2% of its cases open after 7 days; the fitted city with the archetype's waits,
5.6%). The fit therefore takes them from the log's own times:

- **cross-boundary wait** = the street offices' mean response (dispatch → acceptance, in
  calendar days): a case that spans two towns is one the street offices close, and their
  closures in the log, cross-boundary ones among them, show no longer wait;
- **a department the log never shows closing** = the departments' pooled mean response
  (calendar days), the departments' own where they have one (:mod:`govsim.cases.handling`).

Assumption: the log's closures at a level include the cases that waited on these steps, so
the level's response bounds them; the delay stays the archetype's where the log gives no
response at the level. ``cases validate --param`` can calibrate either against the log.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from govsim.cases.handling import HandlingFit
from govsim.config.schema import CityConfig

__all__ = ["untimed_text", "with_untimed_delays"]


def _pooled(fit: HandlingFit, level: str) -> float:
    """A level's pooled mean response in calendar days (nan: none)."""
    rows = fit.levels[(fit.levels["level"] == level) & (fit.levels["department"] == "")]
    return float(rows["response_days"].iloc[0]) if len(rows) else float("nan")


def with_untimed_delays(city: CityConfig, fit: HandlingFit) -> tuple[CityConfig, pd.DataFrame]:
    """The city with the untimed delays taken from the log's responses, and what changed."""
    rows = []
    changes: dict = {}
    street = _pooled(fit, "street")
    if np.isfinite(street):
        changes["cross_region_delay_days"] = round(street, 4)
        rows.append(
            {
                "key": "cross_region_delay_days",
                "was": city.cross_region_delay_days,
                "now": changes["cross_region_delay_days"],
                "from": "street response",
            }
        )
    pooled = _pooled(fit, "department")
    own = fit.levels[fit.levels["level"] == "department"].set_index("department")
    departments = {}
    for name, department in city.departments.items():
        delay = own["response_days"].get(name, np.nan)
        if not np.isfinite(delay) and np.isfinite(pooled):
            departments[name] = dataclasses.replace(
                department, response_delay_days=round(pooled, 4)
            )
            rows.append(
                {
                    "key": f"departments.{name}.response_delay_days",
                    "was": department.response_delay_days,
                    "now": round(pooled, 4),
                    "from": "departments' response",
                }
            )
        else:
            departments[name] = department
    changes["departments"] = departments
    table = pd.DataFrame(rows, columns=["key", "was", "now", "from"])
    return dataclasses.replace(city, **changes), table


def untimed_text(table: pd.DataFrame) -> str:
    """The report's paragraph on the untimed delays."""
    if table.empty:
        return "\nDelays the log does not time: the city's are kept (no response to bound them).\n"
    lines = [
        f"- `{row.key}`: {row.was:g} → {row.now:g} days ({row._4})" for row in table.itertuples()
    ]
    return (
        "\nDelays the log does not time, set from the responses it does "
        "(`govsim.cases.untimed`):\n\n" + "\n".join(lines) + "\n"
    )
