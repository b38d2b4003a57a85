"""Each level's working time read from the log's closures (分级办公时间与值班).

A district's levels need not keep the same hours: in Haishu the grid (the 110 hand-over,
非警务协同处置) closes cases in the evening and on weekends, while communities and town
offices close theirs in office hours. For each level with at least
:data:`govsim.cases.fit.MIN_CLOSURES` closures (the handler mapped to a level), the fit reads:

- **its window**: the shortest run of whole hours holding 80% of the level's closures
  (:func:`govsim.cases.fit.closing_window`, the rule of the stations' opening hours);
- **its capacity on days off** (weekends and public holidays; swapped working days,
  调休, work): the share f of a working day's pace, 0 to 1 in steps of :data:`STEP`, at
  which the median time with the handler (dispatch, else report → closure, in the level's
  working days with days off worked at f) of the cases that reached it on a day off equals
  that of the cases that reached it on a working day. f = 0 makes a case taken up on a
  Saturday wait for Monday (its working time short: a weekend's closure counts none),
  f = 1 counts the weekend as working days; between, the two medians cross.

Assumption: a case's work does not depend on the day it reaches its handler, so a level's
time with the handler differs between cases that arrive on days off and on working days only
by the pace of the days off (queues built up over a weekend are not told apart from a
slower pace). Closed cases only: the level of an open case is not known. A level with fewer
closures (Haishu's departments, 24 by 14 May) keeps the stations' hours. Source: the Haishu
grid-governance log (``docs/cases.md``, worked example); recovery from synthetic logs with
known hours: ``tests/test_level_hours.py``.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govsim.city.levels import Level
from govsim.config.schema import CalendarConfig, LevelHoursConfig
from govsim.model.demand import working_days

if TYPE_CHECKING:
    from govsim.cases.fit import OpeningHours

__all__ = [
    "STEP",
    "days_off_capacity",
    "fit_level_hours",
    "level_hours_text",
    "taking_dispatch",
    "with_hours",
]

STEP = 0.05
"""The grid of days-off capacities tried."""
LEVELS = ("grid", "community", "street", "department")
"""The levels whose hours are read (``above`` never appears as a log's handler)."""


def _working(calendar: CalendarConfig, level: Level, first: date, times: pd.Series) -> np.ndarray:
    """The level's working days from the start of ``first`` to each of ``times``."""
    from govsim.model.worktime import WorkingTime

    clock = WorkingTime(dataclasses.replace(calendar, start_date=first.isoformat()))
    days = (times - pd.Timestamp(first)).dt.total_seconds().to_numpy() / 86_400.0
    return np.array([clock.working(d, level) for d in days])


def taking_dispatch(
    calendar: CalendarConfig, first: date, times: pd.Series, level: str = "street"
) -> pd.Series:
    """Whether ``level``'s stations took cases dispatched to them at each of ``times``.

    By the model's rule (:func:`govsim.model.worktime.takes_dispatch`): a working day
    before the level's window closes; ``calendar`` holds the fitted hours, day 0 ``first``.
    A time before ``first`` (or none) did not.
    """
    from govsim.model.worktime import WorkingTime

    clock = WorkingTime(dataclasses.replace(calendar, start_date=first.isoformat()))
    days = (times - pd.Timestamp(first)).dt.total_seconds().to_numpy() / 86_400.0
    at = Level[level.upper()]
    took = [bool(np.isfinite(d) and d >= 0 and clock.takes(d, at)) for d in days]
    return pd.Series(took, index=times.index, dtype=bool)


def days_off_capacity(
    start: pd.Series,
    closed: pd.Series,
    opens: int,
    hours: int,
    calendar: CalendarConfig,
    first: date,
) -> float:
    """The days-off capacity whose working times match across the day a case arrives."""
    level = Level.GRID  # the only level the trial calendars give hours of their own
    day = (start.dt.normalize() - pd.Timestamp(first)).dt.days.to_numpy()
    span = int(max(day.max(), (closed.dt.normalize() - pd.Timestamp(first)).dt.days.max())) + 1
    off = ~working_days(first.isoformat(), span)[day]
    if not off.any() or off.all():
        return float("nan")
    gaps = []
    for share in np.arange(0.0, 1.0 + STEP / 2, STEP):
        trial = dataclasses.replace(
            calendar,
            level_hours={"grid": LevelHoursConfig(float(opens), float(hours), float(share))},
        )
        took = _working(trial, level, first, closed) - _working(trial, level, first, start)
        gaps.append((abs(np.median(took[off]) - np.median(took[~off])), float(share)))
    return min(gaps)[1]


def fit_level_hours(
    cases: pd.DataFrame, departments: set[str], calendar: CalendarConfig | None, first: date
) -> pd.DataFrame:
    """Each level's window and days-off capacity (one row per level read).

    ``departments`` names the city's departments (a handler of that name closes at the
    department level); ``calendar`` holds the stations' fitted hours, which a level with too
    few closures keeps (None: none read, and no level's either).
    """
    columns = ["level", "closures", "opens", "hours", "share_inside", "days_off_capacity"]
    if calendar is None:
        return pd.DataFrame(columns=columns)
    from govsim.cases.fit import closing_window
    from govsim.cases.handling import level_of

    levels = cases["handler"].map(lambda h: level_of(h, departments))
    start = (
        cases["dispatched"].fillna(cases["created"])
        if "dispatched" in cases
        else (cases["created"])
    )
    rows = []
    for name in LEVELS:
        mine = (levels == name).to_numpy() & cases["closed"].notna().to_numpy()
        mine &= (cases["closed"] >= start).to_numpy()
        window = closing_window(cases["closed"][mine])
        if window is None:
            continue
        opens, hours, inside = window
        share = days_off_capacity(start[mine], cases["closed"][mine], opens, hours, calendar, first)
        if not np.isfinite(share):
            continue
        rows.append(
            {
                "level": name,
                "closures": int(mine.sum()),
                "opens": opens,
                "hours": hours,
                "share_inside": inside,
                "days_off_capacity": share,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def with_hours(
    calendar: CalendarConfig, hours: OpeningHours | None, table: pd.DataFrame
) -> CalendarConfig:
    """``calendar`` with the stations' fitted opening hours and the levels' own."""
    if hours is None:
        return calendar
    return dataclasses.replace(
        calendar,
        station_opens=float(hours.opens),
        station_hours=float(hours.hours),
        station_days_off=hours.days_off,
        level_hours={
            row.level: LevelHoursConfig(
                float(row.opens), float(row.hours), round(float(row.days_off_capacity), 4)
            )
            for row in table.itertuples()
        },
    )


def level_hours_text(table: pd.DataFrame) -> str:
    """The report's paragraph on the levels' hours."""
    if table.empty:
        return (
            "\nLevels' hours: too few closures at any level to read them; the stations' "
            "hours hold for all.\n"
        )
    lines = [
        f"- {row.level}: {row.opens}:00 to {row.opens + row.hours}:00 "
        f"({row.share_inside:.0%} of its {row.closures} closures), days off at "
        f"{row.days_off_capacity:.2f} of a working day's capacity"
        for row in table.itertuples()
    ]
    return (
        "\nLevels' hours read from their closures (`calendar.level_hours`; a level not "
        "listed keeps the stations' hours):\n\n" + "\n".join(lines) + "\n"
    )
