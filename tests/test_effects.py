"""Paired effects of a design sweep, their sensitivity with a noise floor, and uncertainty."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import govsim.analysis.effects as effects
from conftest import govsim_in_process, one_line
from govsim.analysis.indices import batch_indices, indices
from govsim.analysis.noise_floor import bootstrap, noise_floor
from govsim.analysis.sensitivity import study
from govsim.analysis.uncertainty import assess, decompose
from govsim.cli import main
from govsim.config.errors import PairingError
from govsim.experiments.collect import collect
from govsim.experiments.design import DUMMY, sample
from govsim.experiments.ensemble import ensemble_design

LEVER = "mechanism.whistle.compliance"
METRIC = "share_of_resolved_at_or_below_street"
"""Compliance decides whether departments come to the street at all: a strong effect."""

SMALL = (
    "city=workshop",
    "days=30",
    "warmup_days=0",
    "horizon_days=5",
    "replications=3",
    "progress=false",
)


@pytest.fixture(scope="module")
def morris(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Morris design of 2 trajectories over compliance (and the dummy), whistle against
    baseline routing, 3 paired replications per point."""
    sweep = tmp_path_factory.mktemp("morris")
    assert (
        main(
            [
                "-m",
                "hydra/sweeper=design",
                "hydra.sweeper.method=morris",
                "hydra.sweeper.samples=2",
                f"+hydra.sweeper.params.{LEVER}=[0.0,1.0]",
                *SMALL,
                f"hydra.sweep.dir={sweep}",
            ]
        )
        == 0
    )
    return sweep


def test_the_dummy_is_sampled_but_passed_to_no_job(morris: Path) -> None:
    design = json.loads((morris / "design.json").read_text())
    assert design["problem"]["names"] == [LEVER, DUMMY]
    jobs = json.loads((morris / "sweep.json").read_text())["runs"]
    assert len(jobs) == len(design["points"]) == 2 * 3
    overrides = [o for job in jobs for o in job["overrides"]]
    assert any(o.startswith(f"{LEVER}=") for o in overrides)
    assert not any(DUMMY in o for o in overrides)
    runs, _ = collect(morris)
    assert not any(DUMMY in str(c) for c in runs.columns)


def test_paired_effect_is_treatment_minus_reference_by_hand(morris: Path) -> None:
    _, table = effects.replicates(morris, METRIC, "effect")
    runs, _ = collect(morris)
    by_hand = {}
    for _, run in runs[runs["arm"] == "treatment"].iterrows():
        twin = runs[
            (runs["arm"] == "reference")
            & (runs["design_point"] == run["design_point"])
            & (runs["seed"] == run["seed"])
            & (runs["replication"] == run["replication"])
        ]
        assert len(twin) == 1
        by_hand[(run["design_point"], run["replication"])] = run[METRIC] - twin[METRIC].iloc[0]
    assert len(table) == len(by_hand) == 6 * 3
    for _, row in table.iterrows():
        assert row["effect"] == pytest.approx(by_hand[(row["design_point"], row["replication"])])
    assert (table["effect"] != 0).any()


def test_a_strong_lever_rises_above_the_noise_floor(morris: Path) -> None:
    found = study(morris, METRIC, "effect", draws=100)
    rows = found.table.set_index("parameter")
    assert rows.loc[DUMMY, "mu_star"] == 0.0  # its steps repeat a point exactly (CRN)
    assert rows.loc[DUMMY, "mu_star_high"] == 0.0  # and still do when resampled whole
    assert found.floor > 0.0  # what replicate noise alone makes, replications apart
    assert rows.loc[LEVER, "mu_star_low"] > found.floor
    assert not rows.loc[LEVER, "noise"] and found.noise > 0 and not found.notes
    again = study(morris, METRIC, "effect", draws=100)
    pd.testing.assert_frame_equal(found.table, again.table)


