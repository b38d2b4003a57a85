"""Sweeps: launchers, deterministic run folders, resume after a kill, failures, reports."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hydra.core.global_hydra import GlobalHydra

import govsim.experiments.run as run_module
from conftest import FAST, govsim_in_process
from govsim.cli import main
from govsim.composition.compose import CONF_DIR
from govsim.experiments.collect import collect
from govsim.experiments.sweep import read_status
from govsim.report.compare import build_report, load

TINY = ["city=workshop", "days=40", "replications=2", "reference=null", "progress=false"]
VOLATILE = ["sweep", "wall_seconds", "run_wall_seconds", "compile_seconds"]


def govsim(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govsim", *args],
        capture_output=True,
        text=True,
        cwd=CONF_DIR.parent,
        **kwargs,
    )


def statuses(sweep: Path) -> list[str]:
    """The status of each run that has finished (done or failed)."""
    return sorted(
        s
        for p in sweep.glob("*/status.json")
        if (s := read_status(p.parent).get("status", "")) in ("done", "failed")
    )


def comparable(sweep: Path) -> pd.DataFrame:
    runs, _ = collect(sweep)
    return (
        runs.drop(columns=VOLATILE)
        .sort_values(["run", "arm", "replication"])
        .reset_index(drop=True)
    )


@pytest.mark.parametrize("launcher", ["joblib", "submitit_local"])
def test_sweep_through_a_launcher(tmp_path: Path, launcher: str) -> None:
    done = govsim(
        "-m",
        *TINY,
        "mechanism=baseline,whistle",
        f"hydra/launcher={launcher}",
        f"hydra.sweep.dir={tmp_path}",
    )
    assert done.returncode == 0, done.stderr
    assert statuses(tmp_path) == ["done", "done"]
    runs, long = collect(tmp_path)
    assert set(runs["mechanism"]) == {"baseline", "whistle"}
    assert {"metric", "value", "day", "seed"} <= set(long.columns)


def test_run_folders_are_named_by_their_configuration(tmp_path: Path) -> None:
    first = govsim("-m", *TINY, "mechanism=baseline,whistle", f"hydra.sweep.dir={tmp_path}/a")
    second = govsim("-m", *TINY, "mechanism=whistle,baseline", f"hydra.sweep.dir={tmp_path}/b")
    assert first.returncode == second.returncode == 0
    names = [sorted(p.name for p in (tmp_path / s).glob("run-*")) for s in ("a", "b")]
    assert names[0] == names[1] and len(names[0]) == 2


def test_killed_sweep_resumes_to_the_same_table(tmp_path: Path) -> None:
    args = ["-m", *TINY, "mechanism=baseline,whistle", "seed=range(4)"]
    whole = govsim(*args, f"hydra.sweep.dir={tmp_path}/whole")
    assert whole.returncode == 0, whole.stderr
    sweep = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "govsim", *args, f"hydra.sweep.dir={sweep}"],
        cwd=CONF_DIR.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while len(statuses(sweep)) < 2 and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(statuses(sweep))
    assert 2 <= finished < 8, "the sweep was not interrupted midway"
    resumed = govsim(*args, f"hydra.sweep.dir={sweep}")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{finished} skipped" in resumed.stdout
    pd.testing.assert_frame_equal(comparable(sweep), comparable(tmp_path / "whole"))


def test_a_failed_run_is_recorded_and_the_others_still_count(tmp_path, monkeypatch) -> None:
    real = run_module.run_experiment

    def flaky(experiment, on_run=None):
        if "whistle" in experiment.mechanism:
            raise RuntimeError("simulated failure")
        return real(experiment, on_run)

    monkeypatch.setattr(run_module, "run_experiment", flaky)
    monkeypatch.setattr(
        sys,
        "argv",
        ["govsim", "-m", *TINY, "mechanism=baseline,whistle", f"hydra.sweep.dir={tmp_path}"],
    )
    GlobalHydra.instance().clear()
    try:
        main()
    finally:
        GlobalHydra.instance().clear()
    assert statuses(tmp_path) == ["done", "failed"]
    runs, long = collect(tmp_path)
    failed = runs[runs["status"] == "failed"]
    assert len(failed) == 1 and "simulated failure" in failed["error"].iloc[0]
    assert set(runs.loc[runs["status"] == "done", "mechanism"]) == {"baseline"}
    assert set(long["run"]) == set(runs.loc[runs["status"] == "done", "run"])


def test_the_end_of_a_sweep_counts_its_own_jobs(tmp_path: Path, capsys) -> None:
    """Run folders an earlier sweep left in the same folder are named, not counted."""
    sweep = ["-m", *FAST, "reference=null", f"hydra.sweep.dir={tmp_path}"]
    status, _, err = govsim_in_process(capsys, *sweep, "mechanism=baseline,whistle")
    assert status == 0, err
    status, out, err = govsim_in_process(capsys, *sweep, "mechanism=whistle,hotline")
    assert status == 0, err
    assert (
        f"sweep {tmp_path}: 1 ran, 1 skipped; 1 run folder of an earlier sweep is there too"
    ) in out


def test_compare_report_of_a_sweep(tmp_path: Path) -> None:
    done = govsim("-m", *TINY, "mechanism=baseline,whistle", f"hydra.sweep.dir={tmp_path}")
    assert done.returncode == 0, done.stderr
    report = govsim("compare", str(tmp_path))
    assert report.returncode == 0, report.stderr
    text = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "street whistle − baseline routing" in text
    assert "settled at or below the street (venue)" in text
    assert {"report.html", "report.xlsx", "report.pdf"} <= {
        p.name for p in (tmp_path / "report").iterdir()
    }
    assert (tmp_path / "report" / "levels_0.png").stat().st_size > 0
    assert (tmp_path / "report" / "timeseries_0.png").stat().st_size > 0


def test_report_of_a_single_run_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = govsim(
        "city=workshop",
        "days=30",
        "horizon_days=5",
        "replications=2",
        "progress=false",
        f"hydra.run.dir={out}",
    )
    assert done.returncode == 0, done.stderr
    runs, daily = load(out)
    path = build_report(runs, daily, tmp_path / "report")
    assert "street whistle − baseline routing" in path.read_text(encoding="utf-8")


@pytest.mark.ray
def test_a_sweep_through_the_ray_launcher_on_a_running_cluster_gives_the_serial_results(
    tmp_path: Path, local_ray
) -> None:
    """The launcher joins a cluster already running, as on a real one (README, "Ray")."""
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    address = local_ray.get_runtime_context().gcs_address
    done = govsim(
        "-m",
        *TINY,
        "mechanism=baseline,whistle",
        "hydra/launcher=ray",
        f"hydra.launcher.ray.init.address={address}",
        "+hydra.launcher.ray.init.object_store_memory=null",
        f"hydra.sweep.dir={tmp_path}/ray",
    )
    assert done.returncode == 0, done.stderr
    assert statuses(tmp_path / "ray") == ["done", "done"]
    serial = govsim(
        "-m",
        *TINY,
        "mechanism=baseline,whistle",
        "hydra/launcher=basic",
        f"hydra.sweep.dir={tmp_path}/serial",
    )
    assert serial.returncode == 0, serial.stderr
    pd.testing.assert_frame_equal(comparable(tmp_path / "ray"), comparable(tmp_path / "serial"))


def test_a_finished_run_is_done_whatever_processes_share_its_districts(tmp_path: Path) -> None:
    from conftest import experiment
    from govsim.composition.compose import config_yaml
    from govsim.experiments.sweep import is_complete, write_status

    ran = experiment("city=workshop", "days=40", "district_workers=1")
    (tmp_path / "config.yaml").write_text(config_yaml(ran), encoding="utf-8")
    write_status(tmp_path, "done", time.time())
    for same in (
        experiment("city=workshop", "days=40", "district_workers=3"),
        experiment("city=workshop", "days=40", "progress=false", "figures=false"),
    ):
        assert is_complete(tmp_path, config_yaml(same))
    assert not is_complete(tmp_path, config_yaml(experiment("city=workshop", "days=41")))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process trees as on Linux")
@pytest.mark.parametrize(
    "launcher", [["hydra.launcher.workers=2"], ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]]
)
def test_a_sweep_killed_with_sigkill_takes_its_workers_with_it(
    tmp_path: Path, launcher: list[str]
) -> None:
    psutil = pytest.importorskip("psutil")
    sweep = tmp_path / "killed"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "govsim",
            "-m",
            *TINY,
            "days=400",
            "mechanism=baseline,whistle",
            "seed=range(6)",
            *launcher,
            f"hydra.sweep.dir={sweep}",
        ],
        cwd=CONF_DIR.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 120
        while not any(sweep.glob("run-*")) and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        workers = psutil.Process(proc.pid).children(recursive=True)
        assert workers and proc.poll() is None, "no worker was running"
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, as the kernel's OOM killer does
        proc.wait()
        _, alive = psutil.wait_procs(workers, timeout=5)
        assert not alive, f"{len(alive)} of {len(workers)} workers outlived their sweep"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc (Linux)")
def test_a_parent_is_gone_only_if_it_ended_on_this_machine() -> None:
    from govsim.experiments.orphans import _gone, identity

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    known = identity(child.pid)
    assert known is not None and not _gone(child.pid, known)
    child.kill()
    time.sleep(0.2)
    assert identity(child.pid) is None and _gone(child.pid, known)  # a zombie has ended
    child.wait()
    assert _gone(child.pid, known)
    assert not _gone(child.pid, "another-machine:1") and not _gone(child.pid, None)


def test_the_default_sweeper_is_made_anew_when_hydra_scans_its_plugins_again() -> None:
    """Hydra's plugin scan runs its basic sweeper's module again: the subclass follows."""
    import importlib

    import hydra._internal.core_plugins.basic_sweeper as basic

    import hydra_plugins.govsim_sweeper.govsim_sweeper as plugin

    for module in (basic, plugin):  # as Hydra's scan does: the modules run again in place
        importlib.reload(module)
    assert issubclass(plugin.GovsimSweeper, basic.BasicSweeper)
    assert plugin.GovsimSweeper(max_batch_size=None, params={}).params == {}
