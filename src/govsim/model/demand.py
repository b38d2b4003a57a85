"""When cases arise: the civil calendar, the hour of the day, and over-dispersed days.

The case types' yearly rates are averages. :class:`Demand` turns them into each day's
rates from ``city.calendar``: the weekday's relative rate (the weekly profile normalised to
a mean of 1), a factor on public holidays and swapped days off, and, when
``daily_dispersion`` δ > 0, a Gamma multiplier of mean 1 and variance δ drawn for each
street and day from its district's stream (so the day's counts are negative binomial:
variance μ + δμ²); and, when ``district_dispersion`` δ_D > 0, a Gamma multiplier of mean 1
and variance δ_D drawn once a day for the whole district, on every street alike (a day busy
or quiet district-wide: the district's total varies as μ + δ_D μ² + (1 + δ_D) δ Σ μᵢ², not
averaged away over its streets). Within its day a case arises at an hour drawn from the
hour profile.

The same profiles are those of when cases **become known** (a log's report times, 上报时间,
from which ``govsim cases fit`` reads them): the time from a case arising to its becoming
known (the resident's report delay, or the patrol's find and its submission) elapses on
the *intake clock* Λ(t) = ∫₀ᵗ w(s) ds, w being the day's factor × the hour's weight (mean 1
over a flat week; 1 beyond the calendar). A case arising at a and known after a delay x of
the model's draws is known at Λ⁻¹(Λ(a) + x) (:meth:`Demand.known_at`). Assumption: reports
and patrol submissions reach the system in proportion to the intake profile (a delay stops
while nobody reports — at night, on a holiday) — so that, cases arising by the profile,
the known cases follow it too (in a steady state, whatever the delays), rather than a
profile smeared by the delays (a mean report delay of one day turns Haishu's Monday peak
of 0.24 of the week into 0.12). The days' multipliers drive each street's clock too, w being
then the day's factor × the street's multiplier × the hour's weight: a busy day is busy for
reports (more people call, patrols submit more), so that the known cases' daily counts vary
as μ + δμ² — the over-dispersion a log's report dates show and ``govsim cases fit`` reads —
rather than the delays averaging each day's excess over the next days (a mean delay of three
days would cut that variance some six times). The multipliers are drawn day by day from each
district's stream when the model is built, for the calendar's days (the clock's span), and
as they come past them. Zero delays leave the arising time unchanged; a flat calendar's
clock is the identity.

Holidays and swapped working days (调休) are those of China in the ``holidays`` package,
which follows the State Council's yearly notices; years not yet announced have the
regular holidays only. A flat calendar (every weight equal, factor 1, δ = 0) draws
exactly what a calendar-free model draws; so does δ_D = 0 (no draw is made).
"""

from __future__ import annotations