def test_commands_write_effect_sensitivity_and_uncertainty(capsys, morris: Path) -> None:
    status, out, err = govsim_in_process(
        capsys,
        "sensitivity",
        str(morris),
        "--metric",
        METRIC,
        "--of",
        "effect",
        "--bootstrap",
        "50",
    )
    assert status == 0, err
    assert "paired effect" in out and "Noise floor" in out
    assert (morris / "sensitivity" / "effect_indices.parquet").is_file()
    status, out, err = govsim_in_process(capsys, "uncertainty", str(morris), "--metric", METRIC)
    assert status == 0, err
    table = pd.read_parquet(morris / "uncertainty" / "uncertainty.parquet").set_index("quantity")
    points = pd.read_parquet(morris / "uncertainty" / "points.parquet")
    assert list(table.index) == ["effect", "level"] and "Paired effect" in out
    assert (morris / "uncertainty" / "uncertainty.png").is_file()
    # the dummy's steps repeat points; each distinct compliance counts once
    assert len(points) == points[LEVER].nunique() == table.loc["effect", "points"] < 6
    assert table.loc["effect", "mean"] == pytest.approx(points["effect"].mean())


def _samples(means: list[float], noise: float, replications: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [m + noise * rng.standard_normal(replications) for m in means]


def test_the_variance_split_is_the_law_of_total_variance_by_hand() -> None:
    samples = _samples([0.0, 1.0, 3.0, 2.0, 5.0], noise=0.7, replications=4, seed=2)
    got = decompose(samples)
    frame = pd.DataFrame(
        [(k, v) for k, values in enumerate(samples) for v in values], columns=["point", "y"]
    )
    means = frame.groupby("point")["y"].mean()
    within = frame.groupby("point")["y"].var(ddof=1).mean()  # balanced: the pooled variance
    between = means.var(ddof=1) - within / 4
    assert got["var_within"] == pytest.approx(within)
    assert got["var_between"] == pytest.approx(between)
    assert got["share_parameters"] == pytest.approx(between / (between + within))
    half = stats.t.ppf(0.975, 5 * 3) * np.sqrt(within / 4)
    assert got["noise_high"] - got["mean"] == pytest.approx(half)
    assert got["mean"] == pytest.approx(frame["y"].mean())
    low, high = np.percentile(means, [2.5, 97.5])
    assert (got["parameter_low"], got["parameter_high"]) == pytest.approx((low, high))
    assert got["total_low"] < min(low, got["noise_low"])
    assert got["total_high"] > max(high, got["noise_high"])


def test_without_parameter_spread_only_replicate_noise_is_left() -> None:
    same = [np.array([0.2, 0.5, 0.3])] * 4
    got = decompose(same)
    assert got["parameter_low"] == got["parameter_high"] == pytest.approx(got["mean"])
    assert got["var_between"] == 0.0 and got["share_parameters"] == 0.0
    assert (got["total_low"], got["total_high"]) == pytest.approx(
        (got["noise_low"], got["noise_high"])
    )


@pytest.mark.parametrize(("method", "samples"), [("morris", 5), ("sobol", 16), ("lhs", 10)])
def test_bootstrap_estimators_are_salibs(method: str, samples: int) -> None:
    problem, points = sample(
        method, {"a.x": [0.0, 1.0], "b.y": [2, 10], DUMMY: [0.0, 1.0]}, samples, seed=1
    )
    outputs = np.random.default_rng(3).normal(size=(3, len(points))) + 2 * points[:, 0]
    batch = batch_indices(method, problem, points, outputs)
    for draw in range(3):
        one = indices(method, problem, points, outputs[draw], seed=0)
        for name, values in batch.items():
            assert one[name].to_numpy() == pytest.approx(values[draw])


@pytest.mark.parametrize("second_order", [False, True])
def test_bootstrap_sobol_indices_are_salibs_estimators_on_every_draw(second_order: bool) -> None:
    from SALib.analyze import sobol

    problem, points = sample(
        "sobol",
        {"a.x": [0.0, 1.0], "b.y": [2, 10], DUMMY: [0.0, 1.0]},
        32,
        seed=1,
        second_order=second_order,
    )
    outputs = np.random.default_rng(3).normal(size=(6, len(points))) + 2 * points[:, 0]
    outputs[4] = 1.5  # a draw without spread: no index
    batch = batch_indices("sobol", problem, points, outputs)
    for draw in (0, 1, 2, 3, 5):
        one = sobol.analyze(
            problem, outputs[draw], calc_second_order=second_order, num_resamples=2, seed=1
        )
        for name in ("S1", "ST"):
            np.testing.assert_allclose(batch[name][draw], one[name], rtol=1e-12, atol=1e-15)
    assert not batch["S1"][4].any() and not batch["ST"][4].any()


def test_bootstrap_is_reproducible_and_wider_with_fewer_replications() -> None:
    problem, points = sample("morris", {"a.x": [0.0, 1.0], DUMMY: [0.0, 1.0]}, 6, seed=0)

    def interval(replications: int) -> pd.DataFrame:
        samples = _samples(list(3 * points[:, 0]), 0.5, replications, seed=4)
        return bootstrap("morris", problem, points, samples, seed=7, draws=200)[0]

    few, many = interval(3), interval(30)
    pd.testing.assert_frame_equal(few, interval(3))
    width = few["mu_star_high"] - few["mu_star_low"]
    assert (width > many["mu_star_high"] - many["mu_star_low"]).all()


def test_bootstrap_intervals_hold_their_estimate_under_common_random_numbers() -> None:
    """A weak lever under common random numbers: replicate noise shared by every point.

    Resampling each point's replications apart adds noise the estimate does not have, so
    its percentiles can lie wholly above the estimate; resampled as a whole they hold it.
    """
    problem, points = sample("morris", {"a.x": [0.0, 1.0], DUMMY: [0.0, 1.0]}, 8, seed=0)
    shared = np.random.default_rng(5).normal(scale=1.0, size=10)  # one value a replication
    own = np.random.default_rng(6).normal(scale=0.01, size=(len(points), 10))
    samples = [0.01 * x + shared + own[k] for k, x in enumerate(points[:, 0])]
    y = np.array([v.mean() for v in samples])
    estimate = indices("morris", problem, points, y, seed=0).set_index("parameter")
    table = bootstrap("morris", problem, points, samples, seed=7, draws=400)[0]
    table = table.set_index("parameter")
    for name in ("a.x", DUMMY):
        assert table.loc[name, "mu_star_low"] <= estimate.loc[name, "mu_star"] + 1e-12
        assert estimate.loc[name, "mu_star"] <= table.loc[name, "mu_star_high"] + 1e-12
    assert (
        noise_floor("morris", problem, points, samples, seed=7, draws=400)
        > (table.loc["a.x", "mu_star_high"])
    )  # noise apart dwarfs the paired interval


def _level_only_sweep(folder: Path) -> pd.DataFrame:
    """A Latin hypercube saved before designs had a dummy, run with no reference arm."""
    points = [[0.1], [0.4], [0.6], [0.9]]
    (folder / "design.json").write_text(
        json.dumps(
            {
                "method": "lhs",
                "seed": 0,
                "points": points,
                "problem": {"num_vars": 1, "names": [LEVER], "bounds": [[0.0, 1.0]]},
            }
        )
    )
    return pd.DataFrame(
        [
            {
                "status": "done",
                "arm": "treatment",
                "scenario": "default",
                "mechanism": "whistle",
                "seed": 0,
                "replication": r,
                "design_point": k,
                LEVER: x,
                "resolution_rate": x + 0.1 * r,
            }
            for k, (x,) in enumerate(points)
            for r in range(2)
        ]
    )


def test_an_old_design_has_no_noise_floor_and_effects_need_a_reference(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _level_only_sweep(tmp_path)
    monkeypatch.setattr(effects, "collect", lambda _: (runs, None))
    found = study(tmp_path, "resolution_rate", "level", draws=20)
    assert found.table["noise"].isna().all() and DUMMY not in set(found.table["parameter"])
    assert any("no noise floor" in note for note in found.notes)
    status, _, err = govsim_in_process(
        capsys, "sensitivity", str(tmp_path), "--metric", "resolution_rate", "--of", "effect"
    )
    assert status == 2 and "needs a reference arm" in one_line(err)
    status, _, err = govsim_in_process(
        capsys, "uncertainty", str(tmp_path), "--metric", "resolution_rat"
    )
    assert status == 2 and "'resolution_rat' is not a metric" in one_line(err)
    assert list(assess(tmp_path, "resolution_rate").table["quantity"]) == ["level"]


def test_an_ensemble_is_its_rows_with_a_dummy(tmp_path: Path) -> None:
    draws = tmp_path / "draws.parquet"
    pd.DataFrame({LEVER: [0.2, 0.9, 0.5], "city.street_staff": [3, 8, 5]}).to_parquet(draws)
    bounds, problem, points = ensemble_design(str(draws), {}, seed=0, dummy=DUMMY)
    assert problem["names"] == [LEVER, "city.street_staff", DUMMY]
    assert bounds["city.street_staff"] == [3, 8] and isinstance(bounds["city.street_staff"][0], int)
    assert points[:, :2].tolist() == [[0.2, 3], [0.9, 8], [0.5, 5]]
    assert ((points[:, 2] >= 0) & (points[:, 2] <= 1)).all()
    assert ensemble_design(str(draws), {}, seed=0, dummy=DUMMY)[2].tolist() == points.tolist()


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ("mechanism.whistle.compliance,note\n0.2,1\n", "column 'note' is not a dotted"),
        (
            "mechanism.whistle.compliance,city.street_staff\n0.2,a\n",
            "column 'city.street_staff' is not numeric",
        ),
        (
            "mechanism.whistle.compliance,city.street_staff\n0.2,\n",
            "column 'city.street_staff' has missing",
        ),
    ],
)
def test_a_malformed_ensemble_is_refused_naming_the_column(
    capsys, tmp_path: Path, table: str, named: str
) -> None:
    draws = tmp_path / "draws.csv"
    draws.write_text(table)
    sweep = tmp_path / "sweep"
    status, _, err = govsim_in_process(
        capsys,
        "-m",
        "hydra/sweeper=design",
        "hydra.sweeper.method=ensemble",
        f"hydra.sweeper.ensemble={draws}",
        *SMALL,
        f"hydra.sweep.dir={sweep}",
    )
    assert status == 2 and named in one_line(err) and str(draws) in err
    assert not list(sweep.glob("run-*"))


