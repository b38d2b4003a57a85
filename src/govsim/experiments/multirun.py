"""Sweeps from Python: :func:`sweep` (``govsim.sweep``) and the ``govsim -m`` command.

Both go through :func:`multirun`: Hydra composes the configuration in multirun mode and
the configured sweeper expands the overrides with Hydra's grammar
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
from typing import TYPE_CHECKING, Any

from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from govsim.composition.compose import CONF_DIR, HYDRA_LOCK, register_configs, to_experiment
from govsim.composition.overrides import COMPOSITION_ERRORS, check_overrides, translate
from govsim.config.errors import PathError
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


def sweep_task(cfg: DictConfig, report: RunReport) -> None:
    """One job of a sweep as a Hydra task: for launchers that call a task per job."""
    from govsim.experiments.job import sweep_job

    hydra_cfg = HydraConfig.get()
    task = list(hydra_cfg.overrides.task)
    out = Path(hydra_cfg.runtime.output_dir)
    sweep_job(Job.of(out, to_experiment(cfg, task), task), report)


def _sweep_folder(returns: Any) -> Path | None:
    for batch in returns or []:
        for job in batch:
            found = None if job.hydra_cfg is None else (  # Hydra's own {hydra: ...}, or its part
                OmegaConf.select(job.hydra_cfg, "hydra.sweep.dir")
                or OmegaConf.select(job.hydra_cfg, "sweep.dir"))
            if found:
                return Path(str(found))
    return None


def _quoted(value: str) -> str:
    """A value as Hydra's override grammar reads it back unchanged."""
    if re.fullmatch(r"[\w./:-]+", value):
        return value
    return "'" + value.replace("'", "\\'") + "'"


def multirun(overrides: Sequence[str], report: RunReport) -> Path | None:
    """Run the sweep that ``govsim -m *overrides`` runs; return its folder (None: no jobs)."""
    register_configs()
    register_resolvers()
    checked = check_overrides(overrides)
    try:
        with HYDRA_LOCK, initialize_config_dir(config_dir=str(CONF_DIR), job_name="govsim",
                                               version_base="1.3"):
            returns = GlobalHydra.instance().hydra.multirun(
                config_name="config",
                task_function=watched(functools.partial(sweep_task, report=report)),
                overrides=[*checked, "hydra.mode=MULTIRUN"])
    except COMPOSITION_ERRORS as error:
        raise translate(error) from error
    except OSError as error:  # the sweep's folder could not be made
        if error.filename is None:
            raise
        raise PathError(error.filename, f"cannot be created ({error.strerror})",
                        "a folder govsim can write, as hydra.sweep.dir") from error
    return _sweep_folder(returns)


def sweep(overrides: Sequence[str], report: RunReport, folder: str | Path | None = None,
          workers: int = 1) -> SweepResult:
    """Run a sweep with govsim's launcher and read back its tables.

    ``folder`` is the sweep folder (``hydra.sweep.dir``; by default
    ``results/multirun/<date>/<time>``), ``workers`` the processes that run its jobs.
    """
    from govsim.experiments.collect import tables

    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError("workers", workers, "an integer >= 1")
    where = [] if folder is None else [f"hydra.sweep.dir={_quoted(str(folder))}"]
    done = multirun([*overrides, "hydra/launcher=govsim", f"hydra.launcher.workers={workers}",
                     *where], report)
    if done is None:
        raise ConfigError("overrides", list(overrides), "overrides that make at least one job")
    runs, daily, units = tables(done)
    return SweepResult(runs, daily, units, done, sweep_state(done))
