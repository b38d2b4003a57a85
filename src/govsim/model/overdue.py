"""Overdue cases (超期): open cases still unanswered past their time limit, each found once.

A case still unanswered past its time limit (``answer_due``) becomes overdue once; its
resident judges the service as failed (:mod:`govsim.model.learning`) and, under a mechanism
that supervises them, an overdue hotline case goes under supervision
(:mod:`govsim.model.supervision`). The ledger is scanned as compiled code from the oldest
case still open.
"""

from __future__ import annotations

import numpy as np

from govsim.model.compiled import compiled
from govsim.model.ledger import CaseLedger, Status

__all__ = ["Overdue"]

_OPEN = int(Status.OPEN)


@compiled
def _mark(
    status: np.ndarray,
    answer_due: np.ndarray,
    overdue: np.ndarray,
    start: int,
    end: int,
    until: float,
) -> tuple[np.ndarray, int]:
    """Mark cases ``start`` .. ``end`` − 1 open and due before ``until``, not yet overdue.

    Returns them, in order, and the first of those cases still open (``end`` if none). The
    scan is branch-free (each case's test is added, not branched on): open cases, many of
    them long overdue, lie among closed ones in no order a processor could predict.
    """
    oldest = start
    while oldest < end and status[oldest] > _OPEN:
        oldest += 1
    due = np.empty(end - oldest + 1, dtype=np.int64)
    found = 0
    for case in range(oldest, end):
        due[found] = case
        found += np.int64(
            (status[case] <= _OPEN) & (overdue[case] == 0) & (answer_due[case] < until)
        )
    for k in range(found):
        overdue[due[k]] = True
    return due[:found].copy(), oldest


class Overdue:
    """Finds the open cases that have just passed their time limit, each once."""

    def __init__(self) -> None:
        self._oldest_open = 0
        """No case before this index is open (a lower bound that only moves forward)."""

    def mark(self, ledger: CaseLedger, until: float) -> np.ndarray:
        """Mark the open cases due before ``until`` and not yet overdue; return them."""
        due, self._oldest_open = _mark(
            ledger.status,
            ledger.answer_due,
            ledger.overdue,
            self._oldest_open,
            len(ledger),
            float(until),
        )
        return due
