"""The benchmarks run (a smoke test at a small size; their figures are not checked here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _scale_rows(*args: str) -> list[list[str]]:
    """The table rows ``benchmarks/scale.py`` prints with ``args``, cells split."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "scale.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return [
        line.split("|")[1:-1]
        for line in done.stdout.splitlines()
        if line.startswith(("| govsim", "| Mesa"))
    ]


def test_scale_benchmark_prints_a_row_per_size_load_and_engine() -> None:
    rows = _scale_rows("--sizes", "2000", "--loads", "73", "365", "--mesa", "500")
    assert [(r[0].strip(), r[2].strip()) for r in rows] == [
        ("govsim", "73"),
        ("govsim", "365"),
        ("Mesa (agents stepped)", "73"),
        ("Mesa (agents stepped)", "365"),
    ]
    cases = [int(r[3].replace(",", "")) for r in rows]
    assert cases[1] > cases[0] > 0  # the load sets the cases


def test_scale_benchmark_runs_a_city_s_districts_in_processes() -> None:
    rows = _scale_rows("--sizes", "2e5", "--loads", "73", "--mesa", "--district-workers", "2")
    assert [r[0].strip() for r in rows] == ["govsim, 2 district processes"]
    assert int(rows[0][3].replace(",", "")) > 10_000  # two districts' cases, merged


def test_scale_benchmark_runs_a_city_s_districts_in_threads() -> None:
    rows = _scale_rows(
        "--sizes",
        "2e5",
        "--loads",
        "73",
        "--mesa",
        "--district-workers",
        "2",
        "--district-backend",
        "threads",
    )
    assert [r[0].strip() for r in rows] == ["govsim, 2 district threads"]
    assert int(rows[0][3].replace(",", "")) > 10_000  # two districts' cases, merged


def test_sweep_speed_benchmark_prints_a_row_per_launcher_and_size() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "sweep_speed.py"),
            "--jobs",
            "2",
            "--days",
            "10",
            "--launchers",
            "govsim",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    rows = [
        line.split("|")[1:-1] for line in done.stdout.splitlines() if line.startswith("| govsim")
    ]
    assert [(r[0].strip(), r[1].strip()) for r in rows] == [("govsim", "2")]
    wall, cpu, simulation, resume = (float(rows[0][k]) for k in (2, 3, 5, 8))
    assert min(wall, cpu, simulation, resume) > 0  # figures reported, never compared


def test_startup_benchmark_times_a_run_again_in_a_warm_process() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import startup
    finally:
        sys.path.remove(str(BENCHMARKS))
    env = {**os.environ, "PYTHONPATH": str(BENCHMARKS.parent / "src")}
    samples = startup.warm(
        env, 2, ["city=workshop", "days=20", "horizon_days=5", "replications=1", "reference=null"]
    )
    assert sorted(samples) == ["run", "sweep"]
    for way in samples.values():
        assert len(way) == 2
        assert all(0 < s.model < s.wall and s.cpu > 0 for s in way)  # the model is part of it


def test_floor_benchmark_prints_each_engine_on_one_flow() -> None:
    pytest.importorskip("simpy")
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "floor.py"), "--cases", "400", "--repeats", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    rows = {
        r[0].strip(): r
        for line in done.stdout.splitlines()
        if line.startswith("| ") and not line.startswith(("| engine", "|---"))
        for r in [line.split("|")[1:-1]]
    }
    assert list(rows) == [
        "govsim, whole day",
        "govsim, event loop alone",
        "Mesa (events)",
        "ciw",
        "SimPy",
        "bare compiled event loop",
    ]
    replays = {label: float(rows[label][7]) for label in list(rows)[2:]}
    # the replaying simulators ran the same arrivals and services: the same waits
    assert max(replays.values()) == pytest.approx(min(replays.values()), rel=1e-3)
    assert all(
        int(r[2].replace(",", "")) >= int(r[1].replace(",", "")) > 0 for r in rows.values()
    )  # events are counted, at least one a case


def test_day_steps_benchmark_prints_a_row_per_named_step() -> None:
    from govsim.model.model import GovernanceModel

    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "day_steps.py"), "--size", "2000", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    rows = [
        line.split("|")[1:-1]
        for line in done.stdout.splitlines()
        if line.startswith("| ") and not line.startswith("| step")
    ]
    assert [r[0].strip() for r in rows] == [*GovernanceModel.DAY, "the day"]
    seconds = [float(r[1]) for r in rows]
    assert seconds[-1] == pytest.approx(sum(seconds[:-1]), abs=0.01)
