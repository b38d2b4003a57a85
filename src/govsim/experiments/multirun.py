"""Sweeps from Python: :func:`sweep` (``govsim.sweep``) and the ``govsim -m`` command.

Both go through :func:`multirun`, and it through the Hydra adapter's
:func:`~govsim.composition.launch.launch`: Hydra composes the configuration in multirun
mode and the configured sweeper expands the overrides with Hydra's grammar
(``mechanism=baseline,whistle seed='range(3)'``), checks every job and hands them to the
configured launcher — by default govsim's own (``hydra/launcher=govsim``), which runs
them in batches (:mod:`govsim.experiments.batch`). Any other launcher
(``hydra/launcher=joblib``) calls :func:`sweep_task` once per job, in workers that end
with this process however it ends (:mod:`govsim.experiments.orphans`). Either way each job
writes one run folder with its ``status.json`` in the sweep folder, which records its
jobs in ``sweep.json``; a finished sweep run again skips every job.

:func:`sweep` then reads the sweep folder back (:func:`govsim.experiments.collect.tables`)::

    import govsim
    result = govsim.sweep("mechanism=baseline,whistle", "seed=range(3)", "city=workshop",
                          folder="results/sweeps/demo", workers=2)
    result.runs      # one row per run folder, arm and replication, with its status
    result.daily     # one row per run folder, arm, replication and day
    result.units     # one row per run folder, arm, replication and service point
    result.folder, result.state   # the sweep folder; its runs done, failed, missing
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govsim.composition.launch import launch
from govsim.config.schema import ExperimentConfig
from govsim.config.validate import ConfigError
from govsim.experiments.orphans import watched
from govsim.experiments.sweep import Job, SweepState, register_resolvers, sweep_state

if TYPE_CHECKING:
    import pandas as pd

    from govsim.experiments.job import RunReport

__all__ = ["SweepResult", "multirun", "sweep", "sweep_task"]


@dataclass
class SweepResult:
    """A sweep's tables (pandas), its folder and the state of its runs."""

    runs: pd.DataFrame
    daily: pd.DataFrame
    units: pd.DataFrame
    folder: Path
    state: SweepState


def sweep_task(
    experiment: ExperimentConfig, overrides: list[str], folder: Path, report: RunReport
) -> None:
    """One job of a sweep: for launchers that call a task per job."""
    from govsim.experiments.job import sweep_job

    sweep_job(Job.of(folder, experiment, overrides), report)


def _quoted(value: str) -> str:
    """A value as Hydra's override grammar reads it back unchanged."""
    if re.fullmatch(r"[\w./:-]+", value):
        return value
    return "'" + value.replace("'", "\\'") + "'"


def multirun(overrides: Sequence[str], report: RunReport) -> Path | None:
    """Run the sweep that ``govsim -m *overrides`` runs; return its folder (None: no jobs)."""
    register_resolvers()
    return launch(overrides, watched(functools.partial(sweep_task, report=report)))


def sweep(
    overrides: Sequence[str], report: RunReport, folder: str | Path | None = None, workers: int = 1
) -> SweepResult:
    """Run a sweep with govsim's launcher and read back its tables.

    ``folder`` is the sweep folder (``hydra.sweep.dir``; by default
    ``results/multirun/<date>/<time>``), ``workers`` the processes that run its jobs.
    """
    from govsim.experiments.collect import tables

    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError("workers", workers, "an integer >= 1")
    where = [] if folder is None else [f"hydra.sweep.dir={_quoted(str(folder))}"]
    done = multirun(
        [*overrides, "hydra/launcher=govsim", f"hydra.launcher.workers={workers}", *where], report
    )
    if done is None:
        raise ConfigError("overrides", list(overrides), "overrides that make at least one job")
    runs, daily, units = tables(done)
    return SweepResult(runs, daily, units, done, sweep_state(done))
