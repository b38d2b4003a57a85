"""Towns that work at their own speed: each street's handling time from a log's closures.

A log's towns (街道/乡镇) do not close cases alike (Haishu, 1–14 May: medians from hours to
days). :func:`town_speeds` gives each street a factor on the handling time of its grids,
communities and street office (``city.units.street_handling``; departments and the
district's offices are shared by the towns and keep theirs): its Kaplan–Meier median
closure time over the district's, both censored at the cut-off
(:func:`govsim.cases.fit.closure_fit`).

Small counts say little: a town with eight cases may have met two slow ones. The log
ratio is shrunk towards the district's (partial pooling, empirical Bayes with a declared
prior): log factor = n / (n + k) × log(town median / district median), with n the town's
cases and k = :data:`PRIOR_CASES`. With the log of closure times spread by about 1.5 (as
in Haishu), a median of n cases has a sampling variance of about (1.25 × 1.5)² / n ≈ 3.5 /
n, and towns that differ by a factor of about 1.5 either way have a variance of about 0.15
between them: the posterior weight n / (n + 3.5 / 0.15) gives k ≈ 20 cases, at which a
town's own median counts half. A town without a median (fewer than 5 cases, or fewer than
half of them closed) keeps the district's speed. The factors are then divided by their
geometric mean weighted by the towns' cases, so that the city's handling hours stay those
of the district's case on average: the district's median falls among its fast, busy towns,
and most towns' medians lie above it (Haishu: 13 of 17).

Assumption: the factor acts on handling time only; waiting, opening hours and departments'
work are the city's. A town twice as slow therefore closes its cases somewhat less than
twice as late in the model: the towns' ranking carries over, their spread is a lower
bound. Routing per town (which level closes a town's cases) is not fitted: the model routes
every town's cases by the case type's settle probabilities alike.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from govsim.city.layout import layout
from govsim.config.schema import CityConfig

__all__ = ["LIMITS", "PRIOR_CASES", "speeds_text", "town_speeds", "with_town_speeds"]

PRIOR_CASES = 20.0
"""k: the weight, in cases, of "like the district" (a town's median counts half at k cases)."""
LIMITS = (0.05, 20.0)
"""The factors' range: within the configuration's [0.01, 100], short of either end."""


def town_speeds(city: CityConfig, cases: pd.DataFrame) -> pd.DataFrame:
    """Each street's handling-time factor from the observed cases (``unit``: street names).

    One row per street of the city, in its order: ``unit``, ``cases``, ``median_days`` (nan:
    none), ``raw`` (its median over the district's) and ``factor`` (shrunk, centred on the
    district's case, bounded).
    """
    from govsim.cases.fit import closure_fit

    streets = list(layout(city).street_names)
    district = closure_fit(cases.assign(district="all"), "district")
    overall = float(district["median_days"].iloc[0]) if len(district) else float("nan")
    own = closure_fit(cases, "unit").set_index("unit") if len(cases) else pd.DataFrame()
    counts = cases["unit"].value_counts()
    rows = []
    for name in streets:
        n = int(counts.get(name, 0))
        median = float(own["median_days"].get(name, np.nan)) if len(own) else np.nan
        raw = median / overall if np.isfinite(median) and overall > 0 and median > 0 else 1.0
        rows.append(
            {
                "unit": name,
                "cases": n,
                "median_days": median,
                "raw": raw,
                "shrunk": n / (n + PRIOR_CASES) * np.log(raw),
            }
        )
    table = pd.DataFrame(rows)
    weight = table["cases"].to_numpy(dtype=float)
    level = float(weight @ table["shrunk"] / weight.sum()) if weight.sum() > 0 else 0.0
    table["factor"] = np.clip(np.exp(table["shrunk"] - level), *LIMITS).round(4)
    return table.drop(columns="shrunk")


def with_town_speeds(
    city: CityConfig, cases: pd.DataFrame, level: str | None
) -> tuple[CityConfig, pd.DataFrame | None]:
    """The city with each street's fitted speed, and the table behind it.

    Only for a city with units of its own whose log names streets (``level``); otherwise
    the city as it is and None.
    """
    if city.units is None or level != "street" or not len(cases):
        return city, None
    speeds = town_speeds(city, cases)
    units = dataclasses.replace(city.units, street_handling=speeds["factor"].tolist())
    return dataclasses.replace(city, units=units), speeds


def speeds_text(speeds: pd.DataFrame | None) -> str:
    """The fit report's section on the towns' speeds ('' without one)."""
    if speeds is None:
        return ""
    return (
        "\n## Towns' handling speed\n\nEach town's Kaplan–Meier median closure time over "
        f"the district's, shrunk toward 1 by {PRIOR_CASES:g} cases' weight "
        "(`govsim.cases.towns`), written to `city.units.street_handling` (× the handling "
        f"time of its grids, communities and street office): {speeds['factor'].min():.2f}"
        f"–{speeds['factor'].max():.2f} over {len(speeds)} towns.\n\n"
        + speeds.to_markdown(index=False, floatfmt=".3g")
        + "\n"
    )
