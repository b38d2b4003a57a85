"""Random streams for common random numbers (公共随机数).

Every random decision draws from its own :class:`numpy.random.Generator`, keyed by the
run's seed, its replication and the decision's *purpose*. Case arrivals use their own
stream, and each case carries a block of draws for its later decisions (see
:mod:`govsim.ledger`), so two runs that differ only in a mechanism see the same residents,
the same cases at the same times, and the same draw for every decision the two runs have
in common.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

__all__ = ["Purpose", "RandomStreams"]


class Purpose(IntEnum):
    """What a stream is used for; the value is part of the stream's key (never reorder)."""

    POPULATION = 0
    ARRIVALS = 1
    CASE_ONCE = 2
    CASE_SERVICE = 3
    CASE_WAIT = 4
    CASE_ROUTE = 5
    CASE_DELAY = 6
    OVERFLOW = 7
    MESA = 8
    DEMAND = 9


class RandomStreams:
    """One independent generator per purpose, all derived from ``(seed, replication)``."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = seed
        self.replication = replication
        self._generators: dict[Purpose, np.random.Generator] = {}

    def key(self, purpose: Purpose) -> np.random.SeedSequence:
        """The seed sequence of one purpose."""
        return np.random.SeedSequence(self.seed, spawn_key=(self.replication, int(purpose)))

    def __getitem__(self, purpose: Purpose) -> np.random.Generator:
        gen = self._generators.get(purpose)
        if gen is None:
            gen = np.random.default_rng(self.key(purpose))
            self._generators[purpose] = gen
        return gen
