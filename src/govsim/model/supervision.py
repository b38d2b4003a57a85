"""Overdue cases under supervision (督办).

A case still unanswered past its time limit becomes overdue once
(:mod:`govsim.model.overdue`). Under a mechanism that supervises overdue cases (the
hotline, 接诉即办), an overdue hotline case is put under supervision — its roll-out share
of them: its waiting job moves to the head of its queue
(:func:`govsim.model.engine.supervise_all`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from govsim.mechanisms import Mechanism
from govsim.model.engine import supervise_all
from govsim.model.state import EngineState

__all__ = ["Supervision"]


class Supervision:
    """Overdue hotline cases put under supervision by the mechanisms that supervise them."""

    def __init__(self, mechanisms: Sequence[Mechanism]) -> None:
        self._supervising = [m for m in mechanisms if m.supervises_overdue]

    def supervise(
        self, state: EngineState, now: float, overdue: np.ndarray, intensity: Mapping[str, float]
    ) -> None:
        """Put the hotline cases among ``overdue`` under supervision at ``now``.

        Only the roll-out share of them (``intensity``: each mechanism's today, by name).
        """
        hotline = overdue[state.ledger.via_hotline[overdue]]
        if not len(hotline) or not self._supervising:
            return
        share = max(intensity[m.name] for m in self._supervising)
        supervise_all(state, now, hotline[state.ledger.u_rollout[hotline] < share])
