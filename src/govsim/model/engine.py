"""The event loop: every event of the day, in time order.

Events carry exact timestamps (becoming known, arriving, ending service, escalating), and
:func:`run_until` processes them in time order, so the model's daily step adds no
discretisation error to waits (shared/VALIDATION.md). Each kind of event has one handler
(:data:`HANDLERS`), a plain function of the :class:`~govsim.model.state.EngineState`.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from govsim.model.escalation import on_escalate, on_rung
from govsim.model.events import EventKind
from govsim.model.routing import (
    on_arrive,
    on_deadline,
    on_done,
    on_known,
    on_reopen,
    on_transit,
)
from govsim.model.state import LATENT_STAGE, EngineState

__all__ = ["HANDLERS", "admit", "run_until"]

HANDLERS = {
    EventKind.KNOWN: on_known,
    EventKind.ARRIVE: on_arrive,
    EventKind.DONE: on_done,
    EventKind.ESCALATE: on_escalate,
    EventKind.TRANSIT: on_transit,
    EventKind.RUNG: on_rung,
    EventKind.DEADLINE: on_deadline,
    EventKind.REOPEN: on_reopen,
}
"""The handler of each kind of event."""

_DISPATCH = tuple(HANDLERS[kind] for kind in EventKind)


def run_until(e: EngineState, end: float) -> None:
    """Process, in time order, every event before ``end``."""
    heap = e.calendar.heap
    pop = heapq.heappop
    dispatch = _DISPATCH
    while heap and heap[0][0] < end:
        time, _, kind, case, station, part = pop(heap)
        dispatch[kind](e, time, case, station, part)


def admit(e: EngineState, ids: np.ndarray, known: np.ndarray, escalates: np.ndarray) -> None:
    """Schedule new cases: becoming known at ``known``, or escalating first at ``escalates``."""
    e.counters.arisen += len(ids)
    e.counters.by_stage[LATENT_STAGE] += len(ids)
    led = e.ledger
    clock_due = led.clock_due
    limits = np.asarray(e.table.time_limit)[led.case_type[ids]]
    led.answer_due[ids] = np.minimum(known, escalates) + limits
    schedule = e.calendar.schedule
    for case, t_known, t_esc in zip(ids.tolist(), known.tolist(), escalates.tolist(),
                                    strict=True):
        if t_esc < t_known:
            clock_due[case] = t_esc
            schedule(t_esc, EventKind.ESCALATE, case)
        elif t_known < math.inf:
            schedule(t_known, EventKind.KNOWN, case)
