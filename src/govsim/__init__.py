"""govsim: agent-based simulation and policy evaluation of city-region governance.

The Python API::

    import govsim
    result = govsim.run("mechanism=whistle", "replications=5")   # Hydra overrides
    result.runs, result.daily, result.units, result.config
    swept = govsim.sweep("mechanism=baseline,whistle", "seed=range(3)", workers=2)
    swept.runs, swept.daily, swept.units, swept.folder, swept.state

See :mod:`govsim.experiments.run`, :mod:`govsim.experiments.multirun` and ``docs/api.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from govsim.config.schema import ExperimentConfig
    from govsim.experiments.multirun import SweepResult
    from govsim.experiments.run import RunResult

__all__ = ["compose", "run", "sweep"]


def run(*overrides: str) -> RunResult:
    """Compose a configuration from Hydra overrides and run it; see :class:`RunResult`."""
    from govsim.experiments.run import run as run_overrides

    return run_overrides(*overrides)


def compose(*overrides: str) -> ExperimentConfig:
    """The validated configuration that ``govsim.run(*overrides)`` would run."""
    from govsim.composition.compositions import compose_in_process

    return compose_in_process(list(overrides))


def sweep(*overrides: str, folder: str | Path | None = None, workers: int = 1) -> SweepResult:
    """Run the sweep ``govsim -m *overrides`` runs, into ``folder``, on ``workers`` processes.

    Hydra's override grammar expands the jobs (``"mechanism=baseline,whistle"``,
    ``"seed=range(3)"``); each writes a run folder; a finished job is skipped when the
    sweep runs again. Returns the sweep's tables; see :class:`SweepResult`.
    """
    from govsim.experiments.multirun import sweep as run_sweep
    from govsim.report.run_files import write_run_report

    return run_sweep(overrides, write_run_report, folder, workers)
