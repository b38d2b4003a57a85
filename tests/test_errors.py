"""No silent wrong answers: every bad request is one line and exit 2, every failure exit 1.

Each case is one the command once got wrong (a traceback, a silent success, a misleading
message). The command runs in this process (``govsim.cli.main``) to keep the suite quick.
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from omegaconf import OmegaConf

import govsim.experiments.job as job
import govsim.experiments.run as run_module
from conftest import FAST, govsim_in_process, one_line
from govsim.cli import main
from govsim.composition import budget
from govsim.composition.compose import CONF_DIR
from govsim.composition.overrides import check_overrides
from govsim.experiments.sweep import STATUS

SCENARIOS = sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))
RATE = "city.case_types.neighbour_dispute.rate_per_1000_per_year"


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished sweep of baseline and whistle on the small city."""
    folder = tmp_path_factory.mktemp("sweep")
    assert (
        main(
            [
                "-m",
                *FAST,
                "reference=null",
                "mechanism=baseline,whistle",
                f"hydra.sweep.dir={folder}",
            ]
        )
        == 0
    )
    return folder


def copy_sweep(sweep: Path, tmp_path: Path) -> Path:
    target = tmp_path / "sweep"
    shutil.copytree(sweep, target)
    return target


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("+mechanism.whistle.deadline_dayz=3", "did you mean mechanism.whistle.deadline_days?"),
        ("+city.populaton=5", "unknown key 'city.populaton'"),
        ("+dayz=3", "did you mean days?"),
        ("dayz=3", "did you mean days?"),
        ("mechanism.whistl.compliance=0.5", "did you mean mechanism.whistle.compliance?"),
        ("+city.departments.labour.staf=2", "did you mean city.departments.labour.staff?"),
        ("city.time_limit_days.genral=3", "did you mean city.time_limit_days.general?"),
        ("mechanism=whistle_schema", "mechanism=whistle_schema: no such option"),
        ("city=city_schema", "city=city_schema: no such option"),
        (f"{RATE}=inf", f"{RATE}=inf"),
        (f"{RATE}=nan", f"{RATE}=nan"),
        ("days=abc", "days='abc' (allowed: an integer in [1, 36,500]"),
        ("+days=3", "allowed: days=VALUE, without +"),
        ("x=[", "cannot read the override"),
        ("mechanism.whistle=3", "mechanism.whistle=3"),
    ],
)
def test_a_bad_override_is_one_line_exit_2_and_no_folder(
    capsys, tmp_path: Path, override: str, expected: str
) -> None:
    out = tmp_path / "run"
    status, stdout, err = govsim_in_process(capsys, *FAST, override, f"hydra.run.dir={out}")
    line = one_line(err)
    assert status == 2 and expected in line
    assert "To append" not in line and "_schema," not in line and "_schema)" not in line
    assert not out.exists() and stdout == ""


def test_keys_govsim_leaves_open_are_accepted(capsys, tmp_path: Path) -> None:
    department = "{label_zh:'交通',staff:2,response_delay_days:1,bounce_prob:0.1}"
    status, _, err = govsim_in_process(
        capsys,
        *FAST,
        "reference=null",
        f"+city.departments.transport={department}",
        "city.case_types.urban_environment.departments=[transport]",
        f"hydra.run.dir={tmp_path / 'run'}",
    )
    assert status == 0, err
    config = OmegaConf.load(tmp_path / "run" / "config.yaml")
    assert config.city.departments.transport.staff == 2
    open_keys = [
        "+city.case_types.noise.hours.grid=2",
        "hydra.job.name=x",
        "+hydra.sweeper.params.city.street_staff=[2,9]",
    ]
    assert check_overrides(open_keys) == open_keys


