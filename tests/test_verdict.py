"""The verdict of a held-out validation: declared thresholds, pass or fail, and short labels
of an ensemble's parameter sets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import experiment, fit_log, govsim_in_process, one_line
from govsim.analysis.pairing import describe, settings, short_texts
from govsim.cases.holdout import compare, per_unit, period
from govsim.cases.verdict import (
    THRESHOLDS,
    daily_band,
    judge,
    parse_threshold,
    verdict_line,
    with_thresholds,
)
from govsim.cli import main

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"
START = "city.calendar.start_date=2025-05-01"
CITY = (
    "city=workshop",
    "days=49",
    "horizon_days=0",
    "warmup_days=28",
    "reference=null",
    "city.calendar.start_date=2025-04-03",
)
"""Three weeks of the workshop city from 1 May after four weeks' warm-up, as ``cases
validate`` runs it (a district's log begins with cases on their way and open)."""


def _log(folder: Path, scale: int, city: str = "workshop") -> Path:
    """A log simulated by ``city`` at ``city.case_load_scale=scale``, seed 1."""
    assert (
        main(
            [
                "cases",
                "simulate",
                "--out",
                str(folder),
                "--",
                *CITY,
                f"city={city}",
                "seed=1",
                f"city.case_load_scale={scale}",
            ]
        )
        == 0
    )
    return folder / "simulated.csv"


def _validate(
    capsys,
    log: Path,
    out: Path,
    scale: int,
    *options: str,
    city: str = "workshop",
    first: str = "2025-05-15",
    replications: int = 8,
) -> tuple[int, str]:
    status, printed, err = govsim_in_process(
        capsys,
        "cases",
        "validate",
        str(log),
        "--mapping",
        str(EXAMPLES / "simulated_mapping.yaml"),
        "--city",
        city,
        "--from",
        first,
        "--replications",
        str(replications),
        "--out",
        str(out),
        *options,
        "--",
        f"city.case_load_scale={scale}",
        START,
    )
    assert "Traceback" not in err, err
    return status, printed


@pytest.fixture(scope="module")
def busy_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 40 cases a day: a week held out holds some 300 (the thresholds' scale)."""
    return _log(tmp_path_factory.mktemp("busy"), 10)


def test_the_same_city_passes_its_own_log(capsys, tmp_path: Path) -> None:
    """The default district (some 80 cases a day at field load, staffed for it) judged on a
    log it simulated itself with another seed.

    Not the workshop city at ten times its load (``busy_log``): staffed for one, it closes a
    third of its cases within a week, a backlog growing all run whose closure shares one
    run's luck moves by more than 0.05.
    """
    log = _log(tmp_path / "log", 1, city="district")
    status, printed = _validate(capsys, log, tmp_path / "v", 1, city="district")
    assert status == 0
    verdict = pd.read_csv(tmp_path / "v" / "verdict.csv")
    assert list(verdict["measure"]) == [t.name for t in THRESHOLDS]
    results = verdict.set_index("measure")["result"]
    assert results[["ks", "daily_band", "weekday"]].eq("pass").all(), verdict
    assert (results == "fail").sum() <= 1, verdict
    # too few streets for a rank correlation
    assert results[["unit_volumes", "unit_closure"]].eq("not judged").all()
    lines = printed.strip().splitlines()
    assert lines[-1].startswith("verdict: PASS (") and "not judged: unit_volumes" in lines[-1]
    text = (tmp_path / "v" / "validation.md").read_text(encoding="utf-8")
    assert "## Verdict" in text and lines[-1] in text and "## Thresholds" in text
    daily = pd.read_csv(tmp_path / "v" / "daily.csv")
    assert (daily["simulated_min"] <= daily["simulated_low"]).all()
    assert (daily["simulated_high"] <= daily["simulated_max"]).all()


def test_a_city_at_twice_the_rate_fails_on_the_daily_band(capsys, tmp_path: Path) -> None:
    log = _log(tmp_path / "log", 5)
    status, printed = _validate(capsys, log, tmp_path / "v", 10)
    assert status == 0  # a verdict is a result, not an error
    verdict = pd.read_csv(tmp_path / "v" / "verdict.csv").set_index("measure")
    assert verdict.loc["daily_band", "result"] == "fail"
    assert verdict.loc["daily_band", "value"] < 0.5
    last = printed.strip().splitlines()[-1]
    assert last.startswith("verdict: FAIL (failed: ") and "daily_band" in last
    # --strict makes a FAIL an exit status; a looser band does not rescue the level
    status, printed = _validate(
        capsys,
        log,
        tmp_path / "strict",
        10,
        "--strict",
        "--threshold",
        "daily_band=0.2",
        "--threshold",
        "ks=0.5",
    )
    assert status == 1
    verdict = pd.read_csv(tmp_path / "strict" / "verdict.csv").set_index("measure")
    assert verdict.loc["daily_band", "threshold"] == "≥ 0.2"
    assert verdict.loc["ks", "threshold"] == "≤ 0.5"


def test_a_fitted_city_s_parameter_draws_run_one_a_replication(
    capsys, tmp_path: Path, busy_log: Path
) -> None:
    """``cases fit`` keeps draws of the demand's parameters beside the city, and ``cases
    validate`` runs them (the same seeds, other parameters: other days), unless told not to;
    a damaged table of draws is refused in one line before anything runs."""
    from govsim.cases.demand_draws import COLUMNS, KEPT, draw_overrides, draws_path

    city = tmp_path / "fitted.yaml"
    mapping = EXAMPLES / "simulated_mapping.yaml"
    status, printed, err = fit_log(capsys, busy_log, mapping, "2025-05-14", city, tmp_path / "r")
    assert status == 0, err
    assert str(draws_path(city)) in printed
    draws = pd.read_csv(draws_path(city))
    assert list(draws.columns) == COLUMNS and len(draws) == KEPT
    assert (draws[["level", "Mon", "Sat"]].std() > 0).all()
    drawn = experiment(f"city={city}", *draw_overrides(draws.iloc[3], 2.0)).city
    assert drawn.case_load_scale == pytest.approx(2 * draws["level"].iloc[3], rel=1e-5)
    assert drawn.calendar.weekday_profile[0] == pytest.approx(draws["Mon"].iloc[3], rel=1e-5)
    assert drawn.calendar.daily_dispersion == pytest.approx(
        draws["daily_dispersion"].iloc[3], rel=1e-5, abs=1e-9
    )
    options = ("--mapping", str(mapping), "--city", str(city), "--from", "2025-05-15")
    daily, texts = {}, {}
    for name, extra in (("draws", ()), ("point", ("--point-estimates",))):
        out = tmp_path / name
        status, _, err = govsim_in_process(
            capsys,
            "cases",
            "validate",
            str(busy_log),
            *options,
            "--replications",
            "3",
            "--out",
            str(out),
            *extra,
        )
        assert status == 0, err
        daily[name] = pd.read_csv(out / "daily.csv")
        texts[name] = (out / "validation.md").read_text(encoding="utf-8")
    assert f"its own draw of the fitted demand's parameters ({KEPT} kept" in texts["draws"]
    assert "no parameter draws" in texts["point"]
    assert not np.allclose(daily["draws"]["simulated_mean"], daily["point"]["simulated_mean"])
    # a draw leaves alone what the command line sets (and what --param calibrates)
    from govsim.cases.demand_draws import drawn_experiment, fixed_keys

    base = experiment(f"city={city}", "city.calendar.holiday_factor=0.5")
    fixed = drawn_experiment(
        base,
        [f"city={city}", "city.calendar.holiday_factor=0.5"],
        draws,
        3,
        frozenset({"city.calendar.holiday_factor"}),
    ).city.calendar
    assert fixed.holiday_factor == 0.5
    assert fixed.weekday_profile[0] == pytest.approx(draws["Mon"].iloc[3], rel=1e-5)
    # but a scale set after -- is the run's own, and the draw's level multiplies it
    scaled = [f"city={city}", "city.case_load_scale=1.2"]
    drawn = drawn_experiment(experiment(*scaled), scaled, draws, 3, fixed_keys(scaled[1:]))
    assert drawn.city.case_load_scale == pytest.approx(1.2 * draws["level"].iloc[3], rel=1e-5)
    # damaged draws are refused in one line naming the file (and the row), before any run
    out_of_range = draws.copy()
    out_of_range.loc[2, "daily_dispersion"] = 50.0  # finite and positive, past the schema's
    for table, named in (("level,Mon\n1,x\n", "fitted.draws.csv"), (out_of_range, "row 3")):
        text = table if isinstance(table, str) else table.to_csv(index=False)
        draws_path(city).write_text(text, encoding="utf-8")
        status, _, err = govsim_in_process(
            capsys, "cases", "validate", str(busy_log), *options, "--out", str(tmp_path / "bad")
        )
        line = one_line(err)
        assert status == 2 and "fitted.draws.csv" in line and named in line, line
        assert not (tmp_path / "bad").exists()


def test_validate_refuses_a_warmup_it_cannot_run_in_one_line(capsys, tmp_path: Path) -> None:
    """Too long a warm-up, or one that would move a schedule's days: refused before a run."""
    log, mapping = EXAMPLES / "example_log.csv", EXAMPLES / "example_mapping.yaml"
    start = ("--city", "workshop", "--from", "2025-06-10", "--out", str(tmp_path / "v"))
    for extra, named in (
        (("--warmup", "40000"), "from 0 to 3650"),
        (
            (
                "--",
                "city.calendar.start_date=2025-05-01",
                "schedule=[{day: 5, key: city.patrol_discovery_rate_per_day, value: 0.5}]",
            ),
            "--warmup 28 with days counted from the run's start (schedule)",
        ),
        (
            ("--", "city.calendar.start_date=2025-05-01", "mechanism.whistle.start_day=3"),
            "mechanism.whistle.start_day=3",
        ),
    ):
        status, _, err = govsim_in_process(
            capsys, "cases", "validate", str(log), "--mapping", str(mapping), *start, *extra
        )
        line = one_line(err)
        assert status == 2 and named in line, line
        assert not (tmp_path / "v").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ks=0.15", ("ks", 0.15)),
        ("daily_band=0.7", ("daily_band", 0.7)),
        ("unit_volumes=-0.2", ("unit_volumes", -0.2)),
        ("weekday=0", ("weekday", 0.0)),
    ],
)
def test_thresholds_are_changed_by_name(text: str, expected: tuple[str, float]) -> None:
    assert parse_threshold(text) == expected
    name, value = expected
    changed = {t.name: t.value for t in with_thresholds([expected])}
    assert changed[name] == value
    assert all(changed[t.name] == t.value for t in THRESHOLDS if t.name != name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kss=0.1",
            "NAME one of ks, within_1, within_3, within_7, daily_band, unit_volumes, "
            "unit_closure, weekday",
        ),
        ("ks", "NAME=VALUE"),
        ("ks=much", "ks from 0 to 1"),
        ("daily_band=1.5", "from 0 to 1"),
        ("unit_closure=-2", "unit_closure from -1 to 1"),
    ],
)
def test_a_bad_threshold_is_refused(text: str, expected: str) -> None:
    with pytest.raises(ValueError, match=expected):
        parse_threshold(text)


