"""govsim's design sweeper (``hydra/sweeper=design``): one job per design point.

The design is :class:`govsim.experiments.design.Design`; this is Hydra's side of it, where
Hydra looks for plugins: the sweep's discrete overrides crossed, every job checked
(:func:`govsim.experiments.sweep_checks.check_jobs`), the design saved, the jobs launched.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from govsim.composition.sweepers import LaunchingSweeper
from govsim.composition.sweeping import cross, parse_sweep
from govsim.experiments.design import Design
from govsim.experiments.sweep_checks import check_jobs

__all__ = ["DesignSweeper", "DesignSweeperConf"]


@dataclass
class DesignSweeperConf:
    """Configuration of the design sweeper (``hydra/sweeper=design``)."""

    _target_: str = "hydra_plugins.govsim_design_sweeper.govsim_design_sweeper.DesignSweeper"
    method: str = "lhs"
    samples: int = 8
    design_seed: int = 0
    morris_levels: int = 4
    second_order: bool = False
    ensemble: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


class DesignSweeper(LaunchingSweeper):
    """Launch one job per design point (crossed with any discrete sweeps)."""

    def __init__(self, params: dict[str, Any], **settings: Any) -> None:
        """Take :class:`DesignSweeperConf`'s fields as Hydra passes them.

        All but ``params`` are the :class:`~govsim.experiments.design.Design`'s own settings,
        handed on as they are.
        """
        super().__init__()
        self.settings = settings
        plain = OmegaConf.to_container(params) if isinstance(params, DictConfig) else params
        self.params: dict[str, Any] = dict(plain or {})

    def sweep(self, arguments: list[str]) -> Any:
        """Sample the design, check its jobs, save it, and launch the jobs."""
        assert self.config is not None and self.hydra_context is not None
        design = Design(params=self.params, **self.settings)
        batch = design.jobs(cross(parse_sweep(arguments, self.hydra_context.config_loader)))
        self.check_jobs(batch, check_jobs)
        sweep_dir = Path(self.config.hydra.sweep.dir)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        design.save(sweep_dir)
        return [self.launcher.launch(batch, initial_job_idx=0)]


ConfigStore.instance().store(
    group="hydra/sweeper", name="design", node=DesignSweeperConf, provider="govsim"
)
