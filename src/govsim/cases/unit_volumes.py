"""Units' sizes from a log when the city gives no populations (rates per unit).

An archetype city's units are alike: every street has the same communities and grids of
the same residents, so every street sees the same volume. A log shows how unequal its units
are (Haishu's towns range from about 1 to 22 cases a day). :func:`sized_by_volume` writes
such a city's units out (``city.units``, the form ``govsim city import`` writes) with each
unit sized by the cases a day the log shows for it, so that the fitted rates per resident
give each unit its own volume. The size of a street or community is its number of grids
(网格): a unit with twice the cases has twice the grids, each of the archetype's residents
and grid workers, as a grid system divides a place by households; a log by grid sizes the
grids' residents instead. The residents then stand for demand, not for a census: without
populations, rates per unit are all a log can give. Every unit keeps at least one grid (or
resident); communities, street offices and departments keep the archetype's staff.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from govsim.city.layout import layout
from govsim.config.schema import CityConfig, UnitsConfig
from govsim.config.units import SHAPE

__all__ = ["LEVELS", "sized_by_volume"]

LEVELS = ("street", "community", "grid")
"""Levels of a log's unit column whose volumes can size the city's units."""


def sized_by_volume(city: CityConfig, volumes: Mapping[str, float], level: str) -> CityConfig:
    """The archetype ``city`` with its units written out, sized by ``volumes`` per unit.

    ``volumes`` gives cases a day per unit of ``level`` (by the city's unit names): streets
    and communities get grids in proportion (each community of a street alike), grids get
    residents in proportion; the city's size in total is kept up to rounding.
    """
    if city.units is not None or level not in LEVELS:
        raise ValueError("an archetype city and a unit level of " + ", ".join(LEVELS))
    units = layout(city)
    names = {
        "street": units.street_names,
        "community": units.community_names,
        "grid": units.grid_names,
    }[level]
    weight = np.array([max(float(volumes.get(name, 0.0)), 0.0) for name in names])
    if weight.sum() <= 0:
        return city
    relative = weight / weight.mean()
    districts = list(units.district_names)
    streets = list(units.street_names)
    communities = list(units.community_names)
    if level == "grid":
        grid_community = units.grid_community
        grid_residents = np.maximum(1, np.round(relative * units.grid_residents))
    else:
        per_community = relative if level == "community" else relative[units.community_street]
        grids = np.maximum(1, np.round(per_community * city.grids_per_community)).astype(int)
        grid_community = np.repeat(np.arange(len(communities)), grids)
        grid_residents = np.full(len(grid_community), city.residents.per_grid)
    written = UnitsConfig(
        districts=districts,
        district_above_staff=[],
        streets=streets,
        street_district=[districts[d] for d in units.street_district],
        street_staff=[],
        communities=communities,
        community_street=[streets[s] for s in units.community_street],
        community_mediators=[],
        grids=[f"grid/{g}" for g in range(len(grid_community))],
        grid_community=[communities[c] for c in grid_community],
        grid_residents=[int(r) for r in grid_residents],
        grid_workers=[],
        department_staff={},
    )
    return dataclasses.replace(
        city,
        units=written,
        **dict.fromkeys(SHAPE),
        residents=dataclasses.replace(city.residents, per_grid=None),
    )
