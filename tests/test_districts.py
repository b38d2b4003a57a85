"""A city split by district: the same run whole, in groups in one process, or in processes.

Districts share no state and their cases draw from their own streams, so the models of
disjoint groups of districts, merged, must give the run of the whole city: every case, count
and per-unit record, and the floating-point sums up to the order of addition. A mechanism that
coupled districts (a city-wide ranking, a hotline of finite staff) would fail these tests.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import math
import os
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import experiment
from govsim.city.build import build_city
from govsim.composition.compose import CONF_DIR
from govsim.config.errors import ConfigError
from govsim.experiments.districts import (
    district_groups,
    merge,
    opening_order,
    simulate,
    simulate_group,
    station_districts,
)
from govsim.experiments.run import run
from govsim.model.ledger import COLUMNS, DRAWS_PER_PURPOSE, ROUTE, SERVICE, overflow_draw
from govsim.model.model import GovernanceModel
from govsim.model.streams import Purpose, RandomStreams
from govsim.outcomes.daily import DAILY_REPORTERS
from govsim.outcomes.metrics import run_metrics
from govsim.outcomes.units import unit_results

# Three districts of unequal size under every mechanism that could couple them: rankings
# (assessment), the hotline and its supervision, cross-region coordination, the whistle,
# a centre, the mediation ladder; with over-dispersed days and 9-hour stations.
CITY = [
    "city=district",
    "city.districts=3",
    "city.streets_per_district=2",
    "city.case_load_scale=0.6",
    "days=45",
    "prereform_days=5",
    "seed=3",
    "mechanism=[hotline,assessment,cross_region,whistle,centre,mediation_ladder]",
    "city.calendar.station_hours=9",
    "city.calendar.station_opens=8",
    "city.calendar.daily_dispersion=0.2",
]


@pytest.fixture(scope="module")
def whole_and_groups():
    cfg = experiment(*CITY)
    city = build_city(cfg.city)
    whole = GovernanceModel(cfg, None, 1, city, DAILY_REPORTERS)
    whole.run_model()
    groups = [simulate_group(cfg, cfg.mechanism, 1, city, part) for part in ((0,), (1, 2))]
    return cfg, city, whole, merge(cfg, city, groups)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=0.0)


def test_the_districts_apart_give_every_case_of_the_whole_city(whole_and_groups) -> None:
    _, _, whole, merged = whole_and_groups
    assert len(whole.ledger) == len(merged.ledger) > 1000
    assert len(np.unique(whole.ledger.column("district"))) == 3
    for name in COLUMNS:
        assert np.array_equal(
            whole.ledger.column(name), merged.ledger.column(name), equal_nan=True
        ), name
    assert np.array_equal(
        whole.ledger.part_state[: len(whole.ledger)], merged.ledger.part_state[: len(merged.ledger)]
    )
    assert whole.ledger.column("whistled").any() and whole.ledger.column("supervised").any()


def test_the_districts_apart_give_the_whole_city_s_measures(whole_and_groups) -> None:
    _, _, whole, merged = whole_and_groups
    got, expected = run_metrics(merged), run_metrics(whole)
    assert got.keys() == expected.keys()
    assert {k: (got[k], v) for k, v in expected.items() if not _same(got[k], v)} == {}
    pd.testing.assert_frame_equal(unit_results(merged), unit_results(whole), rtol=1e-12)
    assert np.array_equal(whole.engine.counters.counts, merged.engine.counters.counts)
    for name in DAILY_REPORTERS:
        assert np.allclose(
            merged.daily[name],
            whole.datacollector.model_vars[name],
            rtol=1e-12,
            atol=0.0,
            equal_nan=True,
        ), name


def assert_same_cases(a, b) -> None:
    """Every ledger column of two runs identical (NaN equal to NaN)."""
    for name in COLUMNS:
        assert np.array_equal(a.ledger.column(name), b.ledger.column(name), equal_nan=True), name


def assert_same_run(a, b) -> None:
    """Two runs alike to the bit: their cases, run metrics and daily series."""
    assert_same_cases(a, b)
    assert run_metrics(a) == pytest.approx(run_metrics(b), rel=0, abs=0, nan_ok=True)
    assert a.daily == b.daily


def _two_groups_in_turn(cfg, city):
    """The city's districts in two groups run one after the other here, then merged."""
    return merge(
        cfg,
        city,
        [simulate_group(cfg, cfg.mechanism, 1, city, part) for part in district_groups(city, 2)],
    )