def test_validate_refuses_an_unknown_threshold_in_one_line(capsys, tmp_path: Path) -> None:
    status, _, err = govsim_in_process(
        capsys,
        "cases",
        "validate",
        str(EXAMPLES / "example_log.csv"),
        "--mapping",
        str(EXAMPLES / "example_mapping.yaml"),
        "--city",
        "workshop",
        "--from",
        "2025-06-10",
        "--threshold",
        "band=0.5",
        "--out",
        str(tmp_path / "v"),
    )
    assert status == 2 and "daily_band, unit_volumes" in one_line(err)
    assert not (tmp_path / "v").exists()


def _cases(days: list[int], units: list[str], closure: float) -> pd.DataFrame:
    """Cases created at noon of ``days`` (from Monday 5 May), closed ``closure`` days on."""
    created = pd.Timestamp("2025-05-05 12:00") + pd.to_timedelta(days, unit="D")
    return pd.DataFrame(
        {"created": created, "closed": created + pd.Timedelta(days=closure), "unit": units}
    )


def _judged(real: pd.DataFrame, runs: list[pd.DataFrame], days: int) -> pd.DataFrame:
    first = pd.Timestamp("2025-05-05")
    end = first + pd.Timedelta(days=days)
    real = period(real, first, end)
    runs = [period(run, first, end) for run in runs]
    simulated = pd.concat(runs, ignore_index=True)
    per_day = np.array(
        [
            [
                (run["created"].dt.normalize() == first + pd.Timedelta(days=d)).sum()
                for d in range(days)
            ]
            for run in runs
        ],
        dtype=float,
    )
    low, high, coverage = daily_band(per_day)
    counts = [
        (real["created"].dt.normalize() == first + pd.Timedelta(days=d)).sum() for d in range(days)
    ]
    daily = pd.DataFrame(
        {
            "log": counts,
            "simulated_mean": per_day.mean(axis=0),
            "simulated_low": low,
            "simulated_high": high,
            "band_coverage": coverage,
        }
    )
    return judge(
        compare(real, simulated, days, len(runs)),
        daily,
        per_unit(real, simulated, days, len(runs)),
        real,
        simulated,
        days,
    )


