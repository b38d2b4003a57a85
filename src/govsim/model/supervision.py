"""Overdue cases and their supervision (督办).

A case still unanswered past its time limit (``answer_due``) becomes overdue once; its
resident judges the service as failed (:mod:`govsim.model.learning`). Under a mechanism
that supervises overdue cases (the hotline, 接诉即办), an overdue hotline case is put under
supervision — its roll-out share of them: its waiting job moves to the head of its queue
(:func:`govsim.model.engine.supervise_all`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from govsim.mechanisms import Mechanism
from govsim.model.engine import supervise_all
from govsim.model.ledger import CaseLedger, Status
from govsim.model.state import EngineState

__all__ = ["Overdue", "Supervision"]


class Overdue:
    """Finds the open cases that have just passed their time limit, each once."""

    def __init__(self) -> None:
        self._oldest_open = 0
        """No case before this index is open (a lower bound that only moves forward)."""

    def mark(self, ledger: CaseLedger, until: float) -> np.ndarray:
        """Mark the open cases due before ``until`` and not yet overdue; return them."""
        end = len(ledger)
        start = self._oldest_open
        open_now = np.flatnonzero(ledger.status[start:end] <= Status.OPEN)
        self._oldest_open = start + (int(open_now[0]) if len(open_now) else end - start)
        candidates = start + open_now
        due = candidates[(ledger.answer_due[candidates] < until) & ~ledger.overdue[candidates]]
        ledger.overdue[due] = True
        return due


class Supervision:
    """Overdue hotline cases put under supervision by the mechanisms that supervise them."""

    def __init__(self, mechanisms: Sequence[Mechanism]) -> None:
        self._supervising = [m for m in mechanisms if m.supervises_overdue]

    def supervise(self, state: EngineState, now: float, overdue: np.ndarray,
                  intensity: Mapping[str, float]) -> None:
        """Put the hotline cases among ``overdue`` under supervision at ``now``.

        Only the roll-out share of them (``intensity``: each mechanism's today, by name).
        """
        hotline = overdue[state.ledger.via_hotline[overdue]]
        if not len(hotline) or not self._supervising:
            return
        share = max(intensity[m.name] for m in self._supervising)
        supervise_all(state, now, hotline[state.ledger.u_rollout[hotline] < share])
