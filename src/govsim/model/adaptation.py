"""What changes over months and years: residents' memory, units' effort and staff, learning.

Four slow feedbacks, each off at the city's neutral values (``city.yaml``), so that a city
without them behaves as one that reacts to the day only:

- **Residents' memory** (``city.residents.trust_memory_days``, a half-life): each district
  keeps a moving average of the satisfaction of its cases closed or overdue (its *felt
  service*), and every resident's trust moves toward it by the share of a day in that
  half-life. Reporting is propensity × trust, and with ``city.residents.hotline_trust_slope``
  a reporting resident who trusts more calls 12345 rather than another channel
  (:mod:`govsim.model.residents`), so demand on the hotline grows as the felt service
  improves, years after the service did (DOMAIN.md,
  "Case volumes and the three rates": calls rose ~5× by 2023 as residents learned that
  calling works, with a lag of years).
- **Units' effort** (``city.effort_half_life_days``): the effort the rankings call for is
  approached with this half-life, so sustained pressure builds effort over months and a
  unit that climbs the ranking eases off as slowly (monthly rankings, 接诉即办).
- **Units' staff** (``city.staff_growth_under_pressure``): a ranked unit's staff follow
  its effort, up to (1 + growth) × its own at full effort and never below its own, so a
  unit ranked low for months gains hands slowly and gives them back as it climbs.
- **Staff learning** (``city.learning_rate``, ``learning_jobs_per_staff``,
  ``learning_floor``): from the roll-out of a reform on, a unit's handling time falls by
  ``learning_rate`` each time the jobs it has finished under the reform per staff member
  double, down to ``learning_floor`` (一年打基础、两年求突破、三年大提升, source 004).

Backlogs need no feedback of their own: the model runs the pre-reform and reform years as
one run, so every queue and open case carries over from one year to the next.
"""

from __future__ import annotations

import math

import numpy as np

from govsim.city.build import City
from govsim.config.schema import CityConfig
from govsim.model.residents import Residents

__all__ = ["FeltService", "Learning", "Staffing", "daily_share", "follow"]


def daily_share(half_life_days: float) -> float:
    """The share of the way a quantity with this half-life moves in a day (0: all of it)."""
    return 1.0 if half_life_days <= 0.0 else 1.0 - 0.5 ** (1.0 / half_life_days)


def follow(current: np.ndarray, target: np.ndarray, half_life_days: float) -> np.ndarray:
    """``current`` moved a day's share of the way toward ``target`` (``target`` if no lag)."""
    if half_life_days <= 0.0:
        return target
    return current + daily_share(half_life_days) * (target - current)


class FeltService:
    """Each district's felt service, and residents' trust moving toward it (memory).

    The felt service is the satisfaction of a district's closed and overdue cases, each
    weighed by ``0.5^(age / half-life)``; before the first such case there is none and
    trust does not move.
    """

    def __init__(self, city: City, half_life_days: float) -> None:
        self.half_life_days = half_life_days
        self._district = city.grid_district
        n = city.n_districts
        self._sum = np.zeros(n)
        self._weight = np.zeros(n)
        self._members: list[np.ndarray] | None = None

    @property
    def active(self) -> bool:
        """Whether residents remember beyond their own cases."""
        return self.half_life_days > 0.0

    def felt(self) -> np.ndarray:
        """Each district's felt service (NaN where no case has closed yet)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self._sum / self._weight

    def update(
        self,
        residents: Residents,
        grids: np.ndarray,
        scores: np.ndarray,
        districts: tuple[int, ...],
    ) -> None:
        """Take in a day's satisfaction scores (cases in ``grids``); move every trust a day."""
        keep = 1.0 - daily_share(self.half_life_days)
        district = self._district[grids]
        n = len(self._sum)
        self._sum = self._sum * keep + np.bincount(district, scores.astype(float), minlength=n)
        self._weight = self._weight * keep + np.bincount(district, minlength=n)
        if self._members is None:
            home = self._district[residents.grid]
            self._members = [np.flatnonzero(home == d) for d in range(n)]
        felt = self.felt()
        step = daily_share(self.half_life_days)
        for d in districts:
            if not self._weight[d] > 0.0:
                continue
            people = self._members[d]
            before = residents.trust[people]
            after = (before + np.float32(step) * (np.float32(felt[d]) - before)).astype(np.float32)
            residents.trust[people] = after
            residents.trust_sum += float(after.sum(dtype=np.float64) - before.sum(dtype=np.float64))


class Learning:
    """Each station's handling-time factor from the jobs it finished under the reform.

    A learning curve: factor = max(floor, (1 + jobs / (jobs_per_staff × staff))^log2(1 − rate)),
    so the factor falls by ``rate`` each time the experience per staff member doubles past
    the first ``jobs_per_staff`` jobs.
    """

    def __init__(self, config: CityConfig, base_time: np.ndarray, staff: np.ndarray) -> None:
        self.rate = config.learning_rate
        self.floor = config.learning_floor
        self._exponent = math.log2(1.0 - self.rate) if self.rate < 1.0 else -math.inf
        self._scale = config.learning_jobs_per_staff * np.maximum(staff, 1).astype(float)
        self._base = base_time.copy()
        self.jobs = np.zeros(len(base_time))
        """Jobs each station has finished while a reform acted."""

    @property
    def active(self) -> bool:
        """Whether staff learn at all."""
        return self.rate > 0.0

    def factor(self) -> np.ndarray:
        """Each station's handling time relative to before the reform."""
        return np.maximum(self.floor, (1.0 + self.jobs / self._scale) ** self._exponent)

    def learn(self, finished: np.ndarray, station_time: np.ndarray) -> None:
        """Count the day's finished jobs and set the stations' handling times in place."""
        self.jobs += finished
        station_time[:] = self._base * self.factor()


class Staffing:
    """Ranked units' staff following their effort: more hands under sustained pressure.

    A ranked unit's staff are round(own × (1 + growth × effort)): its own at no effort,
    (1 + growth) × its own at full effort. With effort built over months
    (``city.effort_half_life_days``) the staff follow sustained pressure, not a single
    ranking. A hand added joins the station's work at its next finished job.
    """

    def __init__(self, growth: float, servers: np.ndarray, ranked: np.ndarray) -> None:
        self.growth = growth
        self._own = np.asarray(servers, dtype=np.int64).copy()
        self._ranked = np.flatnonzero(ranked)

    @property
    def active(self) -> bool:
        """Whether ranked units' staff change at all."""
        return self.growth > 0.0

    def follow(self, effort: np.ndarray, servers: np.ndarray) -> None:
        """Set the ranked units' staff in ``servers`` (the one place they are held)."""
        own = self._own[self._ranked]
        servers[self._ranked] = np.floor(
            own * (1.0 + self.growth * np.clip(effort[self._ranked], 0.0, 1.0)) + 0.5
        ).astype(np.int64)
