"""``govsim cases reform``: the whistle on a fitted city, paired, with its intervals and verdict."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import govsim_in_process, one_line
from govsim.cases.reform import MEASURES
from govsim.cases.verdict import verdict_line
from govsim.cli import main

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"
LOG, MAPPING = EXAMPLES / "example_log.csv", EXAMPLES / "example_mapping.yaml"
SMALL = ("--days", "30", "--warmup", "14")
"""A short reform of the workshop city: 14 days before day 0, 30 days of reform."""
AFTER = ("--", "horizon_days=10")


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example log fitted to 9 June onto the workshop city and judged from 10 June
    under baseline routing."""
    folder = tmp_path_factory.mktemp("reform")
    city, validation = folder / "fitted.yaml", folder / "validation"
    mapped = (str(LOG), "--mapping", str(MAPPING))
    fit = ("cases", "fit", *mapped, "--city", "workshop", "--until", "2025-06-09")
    assert main([*fit, "--out", str(city), "--report", str(folder / "fit")]) == 0
    judge = ("cases", "validate", *mapped, "--city", str(city), "--from", "2025-06-10")
    before = ("--", "mechanism=baseline")  # the city before the reform
    assert main([*judge, "--replications", "2", "--out", str(validation), *before]) == 0
    return city, validation


def _compared(
    capsys, city: Path, validation: Path, out: Path, *options: str
) -> tuple[int, str, str]:
    """``cases reform`` of the short reform in this process (2 replications unless given;
    ``options`` come after the short reform's, and an option given again wins)."""
    replications = () if "--replications" in options else ("--replications", "2")
    return govsim_in_process(
        capsys,
        "cases",
        "reform",
        "--city",
        str(city),
        "--validation",
        str(validation),
        *SMALL,
        *options,
        *replications,
        "--out",
        str(out),
        *AFTER,
    )


