"""Checking a city's own units (``city.units``) against each other and the city's values.

A city is either an archetype (``units`` null: every shape and staff value given) or has
units of its own: then the shape values are null (the units are the shape), and each
level's staff comes either from the level's value or unit by unit, never both, so that no
value sits in the configuration doing nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from govsim.config.errors import ConfigError
from govsim.config.schema import CityConfig, UnitsConfig

__all__ = ["check_units"]

SHAPE = ("districts", "streets_per_district", "communities_per_street", "grids_per_community")
"""The archetype's shape: null when the city has units of its own."""

STAFF = {
    "grid_workers_per_grid": ("grid_workers", "grids"),
    "mediators_per_community": ("community_mediators", "communities"),
    "street_staff": ("street_staff", "streets"),
    "above_staff": ("district_above_staff", "districts"),
}
"""Each level's staff value, and the list of :class:`UnitsConfig` that may give it per unit."""

PARENTS = (
    ("street_district", "streets", "districts"),
    ("community_street", "communities", "streets"),
    ("grid_community", "grids", "communities"),
)


def _archetype(city: CityConfig) -> None:
    for key in (*SHAPE, *STAFF):
        if getattr(city, key) is None:
            raise ConfigError(f"city.{key}", None, "a value (null only in a city with units)")
    if city.residents.per_grid is None:
        raise ConfigError(
            "city.residents.per_grid", None, "a value (null only in a city with units)"
        )
    for name, dept in city.departments.items():
        if dept.staff is None:
            raise ConfigError(
                f"city.departments.{name}.staff", None, "a value (null only in a city with units)"
            )


def _names(units: UnitsConfig, level: str) -> list[str]:
    names = [str(n) for n in getattr(units, level)]
    if not names:
        raise ConfigError(f"city.units.{level}", [], "at least one unit")
    twice = [n for n, k in Counter(names).items() if k > 1]
    if twice:
        raise ConfigError(f"city.units.{level}", twice[0], "names that are unique in the level")
    return names


def _counts(key: str, values: list[Any], n: int, low: int, high: int, what: str) -> None:
    if len(values) != n:
        raise ConfigError(key, f"{len(values)} entries", f"one per {what} ({n})")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(key, value, f"integers in [{low}, {high:,}]")


def _own(city: CityConfig, units: UnitsConfig) -> None:
    for key in SHAPE:
        if getattr(city, key) is not None:
            raise ConfigError(
                f"city.{key}",
                getattr(city, key),
                "null in a city with units (the units are its shape)",
            )
    if city.residents.per_grid is not None:
        raise ConfigError(
            "city.residents.per_grid",
            city.residents.per_grid,
            "null in a city with units (city.units.grid_residents)",
        )
    names = {
        level: _names(units, level) for level in ("districts", "streets", "communities", "grids")
    }
    for key, level, parent in PARENTS:
        parents = [str(p) for p in getattr(units, key)]
        if len(parents) != len(names[level]):
            raise ConfigError(
                f"city.units.{key}",
                f"{len(parents)} entries",
                f"one per unit of city.units.{level} ({len(names[level])})",
            )
        known = set(names[parent])
        for value in parents:
            if value not in known:
                raise ConfigError(f"city.units.{key}", value, f"a name of city.units.{parent}")
    _counts(
        "city.units.grid_residents",
        list(units.grid_residents),
        len(names["grids"]),
        1,
        10_000_000,
        "grid",
    )
    for key, (entry, level) in STAFF.items():
        per_unit = list(getattr(units, entry))
        scalar = getattr(city, key)
        if per_unit and scalar is not None:
            raise ConfigError(
                f"city.{key}",
                scalar,
                f"null when city.units.{entry} gives it unit by unit (one of the two)",
            )
        if not per_unit and scalar is None:
            raise ConfigError(
                f"city.units.{entry}", [], f"a staff count per unit, or a value for city.{key}"
            )
        if per_unit:
            _counts(
                f"city.units.{entry}",
                per_unit,
                len(names[level]),
                1,
                10_000,
                level[:-1] if level != "communities" else "community",
            )
    for name, dept in city.departments.items():
        per_district = list(units.department_staff.get(name) or [])
        if per_district and dept.staff is not None:
            raise ConfigError(
                f"city.departments.{name}.staff",
                dept.staff,
                f"null when city.units.department_staff.{name} gives it per "
                "district (one of the two)",
            )
        if not per_district and dept.staff is None:
            raise ConfigError(
                f"city.units.department_staff.{name}",
                [],
                f"staff per district, or a value for city.departments.{name}.staff",
            )
        if per_district:
            _counts(
                f"city.units.department_staff.{name}",
                per_district,
                len(names["districts"]),
                1,
                10_000,
                "district",
            )
    unknown = sorted(set(units.department_staff) - set(city.departments))
    if unknown:
        raise ConfigError(
            "city.units.department_staff", unknown[0], "one of " + ", ".join(city.departments)
        )
    _case_mix(city, units, len(names["grids"]))
    _street_handling(units, len(names["streets"]))


def _case_mix(city: CityConfig, units: UnitsConfig, grids: int) -> None:
    for case_type, relative in units.case_mix.items():
        key = f"city.units.case_mix.{case_type}"
        if case_type not in city.case_types:
            raise ConfigError(
                "city.units.case_mix", case_type, "one of " + ", ".join(city.case_types)
            )
        if len(relative) != grids:
            raise ConfigError(key, f"{len(relative)} entries", f"one per grid ({grids})")
        for value in relative:
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (0.0 <= value <= 1000.0)
            ):
                raise ConfigError(key, value, "relative rates in [0, 1000]")


def _street_handling(units: UnitsConfig, streets: int) -> None:
    factors = list(units.street_handling)
    if not factors:
        return
    key = "city.units.street_handling"
    if len(factors) != streets:
        raise ConfigError(key, f"{len(factors)} entries", f"one per street ({streets}), or []")
    for value in factors:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (0.01 <= value <= 100.0)
        ):
            raise ConfigError(key, value, "relative handling times in [0.01, 100]")


def check_units(city: CityConfig) -> None:
    """Raise :class:`ConfigError` naming the first inconsistency of the city's units."""
    if city.units is None:
        _archetype(city)
    else:
        _own(city, city.units)
