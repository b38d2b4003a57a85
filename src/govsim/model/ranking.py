"""Rankings (考核排名): streets and departments scored on the three rates, ranked among peers.

Every period a :class:`~govsim.mechanisms.base.Ranking` scores each unit on the cases it
closed in the period — answered by the time the answer was due (响应率), reported resolved
(解决率), resident satisfied (满意率); the score is their mean — and ranks it among its peers:
the street offices of its district, or the departments of its district. A unit's pressure
is its rank from the top: 0 for the best, 1 for the worst; units with no case in the period
feel no pressure. The model combines the pressure of every active ranking into each unit's
effort and propensity to game, which the units' agents turn into decisions
(:mod:`govsim.model.actors`).
"""

from __future__ import annotations

import numpy as np

from govsim.model.ledger import MAX_PARTS, PartState, Status
from govsim.model.state import EngineState

__all__ = ["pressure", "unit_scores"]


def unit_scores(e: EngineState, since: float, until: float,
                hotline_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per station: the sum of case scores and the number of cases closed in [since, until)."""
    led = e.ledger
    n = len(led)
    closed = led.closed[:n]
    cases = np.flatnonzero((closed >= since) & (closed < until)
                           & (led.status[:n] >= Status.RESOLVED))
    if hotline_only:
        cases = cases[led.via_hotline[cases]]
    score = ((closed[cases] <= led.answer_due[cases]).astype(float)
             + (led.status[cases] == Status.RESOLVED) + led.satisfied[cases]) / 3.0
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
        streets = np.asarray([e.street_station[s] for s in np.flatnonzero(
            city.street_district == d)])
        departments = np.asarray([city.department_station(d, k)
                                  for k in range(len(city.department_names))])
        for peers in (streets, departments):
            ranked = peers[count[peers] > 0]
            if len(ranked) < 2:
                continue
            mean = total[ranked] / count[ranked]
            # rank 0 = best score; ties in station order
            order = np.argsort(np.argsort(-mean, kind="stable"), kind="stable")
            out[ranked] = order / (len(ranked) - 1)
    return out