def test_a_short_period_leaves_the_weekday_profile_and_few_units_unjudged() -> None:
    real = _cases([0, 0, 1, 2, 2, 2], ["a"] * 6, 0.5)
    runs = [_cases([0, 1, 1, 2, 2], ["a"] * 5, 0.5), _cases([0, 0, 1, 2, 2, 2], ["a"] * 6, 0.5)]
    table = _judged(real, runs, 3).set_index("measure")
    assert table.loc["weekday", "result"] == "not judged"
    assert table.loc["weekday", "note"] == "3 days (a week or more)"
    assert table.loc[["unit_volumes", "unit_closure"], "result"].eq("not judged").all()
    assert table.loc["within_1", "result"] == "pass" and table.loc["ks", "value"] == 0.0
    line = verdict_line(table.reset_index())
    assert (
        line.startswith("verdict: ") and "not judged: unit_volumes, unit_closure, weekday" in line
    )


def test_the_daily_band_counts_the_days_inside_and_units_rank() -> None:
    """A log whose Sunday lies above every run's fails the band at 6 of 7 days with 0.9."""
    units = [f"u{k}" for k in range(6)]
    week = [d for d in range(7) for _ in range(6)]

    def cases(extra_sunday: int, closure: float) -> pd.DataFrame:
        days = week + [6] * extra_sunday
        return _cases(days, [units[k % 6] for k in range(len(days))], closure)

    real = cases(10, 0.5)
    runs = [cases(0, 0.5), cases(1, 0.5), cases(0, 0.5)]
    table = _judged(real, runs, 7).set_index("measure")
    assert table.loc["daily_band", "value"] == pytest.approx(6 / 7)
    assert table.loc["daily_band", "note"] == "6 of 7 days; a band of 50%: 19 runs or more give 90%"
    assert table.loc["daily_band", "result"] == "pass"  # 6 of 7 ≥ 0.85
    assert table.loc["weekday", "note"] == "largest on Sun"
    assert table.loc["weekday", "result"] == "fail"
    assert table.loc["unit_volumes", "result"] in ("pass", "fail")
    assert table.loc["unit_volumes", "note"] == "6 units"


