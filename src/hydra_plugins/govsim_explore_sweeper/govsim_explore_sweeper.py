"""govsim's exploratory sweeper (``hydra/sweeper=explore``): every policy at every scenario.

The exploration is :class:`govsim.experiments.explore.Exploration`; this is Hydra's side of
it, where Hydra looks for plugins: every job checked
(:func:`govsim.experiments.sweep_checks.check_jobs`), the exploration saved, the jobs
launched.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from govsim.composition.sweepers import LaunchingSweeper
from govsim.experiments.explore import Exploration
from govsim.experiments.sweep_checks import check_jobs

__all__ = ["ExploreSweeper", "ExploreSweeperConf"]


@dataclass
class ExploreSweeperConf:
    """Configuration of the exploratory sweeper (``hydra/sweeper=explore``)."""

    _target_: str = "hydra_plugins.govsim_explore_sweeper.govsim_explore_sweeper.ExploreSweeper"
    method: str = "lhs"
    scenarios: int = 8
    design_seed: int = 0
    uncertainties: dict[str, Any] = field(default_factory=dict)
    linked: dict[str, Any] = field(default_factory=dict)


class ExploreSweeper(LaunchingSweeper):
    """Launch every policy at every sampled scenario, one job each."""

    def __init__(
        self, method: str, scenarios: int, design_seed: int, uncertainties: Any, linked: Any = None
    ) -> None:
        super().__init__()
        self.method, self.scenarios, self.design_seed = method, scenarios, design_seed
        plain = (
            OmegaConf.to_container(uncertainties, resolve=True)
            if isinstance(uncertainties, DictConfig)
            else uncertainties
        )
        self.ranges: dict[str, Any] = dict(plain or {})
        self.linked = linked

    def sweep(self, arguments: list[str]) -> Any:
        """Sample the scenarios, check every job, save the exploration, and launch."""
        assert self.config is not None and self.hydra_context is not None
        exploration = Exploration(
            self.method, self.scenarios, self.design_seed, self.ranges, self.linked
        )
        default = {str(name) for name in self.config.get("mechanism") or {}}
        batch = exploration.jobs(arguments, self.hydra_context.config_loader, default)
        self.check_jobs(batch, check_jobs)
        sweep_dir = Path(self.config.hydra.sweep.dir)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        exploration.save(sweep_dir)
        return [self.launcher.launch(batch, initial_job_idx=0)]


ConfigStore.instance().store(
    group="hydra/sweeper", name="explore", node=ExploreSweeperConf, provider="govsim"
)
