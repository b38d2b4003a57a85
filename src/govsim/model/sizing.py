"""How big a run is before anything is built: residents, grids and expected cases.

Computed from the configuration alone, so a configuration can be judged (and refused)
before its city, residents and case ledger are allocated.
"""

from __future__ import annotations

from govsim.config.schema import CityConfig

__all__ = ["expected_cases", "grids", "ledger_capacity", "residents"]


def grids(city: CityConfig) -> int:
    """Number of grids of the city (its own units, or the archetype's shape)."""
    if city.units is not None:
        return len(city.units.grids)
    return (
        city.districts
        * city.streets_per_district
        * city.communities_per_street
        * city.grids_per_community
    )


def residents(city: CityConfig) -> int:
    """Number of residents of the city."""
    if city.units is not None:
        return int(sum(city.units.grid_residents))
    return grids(city) * city.residents.per_grid


def expected_cases(city: CityConfig, days: int) -> float:
    """Cases expected to arise over ``days`` days (every case type, scaled by the load).

    A type whose rate differs by unit (``city.units.case_mix``) counts at its rate averaged
    over the residents.
    """
    mix = city.units.case_mix if city.units is not None else {}
    people = residents(city)
    rate = 0.0
    for name, case_type in city.case_types.items():
        relative = 1.0
        if name in mix:
            weighted = zip(city.units.grid_residents, mix[name], strict=True)
            relative = sum(n * m for n, m in weighted) / people  # no numpy: read at start-up
        rate += case_type.rate_per_1000_per_year * relative
    return rate * city.case_load_scale / 1000 / 365 * people * days


def ledger_capacity(city: CityConfig, days: int) -> int:
    """Rows the case ledger starts with: the expected cases with a 10% margin."""
    return max(1024, int(expected_cases(city, days) * 1.1))