def test_short_texts_keep_distinct_values_distinct() -> None:
    assert short_texts([0.2837462918374652, 0.9123456789012345]) == ["0.28", "0.91"]
    assert short_texts([0.2837462918374652, 0.2841]) == ["0.2837", "0.2841"]
    assert short_texts([14.0, 16.0, 20]) == ["14", "16", "20"]
    assert short_texts([14.0, 14.3]) == ["14", "14.3"]
    assert short_texts(["baseline", True]) == ["baseline", "True"]


def test_an_ensemble_s_settings_are_labelled_by_short_values() -> None:
    """Sets of an ensemble (a sampler's reals): labels of two or more significant digits."""
    delay, hours = "city.residents.report_delay_days", "city.working_hours_per_day"
    rows = [
        {
            "scenario": "default",
            "mechanism": design,
            "seed": 0,
            "replication": r,
            "city.name": "workshop",
            delay: value,
            hours: hour,
            "cases_arisen": 10.0 + r,
        }
        for value, hour in (
            (0.2837462918374652, 14.0),
            (0.2837462918374652, 16.0),
            (0.9123456789012345, 14.0),
        )
        for design in ("baseline", "whistle")
        for r in range(2)
    ]
    found = settings(pd.DataFrame(rows))
    assert [s.label([delay, hours]) for s in found] == [
        f"{delay}=0.28, {hours}=14",
        f"{delay}=0.28, {hours}=16",
        f"{delay}=0.91, {hours}=14",
    ]
    line = describe(found, "baseline")
    assert "0.2837462918374652" not in line and f"{delay}=0.28" in line


