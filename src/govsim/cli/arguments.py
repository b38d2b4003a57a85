"""Command-line arguments of govsim's subcommands, parsed into a request or refused.

:class:`ArgumentParser` is :class:`argparse.ArgumentParser` that raises
:class:`~govsim.config.errors.ArgumentError` (a one-line message with the usage as what
is allowed) instead of printing and exiting, so every subcommand reports a bad argument
the same way. :func:`integer_at_least` checks counts such as ``--days`` or ``--trials``;
:func:`parse_param` a calibrated range (``KEY=LOW:HIGH``), :func:`parse_target` a target;
:meth:`ArgumentParser.day` a date. :func:`refusing` makes an argparse ``type`` of a
function of the packages below that refuses a value with a :class:`ValueError`.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from datetime import date
from typing import NoReturn

from govsim.config.errors import ArgumentError

__all__ = [
    "ArgumentParser",
    "integer_at_least",
    "integer_between",
    "parse_param",
    "parse_target",
    "refusing",
]


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors are :class:`ArgumentError`, never an exit."""

    @property
    def command(self) -> str:
        """The subcommand's name (``animate`` for ``govsim animate``)."""
        return self.prog.removeprefix("govsim ")

    def error(self, message: str) -> NoReturn:
        """Refuse the command line: what is wrong, and what is allowed (else the usage)."""
        problem, _, allowed = message.partition(" (allowed: ")
        if not allowed:
            allowed = " ".join(self.format_usage().split()).removeprefix("usage: ") + ")"
        raise ArgumentError(self.command, problem, allowed.removesuffix(")"))

    def refuse(self, problem: str, allowed: str) -> NoReturn:
        """Refuse arguments that parsed but cannot be carried out."""
        raise ArgumentError(self.command, problem, allowed)

    def day(self, text: str, option: str) -> date:
        """``YYYY-MM-DD`` as given to ``option``, or a refusal."""
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.refuse(f"{option} {text!r} is not a date", "a date, YYYY-MM-DD")


def refusing[T](parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse ``type`` from a parser whose :class:`ValueError` says what is allowed."""

    def refused(text: str) -> T:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    refused.__name__ = parse.__name__
    return refused


def integer_at_least(low: int) -> Callable[[str], int]:
    """An argparse ``type`` for whole numbers of at least ``low``."""
    return integer_between(low, None)


def integer_between(low: int, high: int | None) -> Callable[[str], int]:
    """An argparse ``type`` for whole numbers from ``low`` to ``high`` (None: no upper end)."""
    allowed = f"an integer >= {low}" if high is None else f"an integer from {low} to {high}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not an integer (allowed: {allowed})"
            ) from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{value} (allowed: {allowed})")
        return value

    parse.__name__ = allowed.removeprefix("an ")
    return parse


def _number(option: str, text: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"{option} {text!r}: {value!r} is not a finite number")
    return number


def parse_target(text: str) -> tuple[str, float]:
    """``metric=value`` → (metric, value)."""
    name, sep, value = text.partition("=")
    if not (sep and name):
        raise argparse.ArgumentTypeError(f"--target {text!r} (allowed: METRIC=VALUE)")
    return name, _number("--target", text, value)


def parse_param(text: str) -> tuple[str, float, float, bool]:
    """``key=low:high`` → (key, low, high, integer?)."""
    key, sep, bounds = text.partition("=")
    low, colon, high = bounds.partition(":")
    if not (sep and colon and key):
        raise argparse.ArgumentTypeError(f"--param {text!r} (allowed: KEY=LOW:HIGH)")
    integer = all(part.strip().lstrip("+-").isdigit() for part in (low, high))
    lo, hi = _number("--param", text, low), _number("--param", text, high)
    if not lo < hi:
        raise argparse.ArgumentTypeError(f"--param {text!r} (allowed: LOW < HIGH)")
    return key, lo, hi, integer
