"""Worker processes that end with the process that started them, whatever ends it.

joblib's loky workers outlive their parent: a sweep killed with ``kill -9`` (or by the
out-of-memory killer, or a closed terminal) left its workers running their jobs for
minutes, on a machine the user believed free. Every function govsim hands to a worker is
:func:`watched`: in the worker, a thread checks twice a second that the process that
started it is still its parent, and ends the worker at once when it is not (the worker's
own workers then see it gone and end too). The compiled event loop releases the GIL, so
the check runs while a run is being simulated.

A direct child of the process that started it is watched (loky's workers, joblib's
multiprocessing backend). A worker that starts when that process has died already (killed
while the worker was starting) ends at once: on Linux the process is known by its start
time on this boot, so a reused pid or another machine's process is never taken for it.
Run in that process itself (one worker, a threading backend), or by a launcher of its own
(submitit, on this machine or a cluster's; Ray), a job is left to its launcher, which
knows where its process is and when to end it.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CHECK_SECONDS", "end_with", "identity", "watched"]

CHECK_SECONDS = 0.5
"""How often a worker checks that its parent is alive."""

ORPHANED = 1
"""The exit status of a worker ended because its parent was gone."""

_watching: set[int] = set()
"""The parents this process watches already (one thread each, for the process's life)."""
_lock = threading.Lock()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(CHECK_SECONDS)
    os._exit(ORPHANED)  # no clean-up: the parent that would want the results is gone


def identity(pid: int) -> str | None:
    """A process on this machine as ``BOOT:START`` (its start time), None where unknown.

    A zombie (ended, not yet reaped) has none: it is not running.
    """
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the name: state is field 3, start 22
    return None if fields[0] == "Z" else f"{boot}:{fields[19]}"


def _gone(parent: int, known: str | None) -> bool:
    """Whether the process known as ``known`` (on this machine) has ended."""
    if known is None:
        return False
    boot = known.split(":", 1)[0]
    mine = identity(os.getpid())
    return mine is not None and mine.startswith(boot + ":") and identity(parent) != known


def end_with(parent: int, known: str | None = None) -> None:
    """End this process (from a thread) as soon as ``parent``, its parent, has ended.

    ``known`` is the parent's :func:`identity` when it started this work: a process whose
    parent had ended before it began ends now. Nothing happens in ``parent`` itself or in
    a process that is not its child.
    """
    if os.getppid() != parent:
        if _gone(parent, known):
            os._exit(ORPHANED)
        return
    with _lock:
        if parent in _watching:
            return
        _watching.add(parent)
    threading.Thread(target=_watch, args=(parent,), name="govsim-parent-watch", daemon=True).start()


def _call(
    function: Callable[..., Any], parent: int, known: str | None, *args: Any, **kwargs: Any
) -> Any:
    end_with(parent, known)
    return function(*args, **kwargs)


def watched(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` for a worker process that ends when this process ends (picklable)."""
    return functools.partial(_call, function, os.getpid(), identity(os.getpid()))
