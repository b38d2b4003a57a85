"""Sweeps that check every job before launching any.

A sweep composes each of its jobs once, as Hydra's sweepers do anyway to check that a
batch composes, and :class:`CheckedSweep` runs govsim's checks on that composition
(:func:`~govsim.experiments.compose.to_experiment`: known keys, value contracts, memory).
One bad job stops the whole sweep before any job has started, with a one-line message
naming the job; a job that fails while running is recorded and the sweep goes on
(``govsim.cli``). Once every job is checked, the sweep records each job's folder in
``sweep.json`` (so ``govsim collect`` can tell which never started) and, when the sweep
will take long, says how long it expects to take.

The default sweeper (``hydra/sweeper=govsim``, in ``hydra_plugins.govsim_sweeper``) is
Hydra's basic sweeper with these checks; the design sweeper
(:mod:`govsim.experiments.design`) checks its jobs the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.types import HydraContext
from omegaconf import DictConfig, OmegaConf

from govsim.config.errors import RequestError
from govsim.experiments.arms import arms
from govsim.experiments.budget import LARGE_SECONDS, describe_seconds, seconds
from govsim.experiments.compose import to_experiment
from govsim.experiments.overrides import COMPOSITION_ERRORS, check_overrides, translate
from govsim.experiments.sweep import write_manifest

__all__ = ["CheckedSweep"]


class CheckedSweep:
    """Checks every job of a sweep as govsim would run it, before any job is launched."""

    config: DictConfig | None
    hydra_context: HydraContext | None

    def _compose(self, job: list[str]) -> DictConfig:
        assert self.config is not None and self.hydra_context is not None
        try:
            return self.hydra_context.config_loader.load_sweep_config(self.config, job)
        except COMPOSITION_ERRORS as error:
            raise translate(error) from error

    def check_jobs(self, jobs: Sequence[Sequence[str]]) -> None:
        """Compose and check every job; record their folders; announce a long sweep."""
        assert self.config is not None
        runs: list[dict[str, Any]] = []
        expected = 0.0
        for k, job in enumerate(jobs):
            try:
                overrides = check_overrides(list(job))
                cfg = self._compose(overrides)
                experiment = to_experiment(cfg, overrides)
            except RequestError as error:
                raise RequestError(f"sweep job {k + 1} of {len(jobs)} ({' '.join(job)}): "
                                   f"{error}") from error
            runs.append({"run": str(OmegaConf.select(cfg, "hydra.sweep.subdir")),
                         "overrides": list(job)})
            expected += seconds(experiment, experiment.replications * len(arms(experiment)))
        write_manifest(Path(self.config.hydra.sweep.dir), runs)
        if expected >= LARGE_SECONDS:
            print(f"govsim: {len(jobs)} jobs: about {describe_seconds(expected)} of runs on "
                  "this machine (divided among the launcher's workers)", file=sys.stderr)
