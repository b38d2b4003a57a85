"""A single run composed once by Hydra, not twice.

Before running an application, Hydra 1.3 (``run_hydra``) composes the whole configuration
once only to read ``hydra.mode`` from it (``Hydra.get_mode``), then composes it again to
run: a quarter to half a second of every ``govsim`` single run on the machine of the
README's figures. The mode can come from the command line or from a config file; when
neither can set it, that first composition can only find it unset (Hydra then runs in the
mode its command-line flags ask for), and :func:`composed_once` answers so without
composing. It does so only when:

- no override can set the mode: none of ``hydra.mode``, ``hydra`` (a whole mapping) or
  ``hydra.searchpath`` (configs from elsewhere), with or without ``+``/``++``/``~``;
- the command line adds no config folder and chooses no other primary config
  (``--config-dir``/``-cd``, ``--config-path``/``-cp``, ``--config-name``/``-cn``);
- no file of govsim's configuration (``conf/``, scenario presets included) has a
  ``mode:`` key anywhere (a conservative reading: any such line keeps Hydra's own way).

Otherwise Hydra's own ``get_mode`` runs, composing as it does.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from hydra._internal.hydra import Hydra

from govsim.composition.compose import CONF_DIR, conf_files

__all__ = ["composed_once", "mode_may_be_set"]

_MODE_KEYS = frozenset({"hydra", "hydra.mode", "hydra.searchpath"})
"""Override keys through which a command line can set ``hydra.mode``."""
_CONFIG_OPTIONS = ("--config-dir", "-cd", "--config-path", "-cp", "--config-name", "-cn")
"""Hydra's options that bring in configs other than govsim's."""
_MODE_LINE = re.compile(r"^\s*mode\s*:", re.MULTILINE)


def _configs_set_mode(conf: Path) -> bool:
    """Whether any file of the configuration folder has a ``mode:`` key (links followed)."""
    return any(
        _MODE_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
        for path in conf_files(conf)
    )


def mode_may_be_set(args: Sequence[str], conf: Path = CONF_DIR) -> bool:
    """Whether the command line ``args`` or govsim's configs may set ``hydra.mode``."""
    for arg in args:
        if arg.startswith(_CONFIG_OPTIONS):
            return True
        key = arg.lstrip("+~").split("=", 1)[0].strip()
        if not arg.startswith("-") and key in _MODE_KEYS:
            return True
    return _configs_set_mode(conf)


@contextlib.contextmanager
def composed_once(args: Sequence[str]) -> Iterator[None]:
    """Within the block, Hydra reads the run mode without composing (see the module)."""
    if mode_may_be_set(args):
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
