"""Overdue cases found as compiled code: the cases numpy's scan finds, in the same order."""

from __future__ import annotations

import numpy as np

from govsim.model.ledger import CaseLedger, Status
from govsim.model.overdue import Overdue
from govsim.model.streams import RandomStreams


def test_overdue_marks_what_a_scan_of_the_open_cases_marks() -> None:
    rng = np.random.default_rng(3)
    ledger = CaseLedger(RandomStreams(0), capacity=4)
    overdue, oldest, marked = Overdue(), 0, np.zeros(0, dtype=bool)
    for day in range(60):
        new = rng.integers(0, 30)
        zeros = np.zeros(new, dtype=np.int64)
        ledger.open_cases(zeros, zeros, zeros, zeros, zeros, np.full(new, float(day)))
        n = len(ledger)
        ledger.answer_due[n - new : n] = day + rng.exponential(5.0, new)
        ledger.status[:n] = rng.choice(
            [Status.LATENT, Status.OPEN, 2, 3], n, p=[0.05, 0.25, 0.35, 0.35]
        )
        marked = np.concatenate([marked, np.zeros(new, dtype=bool)])
        # numpy's scan from the oldest case that may be open
        open_now = np.flatnonzero(ledger.status[oldest:n] <= Status.OPEN)
        candidates = oldest + open_now
        expected = candidates[(ledger.answer_due[candidates] < day + 1.0) & ~marked[candidates]]
        oldest += int(open_now[0]) if len(open_now) else n - oldest
        marked[expected] = True
        got = overdue.mark(ledger, day + 1.0)
        assert got.tolist() == expected.tolist()
        assert np.array_equal(ledger.overdue[:n], marked)
