"""A run folder: run one experiment and write its results, alone or as a job of a sweep.

Every run folder holds ``config.yaml``, ``runs.parquet``, ``daily.parquet``,
``units.parquet``, the files a :data:`RunReport` adds (``summary.md``, and
``comparison.png`` when figures are drawn) and ``status.json``, written last.

- A **single run** (:func:`single_run`) is skipped if its folder holds it already; else it
  is written into a temporary folder beside its place and renamed when every file is
  written, so it appears whole.
- A **job of a sweep** (:func:`sweep_job`) writes into its own folder (named by its
  overrides, for resuming) under a lock: ``status.json`` says ``running`` when it starts
  and ``done`` or ``failed`` last; a failure is recorded there and the sweep goes on.
  :func:`skip_if_done` marks a finished job as skipped without running anything, so a
  sweep sorts out its finished jobs before it starts any process.

``figures`` (``auto``, ``true``, ``false``) says whether ``comparison.png`` is drawn:
``auto`` draws it for a single run and not in a sweep (:func:`draws_figures`).

What the report files hold is the report layer's business: callers pass the function that
writes them (:data:`RunReport`), so this module needs no plotting.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock

from govsim.composition.budget import LARGE_SECONDS, describe_seconds, run_seconds
from govsim.composition.compose import config_yaml
from govsim.config.errors import PathError
from govsim.config.schema import ExperimentConfig
from govsim.experiments.arms import arms
from govsim.experiments.progress import progress
from govsim.experiments.sweep import Job, is_complete, job_lock, read_status, write_status
from govsim.files import atomic_folder, require_writable, write_parquet, write_text

if TYPE_CHECKING:
    from govsim.experiments.run import RunResult

__all__ = [
    "Job",
    "RunReport",
    "draws_figures",
    "single_run",
    "skip_if_done",
    "sweep_job",
    "write_run",
]

RunReport = Callable[["RunResult", Path, bool], None]
"""Writes a run folder's report files from its results: ``(result, folder, figures)``."""


def draws_figures(experiment: ExperimentConfig, in_sweep: bool) -> bool:
    """Whether a run folder gets ``comparison.png`` (``figures``: auto, true or false)."""
    choice = str(experiment.figures).lower()
    return not in_sweep if choice == "auto" else choice == "true"


def _announce(experiment: ExperimentConfig, runs: int) -> None:
    """Say how long a large experiment will take, before it starts."""
    each = run_seconds(experiment)
    if each * runs >= LARGE_SECONDS:
        print(
            f"govsim: {runs} runs of about {describe_seconds(each)} each: about "
            f"{describe_seconds(each * runs)} on this machine",
            file=sys.stderr,
            flush=True,
        )


def write_run(
    experiment: ExperimentConfig, out: Path, composed: str, report: RunReport, figures: bool
) -> RunResult:
    """Run one experiment and write its results into ``out``; return them."""
    from govsim.experiments.run import run_experiment  # the model: not needed to resume

    total = experiment.replications * len(arms(experiment))
    _announce(experiment, total)
    with progress(f"{experiment.scenario}: runs", total, experiment.progress) as advance:
        result = run_experiment(experiment, on_run=advance)
    write_text(out / "config.yaml", composed)
    write_parquet(out / "runs.parquet", result.runs)
    write_parquet(out / "daily.parquet", result.daily)
    write_parquet(out / "units.parquet", result.units)
    report(result, out, figures)
    return result


def single_run(
    experiment: ExperimentConfig, out: Path, task: Sequence[str], report: RunReport
) -> RunResult | None:
    """One run written whole into ``out``, by rename; None if ``out`` holds it already."""
    composed = config_yaml(experiment)
    if is_complete(out, composed):
        return None
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PathError(out, "holds other results", "a new or empty folder as hydra.run.dir")
    require_writable(out.parent, "hydra.run.dir")
    started = time.time()
    with atomic_folder(out) as partial:
        result = write_run(
            experiment, partial, composed, report, draws_figures(experiment, in_sweep=False)
        )
        write_status(partial, "done", started, outcome="ran", overrides=list(task))
    return result


def _lock(job: Job) -> FileLock | None:
    """The lock of the job's folder (made if missing), or None, said, if another holds it."""
    job.folder.mkdir(parents=True, exist_ok=True)
    lock = job_lock(job.folder)
    if lock is None:
        print(
            f"govsim: skipped (another process is running this job): {job.folder}", file=sys.stderr
        )
    return lock


def skip_if_done(job: Job) -> str | None:
    """Mark a finished job as skipped, without running anything.

    Returns ``skipped`` (recorded in its status) if the job is done, ``busy`` if another
    process holds it, else None (it has to run).
    """
    if not job.is_done():
        return None
    lock = _lock(job)
    if lock is None:
        return "busy"
    with lock:
        if not is_complete(job.folder, job.composed):
            return None
        started = read_status(job.folder).get("started", time.time())
        write_status(job.folder, "done", started, outcome="skipped")
    print(f"skipped (already done): {job.folder}")
    return "skipped"


def sweep_job(job: Job, report: RunReport) -> str:
    """Run one job of a sweep into its folder; a failure is recorded, not raised.

    Returns ``ran``, ``skipped``, ``failed`` or ``busy`` (another process holds it).
    """
    lock = _lock(job)
    if lock is None:
        return "busy"
    with lock:
        started = time.time()
        try:
            if is_complete(job.folder, job.composed):
                write_status(
                    job.folder,
                    "done",
                    read_status(job.folder).get("started", started),
                    outcome="skipped",
                )
                print(f"skipped (already done): {job.folder}")
                return "skipped"
            write_text(job.folder / "config.yaml", job.composed)
            write_status(job.folder, "running", started, pid=os.getpid())
            write_run(
                job.experiment,
                job.folder,
                job.composed,
                report,
                draws_figures(job.experiment, in_sweep=True),
            )
        except Exception as error:
            write_status(job.folder, "failed", started, error=f"{type(error).__name__}: {error}")
            print(
                f"govsim: run failed ({type(error).__name__}: {error}): {job.folder}",
                file=sys.stderr,
            )
            return "failed"
        write_status(job.folder, "done", started, outcome="ran", overrides=list(job.overrides))
    print(f"results: {job.folder}")
    return "ran"
