"""Stations' working hours (办公时间): a job's handling hours are worked while it is open.

A station's staff serve cases ``station_hours`` hours a day from the hour
``station_opens`` and, with ``station_days_off``, not on weekends or public holidays
(swapped working days, 调休, open), by the official calendar that demand follows
(:func:`govsim.model.demand.working_days`). A level may keep hours of its own
(``calendar.level_hours.<level>``: its opening hour, hours a day, and the share of a
working day's capacity it keeps on days off, 值班): the grid of a city whose 110 hand-over
(非警务协同处置) closes cases around the clock, say, beside communities that keep office hours.

A job's service is measured in working days (its handling hours over
``working_hours_per_day``); :meth:`WorkingTime.finish` lays it on the open windows of the
station's level. A working day's window holds one working day of service; a day off's
window, the same hours, holds the level's ``days_off_capacity`` of one (staff on duty work
at that share of the pace). So a case taken up late in the afternoon, at night or on a
Sunday of a station closed on days off finishes in the next window. Open around the clock
(24 hours, full capacity every day) a job of d working days ends d days after it starts, as
it always did, to the last bit; capacity 0 or 1 on days off lays a job out exactly as the
open-or-closed calendar did.

Assumption: only service waits for opening hours, and only the town office's taking of the
cases dispatched to it (:func:`takes_dispatch`) depends on them; arrivals, residents' reports,
patrols, response delays and escalation run on calendar time. Source: the Haishu
grid-governance log (``../shared/data/haishu/``) closes about 80% of its cases between 8:00
and 18:00 and closes a third as many a day on weekends as on working days
(``docs/cases.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from govsim.city.levels import Level
from govsim.config.schema import CalendarConfig
from govsim.model.compiled import compiled
from govsim.model.demand import working_days

__all__ = ["LevelHours", "WorkingTime", "job_end", "level_hours", "takes_dispatch"]

YEAR = 366
"""Days of the calendar laid out at a time (more as jobs run past them)."""


@dataclass(frozen=True)
class LevelHours:
    """One level's working time: opening hour and window as fractions of a day."""

    opens: float
    """Start of the window, in days after midnight."""
    width: float
    """Length of the window, in days."""
    days_off: float
    """Capacity of a day off's window as a share of a working day's (0: closed, 1: as any)."""

    @property
    def always(self) -> bool:
        """Open around the clock at full capacity: working time is calendar time."""
        return self.width >= 1.0 and self.days_off >= 1.0


def level_hours(calendar: CalendarConfig, level: Level) -> LevelHours:
    """The working time of ``level``: its own ``level_hours`` entry, else the stations'."""
    own = calendar.level_hours.get(level.name.lower())
    if own is None:
        opens, hours = calendar.station_opens, calendar.station_hours
        days_off = 0.0 if calendar.station_days_off else 1.0
    else:
        opens, hours, days_off = own.opens, own.hours, own.days_off_capacity
    opens /= 24.0
    return LevelHours(opens=opens, width=min(hours / 24.0, 1.0 - opens), days_off=float(days_off))


