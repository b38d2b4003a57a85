"""Registers govsim's checked basic sweeper with Hydra (``hydra/sweeper=govsim``)."""

from hydra.core.config_store import ConfigStore

from govsim.experiments import sweeper

__all__ = ["GovsimSweeper"]


class GovsimSweeper(sweeper.GovsimSweeper):
    """govsim's checked sweeper, where Hydra looks for plugins (see govsim.experiments.sweeper)."""


ConfigStore.instance().store(group="hydra/sweeper", name="govsim",
                             node=sweeper.GovsimSweeperConf, provider="govsim")
