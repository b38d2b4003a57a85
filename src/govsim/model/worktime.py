"""Stations' working hours (办公时间): a job's handling hours are worked while it is open.

A station's staff serve cases ``station_hours`` hours a day from the hour
``station_opens`` and, with ``station_days_off``, not on weekends or public holidays
(swapped working days, 调休, open), by the official calendar that demand follows
(:func:`govsim.model.demand.working_days`). A job's service is measured in working days (its
handling hours over ``working_hours_per_day``); :meth:`WorkingTime.finish` lays it on
the open windows, one window being one working day, so a case taken up late in the
afternoon, at night or on a Sunday finishes in the next window. Open around the clock
(24 hours, no days off) a job of d working days ends d days after it starts, as it always
did, to the last bit.

Assumption: only service waits for opening hours; arrivals, residents' reports,
patrols, response delays and escalation run on calendar time. Source: the Haishu
grid-governance log (``../shared/data/haishu/``) closes about 80% of its cases between 8:00
and 18:00 and closes a third as many a day on weekends as on working days
(``docs/cases.md``).
"""

from __future__ import annotations

import math

import numpy as np

from govsim.config.schema import CalendarConfig
from govsim.model.compiled import compiled
from govsim.model.demand import working_days

__all__ = ["WorkingTime", "job_end"]

YEAR = 366
"""Days of the calendar laid out at a time (more as jobs run past them)."""


class WorkingTime:
    """Calendar time ↔ working time of a city's stations."""

    def __init__(self, calendar: CalendarConfig) -> None:
        self.start = str(calendar.start_date)
        self.opens = calendar.station_opens / 24.0
        self.width = min(calendar.station_hours / 24.0, 1.0 - self.opens)
        self.days_off = bool(calendar.station_days_off)
        self.always = self.width >= 1.0 and not self.days_off
        """Open around the clock: working time is calendar time."""
        self._before = np.zeros(1, dtype=np.int64)  # open days before each day
        self._open = np.zeros(0, dtype=bool)
        self._open_days = np.zeros(0, dtype=np.int64)

    def lay_out(self, days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Know which of the first ``days`` days (at least) are open.

        Returns whether each day is open, the open days before each day, and the open days.
        """
        self._lay_out(days)
        return self._open, self._before, self._open_days

    def _lay_out(self, days: int) -> None:
        """Know which of the first ``days`` days are open (a year more at a time)."""
        if days <= len(self._open):
            return
        days = max(days, len(self._open) + YEAR)
        self._open = (working_days(self.start, days) if self.days_off
                      else np.ones(days, dtype=bool))
        self._before = np.concatenate([[0], np.cumsum(self._open)])
        self._open_days = np.flatnonzero(self._open)

    def working(self, now: float) -> float:
        """Working days done by an always-busy server from day 0 to calendar time ``now``."""
        day = math.floor(now)
        self._lay_out(day + 1)
        inside = (now - day - self.opens) / self.width if self._open[day] else 0.0
        return float(self._before[day]) + min(max(inside, 0.0), 1.0)

    def calendar(self, work: float) -> float:
        """The calendar time at which ``work`` working days (> 0) have been done."""
        k = math.ceil(work) - 1  # the open window the work ends in: the k-th open day
        while k >= len(self._open_days):
            self._lay_out(len(self._open) + YEAR)
        return float(self._open_days[k]) + self.opens + (work - k) * self.width

    def finish(self, now: float, work: float) -> float:
        """When a job of ``work`` working days started at ``now`` ends."""
        if self.always:
            return now + work
        return self.calendar(self.working(now) + work)


@compiled
def job_end(s, now: float, work: float) -> float:
    """When a job of ``work`` working days started at ``now`` ends (:meth:`WorkingTime.finish`).

    Reads the stations' hours from ``s.wt`` (open around the clock, opening, width) and the
    laid-out calendar ``s.wt_open``, ``s.wt_before``, ``s.wt_open_days``.
    """
    if s.wt[0] > 0.0:
        return now + work
    opens, width = s.wt[1], s.wt[2]
    day = math.floor(now)
    if day >= len(s.wt_open):
        raise ValueError("a job started beyond the stations' working calendar")
    inside = (now - day - opens) / width if s.wt_open[day] else 0.0
    done = np.float64(s.wt_before[day]) + min(max(inside, 0.0), 1.0) + work
    k = math.ceil(done) - 1
    if k >= len(s.wt_open_days):
        raise ValueError("a job ends beyond the stations' working calendar")
    return np.float64(s.wt_open_days[k]) + opens + (done - k) * width
