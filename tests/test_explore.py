"""Policies × uncertainties: the exploratory sweeper, robustness measures and scenario discovery."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import govsim.experiments.job as job
from conftest import FAST, govsim_in_process, one_line
from govsim.cli import main
from govsim.composition.overrides import check_key
from govsim.experiments.columns import configuration
from govsim.experiments.explore import (
    Exploration,
    policy_labels,
    sample_scenarios,
    uncertainties,
)
from govsim.report.robustness import analyse

UNCERTAIN = {"city.case_load_scale": [0.5, 1.5], "city.street_staff": [1, 4]}


def fake_run(experiment, out: Path, *args) -> None:
    """A sweep job's run, written without simulating it.

    Its runs table has the columns a run of the composed configuration has; the metric is
    a made-up function of the policy and the scenario.
    """
    values = configuration(experiment, experiment.mechanism)
    whistle = "whistle" in experiment.mechanism
    rows = [
        {
            **values,
            "mechanism": "+".join(experiment.mechanism),
            "arm": "treatment",
            "design_point": experiment.design_point,
            "replication": r,
            "resolution_rate": 0.5
            + 0.1 * r
            + (
                0.05 * values["city.street_staff"]
                if whistle
                else 0.1 * values["city.case_load_scale"]
            ),
        }
        for r in range(experiment.replications)
    ]
    pd.DataFrame(rows).to_parquet(out / "runs.parquet")


@pytest.fixture(scope="module")
def explored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exploratory sweep (2 policies at 2 sampled scenarios) whose jobs are not simulated."""
    sweep = tmp_path_factory.mktemp("explore") / "sweep"
    ranges = [f"+hydra.sweeper.uncertainties.{k}=[{a},{b}]" for k, (a, b) in UNCERTAIN.items()]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(job, "write_run", fake_run)  # every launcher's jobs run through it
        assert (
            main(
                [
                    "-m",
                    "hydra/sweeper=explore",
                    "hydra.sweeper.scenarios=2",
                    "hydra.sweeper.design_seed=5",
                    *ranges,
                    *FAST,
                    "replications=2",
                    "reference=null",
                    "mechanism=baseline,whistle",
                    f"hydra.sweep.dir={sweep}",
                ]
            )
            == 0
        )
    return sweep


def runs_of(sweep: Path) -> pd.DataFrame:
    """The runs tables of a sweep's run folders, with each folder's name as ``run``."""
    return pd.concat(
        [
            pd.read_parquet(p).assign(run=p.parent.name)
            for p in sorted(sweep.glob("run-*/runs.parquet"))
        ],
        ignore_index=True,
    )


def test_every_policy_runs_at_the_same_scenarios(explored: Path) -> None:
    design = json.loads((explored / "explore.json").read_text())
    assert [p["label"] for p in design["policies"]] == ["baseline", "whistle"]
    points = sample_scenarios("lhs", uncertainties(UNCERTAIN), 2, seed=5)
    assert np.allclose(design["scenarios"], points) and len(design["jobs"]) == 4
    runs = runs_of(explored)
    names = list(UNCERTAIN)
    by_policy = {
        m: sorted(map(tuple, group[["design_point", *names]].drop_duplicates().to_numpy().tolist()))
        for m, group in runs.groupby("mechanism")
    }
    expected = sorted((k, *row) for k, row in enumerate(design["scenarios"]))
    assert by_policy == {"baseline": expected, "whistle": expected}
    for low_high, name in zip(UNCERTAIN.values(), names, strict=True):
        assert runs[name].between(*low_high).all()
    # common random numbers: every job ran the same seeds and replications
    streams = runs.groupby("run")[["seed", "replication"]].apply(
        lambda g: tuple(sorted(map(tuple, g.to_numpy().tolist())))
    )
    assert streams.nunique() == 1 and len(streams.iloc[0]) == 2


