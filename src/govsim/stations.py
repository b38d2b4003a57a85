"""Service points (服务/处置点位): staff who handle cases one at a time, and their queues.

Each station has ``servers`` staff. A job waits in a priority queue ordered by
``(priority class, rank, arrival order)`` and is served by the first free staff member;
service is not interrupted. Jobs whose case has since moved on (its ``token`` changed) are
skipped when they reach the head of the queue.
"""

from __future__ import annotations

import heapq
from itertools import count

import numpy as np

__all__ = ["Job", "Stations"]

Job = tuple[int, int, int, int, int, int]
"""(priority class, rank, order, case, part, token); part is -1 outside departments."""


class Stations:
    """Staff, busy counts, queues and accumulated staff time of every service point."""

    def __init__(self, servers: np.ndarray) -> None:
        self.servers: list[int] = [int(s) for s in servers]
        self.busy: list[int] = [0] * len(self.servers)
        self.queues: list[list[Job]] = [[] for _ in self.servers]
        self.held: list[int] = [0] * len(self.servers)
        """Live jobs at each station, waiting or in service."""
        self.staff_days = np.zeros(len(self.servers))
        self._order = count()

    def __len__(self) -> int:
        return len(self.servers)

    def has_free_staff(self, station: int) -> bool:
        """True if a staff member of the station is idle."""
        return self.busy[station] < self.servers[station]

    def enqueue(self, station: int, case: int, part: int, token: int,
                priority: int = 1, rank: int = 0) -> None:
        """Put a job in the station's queue."""
        heapq.heappush(self.queues[station], (priority, rank, next(self._order), case, part, token))

    def pop(self, station: int) -> Job | None:
        """Take the head of the queue (stale jobs included; the caller checks tokens)."""
        queue = self.queues[station]
        return heapq.heappop(queue) if queue else None

    def waiting(self) -> int:
        """Jobs in all queues, stale ones included (an upper bound on the backlog)."""
        return sum(len(q) for q in self.queues)
