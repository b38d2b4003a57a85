"""At the end of a sweep, how many of its jobs ran, were skipped or failed.

A Hydra callback (``hydra.callbacks.summary`` in ``conf/config.yaml``) printing
:func:`govsim.experiments.sweep.summary` of the sweep's folder.
"""

from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from govsim.experiments.sweep import summary

__all__ = ["SweepSummary"]


class SweepSummary(Callback):
    """Prints the sweep's summary when the multirun ends."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Count the states of the sweep's jobs from their status files."""
        print(summary(Path(config.hydra.sweep.dir)))