def test_robustness_of_an_exploratory_sweep_agrees_with_its_runs(capsys, explored: Path) -> None:
    metric = "resolution_rate"
    status, out, err = govsim_in_process(
        capsys, "robustness", str(explored), "--metric", metric, "--threshold", "0.7"
    )
    assert status == 0, err
    assert out.startswith(f"# Robustness of `{metric}` (higher is better)")
    table = pd.read_parquet(explored / "robustness" / "robustness.parquet").set_index("policy")
    runs = runs_of(explored)
    means = runs.groupby(["design_point", "mechanism"])[metric].mean().unstack()
    by_hand = means.rsub(means.max(axis=1), axis=0).max()
    assert np.allclose(table.loc[by_hand.index, "max_regret"], by_hand)
    assert np.allclose(table.loc[means.columns, "satisficing"], (means >= 0.7).mean())
    assert {"robustness.md", "robustness.png", "scenarios.parquet"} <= {
        p.name for p in (explored / "robustness").iterdir()
    }


def fake_sweep(
    folder: Path,
    x: dict[str, list[float]],
    outcomes: dict[str, list[float]],
    metric: str = "resolution_rate",
) -> Path:
    """An exploratory sweep folder with given outcomes (two replications at ±0.01)."""
    names = list(x)
    scenarios = [list(row) for row in zip(*x.values(), strict=True)]
    jobs = []
    for p, (policy, values) in enumerate(outcomes.items()):
        for k, value in enumerate(values):
            run = folder / f"run-{policy}-{k}"
            run.mkdir(parents=True)
            (run / "status.json").write_text(json.dumps({"status": "done"}))
            pd.DataFrame(
                [
                    {
                        "scenario": "default",
                        "mechanism": policy,
                        "arm": "treatment",
                        "seed": 0,
                        "replication": r,
                        **dict(zip(names, scenarios[k], strict=True)),
                        metric: value + d,
                    }
                    for r, d in enumerate((-0.01, 0.01))
                ]
            ).to_parquet(run / "runs.parquet")
            jobs.append({"run": run.name, "policy": p, "scenario": k})
    (folder / "explore.json").write_text(
        json.dumps(
            {
                "method": "lhs",
                "scenarios_requested": len(scenarios),
                "seed": 0,
                "uncertainties": [
                    {
                        "name": n,
                        "low": min(x[n]),
                        "high": max(x[n]),
                        "integer": all(isinstance(v, int) for v in x[n]),
                    }
                    for n in names
                ],
                "scenarios": scenarios,
                "policies": [{"label": p, "overrides": [f"mechanism={p}"]} for p in outcomes],
                "jobs": jobs,
            }
        )
    )
    return folder


THREE = {"a": [0.5, 0.9, 0.6], "b": [0.7, 0.8, 0.4], "c": [0.6, 0.6, 0.65]}
"""Three policies' outcomes in three scenarios."""


@pytest.fixture
def three(tmp_path: Path) -> Path:
    return fake_sweep(tmp_path / "sweep", {"city.case_load_scale": [0.6, 1.0, 1.4]}, THREE)


def test_regret_and_satisficing_by_hand(capsys, three: Path) -> None:
    status, out, err = govsim_in_process(
        capsys, "robustness", str(three), "--metric", "resolution_rate", "--threshold", "0.55"
    )
    assert status == 0, err
    table = pd.read_parquet(three / "robustness" / "robustness.parquet").set_index("policy")
    # best per scenario: 0.7, 0.9, 0.65; regret a = (0.2, 0, 0.05), b = (0, 0.1, 0.25),
    # c = (0.1, 0.3, 0); the 90th percentile of a: 0.05 + 0.8 * (0.2 - 0.05)
    assert table["max_regret"].to_dict() == pytest.approx({"a": 0.2, "b": 0.25, "c": 0.3})
    assert table.loc["a", "p90_regret"] == pytest.approx(0.17)
    assert table.loc["c", "mean_regret"] == pytest.approx(0.4 / 3)
    assert list(table.index) == ["a", "b", "c"]  # least maximum regret first
    # meeting 0.55: a in 2 of 3 (0.5 fails), b in 2 of 3 (0.4 fails), c in all
    assert table["satisficing"].to_dict() == pytest.approx({"a": 2 / 3, "b": 2 / 3, "c": 1.0})
    assert table.loc["a", "worst"] == pytest.approx(0.5)
    assert table.loc["b", "best_in"] == pytest.approx(1 / 3)
    assert "Least maximum regret: **a**" in out and "where a fails the threshold" in out
    # lower is better: regret is the distance above the best (lowest) outcome
    result = analyse(three, "resolution_rate", direction="min", threshold=0.62)
    assert result.table.set_index("policy")["max_regret"].to_dict() == pytest.approx(
        {"a": 0.3, "b": 0.2, "c": 0.25}
    )
    assert result.table.set_index("policy")["satisficing"].to_dict() == pytest.approx(
        {"a": 2 / 3, "b": 1 / 3, "c": 2 / 3}
    )


