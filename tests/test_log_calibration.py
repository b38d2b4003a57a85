"""Calibrating behaviour to a case log: the loss, the accepted ensemble, the command."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import govsim_in_process
from govsim.cases.calibrate import calibrate, daily_counts, daily_error
from govsim.composition.overrides import range_overrides, typed_ranges

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"
FIRST = pd.Timestamp("2025-05-01")
DAYS = 60


def _log(rate: float, closure_days: float, seed: int) -> pd.DataFrame:
    """Cases arising at ``rate`` a day, each closed after an exponential time."""
    rng = np.random.default_rng(seed)
    n = rng.poisson(rate * DAYS)
    created = FIRST + pd.to_timedelta(np.sort(rng.uniform(0, DAYS, n)), unit="D")
    days = rng.exponential(closure_days, n)
    end = FIRST + pd.Timedelta(days=DAYS)
    closed = created + pd.to_timedelta(days, unit="D")
    done = closed < end
    return pd.DataFrame({"created": created, "days": np.where(done, days, np.nan), "done": done})


def test_daily_counts_and_their_error_by_hand() -> None:
    cases = pd.DataFrame(
        {
            "created": pd.to_datetime(
                ["2025-05-01 08:00", "2025-05-01 23:59", "2025-05-03 00:00", "2025-05-09 00:00"]
            )
        }
    )
    counts = daily_counts(cases, FIRST, 3)
    assert counts.tolist() == [2.0, 0.0, 1.0]  # a case after the period is not counted
    # differences 1, 0, −1: RMS sqrt(2/3), over the real mean 1
    assert daily_error(counts, np.array([3.0, 0.0, 0.0])) == pytest.approx(math.sqrt(2 / 3))


def test_the_ensemble_keeps_the_best_share_and_brackets_the_truth() -> None:
    """On a log made with a known rate and closure time, the accepted sets lie near both."""
    real = _log(rate=8.0, closure_days=2.0, seed=1)
    params = [("rate", 2.0, 20.0, False), ("closure", 0.5, 8.0, False)]
    calls: list[list[str]] = []

    def simulate(overrides: list[str]) -> list[pd.DataFrame]:
        calls.append(overrides)
        values = dict(o.split("=") for o in overrides)
        return [
            _log(float(values["rate"]), float(values["closure"]), seed=100 + k) for k in range(2)
        ]

    ensemble = calibrate(simulate, real, FIRST, DAYS, params, trials=40, accept=0.1, seed=0)
    assert len(calls) == 40 and len(ensemble.trials) == 40
    members = ensemble.members
    assert len(members) == 4 and list(members.columns) == ["rate", "closure"]
    trials = ensemble.trials
    assert trials["loss"].is_monotonic_increasing
    assert (trials["loss"] == trials["daily_error"] + trials["ks_distance"]).all()
    assert (
        trials.loc[trials["accepted"], "loss"].max()
        <= trials.loc[~trials["accepted"], "loss"].min()
    )
    # the truth (8 a day, 2 days) sits in the ensemble's ranges, far from the ranges' ends
    assert members["rate"].min() <= 8.0 * 1.15 and members["rate"].max() >= 8.0 * 0.85
    assert members["rate"].between(5.0, 12.0).all()
    assert members["closure"].between(1.0, 4.0).all()


def test_range_overrides_round_integers() -> None:
    params = [("city.street_staff", 1, 9, True), ("city.case_load_scale", 0.5, 2.0, False)]
    assert range_overrides(params, {"city.street_staff": 3.6, "city.case_load_scale": 1}) == [
        "city.street_staff=4",
        "city.case_load_scale=1.0",
    ]


def test_ranges_take_integers_where_the_key_does() -> None:
    assert typed_ranges(
        [("city.residents.report_delay_days", 0, 2, True), ("city.street_staff", 1, 9, False)]
    ) == [("city.residents.report_delay_days", 0, 2, False), ("city.street_staff", 1, 9, True)]


def test_govsim_calibrate_searches_reals_where_the_key_takes_reals() -> None:
    from govsim.analysis.calibrate import Calibration

    key = "city.residents.report_delay_days"
    calibration = Calibration({"backlog": 1.0}, [(key, 0, 2, True)], ["city=workshop"], 1)
    assert calibration.params == [(key, 0, 2, False)]
    assert calibration.overrides({key: 0.5}) == [f"{key}=0.5"]


ARGS = (
    "cases",
    "validate",
    str(EXAMPLES / "example_log.csv"),
    "--mapping",
    str(EXAMPLES / "example_mapping.yaml"),
    "--city",
    "workshop",
)


def _calibrated(capsys, out: Path, trials: int, *options: str) -> tuple[int, str, str]:
    """The example log validated from 10 June after a calibration of the case load (one
    replication a trial, the best quarter of ``trials`` accepted)."""
    return govsim_in_process(
        capsys,
        *ARGS,
        "--from",
        "2025-06-10",
        *options,
        "--param",
        "city.case_load_scale=0.5:2",
        "--trials",
        str(trials),
        "--trial-replications",
        "1",
        "--accept",
        "0.25",
        "--out",
        str(out),
        "--",
        "city.calendar.start_date=2025-05-01",
    )


def test_validate_calibrates_an_ensemble_and_carries_it_into_the_held_out_period(
    capsys, tmp_path: Path
) -> None:
    """The example log was simulated at ``city.case_load_scale=1``: the fit finds it."""
    out = tmp_path / "validation"
    status, _, err = _calibrated(capsys, out, 12, "--replications", "2")
    assert status == 0, err
    trials = pd.read_csv(out / "trials.csv")
    ensemble = pd.read_csv(out / "ensemble.csv")
    assert len(trials) == 12 and trials["accepted"].sum() == 3
    assert list(ensemble.columns) == ["city.case_load_scale"] and len(ensemble) == 3
    assert ensemble.iloc[0, 0] == pytest.approx(trials.iloc[0]["city.case_load_scale"])
    assert abs(ensemble.iloc[0, 0] - 1.0) < 0.25 and ensemble.iloc[:, 0].between(0.6, 1.5).all()
    daily = pd.read_csv(out / "daily.csv")
    assert (daily["simulated_low"] <= daily["simulated_mean"]).all()
    text = (out / "validation.md").read_text(encoding="utf-8")
    assert "3 parameter sets × 2 replications" in text and "## Calibration" in text


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            ["--from", "2025-05-01", "--param", "city.case_load_scale=0.5:2"],
            "leaves no day before it to calibrate on",
        ),
        (["--from", "2025-06-10", "--param", "city.no_such_key=0:1"], "city.no_such_key"),
        (
            ["--from", "2025-06-10", "--param", "city.case_load_scale=0.5:20"],
            "city.case_load_scale",
        ),
        (["--from", "2025-06-10", "--accept", "0"], "--accept '0'"),
        (["--from", "2025-06-10", "--param", "city.case_load_scale=2:1"], "LOW < HIGH"),
        (
            ["--from", "2025-07-10"],
            "does not cover --from 2025-07-10: its span 2025-05-01 … 2025-06-29",
        ),
        (["--from", "2025-04-20"], "does not cover --from 2025-04-20"),
    ],
)
def test_validate_refuses_a_bad_calibration_in_one_line(
    capsys, tmp_path: Path, options: list[str], expected: str
) -> None:
    out = tmp_path / "validation"
    status, _, err = govsim_in_process(
        capsys, *ARGS, *options, "--out", str(out), "--", "city.calendar.start_date=2025-05-01"
    )
    assert status == 2 and expected in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_validate_spreads_twenty_runs_over_the_accepted_sets_by_default(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    """Without ``--replications`` the held-out period runs 20 times in all (a 90% daily band
    needs 19), spread over the accepted sets: 2 sets × 10 runs, not 20 runs each, every run
    on streams of its own (the band's order statistics take the runs as independent)."""
    import govsim.cases.log_validation as log_validation

    held_out: list[int] = []
    run = log_validation._run

    def recorded(experiment, replication, first, end, *rest):
        if first == pd.Timestamp("2025-06-10"):
            held_out.append(replication)
        return run(experiment, replication, first, end, *rest)

    monkeypatch.setattr(log_validation, "_run", recorded)
    out = tmp_path / "validation"
    status, _, err = _calibrated(capsys, out, 8)
    assert status == 0, err
    assert sorted(held_out) == list(range(20))
    assert "(2 parameter sets × 10 replications)" in (out / "validation.md").read_text("utf-8")
    daily = pd.read_csv(out / "daily.csv")
    assert daily["band_coverage"].iloc[0] == pytest.approx(19 / 21)
