"""Nothing varied goes missing: every value a sweep varies is a column, and ``compare``
reports each setting apart, pairing only runs that differ in their design alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

import govsim
from conftest import FAST, govsim_in_process, one_line
from govsim.analysis.pairing import PAIRED_ON, describe, paired, settings
from govsim.analysis.stats import paired_differences
from govsim.cli import main
from govsim.config.errors import PairingError
from govsim.experiments.collect import collect
from govsim.experiments.columns import (
    BOOKKEEPING,
    RUN_IDS,
    configuration_columns,
    metric_columns,
    varying_parameters,
)
from govsim.experiments.sweep import MANIFEST
from govsim.mechanisms import canonical
from govsim.outcomes.metrics import KEY_METRICS
from govsim.report.compare import load
from govsim.report.display import format_interval

CAPACITY = "city.departments.urban_management.staff"
"""The capacity swept: urban management is the workshop city's busiest department."""
LEVELS = (1, 2, 4)
BUSY = (
    "city=workshop",
    "days=40",
    "horizon_days=10",
    "replications=2",
    "progress=false",
    "city.case_load_scale=3",
    "mechanism=whistle",
)
"""A small city loaded enough that its capacity changes the whistle's effect."""
DIFFERENCE = ["difference", "ci_low", "ci_high"]


@pytest.fixture(scope="module")
def capacity_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sweep of the whistle against baseline routing at three staff levels."""
    folder = tmp_path_factory.mktemp("capacity")
    levels = ",".join(map(str, LEVELS))
    assert main(["-m", *BUSY, f"{CAPACITY}={levels}", f"hydra.sweep.dir={folder}"]) == 0
    return folder


def alone(*overrides: str) -> pd.DataFrame:
    """The runs of one experiment on its own (the Python API, no sweep)."""
    return govsim.run(*overrides).runs


def sections(report: str) -> dict[str, str]:
    """The report's sections by their heading."""
    parts = report.split("\n## ")[1:]
    return {part.split("\n", 1)[0]: part for part in parts}


