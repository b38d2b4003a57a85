"""govsim: agent-based simulation and policy evaluation of city-region governance.

The Python API::

    import govsim
    result = govsim.run("mechanism=whistle", "replications=5")   # Hydra overrides
    result.runs, result.daily, result.units, result.config

See :mod:`govsim.experiments.run`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govsim.config.schema import ExperimentConfig
    from govsim.experiments.run import RunResult

__all__ = ["compose", "run"]


def run(*overrides: str) -> RunResult:
    """Compose a configuration from Hydra overrides and run it; see :class:`RunResult`."""
    from govsim.experiments.run import run as run_overrides

    return run_overrides(*overrides)


def compose(*overrides: str) -> ExperimentConfig:
    """The validated configuration that ``govsim.run(*overrides)`` would run."""
    from govsim.experiments.compose import compose as compose_overrides

    return compose_overrides(list(overrides))
