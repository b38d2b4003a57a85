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

from govsim.config.errors import PairingError
from govsim.experiments.calibrate import Calibration
from govsim.experiments.compose import CONF_DIR
from govsim.experiments.design import declared_range, sample
from govsim.experiments.sensitivity import analyse

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


@pytest.mark.parametrize(("method", "params", "message"), [
    ("grid", RANGES, "hydra.sweeper.method"),
    ("lhs", {"a.x": [1.0, 0.0]}, "hydra.sweeper.params.a.x"),
    ("lhs", {}, "hydra.sweeper.params={} (allowed: ranges to sample"),
])
def test_bad_designs_name_the_key(method: str, params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        sample(method, params, 4, seed=0)


def test_a_levers_declared_range_is_its_default_bounds() -> None:
    assert declared_range("mechanism.whistle.compliance", "declared") == [0.0, 1.0]
    assert declared_range("city.street_staff", "declared") == [1, 200]
    assert declared_range("city.street_staff", [2, 10]) == [2, 10]
    with pytest.raises(ValueError, match=re.escape("hydra.sweeper.params.city.name='declared'")):
        declared_range("city.name", "declared")


def test_morris_sweep_ranks_parameters(tmp_path: Path) -> None:
    args = ["-m", "hydra/sweeper=design", "hydra.sweeper.method=morris",
            "hydra.sweeper.samples=2",
            "+hydra.sweeper.params.mechanism.whistle.compliance=[0.0,1.0]",
            "+hydra.sweeper.params.mechanism.whistle.deadline_days=[0.5,3.0]",
            "city=workshop", "days=90", "replications=2", "reference=null", "progress=false",
            f"hydra.sweep.dir={tmp_path}"]
    done = subprocess.run([sys.executable, "-m", "govsim", *args], capture_output=True,
                          text=True, cwd=CONF_DIR.parent)
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
    report = subprocess.run([sys.executable, "-m", "govsim", "sensitivity", str(tmp_path)],
                            capture_output=True, text=True, cwd=CONF_DIR.parent)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "sensitivity" / "indices.png").is_file()


def test_calibration_recovers_a_known_parameter() -> None:
    base = ["city=workshop", "days=150", "mechanism=baseline"]
    key = "city.case_types.urban_environment.street_settle_prob"
    truth = Calibration({"share_arisen_settled_at_or_below_street": 0.5}, [(key, 0.1, 0.9, False)],
                        base, replications=2)
    target = truth.runs({key: 0.6})["share_arisen_settled_at_or_below_street"].mean()
    fit = Calibration({"share_arisen_settled_at_or_below_street": target},
                      [(key, 0.1, 0.9, False)], base, replications=2, seed=3)
    fit.run(trials=15)
    assert abs(fit.study.best_params[key] - 0.6) < 0.1
    table = fit.fit()
    assert abs(table["model"].iloc[0] - target) < 0.01


def _design_sweep(folder: Path, cities: list[str]) -> pd.DataFrame:
    """A Latin hypercube of 4 points over one parameter, run at each of ``cities``."""
    points = [[0.1], [0.4], [0.6], [0.9]]
    (folder / "design.json").write_text(json.dumps({
        "method": "lhs", "seed": 0, "points": points,
        "problem": {"num_vars": 1, "names": ["mechanism.whistle.compliance"],
                    "bounds": [[0.0, 1.0]]}}))
    rows = [{"status": "done", "arm": "treatment", "scenario": "default",
             "mechanism": "whistle", "seed": 0, "replication": r, "design_point": k,
             "mechanism.whistle.compliance": x, "city.name": city,
             "resolution_rate": x + 0.1 * r + (0.5 if city == "b" else 0.0)}
            for k, (x,) in enumerate(points) for city in cities for r in range(2)]
    return pd.DataFrame(rows)


def test_sensitivity_refuses_a_design_run_at_more_than_one_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import govsim.experiments.effects as effects

    one = _design_sweep(tmp_path, ["a"])
    monkeypatch.setattr(effects, "collect", lambda _: (one, None))
    table, noise, method = analyse(tmp_path, "resolution_rate")
    assert method == "lhs" and table["spearman_rho"].iloc[0] == pytest.approx(1.0)
    assert noise == pytest.approx(np.std([0.0, 0.1], ddof=1))
    crossed = _design_sweep(tmp_path, ["a", "b"])
    monkeypatch.setattr(effects, "collect", lambda _: (crossed, None))
    with pytest.raises(PairingError, match=r"more than one setting \(city\.name vary"):
        analyse(tmp_path, "resolution_rate")
