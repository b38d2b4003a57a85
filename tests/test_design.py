"""Designs (LHS, Sobol, Morris), sensitivity analysis and calibration."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govsim.analysis.calibrate import Calibration
from govsim.analysis.indices import batch_indices, indices, pair_indices
from govsim.analysis.sensitivity import analyse
from govsim.composition.compose import CONF_DIR
from govsim.config.errors import PairingError
from govsim.experiments.design import DESIGN_FILE, DUMMY, Design, declared_range, sample

RANGES = {"a.x": [0.0, 1.0], "b.y": [2, 10]}


def test_latin_hypercube_is_stratified_within_bounds() -> None:
    problem, points = sample("lhs", RANGES, 10, seed=1)
    assert points.shape == (10, 2) and problem["names"] == ["a.x", "b.y"]
    for j, (low, high) in enumerate(problem["bounds"]):
        strata = np.floor((points[:, j] - low) / (high - low) * 10).astype(int)
        assert sorted(strata) == list(range(10))


@pytest.mark.parametrize(("method", "rows"), [("morris", 4 * 3), ("sobol", 8 * 4)])
def test_salib_designs_have_their_sizes(method: str, rows: int) -> None:
    samples = 4 if method == "morris" else 8
    assert sample(method, RANGES, samples, seed=0)[1].shape == (rows, 2)


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("grid", RANGES, "hydra.sweeper.method"),
        ("lhs", {"a.x": [1.0, 0.0]}, "hydra.sweeper.params.a.x"),
        ("lhs", {}, "hydra.sweeper.params={} (allowed: ranges to sample"),
    ],
)
def test_bad_designs_name_the_key(method: str, params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        sample(method, params, 4, seed=0)


def test_a_levers_declared_range_is_its_default_bounds() -> None:
    assert declared_range("mechanism.whistle.compliance", "declared") == [0.0, 1.0]
    assert declared_range("city.street_staff", "declared") == [1, 200]
    assert declared_range("city.street_staff", [2, 10]) == [2, 10]
    with pytest.raises(ValueError, match=re.escape("hydra.sweeper.params.city.name='declared'")):
        declared_range("city.name", "declared")


def test_a_design_makes_its_jobs_without_hydra(tmp_path: Path) -> None:
    """Every base job at every point, in its bounds and numbered; the dummy reaches no job."""
    design = Design(
        "lhs",
        4,
        0,
        4,
        {"city": {"street_staff": [2, 10]}, "mechanism": {"whistle": {"compliance": "declared"}}},
    )
    jobs = design.jobs([["seed=1"], ["seed=2"]])
    assert [job[0] for job in jobs] == ["seed=1"] * 4 + ["seed=2"] * 4
    assert [job[-1] for job in jobs] == [f"design_point={k}" for k in range(4)] * 2
    assert [job[1].split("=")[0] for job in jobs] == ["city.street_staff"] * 8
    assert all(2 <= int(job[1].split("=")[1]) <= 10 for job in jobs)
    assert all(0 <= float(job[2].split("=")[1]) <= 1 for job in jobs)
    assert not any(DUMMY in override for job in jobs for override in job)
    design.save(tmp_path)
    saved = json.loads((tmp_path / DESIGN_FILE).read_text(encoding="utf-8"))
    assert saved["problem"]["names"] == ["city.street_staff", "mechanism.whistle.compliance", DUMMY]
    assert np.array_equal(saved["points"], design.points)


def test_morris_sweep_ranks_parameters(tmp_path: Path) -> None:
    args = [
        "-m",
        "hydra/sweeper=design",
        "hydra.sweeper.method=morris",
        "hydra.sweeper.samples=2",
        "+hydra.sweeper.params.mechanism.whistle.compliance=[0.0,1.0]",
        "+hydra.sweeper.params.mechanism.whistle.deadline_days=[0.5,3.0]",
        "city=workshop",
        "days=90",
        "replications=2",
        "reference=null",
        "progress=false",
        f"hydra.sweep.dir={tmp_path}",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "govsim", *args], capture_output=True, text=True, cwd=CONF_DIR.parent
    )
    assert done.returncode == 0, done.stderr
    design = json.loads((tmp_path / "design.json").read_text())
    # two trajectories of 1 + 3 steps: both parameters and the dummy
    assert len(design["points"]) == 2 * 4 == len(list(tmp_path.glob("run-*")))
    table, noise, method = analyse(tmp_path)
    assert method == "morris" and noise > 0
    effect = table.set_index("parameter")["mu_star"]
    # compliance decides whether departments come at all; the deadline acts only through
    # the supervision of the parts that overrun it, so it moves less
    assert effect["mechanism.whistle.compliance"] > effect["mechanism.whistle.deadline_days"]
    assert effect["mechanism.whistle.deadline_days"] > 0.0 == effect["dummy"]
    report = subprocess.run(
        [sys.executable, "-m", "govsim", "sensitivity", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=CONF_DIR.parent,
    )
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "sensitivity" / "indices.png").is_file()


def test_calibration_recovers_a_known_parameter() -> None:
    base = ["city=workshop", "days=150", "mechanism=baseline"]
    key = "city.case_types.urban_environment.street_settle_prob"
    truth = Calibration(
        {"share_arisen_settled_at_or_below_street": 0.5},
        [(key, 0.1, 0.9, False)],
        base,
        replications=2,
    )
    target = truth.runs({key: 0.6})["share_arisen_settled_at_or_below_street"].mean()
    fit = Calibration(
        {"share_arisen_settled_at_or_below_street": target},
        [(key, 0.1, 0.9, False)],
        base,
        replications=2,
        seed=3,
    )
    fit.run(trials=15)
    assert abs(fit.study.best_params[key] - 0.6) < 0.1
    table = fit.fit()
    assert abs(table["model"].iloc[0] - target) < 0.01


def _design_sweep(folder: Path, cities: list[str]) -> pd.DataFrame:
    """A Latin hypercube of 4 points over one parameter, run at each of ``cities``."""
    points = [[0.1], [0.4], [0.6], [0.9]]
    (folder / "design.json").write_text(
        json.dumps(
            {
                "method": "lhs",
                "seed": 0,
                "points": points,
                "problem": {
                    "num_vars": 1,
                    "names": ["mechanism.whistle.compliance"],
                    "bounds": [[0.0, 1.0]],
                },
            }
        )
    )
    rows = [
        {
            "status": "done",
            "arm": "treatment",
            "scenario": "default",
            "mechanism": "whistle",
            "seed": 0,
            "replication": r,
            "design_point": k,
            "mechanism.whistle.compliance": x,
            "city.name": city,
            "resolution_rate": x + 0.1 * r + (0.5 if city == "b" else 0.0),
        }
        for k, (x,) in enumerate(points)
        for city in cities
        for r in range(2)
    ]
    return pd.DataFrame(rows)


def test_sensitivity_refuses_a_design_run_at_more_than_one_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import govsim.analysis.effects as effects

    one = _design_sweep(tmp_path, ["a"])
    monkeypatch.setattr(effects, "collect", lambda _: (one, None))
    table, noise, method = analyse(tmp_path, "resolution_rate")
    assert method == "lhs" and table["spearman_rho"].iloc[0] == pytest.approx(1.0)
    assert noise == pytest.approx(np.std([0.0, 0.1], ddof=1))
    crossed = _design_sweep(tmp_path, ["a", "b"])
    monkeypatch.setattr(effects, "collect", lambda _: (crossed, None))
    with pytest.raises(PairingError, match=r"more than one setting \(city\.name vary"):
        analyse(tmp_path, "resolution_rate")


SOBOL = {"a": [0.0, 1.0], "b": [0.0, 1.0], "dummy": [0.0, 1.0]}


def test_second_order_sobol_finds_the_interaction_and_none_with_the_dummy() -> None:
    problem, points = sample("sobol", SOBOL, 256, seed=0, second_order=True)
    assert problem["second_order"] and points.shape == (256 * (2 * 3 + 2), 3)
    y = points[:, 0] + 12 * (points[:, 0] - 0.5) * (points[:, 1] - 0.5)  # S2(a, b) = 12/13
    pairs = pair_indices("sobol", problem, y, seed=0).set_index(["parameter", "with"])
    ab = pairs.loc[("a", "b")]
    assert ab["S2"] - ab["S2_conf"] > 0.5
    for pair in (("a", "dummy"), ("b", "dummy")):
        assert abs(pairs.loc[pair, "S2"]) <= max(pairs.loc[pair, "S2_conf"], 0.05)
    # the batch estimators read the second-order design's columns as SALib does
    table = indices("sobol", problem, points, y, seed=0)
    batch = batch_indices("sobol", problem, points, y[None, :])
    assert np.allclose(batch["S1"][0], table["S1"]) and np.allclose(batch["ST"][0], table["ST"])
    assert pair_indices("sobol", sample("sobol", SOBOL, 8, seed=0)[0], y, 0) is None


def test_fast_delta_and_pawn_rank_a_known_model_through_salib() -> None:
    problem, points = sample("fast", SOBOL, 65, seed=0)
    assert points.shape == (65 * 3, 3)
    y = 2 * points[:, 0] + points[:, 1]
    table = indices("fast", problem, points, y, seed=0).set_index("parameter")
    assert table.loc["a", "ST"] > table.loc["b", "ST"] > 0.1 > table.loc["dummy", "ST"]
    batch = batch_indices("fast", problem, points, y[None, :])
    assert np.allclose(batch["S1"][0], table["S1"])
    problem, points = sample("lhs", SOBOL, 80, seed=0)
    y = 3 * points[:, 0] + 0.5 * points[:, 1]
    table = indices("lhs", problem, points, y, seed=0).set_index("parameter")
    for index in ("delta", "pawn_median", "pawn_max"):
        assert table.loc["a", index] > table.loc["b", index] > 0.0
        assert table.loc["a", index] > table.loc["dummy", index]
    with pytest.raises(
        ValueError, match=re.escape("hydra.sweeper.samples=64 (allowed: an integer > 64 for fast")
    ):
        sample("fast", SOBOL, 64, seed=0)
    with pytest.raises(ValueError, match=re.escape("hydra.sweeper.second_order=True")):
        sample("lhs", SOBOL, 8, seed=0, second_order=True)


def fake_effect_run(experiment, out: Path, *args) -> None:
    """A design job's run without simulating it: the effect is a + b + 4ab (a, b levers)."""
    from govsim.experiments.columns import configuration

    a = experiment.mechanism["whistle"].compliance
    b = experiment.mechanism["whistle"].deadline_days / 30.0
    rows = [
        {
            **configuration(experiment, experiment.mechanism),
            "status": "done",
            "scenario": "default",
            "mechanism": arm,
            "arm": arm,
            "seed": experiment.seed,
            "design_point": experiment.design_point,
            "replication": r,
            "resolution_rate": 0.5 + 0.01 * r + (a + b + 4 * a * b if arm == "treatment" else 0.0),
        }
        for arm in ("treatment", "reference")
        for r in range(experiment.replications)
    ]
    pd.DataFrame(rows).to_parquet(out / "runs.parquet")


