"""Escalation clocks: an unattended grievance may turn into a petition (信访).

A case waiting unattended (queued, in transit to a department, or waiting for the other
side of a boundary) has a clock running; it stops as soon as staff work on the case or
while a joint job is pending at the street. The hazard grows with the age of the case
(severity, ``severity_growth_per_day``): h(a) = h₀(1 + g·a), so the time to escalation
solves h₀[(1 + g·a₀)Δ + gΔ²/2] = E for a standard exponential draw E.
"""

from __future__ import annotations

import math

from govsim.model.events import EventKind
from govsim.model.state import EngineState
from govsim.model.streams import Purpose

__all__ = ["start_wait", "stop_wait"]


def start_wait(e: EngineState, now: float, case: int) -> None:
    """Start the case's clock (none while a joint job is pending or a clock already runs)."""
    led = e.ledger
    if led.waiting[case] or led.joint_pending[case] > 0:
        return
    ctype = int(led.case_type[case])
    table = e.table
    levers = e.levers
    rate = table.escalation_rate[ctype] * levers.escalation
    if table.mediable[ctype]:
        rate *= levers.dispute_escalation
    led.waiting[case] = True
    if rate <= 0.0:
        return
    draw = led.next_draw(case, Purpose.CASE_WAIT) / rate
    growth = e.severity_growth
    if growth > 0.0:
        base = 1.0 + growth * (now - float(led.arisen[case]))
        delay = (math.sqrt(base * base + 2.0 * growth * draw) - base) / growth
    else:
        delay = draw
    due = now + delay
    led.clock_due[case] = due
    e.calendar.schedule(due, EventKind.ESCALATE, case)


def stop_wait(e: EngineState, case: int) -> None:
    """Stop the clock: someone is now working on the case."""
    led = e.ledger
    if led.waiting[case]:
        led.waiting[case] = False
        led.clock_due[case] = math.inf
