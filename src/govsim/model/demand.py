"""When cases arise: the civil calendar, the hour of the day, and over-dispersed days.

The case types' yearly rates are averages. :class:`Demand` turns them into each day's
rates from ``city.calendar``: the weekday's relative rate (the weekly profile normalised to
a mean of 1), a factor on public holidays and swapped days off, and, when
``daily_dispersion`` δ > 0, a Gamma multiplier of mean 1 and variance δ drawn for each
street and day from its district's stream (so the day's counts are negative binomial:
variance μ + δμ²). Within its day a case arises at an hour drawn from the hour profile.

Holidays and swapped working days (调休) are those of China in the ``holidays`` package,
which follows the State Council's yearly notices; years not yet announced have the
regular holidays only. A flat calendar (every weight equal, factor 1, δ = 0) draws
exactly what a calendar-free model draws.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from govsim.config.schema import CalendarConfig

__all__ = ["Demand", "civil_days", "day_factors", "working_days"]


def civil_days(start: str, days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weekday (0 = Monday), public holiday and swapped working day (调休) of each day.

    For the ``days`` days from the date ``start``.
    """
    import holidays  # the calendar of China, loaded only when a model is built

    first = date.fromisoformat(str(start))
    dates = [first + timedelta(days=d) for d in range(days)]
    china = holidays.China(years=sorted({d.year for d in dates}))
    return (np.array([d.weekday() for d in dates], dtype=np.int64),
            np.array([d in china for d in dates], dtype=bool),
            np.array([d in china.weekend_workdays for d in dates], dtype=bool))


def working_days(start: str, days: int) -> np.ndarray:
    """Whether each day is a working day (Monday to Friday or 调休, not a public holiday)."""
    weekday, holiday, swapped = civil_days(start, days)
    return ((weekday < 5) | swapped) & ~holiday


def day_factors(calendar: CalendarConfig, days: int) -> np.ndarray:
    """Relative arrival rate of each model day 0 .. days − 1 (1 everywhere when flat)."""
    weekly = np.asarray(calendar.weekday_profile, dtype=float)
    weekly = weekly / weekly.mean()
    weekday, holiday, swapped = civil_days(calendar.start_date, days)
    factors = weekly[weekday]
    factors = np.where(swapped, weekly[:5].mean(), factors)
    return np.where(holiday, factors * calendar.holiday_factor, factors)


class Demand:
    """Each day's arrival rates and the times of day at which cases arise."""

    def __init__(self, calendar: CalendarConfig, days: int) -> None:
        self.factors = day_factors(calendar, days)
        self.dispersion = calendar.daily_dispersion
        hours = np.asarray(calendar.hour_profile, dtype=float)
        self._hour_weight = hours / hours.sum()
        self._hour_start = np.concatenate([[0.0], np.cumsum(self._hour_weight)[:-1]])
        self._flat_hours = bool(np.all(hours == hours[0]))
        self._last_hour = int(np.flatnonzero(hours)[-1])

    def rates(self, base: np.ndarray, day: int, street_of_row: np.ndarray, n_streets: int,
              rng: np.random.Generator) -> np.ndarray:
        """Today's rate of each row of ``base`` (grids × case types).

        Rows are grouped by street, numbered 0 .. ``n_streets`` − 1 in ``street_of_row``;
        the streets' multipliers are drawn from ``rng`` (their district's stream).
        """
        factor = self.factors[day] if day < len(self.factors) else 1.0
        if self.dispersion <= 0.0:
            return base * factor if factor != 1.0 else base
        shape = 1.0 / self.dispersion
        multiplier = rng.gamma(shape, self.dispersion, size=n_streets)
        return base * (factor * multiplier[street_of_row])[:, None]

    def time_of_day(self, u: np.ndarray) -> np.ndarray:
        """Fractions of a day at which cases arise, from uniform draws ``u`` (inverse CDF)."""
        if self._flat_hours:
            return u
        hour = np.minimum(np.searchsorted(self._hour_start, u, side="right") - 1,
                          self._last_hour)
        within = (u - self._hour_start[hour]) / self._hour_weight[hour]
        return (hour + np.clip(within, 0.0, 1.0)) / 24.0