@pytest.fixture(scope="module")
def reformed(validated: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whistle on the fitted city: 3 parameter points (draws 1-3) × 2 replications."""
    city, validation = validated
    out = tmp_path_factory.mktemp("reformed") / "reform"
    args = ("--city", str(city), "--validation", str(validation), "--points", "3")
    assert (
        main(["cases", "reform", *args, "--replications", "2", *SMALL, "--out", str(out), *AFTER])
        == 0
    )
    return out


def test_the_reform_reports_the_effects_beside_the_validation_s_verdict(
    capsys, validated: tuple[Path, Path], tmp_path: Path
) -> None:
    """Fit, validate, reform: the verdict line of the validation above the effect table, and
    each measure's levels and paired effect with noise, parameter and total intervals."""
    city, validation = validated
    out = tmp_path / "reform"
    status, printed, err = _compared(capsys, city, validation, out, "--points", "3")
    assert status == 0, err
    line = verdict_line(pd.read_csv(validation / "verdict.csv"))
    assert line.startswith("verdict: FAIL")  # the example log's 20 held-out days: a FAIL
    report = (out / "reform.md").read_text(encoding="utf-8")
    for text in (report, printed):
        assert line in text and "2025-06-10 to 2025-06-29" in text and str(city) in text
        assert text.index(line) < text.index("whistle − baseline")  # the verdict above
        assert "VALIDATION FAILED" in text.upper() and "ks" in text
        assert "it judged baseline, this comparison's reference arm" in text
        # the validation's runs began 28 days early, these 14
        assert "the validation's runs began 28 days before the city's day 0, this " in text
        assert "--warmup 14 days: the reform does not start from the state" in text
        assert all(measure in text for measure in MEASURES)
    assert "3 parameter points: rows 1–3 of `fitted.draws.csv`" in report
    assert "point k runs replications 2k to 2k + 1, streams of its own" in report
    assert "each point's mean also carries the noise of its own 2 runs" in report
    table = pd.read_csv(out / "reform.csv")
    for kind in ("noise", "parameter", "total"):
        assert {f"{kind}_low", f"{kind}_high"} <= set(table.columns)
    assert len(table) == 3 * len(MEASURES)
    assert set(table["quantity"]) == {"baseline", "mechanism", "effect"}
    # the total interval adds the noise's and the parameters' half-widths in quadrature on
    # each side: at least as wide as each, and wider than the noise where the points differ
    for side, sign in (("low", -1.0), ("high", 1.0)):
        noise = sign * (table[f"noise_{side}"] - table["mean"])
        parameter = sign * (table[f"parameter_{side}"] - table["mean"])
        total = sign * (table[f"total_{side}"] - table["mean"])
        assert (noise >= 0).all() and (parameter >= -1e-12).all()
        assert (total >= noise - 1e-12).all() and (total >= parameter - 1e-12).all()
        assert np.allclose(total, np.hypot(noise, parameter))
        assert (total > noise + 1e-9).any()
    # the effect is the paired difference of the runs, its mean that of the arms' means
    runs = pd.read_csv(out / "runs.csv")
    arms = runs.pivot_table(
        index=["design_point", "replication"], columns="arm", values=MEASURES[0]
    )
    effect = table.set_index(["measure", "quantity"]).loc[(MEASURES[0], "effect")]
    assert effect["mean"] == pytest.approx((arms["treatment"] - arms["reference"]).mean())
    assert (out / "reform.png").is_file() and (out / "config.yaml").is_file()
    # the whistle settles some 3 points more at the street, nearly all by departments' staff
    # who come there: the note divides the gain into the work and the venue
    means = table[table["quantity"] == "effect"].set_index("measure")["mean"]
    settled, handled = 100 * means[MEASURES[0]], 100 * means[MEASURES[1]]
    assert settled > 1 and settled - handled > 0.9 * settled
    for text in (report, printed):
        assert f"of the {settled:+.3g} points settled at or below the street" in text
        assert f"{handled:+.3g} are cases handled there by staff at or below the street" in text
        assert f"the other {settled - handled:.3g} points" in text
        assert "the venue moved, not the work" in text


def test_both_arms_of_a_replication_see_the_same_cases(reformed: Path) -> None:
    """Common random numbers: at each point and replication the two arms have the same cases
    arisen (replications and points differ), while the whistle changes where they end. Each
    point runs streams of its own: point k replications 2k and 2k + 1 (R = 2), both arms."""
    runs = pd.read_csv(reformed / "runs.csv")
    assert len(runs) == 3 * 2 * 2 and set(runs["arm"]) == {"treatment", "reference"}
    for (point, arm), group in runs.groupby(["design_point", "arm"]):
        assert sorted(group["replication"]) == [2 * point, 2 * point + 1], (point, arm)
    assert (runs["seed"] == 0).all()
    arisen = runs.pivot_table(
        index=["design_point", "replication"], columns="arm", values="cases_arisen"
    )
    assert arisen.notna().all().all()  # every run has its pair
    assert (arisen["treatment"] == arisen["reference"]).all()
    assert arisen["treatment"].nunique() == len(arisen)  # no two points' runs alike
    settled = runs.pivot_table(
        index=["design_point", "replication"], columns="arm", values=MEASURES[0]
    )
    assert (settled["treatment"] != settled["reference"]).any()
    assert set(runs.loc[runs["arm"] == "treatment", "mechanism"]) == {"whistle"}
    assert set(runs.loc[runs["arm"] == "reference", "mechanism"]) == {"baseline"}


def test_points_from_the_fit_s_draws_widen_the_interval_and_none_leave_the_noise(
    capsys, validated: tuple[Path, Path], reformed: Path, tmp_path: Path
) -> None:
    """Three draws give three point means apart (a parameter interval wider than 0); the
    same city without its draws runs one point, and its total interval is the noise's."""
    drawn = pd.read_csv(reformed / "reform.csv").set_index(["measure", "quantity"])
    for quantity in ("baseline", "effect"):
        row = drawn.loc[(MEASURES[0], quantity)]
        assert row["points"] == 3 and row["parameter_high"] > row["parameter_low"]
    city, validation = validated
    bare = tmp_path / "bare" / city.name
    bare.parent.mkdir()
    shutil.copy(city, bare)  # the same city, its draws left behind
    out = tmp_path / "reform"
    status, printed, err = _compared(capsys, bare, validation, out, "--replications", "3")
    assert status == 0, err
    table = pd.read_csv(out / "reform.csv")
    assert (table["points"] == 1).all() and (table["replications"] == 3).all()
    assert np.allclose(table["parameter_low"], table["mean"])
    assert np.allclose(table["parameter_high"], table["mean"])
    assert np.allclose(table["total_low"], table["noise_low"])
    assert np.allclose(table["total_high"], table["noise_high"])
    noise = table["noise_high"] - table["noise_low"]
    assert (noise[table["quantity"] == "baseline"] > 0).all()
    report = (out / "reform.md").read_text(encoding="utf-8")
    for text in (report, printed):
        assert "replicate noise only" in text and "the validation ran its parameter draws" in text


def test_a_scale_set_after_the_options_is_multiplied_by_each_draw_s_level(
    validated: tuple[Path, Path],
) -> None:
    """``-- city.case_load_scale=1.2`` is the run's scale and each point's draw multiplies it
    by its level: 1.2 × the level of draws 1-3 (not 1.2 at every point)."""
    from govsim.cases.demand_draws import read_draws
    from govsim.cases.reform import ReformRequest, _plan

    city, validation = validated
    draws = read_draws(str(city))
    scale = ["horizon_days=10", "city.case_load_scale=1.2"]
    request = ReformRequest(str(city), validation, points=3, days=30, warmup=14, overrides=scale)
    configs, _ = _plan(request, ["whistle"], draws)
    scales = [cfg.city.case_load_scale for cfg in configs]
    assert scales == pytest.approx(1.2 * draws["level"].iloc[:3].to_numpy(), rel=1e-5)
    assert len(set(scales)) == 3


def test_one_point_of_the_draws_says_its_intervals_hold_the_noise_only(
    capsys, validated: tuple[Path, Path], tmp_path: Path
) -> None:
    """``--points 1`` of a city with draws runs draw 1 alone: the note says the intervals hold
    replicate noise only (as without draws); the validation's warm-up, 28 days, is kept, and
    no note says otherwise."""
    city, validation = validated
    out = tmp_path / "reform"
    status, printed, err = _compared(
        capsys, city, validation, out, "--points", "1", "--warmup", "28"
    )
    assert status == 0, err
    table = pd.read_csv(out / "reform.csv")
    assert (table["points"] == 1).all()
    assert np.allclose(table["total_low"], table["noise_low"])
    assert np.allclose(table["total_high"], table["noise_high"])
    report = (out / "reform.md").read_text(encoding="utf-8")
    for text in (report, printed):
        assert "one parameter point, row 1 of fitted.draws.csv (--points 1)" in text
        assert "replicate noise only" in text
        assert "does not start from the state the validation judged" not in text
    assert "Each run begins 28 days before the city's day 0" in report


def test_the_mechanism_acts_from_the_city_s_day_0_and_not_in_the_warm_up(
    validated: tuple[Path, Path],
) -> None:
    """Point 0's two arms as the reform plans them, replication 0 run day by day: the city's
    day 0 (its ``calendar.start_date``) is model day ``--warmup``; on every day before it the
    arms' daily series are the same (baseline routing in both, the same cases), after it the
    whistle's differ."""
    from datetime import date, timedelta

    from conftest import experiment
    from govsim.cases.demand_draws import read_draws
    from govsim.cases.reform import ReformRequest, _plan, first_replication
    from govsim.city.build import build_city
    from govsim.experiments.arms import arms
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.daily import DAILY_REPORTERS

    city, validation = validated
    warmup = 14
    request = ReformRequest(
        str(city), validation, points=1, days=30, warmup=warmup, overrides=["horizon_days=10"]
    )
    (cfg,), origin = _plan(request, ["whistle"], read_draws(str(city)))
    day_0 = date.fromisoformat(str(experiment(f"city={city}").city.calendar.start_date))
    assert origin == day_0
    start = date.fromisoformat(str(cfg.city.calendar.start_date))
    built = build_city(cfg.city)
    series = {}
    for arm in arms(cfg):
        model = GovernanceModel(
            cfg, arm.mechanisms, first_replication(0, 2), built, DAILY_REPORTERS
        )
        model.run_model()
        assert model.reform_day == warmup and start + timedelta(days=model.reform_day) == day_0
        series[arm.role] = pd.DataFrame(model.datacollector.model_vars)
    treatment, reference = series["treatment"], series["reference"]
    assert len(treatment) == warmup + 30
    assert list(treatment["day"]) == list(range(1 - warmup, 31))  # each day collected at its end
    before = treatment["day"] <= 0  # the warm-up's days: model days 0 .. warmup − 1
    assert before.sum() == warmup
    pd.testing.assert_frame_equal(treatment[before], reference[before])
    assert (treatment.loc[before, "whistles"] == 0).all()
    after = ~before
    assert (treatment.loc[after, "whistles"] > 0).any()
    changed = [
        c for c in DAILY_REPORTERS if not treatment.loc[after, c].equals(reference.loc[after, c])
    ]
    assert "cases_escalated_above_street" in changed, changed
    assert treatment.loc[after, "cases_arisen"].equals(reference.loc[after, "cases_arisen"])


def _reform(capsys, *args: str) -> tuple[int, str]:
    status, _, err = govsim_in_process(capsys, "cases", "reform", *args)
    return status, one_line(err)


def test_the_reform_refuses_in_one_line_and_writes_nothing(
    capsys, validated: tuple[Path, Path], tmp_path: Path
) -> None:
    """A missing city, a missing validation, one without its verdict, one whose verdict lacks
    a column the report reads, one of another city or of other draws, an unknown or
    baseline mechanism, more points than draws, one replication, negative days and an
    override of what an option sets: exit status 2, one line naming it, no folder."""
    from govsim.cases.demand_draws import draws_path
    from govsim.cases.validated import VERDICT_COLUMNS

    city, validation = validated
    other = tmp_path / "other.yaml"  # another text: another city
    other.write_text(city.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    redrawn = tmp_path / "redrawn" / city.name  # the same city, its draws edited
    redrawn.parent.mkdir()
    shutil.copy(city, redrawn)
    draws = pd.read_csv(draws_path(city))
    draws.loc[0, "level"] *= 1.01
    draws.to_csv(draws_path(redrawn), index=False)
    unjudged = tmp_path / "unjudged"
    shutil.copytree(validation, unjudged)
    (unjudged / "verdict.csv").unlink()
    unrecorded = tmp_path / "unrecorded"
    shutil.copytree(validation, unrecorded)
    (unrecorded / "validated.json").unlink()
    lacking = []  # a verdict without each column in turn
    for column in VERDICT_COLUMNS:
        folder = tmp_path / f"without_{column}"
        shutil.copytree(validation, folder)
        verdict = pd.read_csv(folder / "verdict.csv").drop(columns=column)
        verdict.to_csv(folder / "verdict.csv", index=False)
        lacking.append((("--city", str(city), "--validation", str(folder)), f"column {column}"))
    out = tmp_path / "reform"
    given = ("--city", str(city), "--validation", str(validation), "--out", str(out))
    for args, named in (
        (
            ("--city", str(tmp_path / "none.yaml"), "--validation", str(validation)),
            f"--city {tmp_path / 'none.yaml'} is not a file",
        ),
        (("--city", str(city), "--validation", str(tmp_path / "none")), "--validation"),
        (("--city", str(city), "--validation", str(unjudged)), "holds no verdict.csv"),
        (("--city", str(city), "--validation", str(unrecorded)), "validated.json"),
        *lacking,
        (("--city", str(other), "--validation", str(validation)), "not --city"),
        (("--city", str(redrawn), "--validation", str(validation)), "other parameter draws"),
        ((*given, "--mechanism", "whistel"), "--mechanism 'whistel'"),
        ((*given, "--mechanism", "baseline"), "--mechanism 'baseline'"),
        ((*given, "--points", "101"), "holds 100 parameter draws"),
        ((*given, "--replications", "1"), "--replications"),
        ((*given, "--days", "-5"), "--days"),
        ((*given, "--days", "20"), "--days 20"),  # the cases of the last 30 days not counted
        ((*given, "--", "mechanism=hotline"), "--mechanism"),
        ((*given, "--point-estimates", "--points", "2"), "--points 2"),
    ):
        status, line = _reform(capsys, *args, "--out", str(out))
        assert status == 2 and named in line, (args, line)
        assert not out.exists()
    status, line = _reform(capsys, *given[:4], "--mechanism", "whistel", "--out", str(out))
    assert "whistle" in line.split("(allowed:")[1]  # what is allowed is named


def test_cases_help_lists_the_reform(capsys) -> None:
    status, printed, _ = govsim_in_process(capsys, "cases", "--help")
    assert status == 0 and "reform    --city FITTED.yaml --validation DIR" in printed
