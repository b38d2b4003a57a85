"""Expected load against capacity: each station's utilisation before a run starts.

From the case rates and the settlement probabilities of each case type, the expected flow
of jobs to every station and the staff time they need give a station's expected
utilisation: the share of its staff's working day that is taken, by cases and by the
standing duties a level has besides cases (a grid worker's patrol,
``city.patrol_share``; the tasks pushed down to a community,
``city.community_burden_share``). The estimate ignores escalation, bounces, channels and
the mechanisms — it is the load of baseline routing — so it is a first check of a
configuration, not a forecast: a station above 1 cannot keep up with its cases, one below
:data:`LOADED` idles most of the day, one above :data:`STRAINED` is near its limit. The
petition office and courts receive only escalations and are not estimated.
"""

from __future__ import annotations

import numpy as np

from govsim.city.build import City
from govsim.city.levels import Level
from govsim.model.ledger import MAX_PARTS
from govsim.model.tables import CaseTypeTable, grid_arrival_rates

__all__ = [
    "LOADED",
    "STRAINED",
    "duty_share",
    "expected_utilisation",
    "expected_work",
    "load_notice",
    "overloaded",
]

LOADED, STRAINED = 0.5, 0.9
"""The band of expected utilisation in which a station is loaded but keeps up (issue of
field-level presets: every station of a shipped archetype lies inside it)."""

_ESTIMATED = (Level.GRID, Level.COMMUNITY, Level.STREET, Level.DEPARTMENT)
_PLURAL = {
    Level.GRID: "grids",
    Level.COMMUNITY: "communities",
    Level.STREET: "streets",
    Level.DEPARTMENT: "departments",
}


def duty_share(city: City) -> np.ndarray:
    """Share of each station's working day taken by standing duties besides cases."""
    cfg = city.config
    duty = np.zeros(len(city.station_level))
    duty[city.station_level == Level.GRID] = cfg.patrol_share
    duty[city.station_level == Level.COMMUNITY] = cfg.community_burden_share
    return duty


def expected_work(city: City, table: CaseTypeTable) -> np.ndarray:
    """Staff-days of cases each station is offered a day under baseline routing.

    A station's offered load in Erlangs: the staff busy with its cases on average, whatever
    its staff. The petition office and courts, which only escalations reach, get 0.
    """
    arrivals = grid_arrival_rates(city, table)
    service = np.asarray(table.service_days)
    grid_settle = np.asarray(table.grid_settle)
    mediable = np.asarray(table.mediable)
    to_community = arrivals * (1 - grid_settle) * mediable
    to_street = (
        arrivals
        * (1 - grid_settle)
        * np.where(mediable, 1 - np.asarray(table.mediation_settle), 1.0)
    )
    to_departments = to_street * (1 - np.asarray(table.street_settle))
    work = np.zeros(len(city.station_level))
    work[: city.n_grids] = arrivals @ service[:, Level.GRID]
    np.add.at(work, city.n_grids + city.grid_community, to_community @ service[:, Level.COMMUNITY])
    street = np.asarray([city.street_station(s) for s in range(city.n_streets)])
    np.add.at(work, street[city.grid_street], to_street @ service[:, Level.STREET])
    district = city.street_district[city.grid_street]
    for part in range(MAX_PARTS):
        stations = table.part_station[district, :, part]
        needed = stations >= 0
        np.add.at(
            work, stations[needed], (to_departments * service[:, Level.DEPARTMENT][None, :])[needed]
        )
    return work


def expected_utilisation(city: City, table: CaseTypeTable, servers: np.ndarray) -> np.ndarray:
    """Expected share of each station's staff time taken under baseline routing.

    Cases take ``work / servers`` of the hours staff have for cases (:func:`expected_work`);
    duties take the rest of the day's share ``duty``: utilisation = duty + (1 − duty) ×
    work / servers. Stations the estimate does not reach (the petition office and courts)
    are NaN.
    """
    work = expected_work(city, table)
    duty = duty_share(city)
    utilisation = duty + (1 - duty) * work / np.asarray(servers, dtype=float)
    utilisation[city.station_level == Level.ABOVE] = np.nan
    return utilisation


def capacity_warnings(city: City, table: CaseTypeTable, servers: np.ndarray) -> list[str]:
    """What the start says about expected load (nothing when all is well).

    Stations that cannot keep up, and stations outside the band of a loaded service that
    keeps up (:data:`LOADED`–``STRAINED``).
    """
    utilisation = expected_utilisation(city, table, servers)
    said = (overloaded(city, utilisation), load_notice(city, utilisation))
    return [message for message in said if message]


def overloaded(
    city: City, utilisation: np.ndarray, limit: float = 1.0, shown: int = 5
) -> str | None:
    """A warning naming the stations whose expected utilisation exceeds ``limit``, or None."""
    over = np.flatnonzero(utilisation > limit)
    if not len(over):
        return None
    worst = over[np.argsort(-utilisation[over])][:shown]
    names = ", ".join(f"{city.station_node[s]} {utilisation[s]:.2f}" for s in worst)
    more = f" and {len(over) - shown} more" if len(over) > shown else ""
    return (
        f"capacity below expected load: {len(over)} service points would need more than "
        f"their staff (expected utilisation {names}{more}); their queues will grow"
    )


def load_notice(city: City, utilisation: np.ndarray) -> str | None:
    """A notice naming, by level, the stations outside [LOADED, STRAINED], or None.

    Utilisations are compared as shown, to two decimals; a level with nothing to do (no
    case reaches it, no standing duty) is not named.
    """
    parts = []
    for level in _ESTIMATED:
        u = np.round(utilisation[city.station_level == level], 2)
        outside = (u < LOADED) | (u > STRAINED)
        if u.size and outside.any() and u.any():
            spread = f"{u.min():.2f}" if np.ptp(u) < 0.005 else f"{u.min():.2f}–{u.max():.2f}"
            parts.append(f"{_PLURAL[level]} {spread} ({int(outside.sum())} of {u.size} outside)")
    if not parts:
        return None
    return (
        f"expected utilisation outside {LOADED}–{STRAINED} (loaded but keeping up): "
        + "; ".join(parts)
    )
