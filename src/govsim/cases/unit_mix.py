"""Units' own mix of cases from a log: each unit's rate of each case type, relative.

A log counts cases by category and unit. Were the units alike, a unit would see a type's
cases in proportion to its residents; :func:`case_mix` gives each grid the ratio of what
its unit saw to that expectation (``city.units.case_mix``, × the type's rate per resident),
so that a town of mostly labour disputes keeps them and one of neighbour quarrels keeps
those. Where the city's units are sized by the log's volumes (``unit_volumes``), residents
stand for volume and the ratio is the unit's mix alone; with real populations it is the
unit's rate per resident too (rates per category × unit).

Small counts say little: a town with no labour dispute in two weeks need not have none.
Each ratio is the posterior mean of a Gamma(α, α) prior of mean 1 under Poisson counts,
(count + α) / (expected + α) with α = :data:`PRIOR_CASES`: a unit's ratio moves from 1
only as far as its cases carry it. The ratios are then scaled to a mean of 1 over the
residents, so that the type's rate in the fitted city (its rate over all the city's
residents) still gives the type's total; the mix only shares it out between the units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govsim.city.layout import Layout, layout
from govsim.config.schema import CityConfig

__all__ = ["PRIOR_CASES", "case_mix"]

PRIOR_CASES = 1.0
"""Shape α of the Gamma prior: the weight, in cases, of "like every other unit"."""


def _unit_of_grid(units: Layout, level: str) -> tuple[tuple[str, ...], np.ndarray]:
    if level == "street":
        return units.street_names, units.community_street[units.grid_community]
    if level == "community":
        return units.community_names, units.grid_community
    return units.grid_names, np.arange(len(units.grid_community))


def case_mix(city: CityConfig, counts: pd.DataFrame, level: str) -> dict[str, list[float]]:
    """Each grid's relative rate of each case type the log shows (by type, one per grid).

    ``counts`` has one row per case type (``category``) and unit (``unit``, a name of the
    city's units at ``level``) with its number of cases (``cases``); types without a case
    are left out (their rate is 0 anyway).
    """
    units = layout(city)
    names, grid_unit = _unit_of_grid(units, level)
    residents = np.asarray(units.grid_residents, dtype=float)
    unit_residents = np.bincount(grid_unit, weights=residents, minlength=len(names))
    share = unit_residents / unit_residents.sum()
    index = {name: k for k, name in enumerate(names)}
    mix: dict[str, list[float]] = {}
    for case_type, rows in counts.groupby("category", sort=True):
        if case_type not in city.case_types or rows["cases"].sum() <= 0:
            continue
        seen = np.zeros(len(names))
        known = rows["unit"].map(index)
        np.add.at(
            seen,
            known.dropna().astype(int).to_numpy(),
            rows.loc[known.notna(), "cases"].to_numpy(dtype=float),
        )
        expected = seen.sum() * share
        ratio = (seen + PRIOR_CASES) / (expected + PRIOR_CASES)
        ratio /= ratio @ share  # the city's rate stays the type's rate over all its residents
        mix[str(case_type)] = [round(float(v), 4) for v in ratio[grid_unit]]
    return mix
