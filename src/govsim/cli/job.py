"""What one Hydra job of the ``govsim`` command does: run an experiment and write its folder.

A single run's results appear whole: they are written into a temporary folder beside
``hydra.run.dir`` and renamed to it when every file is written. A sweep's jobs write into
their own folders (named by their overrides, for resuming), each under a lock.

This module holds everything a run needs — the model, the tables, the figure — so it is
imported only when a job runs, never for ``govsim --help`` or a subcommand.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from omegaconf import DictConfig
from rich.console import Console
from rich.table import Table

from govsim.config.errors import PathError
from govsim.config.schema import ExperimentConfig
from govsim.experiments.budget import LARGE_SECONDS, describe_seconds, run_seconds
from govsim.experiments.compose import config_yaml, to_experiment
from govsim.experiments.files import atomic_folder, require_writable, write_parquet, write_text
from govsim.experiments.progress import progress
from govsim.experiments.run import RunResult, arms, run_experiment
from govsim.experiments.sweep import is_complete, job_lock, read_status, write_status
from govsim.report.figures import plot_run
from govsim.report.tables import metric_legend, summary_table

__all__ = ["run_job", "single_run", "sweep_job"]


def _announce(experiment: ExperimentConfig, runs: int) -> None:
    """Say how long a large experiment will take, before it starts."""
    each = run_seconds(experiment)
    if each * runs >= LARGE_SECONDS:
        print(f"govsim: {runs} runs of about {describe_seconds(each)} each: about "
              f"{describe_seconds(each * runs)} on this machine", file=sys.stderr, flush=True)


def run_job(experiment: ExperimentConfig, out: Path,
            composed: str) -> tuple[RunResult, Table]:
    """Run one experiment, write its results into ``out``; return them and their table.

    ``composed`` is the experiment's ``config.yaml`` (:func:`config_yaml`), which the
    callers have made already to see whether the job is done.
    """
    total = experiment.replications * len(arms(experiment))
    _announce(experiment, total)
    with progress(f"{experiment.scenario}: runs", total, experiment.progress) as advance:
        result = run_experiment(experiment, on_run=advance)
    table, markdown = summary_table(result.runs)
    write_text(out / "config.yaml", composed)
    write_parquet(out / "runs.parquet", result.runs)
    write_parquet(out / "daily.parquet", result.daily)
    write_parquet(out / "units.parquet", result.units)
    plot_run(result, out / "comparison.png")
    write_text(out / "summary.md", f"# {experiment.scenario}\n\n{markdown}\n{metric_legend()}\n")
    return result, table


def _print_table(table: Table) -> None:
    stdout = Console()
    if not stdout.is_terminal:
        stdout = Console(width=160)
    stdout.print(table)


def single_run(experiment: ExperimentConfig, out: Path, task: list[str]) -> None:
    """One run: skipped if ``out`` holds it already; else written whole, by rename."""
    composed = config_yaml(experiment)
    if is_complete(out, composed):
        print(f"skipped (already done): {out}")
        return
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PathError(out, "holds other results", "a new or empty folder as hydra.run.dir")
    require_writable(out.parent, "hydra.run.dir")
    started = time.time()
    with atomic_folder(out) as partial:
        _, table = run_job(experiment, partial, composed)
        write_status(partial, "done", started, outcome="ran", overrides=task)
    _print_table(table)
    print(f"results: {out}")


def sweep_job(cfg: DictConfig, out: Path, task: list[str]) -> None:
    """One job of a sweep: a failure is recorded in its folder and the sweep goes on."""
    lock = job_lock(out)
    if lock is None:
        print(f"govsim: skipped (another process is running this job): {out}", file=sys.stderr)
        return
    with lock:
        started = time.time()
        try:
            experiment = to_experiment(cfg, task)
            composed = config_yaml(experiment)
            if is_complete(out, composed):
                write_status(out, "done", read_status(out).get("started", started),
                             outcome="skipped")
                print(f"skipped (already done): {out}")
                return
            write_text(out / "config.yaml", composed)
            write_status(out, "running", started, pid=os.getpid())
            run_job(experiment, out, composed)
        except Exception as error:
            write_status(out, "failed", started, error=f"{type(error).__name__}: {error}")
            print(f"govsim: run failed ({type(error).__name__}: {error}): {out}",
                  file=sys.stderr)
            return
        write_status(out, "done", started, outcome="ran", overrides=task)
        print(f"results: {out}")
