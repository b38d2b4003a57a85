"""Result folders: unique and whole for single runs, locked for sweep jobs; long work announced."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import govsim.experiments.job as job
from conftest import FAST, govsim_in_process
from govsim.composition.compose import CONF_DIR
from govsim.experiments.progress import progress
from govsim.experiments.sweep import job_lock, read_status
from govsim.files import INCOMPLETE, atomic_folder

EVERY_FILE = {
    "config.yaml",
    "runs.parquet",
    "daily.parquet",
    "units.parquet",
    "comparison.png",
    "summary.md",
    "status.json",
}


def test_runs_started_together_never_share_a_folder(capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(3):
        status, _, err = govsim_in_process(capsys, *FAST, "reference=null")
        assert status == 0, err
    folders = sorted((tmp_path / "results").glob("*/*"))
    assert len(folders) == 3
    for folder in folders:
        assert re.fullmatch(r"\d\d-\d\d-\d\d-[0-9a-f]{6}", folder.name)
        assert {p.name for p in folder.iterdir()} == EVERY_FILE


def test_a_folder_holding_other_results_is_never_written_over(capsys, tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    status, _, err = govsim_in_process(capsys, *FAST, f"hydra.run.dir={out}")
    assert status == 2 and "holds other results" in err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_finished_run_is_skipped_when_run_again(capsys, tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert govsim_in_process(capsys, *FAST, f"hydra.run.dir={out}")[0] == 0
    status, stdout, _ = govsim_in_process(capsys, *FAST, f"hydra.run.dir={out}")
    assert status == 0 and "skipped (already done)" in stdout


def test_a_failed_block_leaves_no_folder(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic_folder(tmp_path / "run") as partial:
        (partial / "half.txt").write_text("half")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_a_killed_run_leaves_nothing_or_a_folder_marked_incomplete(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "govsim",
            "city=workshop",
            "days=365",
            "replications=200",
            "progress=false",
            f"hydra.run.dir={out}",
        ],
        cwd=CONF_DIR.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while not list(tmp_path.glob(f"run{INCOMPLETE}*")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    assert all(INCOMPLETE in p.name for p in tmp_path.iterdir())


def test_a_locked_sweep_job_is_left_to_the_process_holding_it(capsys, tmp_path: Path) -> None:
    args = ["-m", *FAST, "reference=null", "seed=0,1", f"hydra.sweep.dir={tmp_path}"]
    assert govsim_in_process(capsys, *args)[0] == 0
    first, second = sorted(tmp_path.glob("run-*"))
    (first / "status.json").unlink()
    lock = job_lock(first)
    assert lock is not None
    try:
        status, _, err = govsim_in_process(capsys, *args)
    finally:
        lock.release()
    assert status == 0 and "another process is running this job" in err
    assert not (first / "status.json").exists()
    assert read_status(second)["outcome"] == "skipped"


def test_progress_shows_in_logs_when_not_on_a_terminal(capsys) -> None:
    with progress("runs", 3, every=0.0) as advance:
        for _ in range(3):
            advance()
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("govsim: runs: 1/3 (33%)") and "left" in lines[0]
    assert lines[-1].startswith("govsim: runs: 3/3 (100%)")


def test_a_large_run_announces_its_time_before_it_starts(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(job, "LARGE_SECONDS", 0.0)
    status, _, err = govsim_in_process(
        capsys, *FAST, "replications=3", f"hydra.run.dir={tmp_path / 'run'}"
    )
    assert status == 0
    assert re.search(r"govsim: 6 runs of about \d+ s each: about \d+ s on this machine", err)


def test_result_tables_read_back_as_they_were_written(tmp_path: Path) -> None:
    import pandas as pd

    from conftest import experiment
    from govsim.experiments.run import run_experiment
    from govsim.files import write_parquet

    result = run_experiment(experiment(*FAST, "mechanism=whistle"))
    odd = pd.DataFrame(
        {  # kinds written through pandas' own conversion
            "when": pd.to_datetime(["2025-05-01", None]),
            "kind": pd.Categorical(["a", "b"]),
            "count": pd.array([1, None], dtype="Int64"),
            "x": [1.5, float("nan")],
            "text": ["a", None],
        }
    )
    for name, frame in [
        ("runs", result.runs),
        ("daily", result.daily),
        ("units", result.units),
        ("odd", odd),
    ]:
        write_parquet(tmp_path / f"{name}.parquet", frame)
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{name}.parquet"), frame)
