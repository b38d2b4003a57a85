"""govsim's default sweeper (``hydra/sweeper=govsim``): Hydra's basic sweeper, every job checked.

It lives here, not in ``govsim``, because Hydra re-imports its core plugins (the basic
sweeper among them) when it scans for plugins: a subclass must be made from the module
Hydra scans. The checks are :func:`govsim.experiments.sweep_checks.check_jobs`, through
the adapter's :class:`~govsim.composition.sweepers.CheckingSweeper`.
"""

from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore

from govsim.composition.linked import link, linked_groups
from govsim.composition.overrides import COMPOSITION_ERRORS, translate
from govsim.composition.sweepers import CheckingSweeper
from govsim.composition.sweeping import basic_sweeper, cross, parse_sweep
from govsim.experiments.sweep_checks import check_jobs

__all__ = ["GovsimSweeper", "GovsimSweeperConf"]

BasicSweeper, BasicSweeperConf = basic_sweeper()


class GovsimSweeper(CheckingSweeper, BasicSweeper):
    """Hydra's basic sweeper (the cross product of the sweep overrides), every job checked.

    Keys of a linked group (``hydra.sweeper.linked``, :mod:`govsim.composition.linked`)
    move together and are crossed with the rest.
    """

    def __init__(
        self, max_batch_size: int | None = None, params: Any = None, linked: Any = None
    ) -> None:
        super().__init__(max_batch_size, params)
        self.linked = linked

    def split_arguments(  # type: ignore[override]
        self, overrides: Any, max_batch_size: int | None
    ) -> Any:
        """The jobs of the sweep overrides, crossed with the linked groups, in batches."""
        jobs = cross(overrides)
        groups = linked_groups(self.linked, (o.key_or_group for o in overrides))
        jobs = link(jobs, groups)
        return (
            [jobs]
            if max_batch_size is None
            else list(self.split_overrides_to_chunks(jobs, max_batch_size))
        )

    def sweep(self, arguments: list[str]) -> Any:
        """Check every job, then sweep as the basic sweeper does."""
        assert self.hydra_context is not None
        try:
            batches = self.split_arguments(
                parse_sweep(arguments, self.hydra_context.config_loader), None
            )
        except COMPOSITION_ERRORS as error:
            raise translate(error) from error
        self.check_jobs([job for batch in batches for job in batch], check_jobs)
        return super().sweep(arguments)

    def validate_batch_is_legal(self, batch: Any) -> None:
        """Every job was composed and checked before the first was launched."""


@dataclass
class GovsimSweeperConf(BasicSweeperConf):
    """Configuration of the checked basic sweeper (``hydra/sweeper=govsim``)."""

    _target_: str = "hydra_plugins.govsim_sweeper.govsim_sweeper.GovsimSweeper"
    linked: dict[str, Any] = field(default_factory=dict)


ConfigStore.instance().store(
    group="hydra/sweeper", name="govsim", node=GovsimSweeperConf, provider="govsim"
)
