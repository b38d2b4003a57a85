"""Sweep overrides crossed into jobs, as Hydra's basic sweeper crosses them.

``seed=1,2 city=workshop,district`` is four jobs: the cross product of the sweep overrides,
in Hydra's order. Hydra makes it in its basic sweeper (``hydra._internal``); govsim's
sweepers (the default one, the design and the exploratory sweepers) make their jobs
through :func:`cross`, and the default sweeper subclasses :class:`BasicSweeper` from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper, BasicSweeperConf
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override

__all__ = ["BasicSweeper", "BasicSweeperConf", "cross", "parse_sweep"]


def parse_sweep(arguments: Sequence[str], config_loader: Any = None) -> list[Override]:
    """The overrides of a sweep's command line, sweeps (``a=1,2``) included, parsed."""
    return OverridesParser.create(config_loader=config_loader).parse_overrides(list(arguments))


def cross(overrides: Sequence[Override]) -> list[list[str]]:
    """Every job of the parsed sweep overrides: their cross product, in Hydra's order."""
    return BasicSweeper.split_arguments(list(overrides), None)[0]
