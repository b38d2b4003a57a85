"""A single run composed once by Hydra, not twice.

Before running an application, Hydra 1.3 (``run_hydra``) composes the whole configuration
once only to read ``hydra.mode`` from it (``Hydra.get_mode``), then composes it again to
run: a quarter of a second or more of every ``govsim`` single run on the machine of the
README's figures. govsim's configuration never sets ``hydra.mode``, so unless the command
line does, that first composition can only find it unset (Hydra then runs in the mode its
command-line flags ask for). :func:`composed_once` answers so without composing; a command
line that sets ``hydra.mode`` goes through Hydra's own ``get_mode``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from hydra._internal.hydra import Hydra

__all__ = ["composed_once", "sets_mode"]


def sets_mode(overrides: Sequence[str]) -> bool:
    """Whether any override sets ``hydra.mode`` (``hydra.mode=``, ``+hydra.mode=``, ...)."""
    return any(o.lstrip("+~").split("=", 1)[0].strip() == "hydra.mode" for o in overrides)


@contextlib.contextmanager
def composed_once(overrides: Sequence[str]) -> Iterator[None]:
    """Within the block, Hydra reads the run mode without composing (see the module)."""
    if sets_mode(overrides):
        yield
        return
    original = Hydra.get_mode

    def get_mode(self: Hydra, config_name: str | None, overrides: list[str]) -> Any:
        return None  # the mode the command-line flags ask for, as Hydra does when unset

    Hydra.get_mode = get_mode  # type: ignore[method-assign]
    try:
        yield
    finally:
        Hydra.get_mode = original  # type: ignore[method-assign]