from collections.abc import Sequence
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
    return (
        np.array([d.weekday() for d in dates], dtype=np.int64),
        np.array([d in china for d in dates], dtype=bool),
        np.array([d in china.weekend_workdays for d in dates], dtype=bool),
    )


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
    """Each day's arrival rates and the times of day at which cases arise and become known.

    Args:
        calendar: the city's calendar.
        days: the days of the calendar the run simulates (its intake clock's span).
        n_streets: the city's streets.
        districts: for each simulated district, its streets and its stream of busy days
            (``Purpose.DEMAND``); with a dispersion > 0, each draws its streets' multipliers
            day by day, the district's first (none without).

    """

    def __init__(
        self,
        calendar: CalendarConfig,
        days: int,
        n_streets: int = 0,
        districts: Sequence[tuple[np.ndarray, np.random.Generator]] = (),
    ) -> None:
        self.factors = day_factors(calendar, days)
        self.dispersion = calendar.daily_dispersion
        self.district_dispersion = calendar.district_dispersion
        self._districts = tuple((np.asarray(streets), rng) for streets, rng in districts)
        self._n_streets = n_streets
        self._dispersed = self.dispersion > 0.0 or self.district_dispersion > 0.0
        if self._dispersed and not any(len(streets) for streets, _ in self._districts):
            raise ValueError("Demand: a daily dispersion needs the districts' streets and streams")
        self._days = days
        self.busy = self._draw(days) if self._dispersed else np.ones((0, n_streets))
        """Each calendar day's multiplier of each street (days × streets; 1 for a street of
        no simulated district)."""
        self._late = (days - 1, self.busy[-1] if len(self.busy) else np.ones(n_streets))
        """The last day drawn past the calendar, and its multipliers."""
        hours = np.asarray(calendar.hour_profile, dtype=float)
        self._hour_weight = hours / hours.sum()
        self._hour_start = np.concatenate([[0.0], np.cumsum(self._hour_weight)[:-1]])
        self._flat_hours = bool(np.all(hours == hours[0]))
        self._last_hour = int(np.flatnonzero(hours)[-1])
        self._flat = self._flat_hours and bool(np.all(self.factors == 1.0)) and not self._dispersed
        if self._dispersed:
            weight = self.factors[:, None] * self.busy
            self._day_start = np.vstack([np.zeros((1, n_streets)), np.cumsum(weight, axis=0)])
            """Each street's clock Λ_s at the start of each day d = 0 .. days (+ 1 row)."""
        else:
            cells = (self.factors[:, None] * (hours / hours.mean())[None, :]).ravel()
            self._intake_rate = cells
            self._intake = np.concatenate([[0.0], np.cumsum(cells) / 24.0])
            """Λ at each hour's start (and the calendar's end): the city's one intake clock."""

    def _draw(self, days: int) -> np.ndarray:
        """The streets' multipliers of the next ``days`` days, each district's in turn.

        Day by day from each district's stream, the district's multiplier first, then one
        for each street from the district's first to its last, so that the values are those
        of the days drawn one at a time, however many are drawn at once.
        """
        rows = np.ones((days, self._n_streets))
        shared, own = self.district_dispersion, self.dispersion
        for streets, rng in self._districts:
            if not len(streets):
                continue
            first = int(streets.min())
            count = int(streets.max()) + 1 - first
            for row in rows:
                factor = rng.gamma(1.0 / shared, shared) if shared > 0.0 else 1.0
                if own > 0.0:
                    drawn = rng.gamma(1.0 / own, own, size=count)
                    row[streets] = factor * drawn[streets - first]
                else:
                    row[streets] = factor
        return rows

    def _multipliers(self, day: int) -> np.ndarray:
        """The streets' multipliers on ``day`` (drawn as they come past the calendar)."""
        if day < self._days:
            return self.busy[day]
        last, row = self._late
        for _ in range(day - last):
            row = self._draw(1)[0]
        self._late = (day, row)
        return row

    def _clock(self, t: np.ndarray, street: np.ndarray | None = None) -> np.ndarray:
        """Λ(t), the intake clock at model times ``t`` (days; finite, ≥ 0), of each street."""
        if street is not None:
            day = np.floor(t).astype(np.int64)
            inside = day < self._days
            d = np.minimum(day, self._days - 1)
            weight = self.factors[d] * self.busy[d, street]
            within = self._day_start[d, street] + weight * self._hour_fraction(t - d)
            return np.where(inside, within, self._day_start[-1, street] + (t - self._days))
        n = len(self._intake_rate)
        cell = np.minimum(np.floor(t * 24.0).astype(np.int64), n)
        inside = cell < n
        rate = np.where(inside, self._intake_rate[np.minimum(cell, n - 1)], 1.0)
        return self._intake[cell] + rate * (t - cell / 24.0)

    def _hour_fraction(self, u: np.ndarray) -> np.ndarray:
        """The share of a day's intake before the fraction ``u`` of the day (0 .. 1)."""
        hour = np.minimum(np.floor(u * 24.0).astype(np.int64), 23)
        return self._hour_start[hour] + self._hour_weight[hour] * (u * 24.0 - hour)

    def _unclock(self, y: np.ndarray, street: np.ndarray | None = None) -> np.ndarray:
        """Λ⁻¹(y): the model time at which the intake clock passes ``y`` (of each street).

        Where the clock stands still (an hour or a day of no intake) it passes ``y`` at the
        end of the still stretch.
        """
        if street is not None:
            start = self._day_start
            n = self._days
            end = start[-1, street]
            low = np.zeros(len(y), dtype=np.int64)  # Λ_s(low) ≤ y < Λ_s(high) (y < end)
            high = np.full(len(y), n, dtype=np.int64)
            while np.any(high - low > 1):
                mid = (low + high) // 2
                below = start[mid, street] <= y
                low = np.where(below, mid, low)
                high = np.where(below, high, mid)
            weight = self.factors[low] * self.busy[low, street]
            with np.errstate(divide="ignore", invalid="ignore"):
                u = (y - start[low, street]) / weight
            inside = low + self.time_of_day(np.clip(np.nan_to_num(u), 0.0, 1.0))
            return np.where(y >= end, n + (y - end), inside)
        n = len(self._intake_rate)
        end = self._intake[n]
        cell = np.minimum(np.searchsorted(self._intake, y, side="right") - 1, n - 1)
        rate = self._intake_rate[cell]
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = cell / 24.0 + (y - self._intake[cell]) / rate
        return np.where(y >= end, n / 24.0 + (y - end), inside)

    def known_at(
        self, arisen: np.ndarray, known: np.ndarray, street: np.ndarray | None = None
    ) -> np.ndarray:
        """When cases arising at ``arisen`` in streets ``street`` become known on the intake clock.

        ``known`` − ``arisen`` are the delays drawn in plain days (inf: never known). With
        busy days (a dispersion > 0) each street keeps its own clock, and ``street`` is needed.
        """
        if self._flat:
            return known
        delayed = np.isfinite(known) & (known > arisen)
        out = np.array(known, dtype=float, copy=True)
        a = arisen[delayed]
        if self._dispersed:
            if street is None:
                raise ValueError("known_at: busy days need the cases' streets")
            s = np.asarray(street)[delayed]
            late = self._unclock(self._clock(a, s) + (known[delayed] - a), s)
        else:
            late = self._unclock(self._clock(a) + (known[delayed] - a))
        out[delayed] = np.maximum(late, a)
        return out

    def rates(self, base: np.ndarray, day: int, streets: np.ndarray) -> np.ndarray:
        """Today's rate of each row of ``base`` (grids × case types) in streets ``streets``."""
        factor = self.factors[day] if day < len(self.factors) else 1.0
        if not self._dispersed:
            return base * factor if factor != 1.0 else base
        return base * (factor * self._multipliers(day)[streets])[:, None]

    def time_of_day(self, u: np.ndarray) -> np.ndarray:
        """Fractions of a day at which cases arise, from uniform draws ``u`` (inverse CDF)."""
        if self._flat_hours:
            return u
        hour = np.minimum(np.searchsorted(self._hour_start, u, side="right") - 1, self._last_hour)
        within = (u - self._hour_start[hour]) / self._hour_weight[hour]
        return (hour + np.clip(within, 0.0, 1.0)) / 24.0
