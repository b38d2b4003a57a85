"""Escalation clocks: an unattended grievance may turn into a petition (信访).

A case waiting unattended (queued, in transit to a department, or waiting for the other
side of a boundary) has a clock running; it stops as soon as staff work on the case or
while a joint job is pending at the street. The hazard grows with the age of the case
(severity, ``severity_growth_per_day``): h(a) = h₀(1 + g·a), so the time to escalation
solves h₀[(1 + g·a₀)Δ + gΔ²/2] = E for a standard exponential draw E.
"""

from __future__ import annotations

import math

from govsim.model.compiled import compiled
from govsim.model.events import NONE, EventKind, schedule
from govsim.model.ledger import WAIT, next_draw
from govsim.model.state import LEVER, PARAM

__all__ = ["start_wait", "stop_wait"]

_ESCALATE = int(EventKind.ESCALATE)


@compiled
def start_wait(s, now: float, case: int) -> None:
    """Start the case's clock (none while a joint job is pending or a clock already runs)."""
    if s.waiting[case] or s.joint_pending[case] > 0:
        return
    ctype = s.case_type[case]
    rate = s.t_escalation[ctype] * s.levers[LEVER.escalation]
    if s.t_mediable[ctype]:
        rate *= s.levers[LEVER.dispute_escalation]
    s.waiting[case] = True
    if rate <= 0.0:
        return
    draw = next_draw(s, case, WAIT) / rate
    growth = s.params[PARAM.severity_growth]
    if growth > 0.0:
        base = 1.0 + growth * (now - s.arisen[case])
        delay = (math.sqrt(base * base + 2.0 * growth * draw) - base) / growth
    else:
        delay = draw
    due = now + delay
    s.clock_due[case] = due
    schedule(s, due, _ESCALATE, case, NONE, NONE)


@compiled
def stop_wait(s, case: int) -> None:
    """Stop the clock: someone is now working on the case."""
    if s.waiting[case]:
        s.waiting[case] = False
        s.clock_due[case] = math.inf