def test_a_second_order_sobol_sweep_reports_pairs_of_the_paired_effect(
    capsys, tmp_path: Path
) -> None:
    import govsim.experiments.job as job
    from conftest import FAST, govsim_in_process
    from govsim.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(job, "write_run", fake_effect_run)
        assert (
            main(
                [
                    "-m",
                    "hydra/sweeper=design",
                    "hydra.sweeper.method=sobol",
                    "hydra.sweeper.samples=4",
                    "hydra.sweeper.second_order=true",
                    "+hydra.sweeper.params.mechanism.whistle.compliance=declared",
                    "+hydra.sweeper.params.mechanism.whistle.deadline_days=declared",
                    *FAST,
                    "replications=2",
                    f"hydra.sweep.dir={tmp_path}",
                ]
            )
            == 0
        )
    design = json.loads((tmp_path / "design.json").read_text())
    assert design["problem"]["bounds"][:2] == [[0.0, 1.0], [0.0, 30.0]]
    assert len(design["points"]) == 4 * (2 * 3 + 2)
    import govsim.analysis.effects as effects

    runs = pd.concat(
        [pd.read_parquet(p) for p in sorted(tmp_path.glob("run-*/runs.parquet"))], ignore_index=True
    )
    with pytest.MonkeyPatch.context() as patch:  # the runs tables, without daily tables
        patch.setattr(effects, "collect", lambda _: (runs, None))
        status, out, err = govsim_in_process(
            capsys,
            "sensitivity",
            str(tmp_path),
            "--metric",
            "resolution_rate",
            "--of",
            "effect",
            "--bootstrap",
            "20",
        )
    assert status == 0, err
    pairs = pd.read_parquet(tmp_path / "sensitivity" / "effect_indices_pairs.parquet")
    assert len(pairs) == 3 and "Second-order indices" in out
    table = pd.read_parquet(tmp_path / "sensitivity" / "effect_indices.parquet")
    # the dummy reaches no job, and the effect has no replicate noise: it moves nothing
    dummy = table.set_index("parameter").loc["dummy"]
    assert dummy["ST"] == pytest.approx(0.0, abs=1e-12)
    assert dummy["ST_low"] == pytest.approx(0.0, abs=1e-12)
