"""The units of a city as index arrays: who belongs to whom, how many live there, staff.

An archetype (``city.units`` null) has uniform units: ``districts`` districts of
``streets_per_district`` streets of ``communities_per_street`` communities of
``grids_per_community`` grids of ``residents.per_grid`` residents, every unit of a level
with the level's staff. A city of its own (``city.units``, from ``govsim city import``)
lists every unit with its parent, size and staff. Both become the same :class:`Layout`,
which :func:`govsim.city.build.build_city` turns into the network and its stations.
Staff counts here are as configured, before ``city.staff_scale``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govsim.config.schema import CityConfig, UnitsConfig

__all__ = ["Layout", "layout"]


@dataclass(frozen=True)
class Layout:
    """Every unit of a city, by level: names, parents, residents and staff."""

    district_names: tuple[str, ...]
    street_names: tuple[str, ...]
    community_names: tuple[str, ...]
    grid_names: tuple[str, ...]
    street_district: np.ndarray
    community_street: np.ndarray
    grid_community: np.ndarray
    grid_residents: np.ndarray
    grid_workers: np.ndarray
    community_mediators: np.ndarray
    street_staff: np.ndarray
    above_staff: np.ndarray
    department_staff: np.ndarray
    """Staff of each district's departments (districts × departments, in config order)."""


def _parents(children: list[str], names: list[str]) -> np.ndarray:
    index = {name: k for k, name in enumerate(names)}
    return np.array([index[name] for name in children], dtype=np.int64)


def _staff(per_unit: list[int], default: int | None, n: int) -> np.ndarray:
    return np.asarray(per_unit if per_unit else [default] * n, dtype=np.int64)


def _archetype(city: CityConfig) -> Layout:
    n_districts = city.districts
    n_streets = n_districts * city.streets_per_district
    n_communities = n_streets * city.communities_per_street
    n_grids = n_communities * city.grids_per_community
    return Layout(
        district_names=tuple(f"district/{d}" for d in range(n_districts)),
        street_names=tuple(f"street/{s}" for s in range(n_streets)),
        community_names=tuple(f"community/{c}" for c in range(n_communities)),
        grid_names=tuple(f"grid/{g}" for g in range(n_grids)),
        street_district=np.repeat(np.arange(n_districts), city.streets_per_district),
        community_street=np.repeat(np.arange(n_streets), city.communities_per_street),
        grid_community=np.repeat(np.arange(n_communities), city.grids_per_community),
        grid_residents=np.full(n_grids, city.residents.per_grid, dtype=np.int64),
        grid_workers=np.full(n_grids, city.grid_workers_per_grid, dtype=np.int64),
        community_mediators=np.full(n_communities, city.mediators_per_community, dtype=np.int64),
        street_staff=np.full(n_streets, city.street_staff, dtype=np.int64),
        above_staff=np.full(n_districts, city.above_staff, dtype=np.int64),
        department_staff=np.tile(
            [d.staff for d in city.departments.values()], (n_districts, 1)
        ).astype(np.int64),
    )


def _own(city: CityConfig, units: UnitsConfig) -> Layout:
    n_districts = len(units.districts)
    department_staff = np.array(
        [
            units.department_staff.get(name) or [dept.staff] * n_districts
            for name, dept in city.departments.items()
        ],
        dtype=np.int64,
    ).T
    return Layout(
        district_names=tuple(units.districts),
        street_names=tuple(units.streets),
        community_names=tuple(units.communities),
        grid_names=tuple(units.grids),
        street_district=_parents(units.street_district, units.districts),
        community_street=_parents(units.community_street, units.streets),
        grid_community=_parents(units.grid_community, units.communities),
        grid_residents=np.asarray(units.grid_residents, dtype=np.int64),
        grid_workers=_staff(units.grid_workers, city.grid_workers_per_grid, len(units.grids)),
        community_mediators=_staff(
            units.community_mediators, city.mediators_per_community, len(units.communities)
        ),
        street_staff=_staff(units.street_staff, city.street_staff, len(units.streets)),
        above_staff=_staff(units.district_above_staff, city.above_staff, n_districts),
        department_staff=department_staff.reshape(n_districts, len(city.departments)),
    )


def layout(city: CityConfig) -> Layout:
    """The units of a (validated) city configuration."""
    return _own(city, city.units) if city.units is not None else _archetype(city)
