"""Invariants on random configurations (property-based tests with hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import experiment
from govsim.composition.compose import mechanism_defaults
from govsim.config.validate import validate
from govsim.experiments.run import arms, run_parameters
from govsim.mechanisms import REGISTRY
from govsim.model.model import GovernanceModel
from invariants import check_invariants

probability = st.floats(0.0, 1.0)
SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def configurations(draw):
    cfg = experiment("city=workshop")
    city = cfg.city
    city.streets_per_district = draw(st.integers(1, 2))
    city.communities_per_street = draw(st.integers(1, 2))
    city.grids_per_community = draw(st.integers(1, 3))
    city.residents.per_grid = draw(st.integers(50, 400))
    city.residents.trust_mean = draw(st.floats(0.05, 0.95))
    city.patrol_discovery_rate_per_day = draw(st.floats(0.0, 1.0))
    city.street_staff = draw(st.integers(1, 3))
    city.above_unresolved_prob = draw(probability)
    for dept in city.departments.values():
        dept.staff = draw(st.integers(1, 3))
        dept.response_delay_days = draw(st.floats(0.0, 5.0))
        dept.bounce_prob = draw(st.floats(0.0, 0.6))
    for case_type in city.case_types.values():
        case_type.rate_per_1000_per_year = draw(st.floats(0.0, 400.0))
        case_type.grid_settle_prob = draw(probability)
        case_type.mediable = draw(st.booleans())
        case_type.mediation_settle_prob = draw(probability)
        case_type.street_settle_prob = draw(probability)
        case_type.escalation_rate_per_day = draw(st.floats(0.0, 0.3))
    cfg.days = draw(st.integers(10, 40))
    cfg.horizon_days = draw(st.integers(0, cfg.days - 1))
    city.cross_region_share = draw(probability)
    city.severity_growth_per_day = draw(st.floats(0.0, 0.2))
    city.grid_overload_sensitivity = draw(st.floats(0.0, 2.0))
    city.department_overload_sensitivity = draw(st.floats(0.0, 1.0))
    names = draw(
        st.lists(st.sampled_from([n for n in REGISTRY if n != "baseline"]), unique=True, max_size=5)
    )
    cfg.mechanism = {"baseline": mechanism_defaults("baseline")} if not names else {}
    for name in names:
        params = mechanism_defaults(name)
        params.start_day = draw(st.integers(0, 15))
        params.ramp_days = draw(st.integers(0, 20))
        cfg.mechanism[name] = params
    if "whistle" in cfg.mechanism:
        whistle = cfg.mechanism["whistle"]
        whistle.deadline_days = draw(st.floats(0.0, 3.0))
        whistle.min_departments = draw(st.integers(1, 2))
        whistle.compliance = draw(probability)
    city.staff_scale = draw(st.floats(0.05, 2.0))
    city.case_load_scale = draw(st.floats(0.05, 3.0))
    cfg.seed = draw(st.integers(0, 2**31))
    validate(cfg, REGISTRY)
    return cfg


@SETTINGS
@given(configurations())
def test_invariants_hold_every_day(cfg) -> None:
    model = GovernanceModel(cfg)
    while model.running:
        model.step()
        check_invariants(model)
        assert all(h >= 0 for h in model.stations.held)
        assert np.all(model.stations.staff_days >= 0)


@SETTINGS
@given(configurations())
def test_identical_seeds_give_identical_runs(cfg) -> None:
    a, b = GovernanceModel(cfg), GovernanceModel(cfg)
    a.run_model()
    b.run_model()
    for column in ("arisen", "closed", "level", "status", "bounces", "wait_days"):
        np.testing.assert_array_equal(a.ledger.column(column), b.ledger.column(column))
    assert run_parameters(cfg, arms(cfg)[0]) == run_parameters(cfg, arms(cfg)[0])


def _queue(servers: int, rho: float, seed: int, days: int = 150, warmup: int = 10):
    mu = 100.0
    arrival = rho * servers * mu
    cfg = experiment(
        "city=mmc",
        "mechanism=baseline",
        "reference=null",
        f"seed={seed}",
        f"city.grid_workers_per_grid={servers}",
        f"city.case_types.job.rate_per_1000_per_year={arrival * 365}",
        f"city.case_types.job.hours.grid={24 / mu}",
        f"warmup_days={warmup}",
        f"days={days}",
    )
    model = GovernanceModel(cfg)
    model.run_model()
    stats = model.stations.statistics(float(days))
    model.drain()
    return model, stats


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.integers(1, 5), st.floats(0.3, 0.85), st.integers(0, 1000))
def test_littles_law_over_a_long_run(servers: int, rho: float, seed: int) -> None:
    model, stats = _queue(servers, rho, seed)
    led = model.ledger
    n = len(led)
    window = (led.arisen[:n] >= 10) & (led.arisen[:n] < 150)
    w = float((led.closed[:n] - led.known[:n])[window].mean())
    arrival_rate = stats["arrivals"][0] / stats["window"][0]
    assert math.isclose(stats["mean_held"][0], arrival_rate * w, rel_tol=0.02)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.integers(1, 4), st.floats(0.5, 0.95), st.integers(0, 1000))
def test_more_capacity_never_lengthens_a_wait(servers: int, rho: float, seed: int) -> None:
    """With the same arrivals and service draws, a second grid worker helps every case."""
    fewer, _ = _queue(servers, rho, seed, days=40, warmup=0)
    # the same arrival rate with one more grid worker
    more, _ = _queue(servers + 1, rho * servers / (servers + 1), seed, days=40, warmup=0)
    np.testing.assert_array_equal(fewer.ledger.column("arisen"), more.ledger.column("arisen"))
    assert np.all(more.ledger.column("wait_days") <= fewer.ledger.column("wait_days") + 1e-9)
    assert more.ledger.column("wait_days").mean() <= fewer.ledger.column("wait_days").mean()
