"""Closing a case: its venue, its time, the resident's satisfaction — and reopening it.

A street office or department under ranking pressure may close a case as resolved without
solving it (``EngineState.gaming``): the closure counts as resolved in what the unit
reports, but the resident is not satisfied and calls again after a while
(``residents.repeat_call_days``), which reopens the same case.
"""

from __future__ import annotations

import math

import numpy as np

from govsim.city.levels import Level
from govsim.model.compiled import compiled
from govsim.model.events import NONE, EventKind, schedule
from govsim.model.ledger import DELAY, ROUTE, PartState, Status, next_draw
from govsim.model.residents import satisfaction
from govsim.model.state import (
    CLOSED_TODAY,
    HANDLED_LOW,
    P_HALF_LIFE,
    P_HALVING,
    P_HANDOFF_KEEP,
    P_REPEAT_CALL_DAYS,
    REOPENED,
    RESOLUTION_DAYS_SUM,
    RESOLVED,
    RESOLVED_ARISEN_SUM,
    RESPONDED,
    SATISFACTION_SUM,
    SATISFIED,
    SETTLED_LOW,
    TRUE_RESOLVED,
    UNRESOLVED,
)

__all__ = ["close", "reopen", "resolve"]

_RESOLVED, _UNRESOLVED, _OPEN = int(Status.RESOLVED), int(Status.UNRESOLVED), int(Status.OPEN)
_STREET = int(Level.STREET)
_REOPEN = int(EventKind.REOPEN)
_NO_PART = int(PartState.NONE)


@compiled
def resolve(s, now: float, case: int, level: int) -> None:
    """Close a case as resolved at ``level`` — truly, or only as reported (gaming)."""
    station = s.station[case]
    gaming = s.gaming[station] if station >= 0 else 0.0
    solved = not (gaming > 0.0 and next_draw(s, case, ROUTE) < gaming)
    close(s, now, case, _RESOLVED, level, solved)
    if not solved:
        delay = next_draw(s, case, DELAY) * s.params[P_REPEAT_CALL_DAYS]
        schedule(s, now + delay, _REOPEN, case, NONE, NONE)


@compiled
def close(s, now: float, case: int, status: int, level: int, solved: bool) -> None:
    """Close a case: record the venue (after any declared relabelling), time, satisfaction."""
    counts = s.counts
    venue = s.venue[level]
    s.status[case] = status
    s.level[case] = venue
    s.closed[case] = now
    s.station[case] = -1
    s.by_stage[s.stage[case]] -= 1
    resolved = status == _RESOLVED
    true = resolved and solved
    days = now - s.arisen[case]
    score = satisfaction(true, days, s.handoffs[case], s.params[P_HALF_LIFE],
                         s.params[P_HANDOFF_KEEP], s.params[P_HALVING])
    if resolved:
        counts[RESOLVED] += 1
    else:
        counts[UNRESOLVED] += 1
    if true:
        s.true_resolved[case] = True
        counts[TRUE_RESOLVED] += 1
        s.sums[RESOLUTION_DAYS_SUM] += days
        s.sums[RESOLVED_ARISEN_SUM] += s.arisen[case]
        if venue <= _STREET:
            counts[SETTLED_LOW] += 1
            if not s.handled_above[case]:
                counts[HANDLED_LOW] += 1
    if now <= s.answer_due[case]:
        counts[RESPONDED] += 1
    satisfied = s.u_satisfied[case] < np.float32(score)
    s.satisfaction[case] = score
    s.satisfied[case] = satisfied
    s.sums[SATISFACTION_SUM] += score
    counts[SATISFIED] += satisfied
    s.closed_buffer[counts[CLOSED_TODAY]] = case
    s.closed_scores[counts[CLOSED_TODAY]] = score
    counts[CLOSED_TODAY] += 1


@compiled
def reopen(s, now: float, case: int) -> None:
    """Undo the record of a closure that did not solve the case; the case is open again."""
    counts = s.counts
    counts[RESOLVED] -= 1
    if s.closed[case] <= s.answer_due[case]:
        counts[RESPONDED] -= 1
    s.sums[SATISFACTION_SUM] -= np.float64(s.satisfaction[case])
    counts[SATISFIED] -= s.satisfied[case]
    counts[REOPENED] += s.reopened[case] == 0
    s.by_stage[s.stage[case]] += 1
    s.status[case] = _OPEN
    s.level[case] = -1
    s.closed[case] = math.nan
    s.satisfaction[case] = math.nan
    s.satisfied[case] = False
    s.reopened[case] += 1
    s.token[case] += 1
    s.joint_pending[case] = 0
    s.offer[case] = -1
    for part in range(s.part_state.shape[1]):
        s.part_state[case, part] = _NO_PART
    s.answer_due[case] = now + s.t_time_limit[s.case_type[case]]
    s.overdue[case] = False
