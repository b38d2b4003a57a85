"""Sweeps that check every job before launching any.

A sweep composes each of its jobs once, as Hydra's sweepers do anyway to check that a
batch composes (jobs that choose the same config groups share one Hydra composition:
:class:`~govsim.composition.compositions.Compositions`), and :class:`CheckedSweep` runs
govsim's checks on that composition
(:func:`~govsim.composition.compose.to_experiment`: known keys, value contracts, memory).
One bad job stops the whole sweep before any job has started, with a one-line message
naming the job; a job that fails while running is recorded and the sweep goes on
(``govsim.cli``). Once every job is checked, the sweep records each job's folder in
``sweep.json`` (so ``govsim collect`` can tell which never started) and, when the sweep
will take long, says how long it expects to take.

The default sweeper (``hydra/sweeper=govsim``, in ``hydra_plugins.govsim_sweeper``) is
Hydra's basic sweeper with these checks; the design sweeper
(:mod:`govsim.experiments.design`) checks its jobs the same way. Each job is composed
once: the checked jobs (:class:`~govsim.experiments.sweep.Job`) are handed to a launcher
that takes them (``hydra/launcher=govsim``, :meth:`CheckedSweep.hand_over`), which runs
them without composing again.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.core.plugins import Plugins
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig

from govsim.composition.budget import LARGE_SECONDS, describe_seconds, seconds
from govsim.composition.compositions import Compositions
from govsim.composition.overrides import COMPOSITION_ERRORS, check_overrides, translate
from govsim.config.errors import RequestError
from govsim.config.schema import ExperimentConfig
from govsim.experiments.arms import arms
from govsim.experiments.sweep import Job, write_manifest

__all__ = ["CheckedSweep", "LaunchingSweep"]


class CheckedSweep:
    """Checks every job of a sweep as govsim would run it, before any job is launched."""

    config: DictConfig | None
    hydra_context: HydraContext | None
    launcher: Any
    _compositions: Compositions | None = None

    def _check(self, job: list[str]) -> tuple[DictConfig, ExperimentConfig, str]:
        assert self.config is not None and self.hydra_context is not None
        if self._compositions is None:
            self._compositions = Compositions(self.config, self.hydra_context)
        try:
            return self._compositions.checked(job)
        except COMPOSITION_ERRORS as error:
            raise translate(error) from error

    def check_jobs(self, jobs: Sequence[Sequence[str]]) -> None:
        """Compose and check every job; record their folders; announce a long sweep."""
        assert self.config is not None
        runs: list[dict[str, Any]] = []
        checked: dict[tuple[str, ...], tuple[DictConfig, Job]] = {}
        sweep_dir = Path(self.config.hydra.sweep.dir)
        expected = 0.0
        for k, job in enumerate(jobs):
            try:
                cfg, experiment, subdir = self._check(check_overrides(list(job)))
            except RequestError as error:
                raise RequestError(f"sweep job {k + 1} of {len(jobs)} ({' '.join(job)}): "
                                   f"{error}") from error
            runs.append({"run": subdir, "overrides": list(job)})
            checked[tuple(job)] = (cfg, Job.of(sweep_dir / subdir, experiment, job))
            expected += seconds(experiment, experiment.replications * len(arms(experiment)))
        write_manifest(sweep_dir, runs)
        self.hand_over(checked)
        if expected >= LARGE_SECONDS:
            print(f"govsim: {len(jobs)} jobs: about {describe_seconds(expected)} of runs on "
                  "this machine (divided among the launcher's workers)", file=sys.stderr)

    def hand_over(self, checked: dict[tuple[str, ...], tuple[DictConfig, Job]]) -> None:
        """Give the composed, checked jobs to a launcher that takes them (by overrides)."""
        take = getattr(getattr(self, "launcher", None), "take_checked_jobs", None)
        if take is not None:
            take(checked)


class LaunchingSweep(CheckedSweep):
    """A sweeper of govsim's own that samples its jobs and launches them, checked, at once.

    The design and exploratory sweepers subclass it with Hydra's ``Sweeper``; it sets up the
    configured launcher as Hydra's sweepers do.
    """

    def __init__(self) -> None:
        super().__init__()
        self.config: DictConfig | None = None
        self.launcher: Any = None
        self.hydra_context: HydraContext | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction,
              config: DictConfig) -> None:
        """Instantiate the launcher."""
        self.hydra_context = hydra_context
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)
