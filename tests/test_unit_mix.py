"""Units that differ in their mix of cases: read from a log, declared per grid, simulated."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from conftest import experiment
from govsim.cases.unit_mix import PRIOR_CASES, case_mix
from govsim.cases.unit_volumes import sized_by_volume
from govsim.city.build import build_city
from govsim.config.errors import ConfigError
from govsim.config.units import check_units
from govsim.model.model import GovernanceModel
from govsim.model.sizing import expected_cases
from govsim.model.tables import case_type_table, grid_arrival_rates


def _two_streets():
    """The workshop city with its units written out: 2 streets of 12 grids × 300 residents."""
    city = experiment("city=workshop").city
    return sized_by_volume(city, {"street/0": 1.0, "street/1": 1.0}, "street")


def test_a_unit_s_ratio_is_what_it_saw_over_what_units_alike_would_by_hand() -> None:
    city = _two_streets()
    counts = pd.DataFrame(
        {
            "category": ["labour_wage_dispute"] * 2 + ["neighbour_dispute"],
            "unit": ["street/0", "street/1", "street/0"],
            "cases": [9, 1, 4],
        }
    )
    mix = case_mix(city, counts, "street")
    # equal streets expect 5 labour disputes each: (9 + 1) / (5 + 1) and (1 + 1) / (5 + 1),
    # whose mean over the residents is 1 already
    labour = np.array(mix["labour_wage_dispute"])
    grids = len(city.units.grids)
    assert labour.shape == (grids,) and PRIOR_CASES == 1.0
    assert labour[: grids // 2] == pytest.approx(10 / 6, abs=1e-4)
    assert labour[grids // 2 :] == pytest.approx(2 / 6, abs=1e-4)
    # 4 neighbour disputes, all in street 0: (4 + 1) / (2 + 1) and (0 + 1) / (2 + 1)
    assert mix["neighbour_dispute"][0] == pytest.approx(5 / 3, abs=1e-4)
    assert mix["neighbour_dispute"][-1] == pytest.approx(1 / 3, abs=1e-4)
    assert "property_dispute" not in mix  # never seen: its rate is 0 anyway


def test_a_mix_of_unequal_units_shares_out_each_type_s_total() -> None:
    city = sized_by_volume(
        experiment("city=workshop").city, {"street/0": 9.0, "street/1": 1.0}, "street"
    )
    counts = pd.DataFrame(
        {"category": ["labour_wage_dispute"] * 2, "unit": ["street/0", "street/1"], "cases": [0, 3]}
    )
    mixed = dataclasses.replace(
        city, units=dataclasses.replace(city.units, case_mix=case_mix(city, counts, "street"))
    )
    assert expected_cases(mixed, 30) == pytest.approx(expected_cases(city, 30), rel=1e-4)
    labour = mixed.units.case_mix["labour_wage_dispute"]
    assert labour[-1] > 1 > labour[0]  # the quiet street is where the labour disputes are


def test_a_declared_mix_is_what_each_unit_sees() -> None:
    """Street 0 sees labour disputes at twice the city's rate, street 1 none."""
    city = _two_streets()
    half = len(city.units.grids) // 2
    mix = {"labour_wage_dispute": [2.0] * half + [0.0] * half}
    units = dataclasses.replace(city.units, case_mix=mix)
    seen = np.zeros(2)
    for seed in range(3):
        cfg = experiment(
            "city=workshop",
            "days=200",
            "horizon_days=0",
            "mechanism=baseline",
            "reference=null",
            f"seed={seed}",
        )
        cfg.city = dataclasses.replace(city, units=units)
        check_units(cfg.city)
        model = GovernanceModel(cfg)
        model.run_model()
        led = model.ledger
        labour = led.case_type[: len(led)] == model.city.case_type_names.index(
            "labour_wage_dispute"
        )
        seen += np.bincount(led.street[: len(led)][labour], minlength=2)
    # 3,600 residents × 18 per 1,000 a year × 2 × 200 days × 3 seeds ≈ 213 cases
    expected = 3600 * 18 / 1000 / 365 * 2 * 200 * 3
    assert seen[1] == 0 and seen[0] == pytest.approx(expected, rel=0.2)


def test_the_mix_sizes_the_ledger_and_the_load_estimate_alike() -> None:
    city = _two_streets()
    half = len(city.units.grids) // 2
    mixed = dataclasses.replace(
        city,
        units=dataclasses.replace(
            city.units, case_mix={"urban_environment": [3.0] * half + [1.0] * half}
        ),
    )
    built = build_city(mixed)
    per_day = grid_arrival_rates(built, case_type_table(built)).sum()
    assert expected_cases(mixed, 10) == pytest.approx(per_day * 10)
    assert expected_cases(mixed, 10) > expected_cases(city, 10)


@pytest.mark.parametrize(
    ("mix", "expected"),
    [
        ({"no_such_type": [1.0] * 24}, "city.units.case_mix='no_such_type'"),
        ({"urban_environment": [1.0] * 3}, "city.units.case_mix.urban_environment='3 entries'"),
        ({"urban_environment": [-1.0] * 24}, "relative rates in [0, 1000]"),
    ],
)
def test_a_malformed_mix_is_refused_naming_the_key(mix, expected) -> None:
    city = _two_streets()
    bad = dataclasses.replace(city, units=dataclasses.replace(city.units, case_mix=mix))
    with pytest.raises(ConfigError, match=re.escape(expected)):
        check_units(bad)