def test_parallel_processes_give_exactly_the_serial_groups(whole_and_groups) -> None:
    cfg, city, _, serial = whole_and_groups
    parallel = simulate(cfg, cfg.mechanism, 1, city, workers=2)
    serial_two = _two_groups_in_turn(cfg, city)
    assert_same_run(parallel, serial_two)
    assert_same_cases(parallel, serial)  # the grouping changes no case either


def test_threads_give_exactly_the_serial_groups(whole_and_groups) -> None:
    cfg, city, _, serial = whole_and_groups
    threaded = simulate(cfg, cfg.mechanism, 1, city, workers=2, backend="threads")
    serial_two = _two_groups_in_turn(cfg, city)
    assert_same_run(threaded, serial_two)
    assert_same_cases(threaded, serial)
    pd.testing.assert_frame_equal(unit_results(threaded), unit_results(serial_two), rtol=0)
    assert threaded.compile_seconds == 0.0  # this process's clock counts its compiling


def test_the_run_api_gives_the_same_runs_with_district_workers() -> None:
    overrides = [*CITY[:-5], "days=30", "horizon_days=5", "mechanism=whistle", "replications=1"]
    one = run(*overrides)
    drop = ["wall_seconds", "compile_seconds"]
    for backend in ("loky", "threads"):
        two = run(*overrides, "district_workers=2", f"district_backend={backend}")
        pd.testing.assert_frame_equal(one.runs.drop(columns=drop), two.runs.drop(columns=drop))
        pd.testing.assert_frame_equal(one.units, two.units, rtol=1e-12)
        pd.testing.assert_frame_equal(one.daily, two.daily, rtol=1e-12)
    assert "district_workers" not in one.runs


def test_groups_are_consecutive_districts_of_about_equal_residents() -> None:
    city = build_city(experiment("city=pingliang").city)
    for workers in (1, 2, 3, 7, 50):
        groups = district_groups(city, workers)
        assert [d for g in groups for d in g] == list(range(city.n_districts))
        assert len(groups) == min(workers, city.n_districts)
    people = np.bincount(city.grid_district, weights=city.grid_residents)
    halves = [people[list(g)].sum() for g in district_groups(city, 2)]
    assert max(halves) - min(halves) <= people.max()


def test_every_station_belongs_to_its_district() -> None:
    city = build_city(experiment(*CITY).city)
    owner = station_districts(city)
    assert len(owner) == len(city.station_node)
    for d in range(city.n_districts):
        assert owner[city.above_station(d)] == d
        assert owner[city.department_station(d, 0)] == d
    assert np.array_equal(
        owner[city.street_station(0) : city.street_station(0) + city.n_streets],
        city.street_district,
    )


def test_a_model_refuses_districts_the_city_does_not_have() -> None:
    cfg = experiment(*CITY)
    with pytest.raises(ValueError, match=r"districts: \[3\].*0 \.\. 2"):
        GovernanceModel(cfg, districts=[3])


def test_a_model_of_some_districts_has_cases_only_there() -> None:
    cfg = experiment(*CITY[:-5], "days=10", "horizon_days=2")
    model = GovernanceModel(cfg, districts=[2])
    model.run_model()
    assert len(model.ledger) > 0
    assert set(np.unique(model.ledger.column("district"))) == {2}
    assert np.array_equal(model.ledger.column("serial"), np.arange(len(model.ledger)))


def test_district_zero_keeps_the_purpose_s_own_stream() -> None:
    streams = RandomStreams(11, 2)
    own = np.random.SeedSequence(11, spawn_key=(2, int(Purpose.ARRIVALS)))
    assert streams.key(Purpose.ARRIVALS, 0).spawn_key == own.spawn_key
    assert streams.of_district(Purpose.ARRIVALS, 0) is streams[Purpose.ARRIVALS]
    first = [streams.of_district(Purpose.ARRIVALS, d).random() for d in range(3)]
    assert len(set(first)) == 3


def test_draws_beyond_a_case_s_blocks_are_counter_based() -> None:
    key = np.uint64(RandomStreams(5).word(Purpose.OVERFLOW, 1))
    k = DRAWS_PER_PURPOSE
    uniform = np.array([overflow_draw(key, serial, ROUTE, k) for serial in range(20_000)])
    assert uniform.min() >= 0.0 and uniform.max() < 1.0
    assert uniform.mean() == pytest.approx(0.5, abs=0.01)
    assert uniform.var() == pytest.approx(1 / 12, abs=0.003)
    exponential = np.array([overflow_draw(key, 7, SERVICE, j) for j in range(k, k + 20_000)])
    assert exponential.min() >= 0.0
    assert exponential.mean() == pytest.approx(1.0, abs=0.03)
    assert exponential.var() == pytest.approx(1.0, abs=0.08)
    # the same case, purpose and place give the same draw; any other, another
    assert overflow_draw(key, 7, SERVICE, k + 3) == exponential[3]
    assert overflow_draw(key, 8, SERVICE, k + 3) != exponential[3]
    assert overflow_draw(np.uint64(key + np.uint64(1)), 7, SERVICE, k + 3) != exponential[3]


