"""The event loop: every event of the day, in time order, as compiled code.

Events carry exact timestamps (becoming known, arriving, ending service, escalating), and
:func:`run_until` processes them in time order, so the model's daily step adds no
discretisation error to waits (shared/VALIDATION.md). Each kind of event has one handler,
a compiled function of the flat state (:meth:`~govsim.model.state.EngineState.flat`);
the loop calls no Python per event. It stops early, before an event, when the calendar,
the queues' job pool or the day's closures might run out of room; :func:`run_until` then
grows them and goes on, so an event is always handled whole.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os

import numpy as np
from filelock import FileLock

from govsim.model.compiled import cache_folder, compiled, prune_caches
from govsim.model.escalation import on_escalate, on_rung
from govsim.model.events import NONE, EventKind, pop, schedule
from govsim.model.routing import (
    on_arrive,
    on_deadline,
    on_done,
    on_known,
    on_reopen,
    on_transit,
    supervise,
)
from govsim.model.state import COUNT, LATENT_STAGE, SUM, EngineState

__all__ = ["admit", "prepare", "run_until", "supervise_all"]

log = logging.getLogger("govsim")

ROOM = 64
"""Free places the loop keeps in the calendar and the job pool before each event (an event
schedules and queues at most a few per department part)."""

_KNOWN, _ARRIVE, _DONE, _ESCALATE = (
    int(EventKind.KNOWN),
    int(EventKind.ARRIVE),
    int(EventKind.DONE),
    int(EventKind.ESCALATE),
)
_TRANSIT, _RUNG, _DEADLINE, _REOPEN = (
    int(EventKind.TRANSIT),
    int(EventKind.RUNG),
    int(EventKind.DEADLINE),
    int(EventKind.REOPEN),
)


@compiled
def _handle(s, time: float, kind: int, case: int, station: int, part: int) -> None:
    """Call the handler of one event."""
    if kind == _DONE:
        on_done(s, time, case, station, part)
    elif kind == _KNOWN:
        on_known(s, time, case)
    elif kind == _ESCALATE:
        on_escalate(s, time, case)
    elif kind == _ARRIVE:
        on_arrive(s, time, case, station, part)
    elif kind == _TRANSIT:
        on_transit(s, time, case, station)
    elif kind == _RUNG:
        on_rung(s, time, case)
    elif kind == _DEADLINE:
        on_deadline(s, time, case)
    elif kind == _REOPEN:
        on_reopen(s, time, case)


@compiled
def _run(s, end: float) -> bool:
    """Process events before ``end``; False if it stopped for want of room."""
    events = len(s.ev_time)
    jobs = len(s.q_next)
    closures = len(s.closed_buffer)
    while s.ev_meta[0] > 0 and s.ev_time[0] < end:
        if (
            events - s.ev_meta[0] < ROOM
            or jobs - s.q_pool[2] < ROOM
            or closures - s.counts[COUNT.closed_today] < 2
        ):
            return False
        time, kind, case, station, part = pop(s)
        _handle(s, time, kind, case, station, part)
    return True


_PREPARED: list[bool] = []


def prepare(e: EngineState) -> None:
    """Compile the engine's entry points for this state, or load them from the disk cache.

    Once per process, under a lock on the cache folder: processes starting together (test
    workers, a sweep's workers) compile one at a time and the others then load the code, as
    Numba's cache is not safe against concurrent writes. A read-only folder (an
    environment's set-up cache) is only read: no lock, nothing written. Changes nothing in
    the state.
    """
    if _PREPARED:
        return
    folder = cache_folder()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    writable = os.access(folder, os.W_OK)
    none, nothing = np.zeros(0, dtype=np.int64), np.zeros(0)
    with FileLock(folder / "compile.lock") if writable else contextlib.nullcontext():
        if not any(folder.rglob("*.nbi")):
            log.info("compiling the event engine first: about a minute, once on this machine")
        if writable:
            prune_caches(folder)
        s = e.compiled()
        _run(s, -math.inf)
        _schedule_new(s, none, nothing, nothing)
        _supervise_each(s, 0.0, none)
    _PREPARED.append(True)


def run_until(e: EngineState, end: float) -> None:
    """Process, in time order, every event before ``end``."""
    while not _run(e.compiled(), end):
        e.make_room(2 * ROOM, 2 * ROOM, 2)


@compiled
def _schedule_new(s, ids: np.ndarray, known: np.ndarray, escalates: np.ndarray) -> None:
    for k in range(len(ids)):
        case, t_known, t_esc = ids[k], known[k], escalates[k]
        if t_esc < t_known:
            s.clock_due[case] = t_esc
            schedule(s, t_esc, _ESCALATE, case, NONE, NONE)
        elif t_known < math.inf:
            schedule(s, t_known, _KNOWN, case, NONE, NONE)


def admit(e: EngineState, ids: np.ndarray, known: np.ndarray, escalates: np.ndarray) -> None:
    """Schedule new cases: becoming known at ``known``, or escalating first at ``escalates``."""
    e.counters.counts[COUNT.arisen] += len(ids)
    e.counters.by_stage[LATENT_STAGE] += len(ids)
    led = e.ledger
    e.counters.sums[SUM.arisen_time_sum] += led.arisen[ids].sum()
    limits = np.asarray(e.table.time_limit)[led.case_type[ids]]
    led.answer_due[ids] = np.minimum(known, escalates) + limits
    e.make_room(len(ids) + ROOM, 0, 0)
    _schedule_new(
        e.compiled(),
        np.asarray(ids, dtype=np.int64),
        np.asarray(known, dtype=float),
        np.asarray(escalates, dtype=float),
    )


@compiled
def _supervise_each(s, now: float, cases: np.ndarray) -> None:
    for k in range(len(cases)):
        supervise(s, now, cases[k])


def supervise_all(e: EngineState, now: float, cases: np.ndarray) -> None:
    """Put each of ``cases`` under supervision (督办) at ``now``, in order."""
    if not len(cases):
        return
    e.make_room(2 * len(cases) + ROOM, 2 * len(cases) + ROOM, 0)
    _supervise_each(e.compiled(), now, np.asarray(cases, dtype=np.int64))
