"""Running a sweep's jobs in batches: many runs per worker process.

:func:`run_jobs` takes a sweep's checked jobs (:class:`~govsim.experiments.sweep.Job`: the
folder, the validated configuration and its ``config.yaml`` text, the overrides), and

1. marks the jobs that are done already as skipped (:func:`~govsim.experiments.job.skip_if_done`)
   before any worker process starts, so resuming a finished sweep costs no process;
2. splits the others into batches and runs each batch in a worker process (joblib's loky
   backend; ``workers=1`` runs them in this process), which imports govsim once and runs
   its jobs one after the other through :func:`~govsim.experiments.job.sweep_job`: one
   folder and one ``status.json`` per run, a failure recorded and the batch going on. The
   workers end with the process that started them, however it ends
   (:mod:`govsim.experiments.orphans`).

Nothing is composed here: the sweeper composed and checked every job already.
"""

from __future__ import annotations

import logging.config
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from govsim.experiments.job import RunReport, skip_if_done, sweep_job
from govsim.experiments.orphans import watched
from govsim.experiments.sweep import Job

__all__ = ["BATCHES_PER_WORKER", "batches", "run_batch", "run_jobs"]

BATCHES_PER_WORKER = 4
"""Batches per worker: enough to even out runs of unequal length, few enough that each
batch holds many runs."""


def batches(jobs: Sequence[Job], workers: int) -> list[list[Job]]:
    """The jobs in consecutive batches, about :data:`BATCHES_PER_WORKER` per worker."""
    size = max(1, math.ceil(len(jobs) / (max(1, workers) * BATCHES_PER_WORKER)))
    return [list(jobs[k : k + size]) for k in range(0, len(jobs), size)]


def run_batch(
    jobs: Sequence[Job], report: RunReport, logging_config: dict[str, Any] | None = None
) -> list[str]:
    """Run a batch of jobs one after the other (in a worker); return their outcomes."""
    if logging_config:
        logging.config.dictConfig(logging_config)
    return [sweep_job(job, report) for job in jobs]


def _in_workers(
    parts: list[list[Job]], workers: int, report: RunReport, logging_config: dict[str, Any] | None
) -> list[str]:
    from joblib import Parallel, delayed

    done = Parallel(n_jobs=workers, backend="loky")(  # workers end with this process
        delayed(watched(run_batch))(part, report, logging_config) for part in parts
    )
    return [outcome for outcomes in done for outcome in outcomes]


def run_jobs(
    jobs: Sequence[Job],
    report: RunReport,
    workers: int = 1,
    logging_config: dict[str, Any] | None = None,
) -> Counter[str]:
    """Run a sweep's jobs; return how many ran, were skipped, failed or were busy.

    ``logging_config`` (a :func:`logging.config.dictConfig` dictionary, e.g. Hydra's
    ``hydra.job_logging``) is applied in each worker before its batch.
    """
    outcomes: Counter[str] = Counter()
    pending = []
    for job in jobs:
        skipped = skip_if_done(job)
        if skipped is None:
            pending.append(job)
        else:
            outcomes[skipped] += 1
    if not pending:
        return outcomes
    if workers <= 1 or len(pending) == 1:
        outcomes.update(run_batch(pending, report, logging_config))
    else:
        outcomes.update(
            _in_workers(
                batches(pending, workers), min(workers, len(pending)), report, logging_config
            )
        )
    return outcomes
