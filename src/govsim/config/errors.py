"""What a request can get wrong: errors for the caller to fix, not failures of a run.

A :class:`RequestError` is a configuration value, a command-line argument or a path that
govsim cannot work with as given. Its message is one line naming what is wrong and what
is allowed. The ``govsim`` command exits with status 2 for these and with status 1 for
anything that goes wrong while running (:mod:`govsim.cli.errors`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "ArgumentError",
    "ConfigError",
    "IncompleteResultsError",
    "PairingError",
    "PathError",
    "RequestError",
]


class RequestError(Exception):
    """A request govsim cannot carry out as given; the message says what is allowed."""


class ConfigError(RequestError, ValueError):
    """A configuration value outside what the model allows."""

    def __init__(self, key: str, value: Any, allowed: str, message: str = "") -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(message or f"invalid configuration: {key}={value!r} (allowed: {allowed})")


class ArgumentError(RequestError):
    """A command-line argument of a subcommand that is malformed or out of range."""

    def __init__(self, command: str, problem: str, allowed: str) -> None:
        self.command, self.problem, self.allowed = command, problem, allowed
        super().__init__(f"{command}: {problem} (allowed: {allowed})")


class PathError(RequestError):
    """A path that is missing, unreadable, or does not hold what the command needs."""

    def __init__(self, path: Path | str, problem: str, allowed: str) -> None:
        self.path, self.problem, self.allowed = Path(path), problem, allowed
        super().__init__(f"{path}: {problem} (allowed: {allowed})")


class IncompleteResultsError(PathError):
    """Results asked for as a whole that are not whole: runs failed, interrupted or missing."""


class PairingError(RequestError):
    """Runs a comparison would pair or pool although they differ in more than the design."""

    def __init__(self, problem: str, allowed: str) -> None:
        self.problem, self.allowed = problem, allowed
        super().__init__(f"cannot pair runs: {problem} (allowed: {allowed})")
