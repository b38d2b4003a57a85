"""Units' sizes from a log when the city gives no populations (rates per unit).

An archetype city's units are alike: every grid has the same residents, so every street
sees the same volume. A log shows how unequal its units are (Haishu's towns range from
about 1 to 22 cases a day). :func:`residents_by_volume` writes such a city's units out
(``city.units``, the form ``govsim city import`` writes) with each unit's residents in
proportion to the cases a day the log shows for it, the city's residents in total kept, so
that the fitted rates per resident give each unit its own volume. The residents then stand
for demand, not for a census: without populations, rates per unit are all a log can give.
A unit without cases keeps one resident per grid; staff stay as the archetype gives them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from govsim.city.layout import layout
from govsim.config.schema import CityConfig, UnitsConfig
from govsim.config.units import SHAPE

__all__ = ["LEVELS", "residents_by_volume"]

LEVELS = ("street", "community", "grid")
"""Levels of a log's unit column whose volumes can size the city's units."""


def residents_by_volume(city: CityConfig, volumes: Mapping[str, float],
                        level: str) -> CityConfig:
    """The archetype ``city`` with its units written out, sized by ``volumes`` per unit.

    ``volumes`` gives cases a day per unit of ``level`` (by the city's unit names).
    """
    if city.units is not None or level not in LEVELS:
        raise ValueError("an archetype city and a unit level of " + ", ".join(LEVELS))
    units = layout(city)
    grid_street = units.community_street[units.grid_community]
    of_grid, names = {"street": (grid_street, units.street_names),
                      "community": (units.grid_community, units.community_names),
                      "grid": (np.arange(len(units.grid_names)), units.grid_names)}[level]
    weight = np.array([max(float(volumes.get(name, 0.0)), 0.0) for name in names])
    total = int(units.grid_residents.sum())
    if weight.sum() <= 0:
        return city
    grids_of_unit = np.bincount(of_grid, minlength=len(names))
    per_grid = weight[of_grid] / weight.sum() * total / grids_of_unit[of_grid]
    residents = np.maximum(1, np.round(per_grid)).astype(int)
    districts = list(units.district_names)
    streets = list(units.street_names)
    communities = list(units.community_names)
    written = UnitsConfig(
        districts=districts, district_above_staff=[],
        streets=streets, street_district=[districts[d] for d in units.street_district],
        street_staff=[],
        communities=communities,
        community_street=[streets[s] for s in units.community_street], community_mediators=[],
        grids=list(units.grid_names),
        grid_community=[communities[c] for c in units.grid_community],
        grid_residents=[int(r) for r in residents], grid_workers=[], department_staff={})
    return dataclasses.replace(city, units=written, **dict.fromkeys(SHAPE),
                               residents=dataclasses.replace(city.residents, per_grid=None))
