"""govsim's default launcher (``hydra/launcher=govsim``): a sweep's jobs in batches.

The sweeper hands over every job it composed and checked (``CheckingSweeper.check_jobs``);
the launcher gives them to :func:`govsim.experiments.batch.run_jobs`, which skips the
finished ones before any process starts and runs the others in batches, ``workers``
processes at a time (``hydra.launcher.workers``, 1 = in this process). Each job writes the
folder Hydra would give it (``hydra.sweep.dir``/``hydra.sweep.subdir``) and its status, as
with any other launcher; what differs is that nothing is composed a second time, no
process is started per job and Hydra's per-job bookkeeping is skipped. A job the sweeper
did not hand over (another sweeper) is composed here.

It lives here, not in ``govsim``, because Hydra finds launchers in ``hydra_plugins``; it
imports the runner only when it launches, so listing plugins stays light.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from hydra.core.utils import JobReturn, JobStatus, filter_overrides
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf

__all__ = ["GovsimLauncher", "GovsimLauncherConf"]

log = logging.getLogger(__name__)


@dataclass
class GovsimLauncherConf:
    """Configuration of the batch launcher (``hydra/launcher=govsim``)."""

    _target_: str = "hydra_plugins.govsim_launcher.govsim_launcher.GovsimLauncher"
    workers: int = 1


class GovsimLauncher(Launcher):
    """Runs a sweep's checked jobs through govsim's batch runner."""

    def __init__(self, workers: int = 1) -> None:
        super().__init__()
        self.workers = workers
        self.config: DictConfig | None = None
        self.hydra_context: HydraContext | None = None
        self.checked: dict[tuple[str, ...], tuple[DictConfig, Any]] = {}

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        """Keep the sweep's configuration (the task function is not called)."""
        self.config = config
        self.hydra_context = hydra_context

    def take_checked_jobs(self, checked: dict[tuple[str, ...], tuple[DictConfig, Any]]) -> None:
        """The jobs the sweeper composed and checked, by their overrides."""
        self.checked.update(checked)

    def _job(self, overrides: Sequence[str]) -> tuple[DictConfig, Any]:
        if tuple(overrides) in self.checked:
            return self.checked[tuple(overrides)]
        from govsim.composition.compose import to_experiment
        from govsim.experiments.sweep import Job

        assert self.config is not None and self.hydra_context is not None
        cfg = self.hydra_context.config_loader.load_sweep_config(self.config, list(overrides))
        folder = Path(str(cfg.hydra.sweep.dir)) / str(cfg.hydra.sweep.subdir)
        return cfg, Job.of(folder, to_experiment(cfg, list(overrides)), overrides)

    def launch(
        self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int
    ) -> Sequence[JobReturn]:
        """Run the jobs in batches; every job's outcome is in its folder's status."""
        from govsim.config.validate import ConfigError
        from govsim.experiments.batch import run_jobs
        from govsim.report.run_files import write_run_report

        if not isinstance(self.workers, int) or isinstance(self.workers, bool) or self.workers < 1:
            raise ConfigError("hydra.launcher.workers", self.workers, "an integer >= 1")
        assert self.config is not None
        Path(str(self.config.hydra.sweep.dir)).mkdir(parents=True, exist_ok=True)
        where = "in this process" if self.workers == 1 else f"in {self.workers} processes"
        log.info(f"Launching {len(job_overrides)} jobs {where}")
        returns, jobs = [], []
        for k, overrides in enumerate(job_overrides):
            log.info(f"\t#{initial_job_idx + k} : {' '.join(filter_overrides(overrides))}")
            cfg, job = self._job(overrides)
            jobs.append(job)
            returns.append(
                JobReturn(
                    overrides=list(overrides),
                    cfg=cfg,
                    hydra_cfg=cfg.hydra,
                    working_dir=str(job.folder),
                    task_name=str(cfg.hydra.job.name),
                    status=JobStatus.COMPLETED,
                )
            )
        logging_config = OmegaConf.to_container(self.config.hydra.job_logging, resolve=True)
        run_jobs(
            jobs,
            write_run_report,
            self.workers,
            logging_config if isinstance(logging_config, dict) else None,
        )
        return returns


ConfigStore.instance().store(
    group="hydra/launcher", name="govsim", node=GovsimLauncherConf, provider="govsim"
)
