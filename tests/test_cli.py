"""The govsim command end to end on the workshop city, bad input included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govsim.composition.compose import CONF_DIR

FAST = ["city=workshop", "days=30", "horizon_days=5", "progress=false"]


def govsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govsim", *args], capture_output=True, text=True, cwd=CONF_DIR.parent
    )


def test_main_job_writes_every_result(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = govsim(*FAST, "replications=2", f"hydra.run.dir={out}")
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} == {
        "config.yaml",
        "runs.parquet",
        "daily.parquet",
        "units.parquet",
        "comparison.png",
        "summary.md",
        "status.json",
    }
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 4
    assert set(runs["mechanism"]) == {"whistle", "baseline"}
    for column in (
        "scenario",
        "seed",
        "replication",
        "share_arisen_settled_at_or_below_street",
        "resolution_days_p90",
        "staff_days_per_arisen_case",
        "city.name",
        "mechanism.whistle.deadline_days",
    ):
        assert column in runs
    daily = pd.read_parquet(out / "daily.parquet")
    assert len(daily) == 4 * 30
    assert "whistle − baseline" in done.stdout
    assert not list(out.glob(".*.tmp*"))


def test_overrides_reach_the_model(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = govsim(
        *FAST,
        "mechanism=whistle",
        "seed=3",
        "days=20",
        "replications=1",
        "reference=null",
        "mechanism.whistle.deadline_days=2.5",
        f"hydra.run.dir={out}",
    )
    assert done.returncode == 0, done.stderr
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs["seed"].tolist() == [3] and runs["days"].tolist() == [20]
    assert runs["mechanism.whistle.deadline_days"].tolist() == [2.5]


def test_multirun_sweeps_with_the_basic_launcher(tmp_path: Path) -> None:
    done = govsim(
        "-m",
        *FAST,
        "mechanism=baseline,whistle",
        "seed=range(2)",
        "reference=null",
        "replications=1",
        f"hydra.sweep.dir={tmp_path}",
    )
    assert done.returncode == 0, done.stderr
    runs = pd.concat(pd.read_parquet(p) for p in tmp_path.glob("*/runs.parquet"))
    assert sorted(zip(runs["mechanism"], runs["seed"], strict=True)) == [
        ("baseline", 0),
        ("baseline", 1),
        ("whistle", 0),
        ("whistle", 1),
    ]


def test_scenario_preset(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = govsim(
        *FAST, "scenario=beijing_2018_street_whistle", "replications=1", f"hydra.run.dir={out}"
    )
    assert done.returncode == 0, done.stderr
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs["scenario"]) == {"beijing_2018_street_whistle"}
    treated = runs[runs["arm"] == "treatment"]
    assert treated["mechanism.whistle.deadline_days"].tolist() == [0.5]


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("mechanism=foo", ["mechanism=foo", "whistle", "baseline"]),
        ("city.residents.per_grid=-5", ["city.residents.per_grid", "an integer in [1, 100,000]"]),
        ("mechanism.whistle.compliance=1.5", ["mechanism.whistle.compliance", "[0, 1]"]),
        (
            "city.case_types.neighbour_dispute.rate_per_1000_per_year=-1",
            ["city.case_types.neighbour_dispute.rate_per_1000_per_year", "a number in [0,"],
        ),
        ("city.departments.labour.bounce_prob=2", ["city.departments.labour.bounce_prob"]),
        ("sed=3", ["sed"]),
        ("days=abc", ["days", "abc"]),
        ("reference=[whistel]", ["reference", "whistel", "baseline"]),
        ("warmup_days=400", ["warmup_days"]),
        ("scenario=no_such_preset", ["no_such_preset"]),
    ],
)
def test_bad_input_fails_clearly_and_writes_nothing(
    tmp_path: Path, override: str, expected: list[str]
) -> None:
    out = tmp_path / "run"
    done = govsim(*FAST, override, f"hydra.run.dir={out}")
    assert done.returncode != 0
    for text in expected:
        assert text in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_malformed_preset_names_the_key(tmp_path: Path) -> None:
    presets = tmp_path / "extra" / "scenario"
    presets.mkdir(parents=True)
    (presets / "broken.yaml").write_text(
        "# @package _global_\nmechanism:\n  whistle:\n    dead_line_days: 2\n"
    )
    out = tmp_path / "run"
    done = govsim(
        *FAST,
        "scenario=broken",
        f"hydra.searchpath=[file://{tmp_path / 'extra'}]",
        f"hydra.run.dir={out}",
    )
    assert done.returncode != 0
    assert "dead_line_days" in done.stderr
    assert not out.exists()


def test_list_shows_mechanisms_cities_and_scenarios() -> None:
    done = govsim("list")
    assert done.returncode == 0
    for name in (
        "whistle",
        "hotline",
        "mediation_ladder",
        "dongguan",
        "pingliang",
        "guangdong_grid_centre",
    ):
        assert name in done.stdout


def test_validate_writes_a_report(tmp_path: Path) -> None:
    out = tmp_path / "validation.md"
    done = govsim(
        "validate",
        "--skip-queueing",
        "--only",
        "baseline",
        "--field-replications",
        "2",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "## 2. Field figures" in text and "99.8%" in text and "baseline" in text


def test_animate_writes_one_frame_per_day(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "run.gif"
    done = govsim("animate", "--days", "12", "--out", str(out), "--", "mechanism=whistle")
    assert done.returncode == 0, done.stderr
    with Image.open(out) as gif:
        assert gif.n_frames == 12


def test_animate_help_explains_every_option_with_its_default() -> None:
    import re

    done = govsim("animate", "--help")
    assert done.returncode == 0, done.stderr
    options = done.stdout.split("options:")[1]
    entries = re.split(r"\n  (?=-)", options)[1:]  # one entry per option, wrapped lines kept
    assert {e.split()[0].rstrip(",") for e in entries} >= {
        "--days",
        "--fps",
        "--lang",
        "--out",
        "--city",
        "--seed",
    }
    for entry in entries:
        if not entry.startswith("-h"):
            assert "default:" in " ".join(entry.split()), entry
