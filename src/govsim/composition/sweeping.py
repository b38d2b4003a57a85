"""Sweep overrides crossed into jobs, as Hydra's basic sweeper crosses them.

``seed=1,2 city=workshop,district`` is four jobs: the cross product of the sweep overrides,
in Hydra's order. Hydra makes it in its basic sweeper (``hydra._internal``); govsim's
sweepers (the default one, the design and the exploratory sweepers) make their jobs
through :func:`cross`, and the default sweeper subclasses :func:`basic_sweeper`'s class.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override

__all__ = ["basic_sweeper", "cross", "parse_sweep"]


def basic_sweeper() -> tuple[Any, Any]:
    """Hydra's basic sweeper and its configuration, as Hydra has them loaded now.

    Hydra runs its core plugins' modules again when it scans for plugins, which makes the
    classes anew: a subclass (``hydra_plugins.govsim_sweeper``) is made from the ones of the
    scan, so the class is looked up when asked for, never kept.
    """
    module = importlib.import_module("hydra._internal.core_plugins.basic_sweeper")
    return module.BasicSweeper, module.BasicSweeperConf


def parse_sweep(arguments: Sequence[str], config_loader: Any = None) -> list[Override]:
    """The overrides of a sweep's command line, sweeps (``a=1,2``) included, parsed."""
    return OverridesParser.create(config_loader=config_loader).parse_overrides(list(arguments))


def cross(overrides: Sequence[Override]) -> list[list[str]]:
    """Every job of the parsed sweep overrides: their cross product, in Hydra's order."""
    return basic_sweeper()[0].split_arguments(list(overrides), None)[0]
