"""Closing a case: its venue, its time, and the resident's satisfaction with the outcome."""

from __future__ import annotations

from govsim.city.levels import Level
from govsim.model.ledger import Status
from govsim.model.residents import satisfaction
from govsim.model.state import EngineState

__all__ = ["close", "resolve"]


def resolve(e: EngineState, now: float, case: int, level: Level | int) -> None:
    """Close a case as resolved at ``level``."""
    close(e, now, case, Status.RESOLVED, level)


def close(e: EngineState, now: float, case: int, status: Status, level: Level | int) -> None:
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
    days = now - float(led.arisen[case])
    score = satisfaction(resolved, days, int(led.handoffs[case]), e.half_life, e.handoff_keep)
    if resolved:
        counters.resolved += 1
        counters.resolution_days_sum += days
        if venue <= Level.STREET:
            counters.settled_at_or_below_street += 1
            if not led.handled_above[case]:
                counters.handled_at_or_below_street += 1
    else:
        counters.unresolved += 1
    if now - led.known[case] <= e.table.time_limit[int(led.case_type[case])]:
        counters.responded += 1
    satisfied = bool(led.u_satisfied[case] < score)
    led.satisfaction[case] = score
    led.satisfied[case] = satisfied
    counters.satisfaction_sum += score
    counters.satisfied += satisfied
    e.closed_today.append(case)
