"""How the ``govsim`` command ends: an exit status and, on error, one line on stderr.

| status | meaning |
| --- | --- |
| 0 | done |
| 1 | a failure while running (a crash, a full disk, a run that could not finish) |
| 2 | a bad request: a configuration key or value, an argument or a path |
| 130 | interrupted (Ctrl-C) |

A bad request is a :class:`~govsim.config.errors.RequestError` or one of Hydra's own
errors in composing. Every error is reported as one line, ``govsim: ...``, naming what
is wrong and what is allowed; ``--debug`` prints the traceback before it. Every
subcommand and the Hydra application run through :func:`report`, so none catches errors
of its own.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from govsim.composition.overrides import COMPOSITION_ERRORS, translate
from govsim.config.errors import RequestError

__all__ = ["BAD_REQUEST", "DONE", "FAILED", "INTERRUPTED", "exit_status", "message", "report"]

DONE = 0
FAILED = 1
BAD_REQUEST = 2
INTERRUPTED = 130

_BAD_REQUESTS = (RequestError, *COMPOSITION_ERRORS)


def exit_status(error: BaseException) -> int:
    """The exit status for an error (see the module's table)."""
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(error, _BAD_REQUESTS):
        return BAD_REQUEST
    return FAILED


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def message(error: BaseException) -> str:
    """The one line that reports an error (without the ``govsim:`` prefix)."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, _BAD_REQUESTS):
        return " ".join(str(translate(error)).split())
    if isinstance(error, MemoryError):
        return "failed while running: out of memory (allowed: a smaller configuration)"
    detail = _first_line(str(error))
    name = type(error).__name__
    return (
        f"failed while running: {name}{': ' + detail if detail else ''} "
        "(--debug shows the traceback)"
    )


def report(action: Callable[[], None], debug: bool = False) -> int:
    """Run ``action``; return its exit status, reporting any error as the module says."""
    try:
        action()
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or DONE
        print(f"govsim: {_first_line(str(stop.code))}", file=sys.stderr)
        return FAILED
    except BaseException as error:  # every error ends in a status and one line
        if debug:
            traceback.print_exc()
        print(f"govsim: {message(error)}", file=sys.stderr, flush=True)
        return exit_status(error)
    return DONE