def test_prim_bounds_the_uncertainty_that_drives_failure(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    x = {
        "city.case_load_scale": rng.uniform(0.0, 1.0, 40).tolist(),
        "city.residents.trust_mean": rng.uniform(0.0, 1.0, 40).tolist(),
        "city.street_staff": rng.integers(1, 7, 40).tolist(),
    }
    driver = np.array(x["city.case_load_scale"])
    outcomes = {"a": np.where(driver > 0.7, 0.3, 0.9).tolist(), "b": np.full(40, 0.6).tolist()}
    sweep = fake_sweep(tmp_path / "sweep", x, outcomes)
    result = analyse(sweep, "resolution_rate", threshold=0.5, policy="a")
    found = result.discovery
    assert found is not None and found.cases == int((driver > 0.7).sum())
    assert list(found.limits["uncertainty"]) == ["city.case_load_scale"]
    low = found.limits["low"].iloc[0]
    assert driver[driver <= 0.7].max() < low <= driver[driver > 0.7].min()
    assert found.coverage == 1.0 and found.density == 1.0
    assert found.boxes.loc[found.chosen, "role"].startswith("reported")
    assert "city.case_load_scale" not in set(found.dropped["uncertainty"])
    assert found.features["uncertainty"].iloc[0] == "city.case_load_scale"
    assert (
        found.cart["density"].iloc[0] == 1.0
        and "city.case_load_scale" in (found.cart["limits"].iloc[0])
    )
    # without a threshold the cases of interest are where a is not the best: the same here
    best = analyse(sweep, "resolution_rate", policy="a")
    assert best.interest.equals(result.interest) and best.discovery is not None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--metric", "nope"], "--metric 'nope' is not a metric of the runs"),
        (["--threshold", "nan"], "--threshold nan (allowed: a finite number)"),
        (["--threshold", "inf"], "--threshold inf (allowed: a finite number)"),
        (["--policy", "d"], "--policy 'd' is not a policy of the sweep (allowed: one of a, b, c)"),
        (["--metric", "cases_arisen"], "cases_arisen has no direction of its own"),
        (["--direction", "up"], "invalid choice: 'up'"),
        (["incomplete"], "policy 'b' has no finished run at 1 of 3 scenarios (e.g. [2])"),
        (["plain"], "is not an exploratory sweep (it has no explore.json)"),
    ],
)
def test_robustness_refuses_in_one_line(
    capsys, three: Path, args: list[str], expected: str
) -> None:
    if args == ["incomplete"]:
        (three / "run-b-2" / "status.json").write_text(json.dumps({"status": "failed"}))
        args = []
    elif args == ["plain"]:
        (three / "explore.json").unlink()
        args = []
    if args and args[0] == "--metric" and args[1] == "cases_arisen":
        for runs in three.glob("run-*/runs.parquet"):
            pd.read_parquet(runs).assign(cases_arisen=10).to_parquet(runs)
    status, _, err = govsim_in_process(
        capsys, "robustness", str(three), "--metric", "resolution_rate", *args
    )
    assert status == 2 and expected in one_line(err)
    assert not (three / "robustness").exists()


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        (
            {"days": [10, 20]},
            "hydra.sweeper.uncertainties.days=[10, 20] (allowed: a numeric "
            "parameter of the city (city.*) or a lever",
        ),
        ({"mechanism.whistle.compliance": [0.5, 1.5]}, "0.0 <= low < high <= 1.0"),
        ({"city.street_staff": "all"}, "or declared (its whole range)"),
        ({"city.case_load_scale": [1.5, 0.5]}, "hydra.sweeper.uncertainties.city.case_load_scale"),
        ({"city.street_staff": [1.5, 4]}, "both integers"),
        ({"city.street_staff": [0, 4]}, "1 <= low < high <= 200"),
        ({"city.name": ["a", "b"]}, "a numeric parameter of the city"),
        ({"city.street_staf": [1, 4]}, "did you mean city.street_staff?"),
        ({}, "hydra.sweeper.uncertainties={} (allowed: ranges of city parameters or levers"),
    ],
)
def test_bad_uncertainties_name_the_key(ranges: dict, expected: str) -> None:
    with pytest.raises(ValueError, match=re.escape(expected)):
        uncertainties(ranges)


