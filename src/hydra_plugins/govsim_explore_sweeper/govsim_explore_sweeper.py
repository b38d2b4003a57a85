"""Registers govsim's exploratory sweeper with Hydra (``hydra/sweeper=explore``)."""

from hydra.core.config_store import ConfigStore

from govsim.experiments import explore

__all__ = ["ExploreSweeper"]


class ExploreSweeper(explore.ExploreSweeper):
    """govsim's exploratory sweeper where Hydra looks for plugins (govsim.experiments.explore)."""


ConfigStore.instance().store(group="hydra/sweeper", name="explore",
                             node=explore.ExploreSweeperConf, provider="govsim")
