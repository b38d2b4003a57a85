"""Field-level presets: cases at field load, staff for a loaded service, patrol as grid work.

A grid worker's day is patrol plus cases (``city.patrol_share``); a station's
expected utilisation counts its standing duties; the shipped archetypes carry 200–400
cases per 1,000 residents a year (DOMAIN.md) with every estimated station between 0.5 and
0.9, and a preset outside that band says so at the start.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from conftest import experiment
from govsim.city.build import build_city
from govsim.city.levels import Level
from govsim.composition.compose import mechanism_defaults
from govsim.config.errors import ConfigError
from govsim.experiments.run import run_experiment
from govsim.mechanisms.grid import case_time_factor
from govsim.model.capacity import LOADED, STRAINED, expected_utilisation, load_notice
from govsim.model.model import GovernanceModel
from govsim.model.tables import case_type_table

ARCHETYPES = ("district", "dongguan", "guangzhou", "pingliang")


def _estimate(name: str):
    city = build_city(experiment(f"city={name}").city)
    table = case_type_table(city)
    return city, table, expected_utilisation(city, table, city.station_servers)


@pytest.mark.parametrize("name", ARCHETYPES)
def test_shipped_archetypes_carry_field_load(name: str) -> None:
    _, table, _ = _estimate(name)
    per_1000_year = table.arrivals_per_resident_day.sum() * 365 * 1000
    assert 200 <= per_1000_year <= 400


@pytest.mark.parametrize("name", ARCHETYPES)
def test_every_station_of_an_archetype_is_loaded_but_keeps_up(name: str) -> None:
    city, _, utilisation = _estimate(name)
    estimated = city.station_level != Level.ABOVE
    u = utilisation[estimated]
    assert ((u >= LOADED) & (u <= STRAINED)).all(), (u.min(), u.max())
    assert np.isnan(utilisation[~estimated]).all()
    assert load_notice(city, utilisation) is None


def test_a_preset_outside_the_band_says_which_levels_at_the_start(caplog) -> None:
    city, _, utilisation = _estimate("pingliang")
    assert load_notice(city, utilisation) is None
    villages = city.station_level == Level.COMMUNITY
    utilisation[villages] = 0.45  # a village mediator less than half busy
    notice = load_notice(city, utilisation)
    assert notice is not None and notice.startswith("expected utilisation outside 0.5–0.9")
    assert f"communities 0.45 ({villages.sum()} of {villages.sum()} outside)" in notice
    assert "departments" not in notice and "grids" not in notice
    # the M/M/1 city: its grid at ρ = 0.9 is inside, its idle levels are not named
    mmc = GovernanceModel(experiment("city=mmc"))
    assert (
        load_notice(
            mmc.city,
            expected_utilisation(mmc.city, mmc.engine.table, np.asarray(mmc.stations.servers)),
        )
        is None
    )
    with caplog.at_level(logging.WARNING, logger="govsim"):
        run_experiment(
            experiment(
                "city=workshop",
                "days=20",
                "horizon_days=5",
                "replications=1",
                "reference=null",
                "progress=false",
            )
        )
    assert "expected utilisation outside 0.5–0.9" in caplog.text
    assert "departments 0.10–0.26 (8 of 8 outside)" in caplog.text


def test_utilisation_counts_the_patrol_by_hand() -> None:
    # λ = 4.5 a day, 2.4 h each, a 24-hour day of which 6 h patrol: 6/24 + 4.5 × 2.4/24
    cfg = experiment("city=mmc", "city.case_load_scale=0.5", "city.patrol_share=0.25")
    model = GovernanceModel(cfg)
    utilisation = expected_utilisation(
        model.city, model.engine.table, np.asarray(model.stations.servers)
    )
    assert utilisation[0] == pytest.approx(6 / 24 + 4.5 * 2.4 / 24)


def test_patrol_hours_take_case_capacity_as_queueing_theory_says() -> None:
    # M/M/1 with μ = (24 − 6) h / 2.4 h = 7.5 a day and λ = 4.5: W = 1 / (μ − λ) = 1/3 day,
    # the grid worker busy with cases 0.6 of the hours left after patrol.
    cfg = experiment(
        "city=mmc",
        "city.case_load_scale=0.5",
        "city.patrol_share=0.25",
        "days=400",
        "warmup_days=20",
        "horizon_days=20",
        "replications=6",
        "reference=null",
        "mechanism=baseline",
        "progress=false",
    )
    result = run_experiment(cfg)
    assert result.runs["resolution_days_mean"].mean() == pytest.approx(1 / 3, rel=0.06)
    grid = result.units[result.units["level"] == "grid"]
    assert grid["utilisation"].mean() == pytest.approx(0.6, rel=0.03)


def test_the_grid_reform_patrols_more_at_the_cost_of_case_time() -> None:
    def grid_service(patrol: float) -> tuple[float, float]:
        cfg = experiment(
            "city=workshop",
            "days=120",
            "horizon_days=20",
            "replications=1",
            "reference=null",
            "progress=false",
            "mechanism=grid",
            f"mechanism.grid.patrol_share={patrol}",
        )
        result = run_experiment(cfg)
        grid = result.units[result.units["level"] == "grid"]
        return float(result.runs["discovery_days_mean"].iloc[0]), float(grid["utilisation"].mean())

    discovery_short, busy_short = grid_service(0.5)
    discovery_long, busy_long = grid_service(0.875)
    assert discovery_long < discovery_short
    # half the day for cases against an eighth: the same grid work fills four times the share
    assert busy_long > 3 * busy_short


def test_the_reform_costs_case_time_by_hand() -> None:
    reform = mechanism_defaults("grid")  # 7362: 6 of 8 hours, every day
    assert case_time_factor(reform, 0.5) == pytest.approx(0.5 / 0.25)
    reform.patrol_days_per_week = 5  # no patrol two days a week: 0.75 × 5/7 on average
    assert case_time_factor(reform, 0.5) == pytest.approx(0.5 / (1 - 0.75 * 5 / 7))


@pytest.mark.parametrize("arm", ["mechanism=grid", "reference=[grid]"])
def test_a_grid_reform_in_a_city_without_patrol_is_refused_in_any_arm(arm: str) -> None:
    with pytest.raises(ConfigError, match=r"city\.patrol_share=0\.0 .*grid mechanism"):
        experiment("city=workshop", "city.patrol_share=0", arm)
    with pytest.raises(ConfigError, match=r"city\.patrol_share"):  # and where no check ran
        GovernanceModel(experiment("city=mmc"), {"grid": mechanism_defaults("grid")})