@pytest.mark.parametrize(
    ("reference_replications", "twin", "refused"),
    [
        ([0, 1], False, None),
        ([0], False, "1 treatment runs have no reference run"),
        ([0, 1], True, "2 different treatment runs with seed 0 and replication 1"),
    ],
)
def test_effects_pair_each_run_with_its_reference_or_refuse(
    reference_replications: list[int], twin: bool, refused: str | None
) -> None:
    base = {"status": "done", "scenario": "default", "seed": 0, "design_point": 0}
    rows = [
        {**base, "arm": "treatment", "mechanism": "whistle", "replication": r, "m": 1.0 + r}
        for r in (0, 1)
    ]
    rows += [
        {**base, "arm": "reference", "mechanism": "baseline", "replication": r, "m": 0.25 * r}
        for r in reference_replications
    ]
    rows += [rows[1]] * 2  # a run recorded twice counts once
    if twin:
        rows.append({**rows[1], "m": 9.0})
    runs = pd.DataFrame(rows)
    if refused is None:
        table = effects.paired_effects(runs, "m", [])
        assert table["effect"].tolist() == [1.0, 1.75]
        assert effects.treatment_levels(runs, "m", [])["level"].tolist() == [1.0, 2.0]
        return
    with pytest.raises(PairingError, match=refused):
        effects.paired_effects(runs, "m", [])