def test_an_unknown_district_backend_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"district_backend.*loky, threads, ray"):
        experiment(*CITY, "district_backend=dask")


@pytest.mark.skipif(importlib.util.find_spec("ray") is not None, reason="Ray is installed")
def test_the_ray_backend_without_ray_is_refused_before_the_run() -> None:
    with pytest.raises(
        ConfigError, match=r"district_backend='ray'.*loky, threads, or ray.*govsim\[ray\]"
    ):
        experiment(*CITY, "district_backend=ray")


def _stand_in_ray(used: list[int]) -> types.ModuleType:
    """A ``ray`` package whose ``register_ray`` registers a joblib backend named "ray".

    The backend runs jobs in threads and records the workers each use of it asked for
    (where Ray is not installed; ``test_a_real_ray_cluster_gives_exactly_the_serial_groups``
    runs the groups on Ray itself).
    """
    from joblib import register_parallel_backend
    from joblib._parallel_backends import ThreadingBackend

    class CountingBackend(ThreadingBackend):
        def configure(self, *args, **kwargs):
            used.append(kwargs.get("n_jobs", args[0] if args else None))
            return super().configure(*args, **kwargs)

    modules = {name: types.ModuleType(name) for name in ("ray", "ray.util", "ray.util.joblib")}
    for name, module in modules.items():
        module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    modules["ray.util.joblib"].register_ray = lambda: register_parallel_backend(
        "ray", CountingBackend
    )
    modules["ray"].util = modules["ray.util"]
    modules["ray.util"].joblib = modules["ray.util.joblib"]
    return modules


def test_the_ray_backend_runs_the_groups_through_joblib_s_ray_backend(
    whole_and_groups, monkeypatch
) -> None:
    cfg, city, _, serial = whole_and_groups
    used: list[int] = []
    for name, module in _stand_in_ray(used).items():
        monkeypatch.setitem(sys.modules, name, module)
    assert experiment(*CITY, "district_backend=ray").district_backend == "ray"
    merged = simulate(cfg, cfg.mechanism, 1, city, workers=2, backend="ray")
    assert used == [2]  # the groups went through the backend register_ray made
    assert_same_cases(merged, serial)


@pytest.mark.ray
def test_a_real_ray_cluster_gives_exactly_the_serial_groups(whole_and_groups, local_ray) -> None:
    cfg, city, _, serial = whole_and_groups
    merged = simulate(cfg, cfg.mechanism, 1, city, workers=2, backend="ray")
    assert local_ray.cluster_resources()["CPU"] == 2
    assert experiment(*CITY, "district_backend=ray").district_backend == "ray"
    serial_two = _two_groups_in_turn(cfg, city)
    assert_same_cases(merged, serial)
    assert_same_run(merged, serial_two)
    pd.testing.assert_frame_equal(unit_results(merged), unit_results(serial_two), rtol=0)


@pytest.mark.ray
def test_a_run_s_districts_on_a_running_ray_cluster_give_the_one_process_run(
    tmp_path: Path, local_ray
) -> None:
    """``district_backend=ray`` joins the cluster named by ``RAY_ADDRESS`` (docs/cluster.md)."""
    city = [
        "city=district",
        "city.districts=2",
        "city.streets_per_district=2",
        "days=30",
        "horizon_days=5",
        "replications=1",
        "reference=null",
        "progress=false",
        "figures=false",
    ]
    env = {**os.environ, "RAY_ADDRESS": local_ray.get_runtime_context().gcs_address}
    for way, workers in (("ray", ["district_workers=2", "district_backend=ray"]), ("one", [])):
        done = subprocess.run(
            [sys.executable, "-m", "govsim", *city, *workers, f"hydra.run.dir={tmp_path / way}"],
            capture_output=True,
            text=True,
            env=env,
            cwd=CONF_DIR.parent,
        )
        assert done.returncode == 0, done.stderr
    drop = ["wall_seconds", "run_wall_seconds", "compile_seconds"]
    runs = [
        pd.read_parquet(tmp_path / way / "runs.parquet").drop(columns=drop, errors="ignore")
        for way in ("ray", "one")
    ]
    pd.testing.assert_frame_equal(*runs)
    for table in ("units", "daily"):
        pd.testing.assert_frame_equal(
            *(pd.read_parquet(tmp_path / way / f"{table}.parquet") for way in ("ray", "one")),
            rtol=1e-12,
        )


