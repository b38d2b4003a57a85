"""What govsim's Hydra sweepers share: their launcher, their jobs checked and handed over.

govsim's sweepers (``hydra_plugins``: the default, the design and the exploratory ones)
make their jobs, have every job composed and checked before any is launched, and hand
the checked jobs to a launcher that takes them (``hydra/launcher=govsim``), which runs
them without composing again. The checks are govsim's, given by the plugin
(:func:`govsim.experiments.sweep_checks.check_jobs`); the compositions
(:class:`~govsim.composition.compositions.Compositions`), the launcher and the hand-over
are Hydra's side of it, here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hydra.core.plugins import Plugins
from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig

from govsim.composition.compositions import Compositions

__all__ = ["CheckedJobs", "CheckingSweeper", "JobCheck", "LaunchingSweeper"]

CheckedJobs = dict[tuple[str, ...], tuple[DictConfig, Any]]
"""Checked jobs by their overrides: each one's composition and what the launcher runs."""
JobCheck = Callable[[Sequence[Sequence[str]], Compositions, Path], CheckedJobs]
"""govsim's checks of a sweep's jobs: the jobs, their compositions, the sweep's folder."""


class CheckingSweeper:
    """A Hydra sweeper's part that checks every job and hands the checked jobs over."""

    config: DictConfig | None
    hydra_context: HydraContext | None
    launcher: Any

    def check_jobs(self, jobs: Sequence[Sequence[str]], check: JobCheck) -> None:
        """Check every job with ``check``; give the checked jobs to a launcher that takes them."""
        assert self.config is not None and self.hydra_context is not None
        checked = check(
            jobs, Compositions(self.config, self.hydra_context), Path(self.config.hydra.sweep.dir)
        )
        take = getattr(self.launcher, "take_checked_jobs", None)
        if take is not None:
            take(checked)


class LaunchingSweeper(CheckingSweeper, Sweeper):
    """A sweeper of govsim's own that makes its jobs and launches them, checked, at once.

    It sets up the configured launcher as Hydra's sweepers do; a subclass's ``sweep``
    makes the jobs.
    """

    def __init__(self) -> None:
        super().__init__()
        self.config: DictConfig | None = None
        self.launcher: Any = None
        self.hydra_context: HydraContext | None = None

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        """Instantiate the launcher."""
        self.hydra_context = hydra_context
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config
        )