def test_samplers_are_ema_workbenchs_and_seeded() -> None:
    ranges = uncertainties(UNCERTAIN)
    lhs = sample_scenarios("lhs", ranges, 6, seed=1)
    assert lhs.shape == (6, 2) and np.array_equal(lhs, sample_scenarios("lhs", ranges, 6, 1))
    assert not np.array_equal(lhs, sample_scenarios("lhs", ranges, 6, seed=2))
    assert set(lhs[:, 1]) <= {1, 2, 3, 4} and ((lhs[:, 0] >= 0.5) & (lhs[:, 0] <= 1.5)).all()
    factorial = sample_scenarios("factorial", ranges, 3, seed=0)
    assert factorial.shape == (9, 2) and set(factorial[:, 0]) == {0.5, 1.0, 1.5}
    assert sample_scenarios("sobol", ranges, 4, seed=0).shape == (4 * (2 + 2), 2)
    with pytest.raises(ValueError, match=r"hydra\.sweeper\.method='grid' \(allowed: one of lhs"):
        sample_scenarios("grid", ranges, 4, seed=0)


def test_policy_labels_name_what_differs() -> None:
    assert policy_labels([["days=20", "mechanism=baseline"], ["days=20", "mechanism=whistle"]]) == [
        "baseline",
        "whistle",
    ]
    assert policy_labels(
        [
            ["mechanism=whistle", "mechanism.whistle.compliance=0.5"],
            ["mechanism=grid", "mechanism.whistle.compliance=0.9"],
        ]
    ) == [
        "mechanism=whistle, mechanism.whistle.compliance=0.5",
        "mechanism=grid, mechanism.whistle.compliance=0.9",
    ]


def test_an_exploration_makes_its_jobs_without_hydra() -> None:
    """Every policy at every scenario; a mechanism's lever only where it is selected."""
    exploration = Exploration(
        "lhs",
        3,
        0,
        {"city": {"case_load_scale": [0.8, 1.6]}, "mechanism": {"whistle": {"compliance": [0, 1]}}},
    )
    jobs = exploration.jobs(["mechanism=baseline,whistle"], None, {"whistle"})
    assert [job[0] for job in jobs] == ["mechanism=baseline"] * 3 + ["mechanism=whistle"] * 3
    assert [job[-1] for job in jobs] == [f"design_point={k}" for k in range(3)] * 2
    keys = [[override.split("=")[0] for override in job[1:-1]] for job in jobs]
    assert (
        keys
        == [["city.case_load_scale"]] * 3
        + [["city.case_load_scale", "mechanism.whistle.compliance"]] * 3
    )
    assert jobs[0][1] == jobs[3][1]  # the same scenario for every policy
    assert exploration.cells[4] == {"policy": 1, "scenario": 1}


def test_an_exploratory_sweep_refuses_to_sweep_the_streams(capsys, tmp_path: Path) -> None:
    status, _, err = govsim_in_process(
        capsys,
        "-m",
        "hydra/sweeper=explore",
        *FAST,
        "seed=0,1",
        "+hydra.sweeper.uncertainties.city.street_staff=[1,4]",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
    )
    assert status == 2 and "seed cannot be swept in an exploratory sweep" in one_line(err)
    assert not (tmp_path / "sweep" / "explore.json").exists()


