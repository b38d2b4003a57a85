"""Closing a case: its venue, its time, the resident's satisfaction — and reopening it.

A street office or department under ranking pressure may close a case as resolved without
solving it (``EngineState.gaming``; 重办结、轻解决), and a street office may close one it
cannot settle alone as outside its remit (``EngineState.declining``; 解释说明, 不予受理): the
closure counts as resolved in what the unit reports, but the resident is not satisfied.
Three checks may catch it (DOMAIN.md, "How the rates are read, and how they can be
gamed"): a callback (回访, a share ``callback`` of closures, within ``callback_days``), a
spot audit (督查, a share ``audit``, within ``audit_days``; both levers of the day) and the
resident's own repeat call (a share ``residents.repeat_call_share``, after
``residents.repeat_call_days``). The first that catches it reopens the same case; a
closure nothing catches stands. Either way the closure stays in the books: ``reported``
counts each case once from its first closure as resolved, so reported and true
resolution part by the closures without a fix that no true one followed.
"""

from __future__ import annotations

import math

import numpy as np

from govsim.city.levels import Level
from govsim.model.compiled import compiled
from govsim.model.events import NONE, EventKind, schedule
from govsim.model.ledger import DELAY, ROUTE, PartState, Status, check_draw, next_draw
from govsim.model.residents import satisfaction
from govsim.model.state import COUNT, LEVER, PARAM, SUM

__all__ = ["caught_after", "close", "close_unfixed", "declines", "reopen", "resolve"]

_RESOLVED, _UNRESOLVED, _OPEN = int(Status.RESOLVED), int(Status.UNRESOLVED), int(Status.OPEN)
_STREET = int(Level.STREET)
_REOPEN = int(EventKind.REOPEN)
_NO_PART = int(PartState.NONE)
_CHECKS = 4
"""Counter-based draws per closure of a case: repeat call, callback, audit, decline."""


@compiled
def resolve(s, now: float, case: int, level: int) -> None:
    """Close a case as resolved at ``level`` — truly, or only as reported (gaming)."""
    station = s.station[case]
    gaming = s.gaming[station] if station >= 0 else 0.0
    solved = not (gaming > 0.0 and next_draw(s, case, ROUTE) < gaming)
    if solved:
        close(s, now, case, _RESOLVED, level, True)
    else:
        close_unfixed(s, now, case, level)


@compiled
def declines(s, case: int, station: int) -> bool:
    """Whether a street office declines a case it cannot settle alone (解释说明, 不予受理).

    Drawn only where the office is tempted (``EngineState.declining`` above 0).
    """
    p = s.declining[station]
    return p > 0.0 and check_draw(s, case, _CHECKS * s.reopened[case] + 3) < p


@compiled
def close_unfixed(s, now: float, case: int, level: int) -> None:
    """Close a case as resolved without a fix, and schedule the first check that catches it."""
    close(s, now, case, _RESOLVED, level, False)
    delay = caught_after(s, case, next_draw(s, case, DELAY) * s.params[PARAM.repeat_call_days])
    if delay < math.inf:
        schedule(s, now + delay, _REOPEN, case, NONE, NONE)


@compiled
def caught_after(s, case: int, repeat_call: float) -> float:
    """Days until the first check catches a closure without a fix (inf: none does).

    ``repeat_call`` is the delay of the resident's repeat call. Each check draws only when
    its share is below 1 (repeat call) or above 0 (callback, audit), from the case's own
    counter-based draws (:data:`_CHECKS` per closure), so a run without the checks draws
    what it always drew.
    """
    k = _CHECKS * s.reopened[case]
    levers = s.levers
    share = s.params[PARAM.repeat_call_share]
    delay = repeat_call
    if share < 1.0 and check_draw(s, case, k) >= share:
        delay = math.inf
    if levers[LEVER.callback] > 0.0:
        u = check_draw(s, case, k + 1)
        if u < levers[LEVER.callback]:
            # the same draw, rescaled, places the callback within callback_days
            delay = min(delay, u / levers[LEVER.callback] * levers[LEVER.callback_days])
    if levers[LEVER.audit] > 0.0:
        u = check_draw(s, case, k + 2)
        if u < levers[LEVER.audit]:
            delay = min(delay, u / levers[LEVER.audit] * levers[LEVER.audit_days])
    return delay


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
    score = satisfaction(
        true,
        days,
        s.handoffs[case],
        s.params[PARAM.half_life],
        s.params[PARAM.handoff_keep],
        s.params[PARAM.halving],
    )
    if resolved:
        counts[COUNT.resolved] += 1
        # the books count each case once: a closure reopened by a check stays in them
        counts[COUNT.reported] += s.reopened[case] == 0
    else:
        counts[COUNT.unresolved] += 1
    if true:
        s.true_resolved[case] = True
        counts[COUNT.true_resolved] += 1
        s.sums[SUM.resolution_days_sum] += days
        s.sums[SUM.true_resolved_arisen_time_sum] += s.arisen[case]
        if venue <= _STREET:
            counts[COUNT.settled_at_or_below_street] += 1
            if not s.handled_above[case]:
                counts[COUNT.handled_at_or_below_street] += 1
    if now <= s.answer_due[case]:
        counts[COUNT.responded] += 1
    satisfied = s.u_satisfied[case] < np.float32(score)
    s.satisfaction[case] = score
    s.satisfied[case] = satisfied
    s.sums[SUM.satisfaction_sum] += score
    counts[COUNT.satisfied] += satisfied
    s.closed_buffer[counts[COUNT.closed_today]] = case
    s.closed_scores[counts[COUNT.closed_today]] = score
    counts[COUNT.closed_today] += 1


@compiled
def reopen(s, now: float, case: int) -> None:
    """Undo what a closure without a fix told the resident; the case is open again.

    Its closure as resolved stays in the books (``COUNT.reported`` is not taken back): the unit
    reported it, and the case is counted as reopened.
    """
    counts = s.counts
    counts[COUNT.resolved] -= 1
    if s.closed[case] <= s.answer_due[case]:
        counts[COUNT.responded] -= 1
    s.sums[SUM.satisfaction_sum] -= np.float64(s.satisfaction[case])
    counts[COUNT.satisfied] -= s.satisfied[case]
    counts[COUNT.reopened] += s.reopened[case] == 0
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
