"""Service points (服务/处置点位): staff who handle cases one at a time, and their queues.

Each station has ``servers`` staff. A job waits in a priority queue ordered by
``(priority class, rank, arrival order)`` and is served by the first free staff member;
service is not interrupted. Jobs whose case has since moved on (its ``token`` changed) are
skipped when they reach the head of the queue.

A station's queue is one first-in-first-out list per (priority class, rank) — the ranks
being the few values the case types' priorities take — which gives exactly the order above
with constant work per job. The lists' jobs live in one shared pool of flat arrays.

Every station also keeps exact time-weighted statistics since :meth:`Stations.reset_statistics`:
the area under its number of jobs held and of staff busy, from which the mean number in
the station (L) and the utilisation follow.
"""

from __future__ import annotations

import numpy as np

from govsim.model.compiled import compiled

__all__ = ["Stations", "enqueue", "pop_job", "touch"]


class Stations:
    """Staff, busy counts, queues and accumulated staff time of every service point.

    Args:
        servers: staff of each station.
        ranks: how many ranks a job can have (ranks are 0 .. ranks − 1).

    """

    def __init__(self, servers: np.ndarray, ranks: int = 1, capacity: int = 1024) -> None:
        self.servers = np.asarray(servers, dtype=np.int64).copy()
        n = len(self.servers)
        self.busy = np.zeros(n, dtype=np.int64)
        self.held = np.zeros(n, dtype=np.int64)
        """Live jobs at each station, waiting or in service."""
        self.staff_days = np.zeros(n)
        """Staff days of work started at each station since the start of the run."""
        self.since = 0.0
        self.last = np.zeros(n)
        self.held_area = np.zeros(n)
        self.busy_area = np.zeros(n)
        self.arrivals = np.zeros(n, dtype=np.int64)
        self.completions = np.zeros(n, dtype=np.int64)
        # Queues: per station and bucket (priority class × ranks + rank), the first and last
        # job of a list through the pool; a job's fields are case, part, token, part token.
        self.rank_queues(ranks)
        self.job_next = np.full(capacity, -1, dtype=np.int64)
        self.job_data = np.zeros((capacity, 4), dtype=np.int64)
        self.job_queued = np.zeros(capacity)
        self.pool = np.array([-1, 0, 0], dtype=np.int64)
        """The pool's first free job, its first never-used job, and its jobs in use."""

    def __len__(self) -> int:
        return len(self.servers)

    def rank_queues(self, ranks: int) -> None:
        """Empty queues for jobs of ``ranks`` ranks (0 .. ranks − 1) in both priority classes."""
        self.head = np.full((len(self.servers), 2 * ranks), -1, dtype=np.int64)
        self.tail = self.head.copy()

    @property
    def room(self) -> int:
        """Jobs that can still be queued without growing the pool."""
        return len(self.job_next) - int(self.pool[2])

    def grow(self, needed: int = 0) -> None:
        """Double the job pool (at least ``needed`` free places after)."""
        capacity = len(self.job_next)
        while capacity - int(self.pool[2]) < max(needed, capacity // 2):
            capacity *= 2
        for name, fill in (("job_next", -1), ("job_data", 0), ("job_queued", 0.0)):
            old = getattr(self, name)
            new = np.full((capacity, *old.shape[1:]), fill, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def touch_all(self, now: float) -> None:
        """Accumulate every station's time-weighted areas up to ``now``."""
        elapsed = now - self.last
        moved = elapsed > 0.0
        self.held_area[moved] += self.held[moved] * elapsed[moved]
        self.busy_area[moved] += self.busy[moved] * elapsed[moved]
        self.last[moved] = now

    def reset_statistics(self, now: float) -> None:
        """Start the statistics window at ``now`` (after a warm-up)."""
        self.since = now
        self.last[:] = now
        self.held_area[:] = 0.0
        self.busy_area[:] = 0.0
        self.arrivals[:] = 0
        self.completions[:] = 0

    def statistics(self, now: float) -> dict[str, np.ndarray]:
        """Per-station arrivals, completions, mean number held and utilisation up to ``now``."""
        self.touch_all(now)
        window = now - self.since
        servers = self.servers.astype(float)
        return {
            "arrivals": self.arrivals.copy(),
            "completions": self.completions.copy(),
            "mean_held": self.held_area / window,
            "utilisation": self.busy_area / (window * servers),
            "window": np.full(len(servers), window),
        }


@compiled
def touch(s, station: int, now: float) -> None:
    """Accumulate the time-weighted areas of a station up to ``now``."""
    elapsed = now - s.st_last[station]
    if elapsed > 0.0:
        s.st_held_area[station] += s.st_held[station] * elapsed
        s.st_busy_area[station] += s.st_busy[station] * elapsed
        s.st_last[station] = now


@compiled
def enqueue(
    s, station: int, case: int, part: int, token: int, part_token: int, now: float, bucket: int
) -> None:
    """Put a job at the end of its bucket's list (the caller has made room in the pool)."""
    pool = s.q_pool
    job = pool[0]
    if job >= 0:
        pool[0] = s.q_next[job]
    else:
        job = pool[1]
        pool[1] += 1
    pool[2] += 1
    s.q_next[job] = -1
    s.q_data[job, 0] = case
    s.q_data[job, 1] = part
    s.q_data[job, 2] = token
    s.q_data[job, 3] = part_token
    s.q_queued[job] = now
    last = s.q_tail[station, bucket]
    if last < 0:
        s.q_head[station, bucket] = job
    else:
        s.q_next[last] = job
    s.q_tail[station, bucket] = job


@compiled
def pop_job(s, station: int) -> tuple[int, int, int, int, float]:
    """Take the head of the station's queue (stale jobs included; the caller checks tokens).

    Returns (case, part, token, part token, time queued); the case is -1 when the queue is
    empty.
    """
    heads = s.q_head
    for bucket in range(heads.shape[1]):
        job = heads[station, bucket]
        if job >= 0:
            following = s.q_next[job]
            heads[station, bucket] = following
            if following < 0:
                s.q_tail[station, bucket] = -1
            pool = s.q_pool
            s.q_next[job] = pool[0]
            pool[0] = job
            pool[2] -= 1
            data = s.q_data
            return data[job, 0], data[job, 1], data[job, 2], data[job, 3], s.q_queued[job]
    return -1, -1, 0, 0, 0.0