def test_runs_begin_before_day_0_so_the_first_days_hold_cases_reported_late(
    capsys, tmp_path: Path, busy_log: Path
) -> None:
    """A district's first logged days hold cases that arose before them; so do warmed runs.

    The log (``busy_log``) comes from a run begun four weeks before 1 May (``CITY``); a
    validation from 1 May that starts its runs empty on that day (``--warmup 0``) lacks the
    cases reported late.
    """
    first_days = {}
    for warmup in ("28", "0"):
        out = tmp_path / f"warmup{warmup}"
        status, _ = _validate(
            capsys, busy_log, out, 10, "--warmup", warmup, first="2025-05-01", replications=4
        )
        assert status == 0
        daily = pd.read_csv(out / "daily.csv").head(7)
        first_days[warmup] = daily["simulated_mean"].sum() / daily["log"].sum()
    # the first week: warmed runs about the log's count, cold ones short by the cases
    # still on their way to being reported
    assert 0.85 <= first_days["28"] <= 1.15, first_days
    assert first_days["0"] < 0.8, first_days


@pytest.mark.parametrize("runs", [5, 20, 50])
def test_the_daily_band_holds_a_right_model_s_day_as_often_as_it_says(runs: int) -> None:
    """A right model's day is one more draw of what the runs are: over many trials of R runs
    and one more, the band holds it in the share :func:`band_rank` gives — at least 90% from
    19 runs on (the runs' 5th to 95th percentiles would hold 81% at 20 runs, 86% at 50) —
    and the note says when the runs are too few for 90%."""
    from govsim.cases.verdict import BAND, band_rank

    rng = np.random.default_rng(runs)
    draws = rng.normal(size=(20_000, runs + 1))
    low, high, coverage = daily_band(draws[:, :runs].T)
    held = float(((low <= draws[:, runs]) & (draws[:, runs] <= high)).mean())
    assert coverage == band_rank(runs)[1]
    assert held == pytest.approx(coverage, abs=0.01)
    assert (coverage >= BAND) == (runs >= 19)
    percentiles = np.quantile(draws[:, :runs], (0.05, 0.95), axis=1)
    plain = float(((percentiles[0] <= draws[:, runs]) & (draws[:, runs] <= percentiles[1])).mean())
    assert plain < BAND - 0.03
    real = _cases([0, 1, 2], ["a"] * 3, 0.5)
    many = [_cases([0, 1, 2], ["a"] * 3, 0.5)] * runs
    note = _judged(real, many, 3).set_index("measure").loc["daily_band", "note"]
    assert note.startswith("3 of 3 days")
    assert ("19 runs or more give 90%" in note) == (runs < 19)
