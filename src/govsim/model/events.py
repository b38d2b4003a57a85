"""Events of a case's life and the calendar that holds them in time order.

An event is one flat record: a timestamp, a tie-breaking order number (events are
numbered as they are scheduled) and its payload (:data:`PAYLOAD`): its :class:`EventKind`
and the case, station and part it concerns, whose use each kind states below (``NONE`` where a
kind has no use for a field). Nothing else travels with an event: everything a handler
needs is in the case ledger, so the calendar is a binary heap over flat arrays, earliest
first and ties in scheduling order.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from govsim.model.compiled import compiled

__all__ = ["NONE", "PAYLOAD", "Calendar", "EventKind", "pop", "schedule"]

NONE = -1
"""The value of a field an event kind does not use."""


PAYLOAD = np.dtype(
    [("kind", np.int64), ("case", np.int64), ("station", np.int64), ("part", np.int64)]
)
"""What an event carries, by name: its kind (:class:`EventKind`), the case, the station and the
department part (compiled code reads ``event.case``)."""


class EventKind(IntEnum):
    """What happens at an event, and which fields it carries."""

    KNOWN = 0
    """The case becomes known (reported or discovered). Fields: case."""
    ARRIVE = 1
    """A forwarded department part reaches its department. Fields: case, station, part."""
    DONE = 2
    """A job ends at a station. Fields: case, station, part (``NONE`` for the case's own line
    of handling; a department part otherwise)."""
    ESCALATE = 3
    """The case's escalation clock rings. Fields: case; stale unless the ledger's
    ``clock_due`` still equals the event's time."""
    TRANSIT = 4
    """A cross-boundary case's wait for the other side ends. Fields: case, station (its
    street office)."""
    RUNG = 5
    """A rung of the mediation ladder ends (the rung is the ledger's ``rung``). Fields: case."""
    DEADLINE = 6
    """The deadline of a case's joint handling at the street passes. Fields: case."""
    REOPEN = 7
    """The resident of a case closed without being solved calls again. Fields: case."""


class Calendar:
    """Future events as a binary heap over arrays (earliest first; ties in scheduling order).

    ``time`` and ``order`` are each event's key, ``data`` its :data:`PAYLOAD`; ``meta`` holds
    the number of events and the number scheduled so far.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self.time = np.zeros(capacity)
        self.order = np.zeros(capacity, dtype=np.int64)
        self.data = np.zeros(capacity, dtype=PAYLOAD)
        self.meta = np.zeros(2, dtype=np.int64)

    def __len__(self) -> int:
        return int(self.meta[0])

    @property
    def scheduled(self) -> int:
        """Events scheduled so far."""
        return int(self.meta[1])

    @property
    def room(self) -> int:
        """Events that can still be scheduled without growing."""
        return len(self.time) - len(self)

    def grow(self, needed: int = 0) -> None:
        """Double the capacity (at least ``needed`` free places after)."""
        capacity = len(self.time)
        while capacity - len(self) < max(needed, capacity // 2):
            capacity *= 2
        for name in ("time", "order", "data"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)


@compiled
def _before(s, a: int, b_time: float, b_order: int) -> bool:
    """Whether the event in place ``a`` comes before the key (b_time, b_order)."""
    a_time = s.ev_time[a]
    return a_time < b_time or (a_time == b_time and s.ev_order[a] < b_order)


@compiled
def _move(s, source: int, target: int) -> None:
    s.ev_time[target] = s.ev_time[source]
    s.ev_order[target] = s.ev_order[source]
    s.ev_data[target] = s.ev_data[source]


@compiled
def schedule(s, time: float, kind: int, case: int, station: int, part: int) -> None:
    """Add an event (the caller has made room: see :attr:`Calendar.room`)."""
    meta = s.ev_meta
    meta[1] += 1
    order = meta[1]
    i = meta[0]
    meta[0] = i + 1
    while i > 0:
        parent = (i - 1) >> 1
        if _before(s, parent, time, order):
            break
        _move(s, parent, i)
        i = parent
    s.ev_time[i] = time
    s.ev_order[i] = order
    event = s.ev_data[i]
    event.kind = kind
    event.case = case
    event.station = station
    event.part = part


@compiled
def pop(s) -> tuple[float, int, int, int, int]:
    """Take the earliest event: (time, kind, case, station, part)."""
    time, event = s.ev_time[0], s.ev_data[0]
    kind, case, station, part = event.kind, event.case, event.station, event.part
    n = s.ev_meta[0] - 1
    s.ev_meta[0] = n
    if n > 0:
        last_time = s.ev_time[n]
        last_order = s.ev_order[n]
        i = 0
        while True:
            child = 2 * i + 1
            if child >= n:
                break
            right = child + 1
            if right < n and _before(s, right, s.ev_time[child], s.ev_order[child]):
                child = right
            if not _before(s, child, last_time, last_order):
                break
            _move(s, child, i)
            i = child
        _move(s, n, i)
    return time, kind, case, station, part
