"""Closing a case: its venue, its time, the resident's satisfaction — and reopening it.

A street office or department under ranking pressure may close a case as resolved without
solving it (``EngineState.gaming``): the closure counts as resolved in what the unit
reports, but the resident is not satisfied and calls again after a while
(``residents.repeat_call_days``), which reopens the same case.
"""

from __future__ import annotations

import math

from govsim.city.levels import Level
from govsim.model.events import EventKind
from govsim.model.ledger import PartState, Status
from govsim.model.residents import satisfaction
from govsim.model.state import EngineState
from govsim.model.streams import Purpose

__all__ = ["close", "reopen", "resolve"]


def resolve(e: EngineState, now: float, case: int, level: Level | int) -> None:
    """Close a case as resolved at ``level`` — truly, or only as reported (gaming)."""
    led = e.ledger
    station = int(led.station[case])
    gaming = e.gaming[station] if station >= 0 else 0.0
    solved = not (gaming > 0.0 and led.next_draw(case, Purpose.CASE_ROUTE) < gaming)
    close(e, now, case, Status.RESOLVED, level, solved)
    if not solved:
        delay = led.next_draw(case, Purpose.CASE_DELAY) * e.repeat_call_days
        e.calendar.schedule(now + delay, EventKind.REOPEN, case)


def close(e: EngineState, now: float, case: int, status: Status, level: Level | int,
          solved: bool = True) -> None:
    """Close a case: record the venue (after any declared relabelling), time, satisfaction."""
    led = e.ledger
    counters = e.counters
    venue = e.venue[level]
    led.status[case] = status
    led.level[case] = venue
    led.closed[case] = now
    led.station[case] = -1
    counters.by_stage[int(led.stage[case])] -= 1
    resolved = status == Status.RESOLVED
    true = resolved and solved
    days = now - float(led.arisen[case])
    score = satisfaction(true, days, int(led.handoffs[case]), e.half_life, e.handoff_keep)
    if resolved:
        counters.resolved += 1
    else:
        counters.unresolved += 1
    if true:
        led.true_resolved[case] = True
        counters.true_resolved += 1
        counters.resolution_days_sum += days
        if venue <= Level.STREET:
            counters.settled_at_or_below_street += 1
            if not led.handled_above[case]:
                counters.handled_at_or_below_street += 1
    if now <= led.answer_due[case]:
        counters.responded += 1
    satisfied = bool(led.u_satisfied[case] < score)
    led.satisfaction[case] = score
    led.satisfied[case] = satisfied
    counters.satisfaction_sum += score
    counters.satisfied += satisfied
    e.closed_today.append(case)


def reopen(e: EngineState, now: float, case: int) -> None:
    """Undo the record of a closure that did not solve the case; the case is open again."""
    led = e.ledger
    counters = e.counters
    counters.resolved -= 1
    if led.closed[case] <= led.answer_due[case]:
        counters.responded -= 1
    counters.satisfaction_sum -= float(led.satisfaction[case])
    counters.satisfied -= bool(led.satisfied[case])
    counters.reopened += int(led.reopened[case] == 0)
    counters.by_stage[int(led.stage[case])] += 1
    led.status[case] = Status.OPEN
    led.level[case] = -1
    led.closed[case] = math.nan
    led.satisfaction[case] = math.nan
    led.satisfied[case] = False
    led.reopened[case] += 1
    led.token[case] += 1
    led.joint_pending[case] = 0
    led.offer[case] = -1
    led.part_state[case] = PartState.NONE
    led.answer_due[case] = now + e.table.time_limit[int(led.case_type[case])]
    led.overdue[case] = False
