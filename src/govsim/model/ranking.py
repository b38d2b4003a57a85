"""Rankings (考核排名): streets and departments scored on the three rates, ranked among peers.

Every period a :class:`~govsim.mechanisms.base.Ranking` scores each unit on the cases it
closed in the period — answered by the time the answer was due (响应率), reported resolved
(解决率), resident satisfied (满意率); the score is their mean — and ranks it among its peers:
the street offices of its district, or the departments of its district. A unit's pressure
is its rank from the top: 0 for the best, 1 for the worst; units with no case in the period
feel no pressure. Every day :class:`Rankings` runs the rankings due and combines the
pressure of every active ranking into each unit's effort (followed with
``city.effort_half_life_days``), its propensity to game and to decline, and whether it
serves hotline cases first; the units' agents turn these into decisions
(:mod:`govsim.model.actors`), and ranked units' staff follow their effort
(:class:`~govsim.model.adaptation.Staffing`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from govsim.city.levels import Level
from govsim.mechanisms import Mechanism, Ranking
from govsim.model.adaptation import Staffing, follow
from govsim.model.ledger import MAX_PARTS, PartState, Status
from govsim.model.state import EngineState

__all__ = ["Rankings", "pressure", "unit_scores"]


def unit_scores(
    e: EngineState, since: float, until: float, hotline_only: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Per station: the sum of case scores and the number of cases closed in [since, until)."""
    led = e.ledger
    n = len(led)
    closed = led.closed[:n]
    cases = np.flatnonzero(
        (closed >= since) & (closed < until) & (led.status[:n] >= Status.RESOLVED)
    )
    if hotline_only:
        cases = cases[led.via_hotline[cases]]
    score = (
        (closed[cases] <= led.answer_due[cases]).astype(float)
        + (led.status[cases] == Status.RESOLVED)
        + led.satisfied[cases]
    ) / 3.0
    n_stations = len(e.stations)
    units = [np.asarray(e.street_station)[led.street[cases]]]
    weights = [score]
    part_station = e.table.part_station[led.district[cases], led.case_type[cases]]
    handled = led.part_state[cases] == PartState.DONE
    for part in range(MAX_PARTS):
        mask = handled[:, part]
        units.append(part_station[mask, part])
        weights.append(score[mask])
    unit = np.concatenate(units)
    total = np.bincount(unit, np.concatenate(weights), minlength=n_stations)
    count = np.bincount(unit, minlength=n_stations)
    return total, count


def pressure(e: EngineState, total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Each station's pressure, 0 (top of its peers) to 1 (bottom), from its scores."""
    city = e.city
    out = np.zeros(len(e.stations))
    for d in range(city.n_districts):
        streets = np.asarray(
            [e.street_station[s] for s in np.flatnonzero(city.street_district == d)]
        )
        departments = np.asarray(
            [city.department_station(d, k) for k in range(len(city.department_names))]
        )
        for peers in (streets, departments):
            ranked = peers[count[peers] > 0]
            if len(ranked) < 2:
                continue
            mean = total[ranked] / count[ranked]
            # rank 0 = best score; ties in station order
            order = np.argsort(np.argsort(-mean, kind="stable"), kind="stable")
            out[ranked] = order / (len(ranked) - 1)
    return out


class Rankings:
    """The rankings of the mechanisms that rank, their pressure on the units, and its effects.

    Args:
        mechanisms: the run's mechanisms (those without a ranking are left out).
        state: the engine's state, whose per-station pressure, effort, gaming, declining and
            hotline-first flags the day's ranking sets.
        staffing: ranked units' staff following their effort.

    """

    def __init__(
        self, mechanisms: Sequence[Mechanism], state: EngineState, staffing: Staffing
    ) -> None:
        self._ranking = [m for m in mechanisms if m.ranking() is not None]
        self._state = state
        self._staffing = staffing
        self._pressure: dict[str, np.ndarray] = {}
        """Latest pressure of each ranking mechanism on every station."""
        self._effort = np.zeros(len(state.stations))
        """Each unit's effort, following the rankings' call with ``city.effort_half_life_days``."""

    def rank(self, day: int, intensity: Mapping[str, float]) -> None:
        """Run the rankings due on ``day``; combine every ranking's pressure on each unit.

        ``intensity`` is each mechanism's roll-out intensity today, by name. Ranked units'
        staff then follow their effort.
        """
        if not self._ranking:
            return
        e = self._state
        city = e.city
        n = len(e.stations)
        effort, gaming, declining, combined = (np.zeros(n) for _ in range(4))
        hotline_first = np.zeros(n, dtype=bool)
        for mechanism in self._ranking:
            today = intensity[mechanism.name]
            ranking: Ranking = mechanism.ranking()
            period = ranking.period_days
            if today > 0.0 and day % period == 0 and day > 0:
                total, count = unit_scores(e, day - period, day, ranking.hotline_only)
                self._pressure[mechanism.name] = pressure(e, total, count)
            unit_pressure = self._pressure.get(mechanism.name)
            if unit_pressure is None or today <= 0.0:
                continue
            weight = ranking.weight * today
            combined += weight * unit_pressure
            effort += weight * ranking.effort_gain * unit_pressure
            gaming += weight * ranking.gaming * unit_pressure
            declining += weight * ranking.decline * unit_pressure
            if ranking.hotline_only and weight > 0.0:
                hotline_first |= city.station_level == Level.DEPARTMENT
        e.pressure = np.minimum(combined, 1.0)
        half_life = city.config.effort_half_life_days
        if half_life > 0.0:
            self._effort = follow(self._effort, np.minimum(effort, 1.0), half_life)
            e.effort = self._effort
        else:
            e.effort = np.minimum(effort, 1.0)
        if self._staffing.active:
            self._staffing.follow(e.effort, e.stations.servers)
        e.gaming_pressure = np.minimum(gaming, 1.0)
        e.declining_pressure = np.minimum(declining, 1.0)
        e.hotline_first[:] = hotline_first
