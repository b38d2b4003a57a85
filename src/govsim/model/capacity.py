"""Expected load against capacity: each station's utilisation before a run starts.

From the case rates and the settlement probabilities of each case type, the expected flow
of jobs to every station and the staff time they need give a station's expected
utilisation (work per day ÷ staff). The estimate ignores escalation, bounces, channels
and the mechanisms — it is the load of baseline routing — so it is a first check of a
configuration, not a forecast: a station above 1 cannot keep up with its cases.
"""

from __future__ import annotations

import numpy as np

from govsim.city.build import City
from govsim.city.levels import Level
from govsim.model.ledger import MAX_PARTS
from govsim.model.tables import CaseTypeTable

__all__ = ["expected_utilisation", "overloaded"]


def expected_utilisation(city: City, table: CaseTypeTable, servers: np.ndarray) -> np.ndarray:
    """Expected utilisation of every station under baseline routing."""
    arrivals = city.grid_residents[:, None] * table.arrivals_per_resident_day[None, :]
    service = np.asarray(table.service_days)
    grid_settle = np.asarray(table.grid_settle)
    mediable = np.asarray(table.mediable)
    to_community = arrivals * (1 - grid_settle) * mediable
    to_street = arrivals * (1 - grid_settle) * np.where(
        mediable, 1 - np.asarray(table.mediation_settle), 1.0)
    to_departments = to_street * (1 - np.asarray(table.street_settle))
    work = np.zeros(len(servers))
    work[: city.n_grids] = arrivals @ service[:, Level.GRID]
    np.add.at(work, city.n_grids + city.grid_community, to_community @ service[:, Level.COMMUNITY])
    street = np.asarray([city.street_station(s) for s in range(city.n_streets)])
    np.add.at(work, street[city.grid_street], to_street @ service[:, Level.STREET])
    district = city.street_district[city.grid_street]
    for part in range(MAX_PARTS):
        stations = table.part_station[district, :, part]
        needed = stations >= 0
        np.add.at(work, stations[needed],
                  (to_departments * service[:, Level.DEPARTMENT][None, :])[needed])
    return work / np.asarray(servers, dtype=float)


def overloaded(city: City, utilisation: np.ndarray, limit: float = 1.0,
               shown: int = 5) -> str | None:
    """A warning naming the stations whose expected utilisation exceeds ``limit``, or None."""
    over = np.flatnonzero(utilisation > limit)
    if not len(over):
        return None
    worst = over[np.argsort(-utilisation[over])][:shown]
    names = ", ".join(f"{city.station_node[s]} {utilisation[s]:.2f}" for s in worst)
    more = f" and {len(over) - shown} more" if len(over) > shown else ""
    return (f"capacity below expected load: {len(over)} service points would need more than "
            f"their staff (expected utilisation {names}{more}); their queues will grow")
