"""Service points (服务/处置点位): staff who handle cases one at a time, and their queues.

Each station has ``servers`` staff. A job waits in a priority queue ordered by
``(priority class, rank, arrival order)`` and is served by the first free staff member;
service is not interrupted. Jobs whose case has since moved on (its ``token`` changed) are
skipped when they reach the head of the queue.

Every station also keeps exact time-weighted statistics since :meth:`Stations.reset_statistics`:
the area under its number of jobs held and of staff busy, from which the mean number in
the station (L) and the utilisation follow.
"""

from __future__ import annotations

import heapq
from itertools import count

import numpy as np

__all__ = ["Job", "Stations"]

Job = tuple[int, int, int, int, int, int, int, float]
"""(priority class, rank, order, case, part, token, part token, time queued); part is -1 for
the case's own line of handling. A job is void once its case's token or its part's token
has changed."""


class Stations:
    """Staff, busy counts, queues and accumulated staff time of every service point."""

    def __init__(self, servers: np.ndarray) -> None:
        n = len(servers)
        self.servers: list[int] = [int(s) for s in servers]
        self.busy: list[int] = [0] * n
        self.queues: list[list[Job]] = [[] for _ in range(n)]
        self.held: list[int] = [0] * n
        """Live jobs at each station, waiting or in service."""
        self.staff_days = np.zeros(n)
        """Staff days of work started at each station since the start of the run."""
        self._order = count()
        self.since = 0.0
        self._last = [0.0] * n
        self.held_area = [0.0] * n
        self.busy_area = [0.0] * n
        self.arrivals = [0] * n
        self.completions = [0] * n

    def __len__(self) -> int:
        return len(self.servers)

    def touch(self, station: int, now: float) -> None:
        """Accumulate the time-weighted areas of a station up to ``now``."""
        elapsed = now - self._last[station]
        if elapsed > 0.0:
            self.held_area[station] += self.held[station] * elapsed
            self.busy_area[station] += self.busy[station] * elapsed
            self._last[station] = now

    def reset_statistics(self, now: float) -> None:
        """Start the statistics window at ``now`` (after a warm-up)."""
        n = len(self.servers)
        self.since = now
        self._last = [now] * n
        self.held_area = [0.0] * n
        self.busy_area = [0.0] * n
        self.arrivals = [0] * n
        self.completions = [0] * n

    def statistics(self, now: float) -> dict[str, np.ndarray]:
        """Per-station arrivals, completions, mean number held and utilisation up to ``now``."""
        for s in range(len(self.servers)):
            self.touch(s, now)
        window = now - self.since
        servers = np.asarray(self.servers, dtype=float)
        return {
            "arrivals": np.asarray(self.arrivals),
            "completions": np.asarray(self.completions),
            "mean_held": np.asarray(self.held_area) / window,
            "utilisation": np.asarray(self.busy_area) / (window * servers),
            "window": np.full(len(servers), window),
        }

    def enqueue(self, station: int, case: int, part: int, token: int, part_token: int,
                now: float, priority: int = 1, rank: int = 0) -> None:
        """Put a job in the station's queue."""
        heapq.heappush(self.queues[station],
                       (priority, rank, next(self._order), case, part, token, part_token, now))

    def pop(self, station: int) -> Job | None:
        """Take the head of the queue (stale jobs included; the caller checks tokens)."""
        queue = self.queues[station]
        return heapq.heappop(queue) if queue else None
