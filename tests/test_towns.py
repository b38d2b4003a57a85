"""Towns that work at their own speed: fitted from a log's closure times, simulated so."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from conftest import experiment
from govsim.cases.fit import closure_fit
from govsim.cases.towns import PRIOR_CASES, town_speeds, with_town_speeds
from govsim.cases.unit_volumes import sized_by_volume
from govsim.config.errors import ConfigError
from govsim.config.units import check_units

TOWNS = 8
SHAPE = (
    f"city.streets_per_district={TOWNS}",
    "city.communities_per_street=2",
    "city.grids_per_community=2",
)


def _city():
    city = experiment("city=workshop", *SHAPE).city
    return sized_by_volume(city, {f"street/{s}": 1.0 for s in range(TOWNS)}, "street")


def _log(speed: np.ndarray, per_town: int, rng: np.random.Generator) -> pd.DataFrame:
    """Cases over four weeks from 1 May 2025, closed after a town's median × a lognormal."""
    rows = []
    start = pd.Timestamp("2025-05-01")
    for s, factor in enumerate(speed):
        created = start + pd.to_timedelta(rng.uniform(0, 28, per_town), unit="D")
        days = 0.5 * factor * rng.lognormal(0.0, 1.0, per_town)
        rows.append(
            pd.DataFrame(
                {
                    "created": created,
                    "closed": created + pd.to_timedelta(days, unit="D"),
                    "category": "neighbour_dispute",
                    "unit": f"street/{s}",
                    "handler": "street",
                }
            )
        )
    log = pd.concat(rows, ignore_index=True)
    log["censored_at"] = start + pd.Timedelta(days=60)
    return log


def test_a_town_with_few_cases_is_shrunk_toward_the_district() -> None:
    speed = np.array([4.0] + [1.0] * (TOWNS - 1))
    rng = np.random.default_rng(2)
    many = town_speeds(_city(), _log(speed, 400, rng)).set_index("unit")
    few = town_speeds(_city(), _log(speed, 8, rng)).set_index("unit")
    ratio = many["factor"] / many.loc["street/1", "factor"]
    assert ratio["street/0"] == pytest.approx(
        (many.loc["street/0", "raw"] / many.loc["street/1", "raw"]) ** (400 / (400 + PRIOR_CASES)),
        rel=1e-3,
    )
    assert ratio["street/0"] > 2.5  # a slow town with many cases
    assert (many["cases"] @ np.log(many["factor"])) == pytest.approx(0.0, abs=0.01)
    few_ratio = few.loc["street/0", "factor"] / few.loc["street/1", "factor"]
    assert 1.0 < few_ratio < few.loc["street/0", "raw"] / few.loc["street/1", "raw"]


def test_towns_ranked_by_closure_time_in_the_log_are_ranked_so_in_the_fitted_city() -> None:
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.caselog import case_log

    speed = np.array([0.25, 4.0, 0.6, 1.7, 0.4, 2.5, 1.0, 0.8])
    log = _log(speed, 150, np.random.default_rng(7))
    city, speeds = with_town_speeds(_city(), log, "street")
    assert speeds is not None and len(city.units.street_handling) == TOWNS
    config = experiment(
        "city=workshop",
        *SHAPE,
        "mechanism=baseline",
        "reference=null",
        "days=56",
        "horizon_days=0",
        "progress=false",
        "seed=3",
    )
    config = dataclasses.replace(
        config,
        city=dataclasses.replace(
            config.city,
            **{
                k: getattr(city, k)
                for k in (
                    "units",
                    "districts",
                    "streets_per_district",
                    "communities_per_street",
                    "grids_per_community",
                    "residents",
                )
            },
        ),
    )
    model = GovernanceModel(config)
    model.run_model()
    simulated = case_log(model).assign(
        created=lambda f: pd.to_datetime(f["created"]), closed=lambda f: pd.to_datetime(f["closed"])
    )
    simulated["censored_at"] = pd.Timestamp(city.calendar.start_date) + pd.Timedelta(days=56)
    medians = closure_fit(simulated, "unit").set_index("unit")["median_days"]
    in_log = closure_fit(log, "unit").set_index("unit")["median_days"]
    rho = spearmanr(in_log.loc[medians.index], medians).statistic
    assert len(medians) == TOWNS and rho >= 0.6


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        ([1.0] * 3, "city.units.street_handling='3 entries'"),
        ([1.0] * (TOWNS - 1) + [0.0], "city.units.street_handling=0.0"),
    ],
)
def test_a_street_handling_list_that_does_not_fit_is_refused(factors, message) -> None:
    city = _city()
    bad = dataclasses.replace(city, units=dataclasses.replace(city.units, street_handling=factors))
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        check_units(bad)