class WorkingTime:
    """Calendar time ↔ working time of a city's stations, level by level."""

    def __init__(self, calendar: CalendarConfig) -> None:
        self.start = str(calendar.start_date)
        self.levels = [level_hours(calendar, level) for level in Level]
        self.table = np.array([[float(h.always), h.opens, h.width] for h in self.levels])
        """Per level: open around the clock (1/0), opening, width (what the engine reads)."""
        self._capacity = np.zeros((len(Level), 0))  # each day's working days, per level
        self._before = np.zeros((len(Level), 1))  # working days before each day, per level

    def lay_out(self, days: int) -> tuple[np.ndarray, np.ndarray]:
        """Know the capacity of the first ``days`` days (at least), level by level.

        Returns each day's capacity (working days its window holds) and the working days
        before each day, each one row per level.
        """
        self._lay_out(days)
        return self._capacity, self._before

    def _lay_out(self, days: int) -> None:
        """Know the capacity of the first ``days`` days (a year more at a time)."""
        if days <= self._capacity.shape[1]:
            return
        days = max(days, self._capacity.shape[1] + YEAR)
        working = working_days(self.start, days)
        self._capacity = np.array([np.where(working, 1.0, h.days_off) for h in self.levels])
        self._before = np.concatenate(
            [np.zeros((len(Level), 1)), np.cumsum(self._capacity, axis=1)], axis=1
        )

    def working(self, now: float, level: Level = Level.GRID) -> float:
        """Working days done by an always-busy server of ``level`` from day 0 to ``now``."""
        hours = self.levels[level]
        day = math.floor(now)
        self._lay_out(day + 1)
        capacity = self._capacity[level, day]
        inside = (now - day - hours.opens) / hours.width if capacity > 0 else 0.0
        return float(self._before[level, day]) + capacity * min(max(inside, 0.0), 1.0)

    def takes(self, now: float, level: Level) -> bool:
        """Whether ``level``'s stations take a case dispatched to them at ``now``.

        On a working day (a full day's capacity) before the window closes, or always for a
        level open around the clock: what :func:`takes_dispatch` asks in the engine.
        """
        hours = self.levels[level]
        if hours.always:
            return True
        day = math.floor(now)
        self._lay_out(day + 1)
        return bool(self._capacity[level, day] >= 1.0 and now - day < hours.opens + hours.width)

    def calendar(self, work: float, level: Level = Level.GRID) -> float:
        """The calendar time at which ``work`` working days (> 0) have been done."""
        while self._before[level, -1] < work:
            self._lay_out(self._capacity.shape[1] + YEAR)
        hours = self.levels[level]
        day = int(np.searchsorted(self._before[level], work)) - 1  # the window it ends in
        done = (work - self._before[level, day]) / self._capacity[level, day]
        return float(day) + hours.opens + done * hours.width

    def finish(self, now: float, work: float, level: Level = Level.GRID) -> float:
        """When a job of ``work`` working days started at ``now`` at ``level`` ends."""
        if self.levels[level].always:
            return now + work
        return self.calendar(self.working(now, level) + work, level)


@compiled
def job_end(s, now: float, work: float, level: int) -> float:
    """When a job of ``work`` working days started at ``now`` ends (:meth:`WorkingTime.finish`).

    Reads the level's hours from ``s.wt`` (per level: open around the clock, opening,
    width) and the laid-out calendar ``s.wt_capacity``, ``s.wt_before``.
    """
    if s.wt[level, 0] > 0.0:
        return now + work
    opens, width = s.wt[level, 1], s.wt[level, 2]
    day = math.floor(now)
    if day >= s.wt_capacity.shape[1]:
        raise ValueError("a job started beyond the stations' working calendar")
    capacity = s.wt_capacity[level, day]
    inside = (now - day - opens) / width if capacity > 0.0 else 0.0
    done = s.wt_before[level, day] + capacity * min(max(inside, 0.0), 1.0) + work
    before = s.wt_before[level]
    if done > before[len(before) - 1]:
        raise ValueError("a job ends beyond the stations' working calendar")
    end = np.searchsorted(before, done) - 1  # the window the job ends in
    return np.float64(end) + opens + (done - before[end]) / s.wt_capacity[level, end] * width


@compiled
def takes_dispatch(s, now: float, level: int) -> bool:
    """Whether ``level``'s stations take a case dispatched to them at ``now``.

    A town office takes the cases the intake dispatches to it on a working day until its
    window closes (a case known at 7:00 waits for it to open); known later that day, at
    night or on a day off, when only those on duty (值班) are there, the case goes to the
    grid instead (:func:`govsim.model.routing.on_known`). A level open around the clock
    always takes them. Reads ``s.wt`` and ``s.wt_capacity`` as :func:`job_end` does.

    Assumption and source: in the Haishu grid-governance log, 1–14 May 2025, the town
    offices (综合治理办 …) closed 41% of the cases that became known on a working day before
    16:00 (their window closes at 16:00) and 6% of the others, almost all of them cases a
    grid worker or police grid reported, dispatched to the office within minutes, while the
    110 hand-over taken at night and on days off closed at the grid and the communities
    (``docs/cases.md``).
    """
    if s.wt[level, 0] > 0.0:
        return True
    day = math.floor(now)
    if day >= s.wt_capacity.shape[1]:
        raise ValueError("a case dispatched beyond the stations' working calendar")
    return s.wt_capacity[level, day] >= 1.0 and now - day < s.wt[level, 1] + s.wt[level, 2]
