"""Events of a case's life and the calendar that holds them in time order.

An event is one flat record ``(time, order, kind, case, station, part)``: a timestamp, a
tie-breaking order number, its :class:`EventKind` and three integers whose meaning each
kind states below (``-1`` where a kind has no use for a field). Nothing else travels with
an event: everything a handler needs is in the case ledger, so the calendar stays a heap
of plain numbers.
"""

from __future__ import annotations

import heapq
from enum import IntEnum

__all__ = ["NONE", "Calendar", "Event", "EventKind"]

NONE = -1
"""The value of a field an event kind does not use."""

Event = tuple[float, int, int, int, int, int]
"""(time, order, kind, case, station, part)."""


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
    """Future events as a binary heap (earliest first; ties in scheduling order)."""

    def __init__(self) -> None:
        self.heap: list[Event] = []
        self.scheduled = 0
        """Events scheduled so far; each one's number breaks ties in time."""

    def __len__(self) -> int:
        return len(self.heap)

    def schedule(self, time: float, kind: EventKind, case: int, station: int = NONE,
                 part: int = NONE) -> None:
        """Add an event."""
        self.scheduled += 1
        heapq.heappush(self.heap, (time, self.scheduled, kind, case, station, part))
