"""A sweep's jobs checked before any is launched.

A sweep composes each of its jobs once, as Hydra's sweepers do anyway to check that a
batch composes (jobs that choose the same config groups share one Hydra composition:
:class:`~govsim.composition.compositions.Compositions`), and :func:`check_jobs` runs
govsim's checks on that composition
(:func:`~govsim.composition.compose.to_experiment`: known keys, value contracts, memory).
One bad job stops the whole sweep before any job has started, with a one-line message
naming the job; a job that fails while running is recorded and the sweep goes on
(``govsim.cli``). Once every job is checked, the sweep records each job's folder in
``sweep.json`` (so ``govsim collect`` can tell which never started) and, when the sweep
will take long, says how long it expects to take.

govsim's sweepers (``hydra_plugins``: the default sweeper, Hydra's basic one with these
checks, and the design and exploratory sweepers) call it through the adapter
(:class:`~govsim.composition.sweepers.CheckingSweeper`), which hands the checked jobs
(:class:`~govsim.experiments.sweep.Job`) to a launcher that takes them
(``hydra/launcher=govsim``), so that each job is composed once.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from govsim.composition.budget import LARGE_SECONDS, describe_seconds, seconds
from govsim.composition.compositions import Compositions
from govsim.composition.overrides import COMPOSITION_ERRORS, check_overrides, translate
from govsim.config.errors import RequestError
from govsim.config.schema import ExperimentConfig
from govsim.experiments.arms import arms
from govsim.experiments.sweep import Job, write_manifest

__all__ = ["check_jobs"]


def _checked(
    compositions: Compositions, job: list[str]
) -> tuple[DictConfig, ExperimentConfig, str]:
    try:
        return compositions.checked(job)
    except COMPOSITION_ERRORS as error:
        raise translate(error) from error


def check_jobs(
    jobs: Sequence[Sequence[str]], compositions: Compositions, sweep_dir: Path
) -> dict[tuple[str, ...], tuple[DictConfig, Job]]:
    """Compose and check every job; record their folders; announce a long sweep.

    Returns each job's composition and :class:`~govsim.experiments.sweep.Job`, by its
    overrides.
    """
    runs: list[dict[str, Any]] = []
    checked: dict[tuple[str, ...], tuple[DictConfig, Job]] = {}
    expected = 0.0
    for k, job in enumerate(jobs):
        try:
            cfg, experiment, subdir = _checked(compositions, check_overrides(list(job)))
        except RequestError as error:
            raise RequestError(
                f"sweep job {k + 1} of {len(jobs)} ({' '.join(job)}): {error}"
            ) from error
        runs.append({"run": subdir, "overrides": list(job)})
        checked[tuple(job)] = (cfg, Job.of(sweep_dir / subdir, experiment, job))
        expected += seconds(experiment, experiment.replications * len(arms(experiment)))
    write_manifest(sweep_dir, runs)
    if expected >= LARGE_SECONDS:
        print(
            f"govsim: {len(jobs)} jobs: about {describe_seconds(expected)} of runs on "
            "this machine (divided among the launcher's workers)",
            file=sys.stderr,
        )
    return checked
