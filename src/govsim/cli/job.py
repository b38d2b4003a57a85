"""What one Hydra job of the ``govsim`` command does: print what the run-folder writers did.

The writing itself is :mod:`govsim.experiments.job` (with the report files of
:mod:`govsim.report.run_files`); this module only prints. It is imported only when a job
runs, never for ``govsim --help`` or a subcommand.
"""

from __future__ import annotations

from pathlib import Path

from omegaconf import DictConfig
from rich.console import Console

from govsim.composition.compose import to_experiment
from govsim.config.schema import ExperimentConfig
from govsim.experiments import job
from govsim.experiments.arms import reference_is_treatment
from govsim.experiments.sweep import Job
from govsim.report.run_files import write_run_report
from govsim.report.tables import summary_table

__all__ = ["single_run", "sweep_job"]


def single_run(experiment: ExperimentConfig, out: Path, task: list[str]) -> None:
    """One run into ``out`` (skipped if done), then its table and where it is."""
    result = job.single_run(experiment, out, task, write_run_report)
    if result is None:
        print(f"skipped (already done): {out}")
        return
    stdout = Console()
    if not stdout.is_terminal:
        stdout = Console(width=160)
    stdout.print(summary_table(result.runs)[0])
    if reference_is_treatment(experiment):
        print(
            f"reference {'+'.join(experiment.reference)} is the treatment itself (same "
            "mechanisms, same parameters): it ran once; every paired difference is 0"
        )
    print(f"results: {out}")


def sweep_job(cfg: DictConfig, out: Path, task: list[str]) -> None:
    """One job of a sweep run by another launcher (joblib, submitit, ray)."""
    job.sweep_job(Job.of(out, to_experiment(cfg, task), task), write_run_report)
