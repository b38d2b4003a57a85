"""Progress of long work: a live bar on a terminal, lines in the log elsewhere.

On a terminal, :func:`progress` shows a rich progress bar on stderr. When stderr is not
a terminal (a batch job, a pipe, CI), it writes a line such as
``govsim: runs: 12/40 (30%), 1:05 elapsed, about 2:32 left`` every ``every`` seconds and
one when the work is done, so a log shows how far the work has come. Work done within
``every`` seconds writes nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = ["clock", "progress"]


def clock(seconds: float) -> str:
    """``H:MM:SS`` or ``M:SS``."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _Lines:
    """Progress as log lines, at most one every ``every`` seconds."""

    def __init__(self, description: str, total: int, every: float) -> None:
        self.description, self.total, self.every = description, total, every
        self.done = 0
        self.started = self.last = time.monotonic()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        text = (
            f"govsim: {self.description}: {self.done}/{self.total} "
            f"({self.done / max(self.total, 1):.0%}), {clock(elapsed)} elapsed"
        )
        if 0 < self.done < self.total:
            text += f", about {clock(elapsed / self.done * (self.total - self.done))} left"
        return text

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= self.every and self.done < self.total:
            self.last = now
            print(self.line(), file=sys.stderr, flush=True)

    def finish(self) -> None:
        if time.monotonic() - self.started >= self.every:
            print(self.line(), file=sys.stderr, flush=True)


@contextmanager
def progress(
    description: str, total: int, enabled: bool = True, every: float = 10.0
) -> Iterator[Callable[[], None]]:
    """Yield a function to call after each unit of work; report as the module describes."""
    if not enabled:
        yield lambda: None
        return
    if sys.stderr.isatty():
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda: bar.advance(task)
        return
    lines = _Lines(description, total, every)
    yield lines.advance
    lines.finish()