def test_the_memory_check_counts_each_worker_s_copy_of_the_city() -> None:
    from govsim.composition.budget import memory_bytes

    one = memory_bytes(experiment(*CITY))
    two = memory_bytes(experiment(*CITY, "district_workers=2"))
    assert two["residents"] == pytest.approx(one["residents"])  # each builds its own
    assert two["grids"] == pytest.approx(3 * one["grids"])
    assert two["cases"] == pytest.approx(2 * one["cases"])  # the workers', then merged
    many = memory_bytes(experiment(*CITY, "district_workers=8"))  # 3 districts: 3 workers
    assert many["grids"] == pytest.approx(4 * one["grids"])


def test_groups_that_miss_or_repeat_a_district_are_not_merged(whole_and_groups) -> None:
    cfg, city, _, _ = whole_and_groups
    part = simulate_group(cfg, cfg.mechanism, 1, city, (0,))
    with pytest.raises(ValueError, match="do not hold each"):
        merge(cfg, city, [part])


@pytest.mark.parametrize("seed", range(5))
def test_the_merge_orders_cases_as_a_sort_by_time_and_district(seed: int) -> None:
    """In order of arising and, at one time, of district, whatever the groups' order."""
    rng = np.random.default_rng(seed)

    def group(districts: tuple[int, ...], n: int) -> types.SimpleNamespace:
        arisen = rng.integers(0, 6, n).astype(float)  # many cases arise at one time
        district = rng.choice(districts, n).astype(np.int32)
        order = np.lexsort([district, arisen])
        if seed == 4:  # a group not in opening order
            order = order[::-1]
        return types.SimpleNamespace(
            districts=districts, columns={"arisen": arisen[order], "district": district[order]}
        )

    groups = [group((0, 1), 300), group((2,), 200), group((3, 4), 250)]
    if seed == 3:
        groups = groups[::-1]  # groups not in district order
    keys = [np.concatenate([g.columns[k] for g in groups]) for k in ("district", "arisen")]
    assert np.array_equal(opening_order(groups), np.lexsort(keys))


def test_interleaved_districts_keep_their_own_busy_days() -> None:
    """A unit table may number its streets A, B, A, B: each district's days are its own, so
    a district run alone gives the cases it gives beside the other."""
    import dataclasses

    from govsim.config.schema import UnitsConfig

    cfg = experiment(
        "city=district",
        "city.case_load_scale=0.3",
        "days=20",
        "horizon_days=0",
        "prereform_days=2",
        "seed=5",
        "city.calendar.daily_dispersion=0.25",
        "city.calendar.district_dispersion=0.1",
    )
    units = UnitsConfig(
        districts=["A", "B"],
        district_above_staff=[],
        streets=["a1", "b1", "a2", "b2"],
        street_district=["A", "B", "A", "B"],
        street_staff=[],
        communities=[f"c{i}" for i in range(4)],
        community_street=["a1", "b1", "a2", "b2"],
        community_mediators=[],
        grids=[f"g{i}" for i in range(16)],
        grid_community=[f"c{i // 4}" for i in range(16)],
        grid_residents=[520] * 16,
        grid_workers=[],
        department_staff={},
    )
    city_cfg = dataclasses.replace(
        cfg.city,
        units=units,
        districts=None,
        streets_per_district=None,
        communities_per_street=None,
        grids_per_community=None,
    )
    cfg = dataclasses.replace(cfg, city=city_cfg)
    city = build_city(city_cfg)
    assert list(city.street_district) == [0, 1, 0, 1]
    whole = GovernanceModel(cfg, None, 0, city)
    alone = GovernanceModel(cfg, None, 0, city, districts=[0])
    np.testing.assert_array_equal(whole.demand.busy[:, [0, 2]], alone.demand.busy[:, [0, 2]])
    whole.run_model()
    alone.run_model()

    def district_a(model: GovernanceModel) -> np.ndarray:
        led, n = model.ledger, len(model.ledger)
        keep = np.isin(led.street[:n], [0, 2])
        return np.c_[led.arisen[:n][keep], led.grid[:n][keep], led.known[:n][keep]]

    assert np.array_equal(district_a(whole), district_a(alone), equal_nan=True)
