"""Hydra's command line: its own parser of flags (``-m``, ``--cfg``, ...) and overrides."""

from __future__ import annotations

import argparse

from hydra._internal.utils import get_args_parser

__all__ = ["hydra_arguments"]


def hydra_arguments() -> argparse.ArgumentParser:
    """A fresh parser of the command line as ``@hydra.main`` reads it."""
    return get_args_parser()
