"""The ``govsim`` command."""

from govsim.cli.command import main

__all__ = ["main"]
