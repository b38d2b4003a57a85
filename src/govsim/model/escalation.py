"""Going above the street: petitions (信访), the mediation ladder, petition office and courts.

A case goes above the street when its escalation clock rings while it waits (a
petition), or when the street cannot settle it and no department is competent. A
petition may become a collective incident (群体性事件). If a mechanism declares a mediation
ladder and the roll-out has reached the case, a dispute climbs its rungs first; otherwise,
or when the last rung fails, the district's petition office and courts close it,
resolved or not.
"""

from __future__ import annotations

import numpy as np

from govsim.city.levels import Level
from govsim.model.clocks import stop_wait
from govsim.model.closing import close, resolve
from govsim.model.compiled import compiled
from govsim.model.events import NONE, EventKind, schedule
from govsim.model.ledger import DELAY, ROUTE, Channel, PartState, Status, next_draw
from govsim.model.service import arrive, set_stage
from govsim.model.state import COUNT, PARAM
from govsim.model.stations import touch

__all__ = ["after_above", "escalate", "mark_escalated", "on_escalate", "on_rung", "to_above"]

_LATENT, _OPEN, _UNRESOLVED = int(Status.LATENT), int(Status.OPEN), int(Status.UNRESOLVED)
_ESCALATION = int(Channel.ESCALATION)
_FORWARD, _NO_PART = int(PartState.FORWARD), int(PartState.NONE)
_DEPARTMENT, _ABOVE = int(Level.DEPARTMENT), int(Level.ABOVE)
_RUNG = int(EventKind.RUNG)


@compiled
def mark_escalated(s, case: int) -> None:
    """Count a case as having gone above the street (once)."""
    if not s.escalated[case]:
        s.escalated[case] = True
        s.counts[COUNT.escalated_above_street] += 1


@compiled
def on_escalate(s, now: float, case: int) -> None:
    """The case's clock rang: a latent or waiting grievance becomes a petition."""
    if s.clock_due[case] != now:
        return  # the clock was stopped or restarted since
    status = s.status[case]
    if status == _LATENT:
        s.known[case] = now
        s.status[case] = _OPEN
        s.channel[case] = _ESCALATION
        s.counts[COUNT.known] += 1
    elif status != _OPEN or not s.waiting[case]:
        return
    escalate(s, now, case, True)


@compiled
def escalate(s, now: float, case: int, petition: bool) -> None:
    """Take a case above the street (ladder if declared and reached, else petition office)."""
    station = s.station[case]
    if station >= 0 and s.waiting[case]:
        touch(s, station, now)
        s.st_held[station] -= 1  # its queued job is now stale
    stop_wait(s, case)
    s.token[case] += 1
    for part in range(s.part_state.shape[1]):
        if s.part_state[case, part] == _FORWARD:
            s.part_state[case, part] = _NO_PART
    s.station[case] = -1
    s.handoffs[case] += 1
    if petition:
        s.petitioned[case] = True
        s.petitioned_at[case] = now
        s.counts[COUNT.petitions] += 1
        collective = s.t_collective[s.case_type[case]]
        if collective > 0 and next_draw(s, case, ROUTE) < collective:
            s.collective[case] = True
            s.counts[COUNT.collective_incidents] += 1
    mark_escalated(s, case)
    if (
        len(s.ladder_level) > 0
        and s.t_mediable[s.case_type[case]]
        and s.u_rollout[case] < np.float32(s.ladder_intensity[0])
    ):
        _climb(s, now, case, 0)
        return
    to_above(s, now, case)


@compiled
def to_above(s, now: float, case: int) -> None:
    """Send a case to its district's petition office and courts (信访、诉讼)."""
    arrive(s, now, case, s.above_station[s.district[case]], NONE, 1, True)


@compiled
def _climb(s, now: float, case: int, rung: int) -> None:
    s.rung[case] = rung
    level = s.ladder_level[rung]
    set_stage(s, case, level)
    if level >= _DEPARTMENT:
        s.handled_above[case] = True
    delay = next_draw(s, case, DELAY) * s.ladder_mean[rung]
    schedule(s, now + delay, _RUNG, case, NONE, NONE)


@compiled
def on_rung(s, now: float, case: int) -> None:
    """A rung ends: settle on it, climb the next, or go on to litigation."""
    rung = s.rung[case]
    if next_draw(s, case, ROUTE) < s.ladder_success[rung]:
        resolve(s, now, case, s.ladder_level[rung])
    elif rung + 1 < len(s.ladder_level):
        _climb(s, now, case, rung + 1)
    else:
        to_above(s, now, case)


@compiled
def after_above(s, now: float, case: int) -> None:
    """The petition office or court closes the case, resolved or not."""
    if s.u_settle_above[case] < np.float32(s.params[PARAM.above_resolves]):
        resolve(s, now, case, _ABOVE)
    else:
        close(s, now, case, _UNRESOLVED, _ABOVE, True)