def test_compare_reports_each_capacity_level_as_a_run_of_it_alone(
    capacity_sweep: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = govsim_in_process(capsys, "compare", str(capacity_sweep))
    assert status == 0, err
    assert f"in {len(LEVELS)} settings" in out
    assert all(f"{CAPACITY}={level}" in out for level in LEVELS)
    runs, _ = load(capacity_sweep)
    found = {s.values[CAPACITY]: s for s in settings(runs)}
    assert sorted(found) == list(LEVELS)
    report = sections((capacity_sweep / "report" / "report.md").read_text(encoding="utf-8"))
    backlog = []
    for level in LEVELS:
        expected = paired_differences(alone(*BUSY, f"{CAPACITY}={level}"), KEY_METRICS)
        expected = expected.set_index("metric")[DIFFERENCE]
        got = paired(found[level].runs, "baseline", KEY_METRICS).set_index("metric")[DIFFERENCE]
        pd.testing.assert_frame_equal(got, expected, rtol=1e-12)
        [section] = [text for heading, text in report.items() if heading.endswith(f"= {level}")]
        cell = format_interval("backlog_end", *expected.loc["backlog_end"], "en", difference=True)
        assert cell in section
        backlog.append(expected.loc["backlog_end", "difference"])
    assert len(set(backlog)) > 1, "the levels must differ, or pooling them would not show"


def _override_values(override: str) -> dict[str, Any]:
    """The columns an override sets and their values (dicts flattened, lists as text)."""
    [parsed] = OverridesParser.create().parse_overrides([override])
    key, value = parsed.key_or_group, parsed.value()

    def flat(name: str, item: Any) -> dict[str, Any]:
        if isinstance(item, dict):
            return {
                k: v for sub, inner in item.items() for k, v in flat(f"{name}.{sub}", inner).items()
            }
        return {name: ",".join(map(str, item)) if isinstance(item, list) else item}

    if key == "city":
        return {"city.name": value}
    if key == "mechanism":
        return {"mechanism": "+".join(canonical([value] if isinstance(value, str) else value))}
    return flat(key, value)


def test_every_overridden_value_of_a_sweep_is_a_column(tmp_path: Path) -> None:
    swept = {"city.departments.housing.staff": "1,3"}
    fixed = [
        "mechanism=whistle",
        "mechanism.whistle.compliance=0.5",
        "prereform_days=3",
        "city.case_types.neighbour_dispute.hours.street=1.5",
        "city.time_limit_days.general=4",
        "city.residents.trust_mean=0.6",
        "city.case_types.property_dispute.departments=[housing]",
        '+city.departments.transport={label_zh:"交通",staff:2,response_delay_days:1,'
        "bounce_prob:0.1}",
    ]
    assert (
        main(
            [
                "-m",
                *FAST,
                *fixed,
                *(f"{k}={v}" for k, v in swept.items()),
                f"hydra.sweep.dir={tmp_path}",
            ]
        )
        == 0
    )
    runs, _ = collect(tmp_path)
    jobs = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["runs"]
    assert len(jobs) == 2 and set(runs["run"]) == {job["run"] for job in jobs}
    for job in jobs:
        treatment = runs[(runs["run"] == job["run"]) & (runs["arm"] == "treatment")]
        for override in job["overrides"]:
            if override.startswith(("hydra", "progress")):
                continue
            for column, value in _override_values(override).items():
                assert column in runs, f"{override}: no column {column}"
                assert treatment[column].tolist() == [value] * len(treatment), override
    assert set(swept) <= set(varying_parameters(runs))


def _table(*jobs: tuple[str, ...]) -> pd.DataFrame:
    """The runs of several experiments in one table, each named as a sweep's run folder."""
    return pd.concat(
        [alone(*FAST, "replications=2", *job).assign(run=f"job-{k}") for k, job in enumerate(jobs)],
        ignore_index=True,
    )


@pytest.fixture(scope="module")
def mixed() -> pd.DataFrame:
    """Runs that differ in a department's staff, a mechanism's key, the days and the design."""
    return _table(
        ("city.departments.housing.staff=1",),
        ("city.departments.housing.staff=2",),
        ("mechanism.whistle.compliance=0.3",),
        ("mechanism=hotline",),
        ("days=24",),
        ("mechanism=baseline", "reference=null"),
    )


def test_compare_never_pools_unlike_runs(mixed: pd.DataFrame) -> None:
    found = settings(mixed)
    for setting in found:
        runs = setting.runs
        assert not runs.duplicated(["mechanism", *PAIRED_ON]).any(), setting.values
        shared = [
            c for c in configuration_columns(runs) if not c.startswith("mechanism.") and c != "seed"
        ]
        assert (runs[shared].nunique(dropna=False) == 1).all(), setting.values
        own = [c for c in runs if c.startswith("mechanism.")]
        assert (runs.groupby("mechanism")[own].nunique(dropna=False) <= 1).all().all()
    compliance = {s.values.get("mechanism.whistle.compliance") for s in found}
    assert {0.3, 0.8} <= compliance  # a design's own key swept: a setting per value
    staff = {s.values.get("city.departments.housing.staff") for s in found}
    assert {1, 2} <= staff
    assert any(s.values.get("days") == 24 for s in found)


def test_each_setting_pairs_as_its_experiment_alone(mixed: pd.DataFrame) -> None:
    for setting in settings(mixed):
        for job in setting.runs["run"].unique():
            mine = mixed[mixed["run"] == job]
            if set(mine["arm"]) != {"treatment", "reference"}:
                continue
            design = mine.loc[mine["arm"] == "treatment", "mechanism"].iloc[0]
            here = setting.runs[setting.runs["mechanism"].isin(mine["mechanism"])]
            if not (here["run"] == job).all():
                continue  # a run recorded twice counts once, under another job's name
            got = paired(here, "baseline", KEY_METRICS).set_index("metric")
            assert set(got["mechanism"]) == {design}
            pd.testing.assert_frame_equal(
                got[DIFFERENCE],
                paired_differences(mine, KEY_METRICS).set_index("metric")[DIFFERENCE],
            )


def test_what_compare_prints_counts_each_run_once(mixed: pd.DataFrame) -> None:
    line = describe(settings(mixed), "baseline")
    designs = mixed.loc[mixed["arm"] == "treatment", "mechanism"]
    counts = [
        f"{n} runs of {design}"
        for design, n in designs.value_counts(sort=False).items()
        if design != "baseline"
    ]
    assert line.startswith(f"paired {' and '.join(counts)} with baseline ")
    assert "not paired" not in line


def test_runs_that_differ_in_an_unrecorded_value_are_refused(
    capacity_sweep: Path, tmp_path: Path, capsys
) -> None:
    runs, _ = collect(capacity_sweep)
    with pytest.raises(PairingError, match="their results"):
        settings(runs.drop(columns=CAPACITY))
    copy = tmp_path / "sweep"
    shutil.copytree(capacity_sweep, copy, ignore=shutil.ignore_patterns("report"))
    for table in copy.glob("run-*/runs.parquet"):
        pd.read_parquet(table).drop(columns=CAPACITY).to_parquet(table)
    status, _, err = govsim_in_process(capsys, "compare", str(copy))
    assert status == 2 and not (copy / "report").exists()
    assert "cannot pair runs" in one_line(err) and "agree on every recorded" in err


def test_metrics_are_outcomes_only() -> None:
    runs = alone(*FAST, "mechanism.whistle.deadline_days=2")
    metrics = metric_columns(runs)
    assert set(KEY_METRICS) <= set(metrics)
    assert not set(metrics) & {*RUN_IDS, *BOOKKEEPING, *configuration_columns(runs)}
    assert not {"design_point", "days", "replications", "wall_seconds"} & set(metrics)


def test_calibrate_does_not_offer_the_design_point_as_a_metric(capsys) -> None:
    status, _, err = govsim_in_process(
        capsys,
        "calibrate",
        "--target",
        "design_point=1",
        "--param",
        "city.street_staff=1:3",
        "--trials",
        "1",
        "--",
        *FAST,
    )
    allowed = one_line(err).split("(allowed: ", 1)[1]
    assert status == 2 and "share_arisen_settled_at_or_below_street" in allowed
    assert not {"design_point", "seed", "replication", "days", "wall_seconds"} & set(
        allowed.rstrip(")").removeprefix("one of ").split(", ")
    )