def test_schemas_are_never_offered_as_choices(capsys) -> None:
    for args in (["list"], ["--help"]):
        status, out, _ = govsim_in_process(capsys, *args)
        assert status == 0 and "whistle" in out and "_schema" not in out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_users_mechanism_replaces_every_scenarios(
    capsys, tmp_path: Path, scenario: str
) -> None:
    out = tmp_path / "run"
    status, _, err = govsim_in_process(
        capsys, *FAST, f"scenario={scenario}", "mechanism=hotline", f"hydra.run.dir={out}"
    )
    assert status == 0, err
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs.loc[runs["arm"] == "treatment", "mechanism"]) == {"hotline"}
    assert not [
        c
        for c in runs
        if c.startswith("mechanism.")
        and not c.startswith(("mechanism.hotline.", "mechanism.baseline."))
    ]
    assert list(OmegaConf.load(out / "config.yaml").mechanism) == ["hotline"]


def test_a_configuration_too_large_for_memory_is_refused_with_the_estimate(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    class Small:
        total = 2 * 2**30

    monkeypatch.setattr(budget.psutil, "virtual_memory", lambda: Small)
    status, _, err = govsim_in_process(
        capsys,
        *FAST,
        f"{RATE}=1000000",
        "city=district",
        "days=365",
        f"hydra.run.dir={tmp_path / 'run'}",
    )
    line = one_line(err)
    assert status == 2 and "expected cases" in line and "2.0 GiB" in line
    estimate = float(line.split("would need about ")[1].split(" GiB")[0].replace(",", ""))
    assert estimate > 2.0
    assert not (tmp_path / "run").exists()


def test_a_malformed_preset_names_its_file_and_line(capsys, tmp_path: Path) -> None:
    presets = tmp_path / "extra" / "scenario"
    presets.mkdir(parents=True)
    (presets / "broken.yaml").write_text("# @package _global_\nmechanism:\n  whistle: [\n")
    status, _, err = govsim_in_process(
        capsys,
        *FAST,
        "scenario=broken",
        f"hydra.searchpath=[file://{tmp_path / 'extra'}]",
        f"hydra.run.dir={tmp_path / 'run'}",
    )
    line = one_line(err)
    assert status == 2 and "broken.yaml, line" in line and "malformed YAML" in line


def test_an_output_folder_that_cannot_be_made_is_a_bad_request(capsys, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    status, _, err = govsim_in_process(capsys, *FAST, f"hydra.run.dir={tmp_path}/file/run")
    assert status == 2 and "cannot be created" in one_line(err)


def test_a_full_disk_is_a_failure_that_leaves_nothing(capsys, monkeypatch, tmp_path: Path) -> None:
    def full(path: Path, frame: pd.DataFrame) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(job, "write_parquet", full)
    out = tmp_path / "run"
    status, stdout, err = govsim_in_process(capsys, *FAST, f"hydra.run.dir={out}")
    assert status == 1 and "No space left on device" in one_line(err)
    assert list(tmp_path.iterdir()) == [] and "metric" not in stdout  # no table for lost results


def test_a_crash_is_exit_1_and_debug_shows_the_traceback(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    def crash(*args, **kwargs):
        raise ZeroDivisionError("simulated")

    monkeypatch.setattr(run_module, "run_experiment", crash)
    status, _, err = govsim_in_process(capsys, *FAST, f"hydra.run.dir={tmp_path / 'run'}")
    assert status == 1 and "ZeroDivisionError: simulated" in one_line(err)
    status, _, err = govsim_in_process(
        capsys, "--debug", *FAST, f"hydra.run.dir={tmp_path / 'run'}"
    )
    assert status == 1 and "Traceback" in err
    assert err.strip().splitlines()[-1].startswith("govsim: failed while running")
    assert list(tmp_path.iterdir()) == []


def test_a_sweep_checks_every_job_before_launching_any(capsys, tmp_path: Path) -> None:
    status, _stdout, err = govsim_in_process(
        capsys,
        "-m",
        *FAST,
        "seed=0,1",
        "mechanism.whistle.compliance=0.5,1.5",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
    )
    line = one_line(err)
    assert status == 2 and "sweep job 2 of 4" in line and "compliance=1.5" in line
    assert not (tmp_path / "sweep").exists()


def test_a_sweep_composes_its_jobs_once_to_check_and_run_them(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    from hydra._internal.config_loader_impl import ConfigLoaderImpl

    calls = []
    real = ConfigLoaderImpl.load_sweep_config

    def counting(self, master, overrides):
        calls.append(list(overrides))
        return real(self, master, overrides)

    monkeypatch.setattr(ConfigLoaderImpl, "load_sweep_config", counting)
    status, _, err = govsim_in_process(
        capsys, "-m", *FAST, "reference=null", "seed=0,1,2", f"hydra.sweep.dir={tmp_path / 'sweep'}"
    )
    assert status == 0, err
    assert len(calls) == 1  # the jobs choose the same config groups: composed together, once
    manifest = json.loads((tmp_path / "sweep" / "sweep.json").read_text())
    assert sorted(r["run"] for r in manifest["runs"]) == sorted(
        p.name for p in (tmp_path / "sweep").glob("run-*")
    )


def test_collect_and_compare_refuse_a_partial_sweep_naming_its_runs(
    capsys, sweep: Path, tmp_path: Path
) -> None:
    partial = copy_sweep(sweep, tmp_path)
    manifest = json.loads((partial / "sweep.json").read_text())
    manifest["runs"].append({"run": "run-neverstarted", "overrides": ["seed=9"]})
    (partial / "sweep.json").write_text(json.dumps(manifest))
    done, killed = sorted(p for p in partial.glob("run-*"))
    (killed / STATUS).unlink()
    for args in (["collect", str(partial)], ["compare", str(partial)]):
        status, _, err = govsim_in_process(capsys, *args)
        line = one_line(err)
        assert status == 2 and "1 of 3 runs done" in line
        assert killed.name in line and "run-neverstarted" in line and "--allow-partial" in line
    assert not (partial / "collected").exists() and not (partial / "report").exists()
    status, _, err = govsim_in_process(capsys, "collect", str(partial), "--allow-partial")
    assert status == 0 and "partial sweep" in err
    runs = pd.read_parquet(partial / "collected" / "runs.parquet")
    assert dict(zip(runs["run"], runs["status"], strict=True)) == {
        done.name: "done",
        killed.name: "incomplete",
        "run-neverstarted": "missing",
    }
    status, _, err = govsim_in_process(capsys, "compare", str(partial), "--allow-partial")
    assert status == 0, err
    assert "Partial sweep" in (partial / "report" / "report.md").read_text()


def test_compare_reference_must_have_run(capsys, sweep: Path, tmp_path: Path) -> None:
    status, _, err = govsim_in_process(
        capsys, "compare", str(sweep), "--reference", "baselin", "--out", str(tmp_path / "report")
    )
    line = one_line(err)
    assert status == 2 and "'baselin' did not run" in line and "baseline, whistle" in line
    assert not (tmp_path / "report").exists()


@pytest.mark.parametrize("damage", ["missing", "empty", "file", "corrupt", "not a design"])
def test_paths_that_hold_no_results_are_named(
    capsys, sweep: Path, tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "path"
    if damage == "empty":
        path.mkdir()
    elif damage == "file":
        path.write_text("x")
    elif damage in ("corrupt", "not a design"):
        path = copy_sweep(sweep, tmp_path)
        if damage == "corrupt":
            next(path.glob("run-*/runs.parquet")).write_bytes(b"PAR1 not parquet")
    commands = ["collect", "compare"] if damage != "not a design" else []
    for name in [*commands, "robustness", "sensitivity", "uncertainty"]:
        status, _, err = govsim_in_process(capsys, name, str(path))
        line = one_line(err)
        assert status == 2 and str(path) in line, (name, line)
    if damage == "not a design":
        assert "not a design sweep" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["animate", "--days", "0"], "--days: 0 (allowed: an integer >= 1)"),
        (["animate", "--days", "-5"], "--days: -5"),
        (["animate", "--fps", "0"], "--fps: 0"),
        (["animate", "--", "days=-1"], "'days=-1' among the overrides (allowed: --days instead)"),
        (["validate", "--field-replications", "0"], "--field-replications: 0"),
        (["validate", "--only", "no such check", "--skip-queueing"], "selects no check"),
        (
            [
                "calibrate",
                "--trials",
                "0",
                "--target",
                "resolution_rate=0.9",
                "--param",
                "mechanism.whistle.compliance=0.2:0.9",
            ],
            "--trials: 0",
        ),
        (
            [
                "calibrate",
                "--target",
                "resolution_rate=0.9",
                "--param",
                "mechanism.whistle.compliance=0.5:1.5",
                "--",
                *FAST,
            ],
            "compliance=1.5",
        ),
        (
            [
                "calibrate",
                "--target",
                "resolution_rate=0.9",
                "--param",
                "mechanism.whistle.complianc=0.5:1",
                "--",
                *FAST,
            ],
            "did you mean",
        ),
        (
            [
                "calibrate",
                "--target",
                "resolution_rat=0.9",
                "--param",
                "mechanism.whistle.compliance=0.5:1",
                "--",
                *FAST,
            ],
            "'resolution_rat' is not a metric",
        ),
        (
            [
                "calibrate",
                "--target",
                "resolution_rate=nan",
                "--param",
                "mechanism.whistle.compliance=0.5:1",
            ],
            "not a finite number",
        ),
        (["robustness", "x", "--threshold", "nan"], "--threshold nan (allowed: a finite number)"),
        (["robustness", "x", "--density", "0"], "--density 0.0 (allowed: a number in (0, 1])"),
        (["robustness", "x", "--direction", "up"], "argument --direction: invalid choice: 'up'"),
        (["app", "--port", "70000"], "a port in [1, 65535]"),
        (["app", "--lang", "fr"], "--lang: invalid choice: 'fr'"),
        (["list", "extra"], "unrecognized arguments: extra"),
        (["compare"], "required: path"),
        (["uncertainty"], "required: sweep"),
        (["sensitivity", ".", "--of", "levels"], "invalid choice: 'levels'"),
        (["sensitivity", ".", "--bootstrap", "-1"], "--bootstrap: -1"),
        (["--no-such-flag"], "unrecognized arguments"),
        (["cases", "fit"], "the following arguments are required"),
        (["cases", "check", "log.csv", "--mapping", "map.yaml"], "map.yaml: does not exist"),
        (["cases", "simulate", "--unit-level", "town"], "--unit-level: invalid choice: 'town'"),
    ],
)
def test_bad_subcommand_arguments_are_one_line(
    capsys, tmp_path: Path, monkeypatch, args: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = govsim_in_process(capsys, *args)
    line = one_line(err)
    assert status == 2 and expected in line, line
    assert not (tmp_path / "results").exists()


def test_validate_writes_into_the_results_folder_and_fails_on_nan(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    import govsim.validation.report as report

    tracked = CONF_DIR.parent / "docs" / "validation.md"
    before = tracked.read_bytes()
    monkeypatch.chdir(tmp_path)
    status, _out, err = govsim_in_process(
        capsys, "validate", "--skip-queueing", "--only", "baseline", "--field-replications", "2"
    )
    assert status == 0, err
    written = list((tmp_path / "results" / "validation").glob("*/*/validation.md"))
    assert len(written) == 1 and "99.8%" in written[0].read_text()
    assert tracked.read_bytes() == before

    monkeypatch.setattr(
        report,
        "run_field_check",
        lambda check, compose, n: {
            "check": check.name,
            "field": (0.9, 0.9),
            "source": "",
            "mean": float("nan"),
            "ci_low": float("nan"),
            "ci_high": float("nan"),
            "verdict": "consistent",
            "configuration": "",
            "replications": n,
        },
    )
    shutil.rmtree(tmp_path / "results")
    status, _, err = govsim_in_process(
        capsys, "validate", "--skip-queueing", "--only", "baseline", "--field-replications", "2"
    )
    assert status == 1 and "NaN" in one_line(err)
    assert not (tmp_path / "results").exists()


def test_a_city_without_cases_is_refused_with_the_load_it_allows(capsys, tmp_path: Path) -> None:
    status, _, err = govsim_in_process(
        capsys, *FAST, "city.case_load_scale=0", f"hydra.run.dir={tmp_path}/run"
    )
    line = one_line(err)
    assert status == 2 and "city.case_load_scale=0" in line and "[0.05, 10]" in line
    assert not (tmp_path / "run").exists()


@pytest.fixture(scope="module")
def two_replications(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run of whistle and baseline, two replications each."""
    folder = tmp_path_factory.mktemp("two") / "run"
    assert main([*FAST, "replications=2", f"hydra.run.dir={folder}"]) == 0
    return folder


def test_compare_refuses_undefined_measures_unless_told_and_then_gives_n(
    capsys, two_replications: Path, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    shutil.copytree(two_replications, run)
    runs = pd.read_parquet(run / "runs.parquet")
    whistle = (runs["mechanism"] == "whistle") & (runs["replication"] == 1)
    runs.loc[whistle, "satisfaction_rate"] = float("nan")
    runs.loc[whistle, "reopen_rate"] = float("inf")
    runs.to_parquet(run / "runs.parquet")
    status, _, err = govsim_in_process(capsys, "compare", str(run))
    line = one_line(err)
    assert status == 2 and "satisfaction_rate, reopen_rate NaN or inf" in line
    assert "mechanism=whistle seed=0 replication=1" in line and "--allow-missing" in line
    assert not (run / "report").exists()
    status, _, err = govsim_in_process(capsys, "compare", str(run), "--allow-missing")
    assert status == 0, err
    report = (run / "report" / "report.md").read_text()
    assert report.count("n = 1 of 2") >= 4  # two measures' means and their differences
    assert "inf" not in report


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize(
    "command",
    [
        ["compare", "{run}", "--out", "/proc/govsim-report"],
        ["map", "{run}", "--geometry", "{run}/g.json", "--key", "name", "--out", "/proc/x/map.png"],
        ["city", "import", "{run}/units.csv", "--out", "/proc/x/mine.yaml"],
        [*FAST, "hydra.run.dir=/proc/sys/govsim-run"],
    ],
)
def test_an_output_folder_nothing_can_be_written_in_is_a_bad_request(
    capsys, two_replications: Path, command: list[str]
) -> None:
    args = [a.format(run=two_replications) for a in command]
    status, _, err = govsim_in_process(capsys, *args)
    line = one_line(err)
    assert status == 2 and "/proc/" in line and "allowed: a folder govsim can write" in line


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        ("9999-12-31", "from 1900-01-01 to 2200-12-31"),
        ("1899-12-31", "from 1900-01-01 to 2200-12-31"),
        ("2200-12-25", "start_date + prereform_days + days by 2200-12-31"),
    ],
)
def test_a_calendar_beyond_the_dates_a_run_can_hold_is_refused(
    capsys, tmp_path: Path, start: str, allowed: str
) -> None:
    status, _, err = govsim_in_process(
        capsys, *FAST, f"city.calendar.start_date={start}", f"hydra.run.dir={tmp_path}/run"
    )
    line = one_line(err)
    assert status == 2 and f"city.calendar.start_date='{start}'" in line and allowed in line


def test_a_runs_table_without_its_keys_is_named(
    capsys, two_replications: Path, sweep: Path, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    shutil.copytree(two_replications, run)
    runs = pd.read_parquet(run / "runs.parquet")
    runs.drop(columns="seed").to_parquet(run / "runs.parquet")
    partial = copy_sweep(sweep, tmp_path)
    first = next(partial.glob("run-*/runs.parquet"))
    pd.read_parquet(first).drop(columns=["seed", "arm"]).to_parquet(first)
    for args, lacks in (
        (["compare", str(run)], "column seed"),
        (["compare", str(partial)], "columns arm, seed"),
        (["collect", str(partial)], "columns arm, seed"),
    ):
        status, _, err = govsim_in_process(capsys, *args)
        line = one_line(err)
        assert status == 2 and f"runs table without the {lacks}" in line and "runs.parquet" in line


def test_compare_names_horizon_days_zero_when_the_restricted_mean_is_undefined(
    capsys, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    status, _, err = govsim_in_process(
        capsys,
        "city=workshop",
        "days=20",
        "horizon_days=0",
        "replications=2",
        "progress=false",
        f"hydra.run.dir={run}",
    )
    assert status == 0, err
    status, _, err = govsim_in_process(capsys, "compare", str(run))
    assert status == 2 and "runs with horizon_days=0" in one_line(err)
