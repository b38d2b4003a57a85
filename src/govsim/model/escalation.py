"""Going above the street: petitions (信访), the mediation ladder, petition office and courts.

A case goes above the street when its escalation clock rings while it waits (a
petition), or when the street cannot settle it and no department is competent. A
petition may become a collective incident (群体性事件). If a mechanism declares a mediation
ladder and the roll-out has reached the case, a dispute climbs its rungs first; otherwise,
or when the last rung fails, the district's petition office and courts close it,
resolved or not.
"""

from __future__ import annotations

from govsim.city.levels import Level
from govsim.model.clocks import stop_wait
from govsim.model.closing import close, resolve
from govsim.model.events import EventKind
from govsim.model.ledger import Channel, PartState, Status
from govsim.model.service import arrive, set_stage
from govsim.model.state import EngineState
from govsim.model.streams import Purpose

__all__ = ["after_above", "escalate", "mark_escalated", "on_escalate", "on_rung", "to_above"]


def mark_escalated(e: EngineState, case: int) -> None:
    """Count a case as having gone above the street (once)."""
    led = e.ledger
    if not led.escalated[case]:
        led.escalated[case] = True
        e.counters.escalated_above_street += 1


def on_escalate(e: EngineState, now: float, case: int, _station: int, _part: int) -> None:
    """The case's clock rang: a latent or waiting grievance becomes a petition."""
    led = e.ledger
    if led.clock_due[case] != now:
        return  # the clock was stopped or restarted since
    status = led.status[case]
    if status == Status.LATENT:
        led.known[case] = now
        led.status[case] = Status.OPEN
        led.channel[case] = Channel.ESCALATION
    elif status != Status.OPEN or not led.waiting[case]:
        return
    escalate(e, now, case, petition=True)


def escalate(e: EngineState, now: float, case: int, petition: bool) -> None:
    """Take a case above the street (ladder if declared and reached, else petition office)."""
    led = e.ledger
    station = int(led.station[case])
    if station >= 0 and led.waiting[case]:
        e.stations.touch(station, now)
        e.stations.held[station] -= 1  # its queued job is now stale
    stop_wait(e, case)
    led.token[case] += 1
    parts = led.part_state[case]
    parts[parts == PartState.FORWARD] = PartState.NONE
    led.station[case] = -1
    led.handoffs[case] += 1
    if petition:
        led.petitioned[case] = True
        led.petitioned_at[case] = now
        e.counters.petitions += 1
        collective = e.table.collective[int(led.case_type[case])]
        if collective > 0 and led.next_draw(case, Purpose.CASE_ROUTE) < collective:
            led.collective[case] = True
            e.counters.collective_incidents += 1
    mark_escalated(e, case)
    if (e.ladder and e.table.mediable[int(led.case_type[case])]
            and led.u_rollout[case] < e.ladder_intensity):
        _climb(e, now, case, 0)
        return
    to_above(e, now, case)


def to_above(e: EngineState, now: float, case: int) -> None:
    """Send a case to its district's petition office and courts (信访、诉讼)."""
    arrive(e, now, case, e.above_station[int(e.ledger.district[case])])


def _climb(e: EngineState, now: float, case: int, rung: int) -> None:
    led = e.ledger
    led.rung[case] = rung
    level = e.ladder[rung].level
    set_stage(e, case, int(level))
    if level >= Level.DEPARTMENT:
        led.handled_above[case] = True
    delay = led.next_draw(case, Purpose.CASE_DELAY) * e.ladder[rung].mean_days
    e.calendar.schedule(now + delay, EventKind.RUNG, case)


def on_rung(e: EngineState, now: float, case: int, _station: int, _part: int) -> None:
    """A rung ends: settle on it, climb the next, or go on to litigation."""
    led = e.ledger
    rung = int(led.rung[case])
    step = e.ladder[rung]
    if led.next_draw(case, Purpose.CASE_ROUTE) < step.success:
        resolve(e, now, case, step.level)
    elif rung + 1 < len(e.ladder):
        _climb(e, now, case, rung + 1)
    else:
        to_above(e, now, case)


def after_above(e: EngineState, now: float, case: int) -> None:
    """The petition office or court closes the case, resolved or not."""
    if e.ledger.u_settle_above[case] < e.above_resolves:
        resolve(e, now, case, Level.ABOVE)
    else:
        close(e, now, case, Status.UNRESOLVED, Level.ABOVE)