def test_a_mechanisms_lever_is_an_uncertainty_over_its_declared_range(tmp_path: Path) -> None:
    found = uncertainties(
        {"mechanism.whistle.compliance": "declared", "city.street_staff": "declared"}
    )
    for u in found:  # the allowed range, not the part where the workshop city's lever acts
        meta = check_key(u.name).metadata
        assert (u.low, u.high, u.integer) == (meta["low"], meta["high"], meta["kind"] == "integer")
    sweep = tmp_path / "sweep"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(job, "write_run", fake_run)
        assert (
            main(
                [
                    "-m",
                    "hydra/sweeper=explore",
                    "hydra.sweeper.scenarios=3",
                    "+hydra.sweeper.uncertainties.mechanism.whistle.compliance=declared",
                    *FAST,
                    "replications=2",
                    "reference=null",
                    "mechanism=baseline,whistle",
                    f"hydra.sweep.dir={sweep}",
                ]
            )
            == 0
        )
    design = json.loads((sweep / "explore.json").read_text())
    assert design["uncertainties"] == [
        {"name": "mechanism.whistle.compliance", "low": 0.0, "high": 1.0, "integer": False}
    ]
    ran = runs_of(sweep)
    whistle = (
        ran[ran["mechanism"] == "whistle"]
        .groupby("design_point")["mechanism.whistle.compliance"]
        .first()
    )
    assert whistle.tolist() == [s[0] for s in design["scenarios"]]
    # the baseline has no whistle: it is not given the value, and robustness reads both
    assert ran.loc[ran["mechanism"] == "baseline", "mechanism.whistle.compliance"].isna().all()
    assert analyse(sweep, "resolution_rate").table["scenarios"].tolist() == [3, 3]


def test_scenario_discovery_shows_every_box_and_why_none_is_reported(
    capsys, tmp_path: Path
) -> None:
    rng = np.random.default_rng(3)
    x = {
        "city.case_load_scale": rng.uniform(0.0, 1.0, 10).tolist(),
        "city.residents.trust_mean": rng.uniform(0.0, 1.0, 10).tolist(),
    }
    fails = np.array([1, 0, 1, 0, 1, 0, 1, 1, 0, 0], dtype=bool)  # no pattern to speak of
    sweep = fake_sweep(
        tmp_path / "sweep",
        x,
        {"a": np.where(fails, 0.3, 0.9).tolist(), "b": np.full(10, 0.6).tolist()},
    )
    status, out, _ = govsim_in_process(
        capsys,
        "robustness",
        str(sweep),
        "--metric",
        "resolution_rate",
        "--threshold",
        "0.5",
        "--policy",
        "a",
    )
    assert status == 0
    boxes = pd.read_parquet(sweep / "robustness" / "prim_boxes.parquet")
    candidate = boxes[boxes["role"] == "candidate"].iloc[0]
    # the candidate PRIM peeled to is kept and shown, with why it was not reported
    assert candidate["density"] > 0.5 and candidate["qp"] > 0.05
    reported = boxes[boxes["role"].str.startswith("reported")].iloc[0]
    assert reported["limits"] == "(all scenarios)" and reported["coverage"] == 1.0
    assert f"candidate box {int(candidate['box'])} ({candidate['limits']}" in out
    assert "has no restriction significant at 0.05: dropped" in out
    # each box's statistics are those of the scenarios it holds: k = coverage × cases
    held = boxes["mass"] * 10
    assert np.allclose(boxes["density"] * held, boxes["coverage"] * fails.sum())
    # feature scores and CART beside PRIM: every uncertainty scored, leaves partition
    scores = pd.read_parquet(sweep / "robustness" / "feature_scores.parquet")
    assert set(scores["uncertainty"]) == set(x) and scores["score"].sum() == pytest.approx(1)
    leaves = pd.read_parquet(sweep / "robustness" / "cart.parquet")
    assert leaves["mass"].sum() == pytest.approx(1) and leaves["coverage"].sum() == (
        pytest.approx(1)
    )
    assert "Feature scores" in out and "CART's leaves" in out


def test_a_mechanisms_lever_no_policy_selects_is_refused(capsys, tmp_path: Path) -> None:
    status, _, err = govsim_in_process(
        capsys,
        "-m",
        "hydra/sweeper=explore",
        *FAST,
        "reference=null",
        "mechanism=baseline,grid",
        "+hydra.sweeper.uncertainties.mechanism.whistle.compliance=declared",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
    )
    assert status == 2 and (
        "mechanism.whistle.compliance reaches no policy: none selects mechanism whistle"
    ) in one_line(err)
    assert not (tmp_path / "sweep" / "explore.json").exists()
