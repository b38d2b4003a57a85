"""Random streams for common random numbers (公共随机数).

Every random decision draws from its own :class:`numpy.random.Generator`, keyed by the
run's seed, its replication and the decision's *purpose*. Case arrivals use their own
stream, and each case carries a block of draws for its later decisions (see
:mod:`govsim.model.ledger`), so two runs that differ only in a mechanism see the same
residents, the same cases at the same times, and the same draw for every decision the two
runs have in common.

The streams of residents and cases (the population, arrivals, the day's demand, the cases'
draws) are keyed per district as well: a district's residents and cases are the same
whichever other districts one process simulates with it, so a city split across processes
gives the results of the whole city in one (:mod:`govsim.experiments.districts`). District
0 draws from the purpose's own stream and district *d* > 0 from its child *d* (numpy's
spawn key ``(replication, purpose, d)``): a one-district city draws what it drew before
streams were keyed per district.
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
    CASE_ENTRY = 10


class RandomStreams:
    """One independent generator per purpose and district, derived from ``(seed, replication)``."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = seed
        self.replication = replication
        self._generators: dict[tuple[Purpose, int], np.random.Generator] = {}

    def key(self, purpose: Purpose, district: int = 0) -> np.random.SeedSequence:
        """The seed sequence of one purpose (in one district)."""
        spawn_key = (self.replication, int(purpose)) + ((district,) if district else ())
        return np.random.SeedSequence(self.seed, spawn_key=spawn_key)

    def __getitem__(self, purpose: Purpose) -> np.random.Generator:
        return self.of_district(purpose, 0)

    def of_district(self, purpose: Purpose, district: int) -> np.random.Generator:
        """The generator of one purpose in one district (district 0: the purpose's own)."""
        gen = self._generators.get((purpose, district))
        if gen is None:
            gen = np.random.default_rng(self.key(purpose, district))
            self._generators[purpose, district] = gen
        return gen

    def word(self, purpose: Purpose, district: int) -> int:
        """A 64-bit key of one purpose in one district (for counter-based draws)."""
        return int(self.key(purpose, district).generate_state(1, np.uint64)[0])
