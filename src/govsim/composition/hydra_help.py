"""Hydra's ``--help`` and ``--hydra-help``, with their text unchanged and written fast.

To list one config group's options, Hydra 1.3 (``ConfigLoaderImpl.get_group_options``)
deep-copies its whole repository — every config it knows: its own, its plugins' and
govsim's schemas — and the help text lists groups that way 64 times, which was more than
half the CPU time of ``govsim --help``. Listing only reads the repository, so while the
help is written :func:`one_repository` lets every listing without overrides share one
copy; the text is the same.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.config_repository import CachingConfigRepository
from hydra.core.object_type import ObjectType

__all__ = ["one_repository"]


@contextlib.contextmanager
def one_repository() -> Iterator[None]:
    """Within the block, Hydra lists config groups through one copy of its repository."""
    original = ConfigLoaderImpl.get_group_options
    copies: dict[tuple[int, str | None], CachingConfigRepository] = {}

    def get_group_options(
        self: ConfigLoaderImpl,
        group_name: str,
        results_filter: ObjectType | None = ObjectType.CONFIG,
        config_name: str | None = None,
        overrides: list[str] | None = None,
    ) -> Any:
        if overrides:
            return original(self, group_name, results_filter, config_name, overrides)
        key = (id(self), config_name)
        if key not in copies:
            copies[key] = self._parse_overrides_and_create_caching_repo(config_name, [])[1]
        return copies[key].get_group_options(group_name, results_filter)

    ConfigLoaderImpl.get_group_options = get_group_options  # type: ignore[method-assign]
    try:
        yield
    finally:
        ConfigLoaderImpl.get_group_options = original  # type: ignore[method-assign]
