"""Registers govsim's design sweeper with Hydra (``hydra/sweeper=design``)."""

from hydra.core.config_store import ConfigStore

from govsim.experiments import design

__all__ = ["DesignSweeper"]


class DesignSweeper(design.DesignSweeper):
    """govsim's design sweeper, where Hydra looks for plugins (see govsim.design)."""


ConfigStore.instance().store(group="hydra/sweeper", name="design",
                             node=design.DesignSweeperConf, provider="govsim")
