"""Case routing (事项流转处置): where a case goes after each step of its handling.

0. A case becomes known through its channel: found on patrol or reported to the grid
   worker or the 12345 hotline, it goes to the grid worker; reported at the street office,
   to the street; taken to the petition office (信访), above the street. The intake
   dispatches a type's share straight to the street office or the community; the street
   office's share only while the office takes dispatches (else it starts at the grid).
1. The grid worker (网格员) settles it on the spot or passes it on (网格事项流转, source 004).
2. Disputes go to the community's mediators (人民调解, source 003), the rest to the street;
   a case that spans two jurisdictions first waits for the other side (片区协作, 000).
3. The street office settles it alone, or — when it lacks the authority — the day's
   joint-handling offers declared by the mechanisms are asked in their declared
   precedence (:mod:`govsim.mechanisms.precedence`); the first that takes the case
   handles it at the street with the departments that join. A joined part not started by
   the offer's deadline is put under supervision (督办): it goes to the department's office
   at the head of its queue. With no offer taking it, baseline routing forwards it to its
   departments one after another (条块分割, 001).
4. A forwarded part reaches the department after its response delay (longer when the
   department is overloaded), unless the department bounces it back (推诿, more often when
   overloaded; never under supervision); the case is then above the street.
5. The case is resolved when every department part is done: settled at the street if no
   part had to be forwarded, else at the department level.
"""

from __future__ import annotations

import numpy as np

from govsim.city.levels import Level
from govsim.model.clocks import start_wait
from govsim.model.closing import close_unfixed, declines, reopen, resolve
from govsim.model.compiled import compiled
from govsim.model.escalation import after_above, escalate, mark_escalated
from govsim.model.events import NONE, EventKind, schedule
from govsim.model.ledger import DELAY, ROUTE, Channel, PartState, Status, next_draw
from govsim.model.service import arrive, finish, set_stage
from govsim.model.state import COUNT, LEVER, PARAM
from govsim.model.stations import touch
from govsim.model.worktime import takes_dispatch

__all__ = [
    "on_arrive",
    "on_deadline",
    "on_done",
    "on_known",
    "on_reopen",
    "on_transit",
    "supervise",
]

_GRID, _COMMUNITY, _STREET, _DEPARTMENT = (
    int(Level.GRID),
    int(Level.COMMUNITY),
    int(Level.STREET),
    int(Level.DEPARTMENT),
)
_FORWARD, _JOINT, _DONE = int(PartState.FORWARD), int(PartState.JOINT), int(PartState.DONE)
_JOINT_WORKING = int(PartState.JOINT_WORKING)
_STREET_OFFICE, _PETITION = int(Channel.STREET_OFFICE), int(Channel.PETITION)
_PATROL = int(Channel.PATROL)
_OPEN = int(Status.OPEN)
_TRANSIT, _ARRIVE, _DEADLINE = (
    int(EventKind.TRANSIT),
    int(EventKind.ARRIVE),
    int(EventKind.DEADLINE),
)


@compiled
def _settles(draw: np.float32, probability: float, failure: float) -> bool:
    """A settlement draw passes a probability whose failure is scaled by a lever.

    The draws fixed at a case's arrival are single precision, and so is the comparison.
    """
    return draw < np.float32(1.0 - (1.0 - probability) * failure)


@compiled
def on_known(s, now: float, case: int) -> None:
    """A case becomes known: it goes where its channel leads.

    A case for the grid (reported to it or the hotline, or found on patrol) goes to the
    street office or the community instead for its type's shares dispatched there at once
    (``street_entry_prob``, ``community_entry_prob``). The street office takes its share
    only while it takes dispatches (a working day, before its window closes,
    :func:`govsim.model.worktime.takes_dispatch`); known otherwise, that share starts at the
    grid.
    """
    s.known[case] = now
    s.status[case] = _OPEN
    channel = s.channel[case]
    s.counts[COUNT.known] += 1
    s.counts[COUNT.patrol_found] += channel == _PATROL
    if channel == _PETITION:
        escalate(s, now, case, True)
    elif channel == _STREET_OFFICE:
        _to_street(s, now, case)
    elif s.u_entry[case] < s.t_street_entry[s.case_type[case]]:
        if takes_dispatch(s, now, _STREET):
            _to_street(s, now, case)
        else:  # the town office is closed: those on duty at the grid take it
            arrive(s, now, case, s.grid[case], NONE, 1, True)
    elif s.u_entry[case] < (
        s.t_street_entry[s.case_type[case]] + s.t_community_entry[s.case_type[case]]
    ):
        arrive(s, now, case, s.community_station[s.grid_community[s.grid[case]]], NONE, 1, True)
    else:
        arrive(s, now, case, s.grid[case], NONE, 1, True)


@compiled
def on_done(s, now: float, case: int, station: int, part: int) -> None:
    """A job ends: the station serves its next job; the case moves on."""
    finish(s, now, station)
    level = s.station_level[station]
    if level == _GRID:
        _after_grid(s, now, case)
    elif level == _COMMUNITY:
        _after_community(s, now, case)
    elif level == _STREET:
        _after_street(s, now, case, part)
    elif level == _DEPARTMENT:
        _after_department(s, now, case, part)
    else:
        after_above(s, now, case)


@compiled
def _after_grid(s, now: float, case: int) -> None:
    ctype = s.case_type[case]
    if _settles(s.u_settle_grid[case], s.t_grid_settle[ctype], s.levers[LEVER.grid_failure]):
        resolve(s, now, case, _GRID)
    elif s.t_mediable[ctype]:
        arrive(s, now, case, s.community_station[s.grid_community[s.grid[case]]], NONE, 1, True)
    else:
        _to_street(s, now, case)


@compiled
def _after_community(s, now: float, case: int) -> None:
    if _settles(
        s.u_settle_community[case],
        s.t_mediation_settle[s.case_type[case]],
        s.levers[LEVER.mediation_failure],
    ):
        resolve(s, now, case, _COMMUNITY)
    else:
        _to_street(s, now, case)


@compiled
def _to_street(s, now: float, case: int) -> None:
    """Pass a case up to its street; a cross-boundary case first waits for the other side."""
    street = s.street_station[s.street[case]]
    if s.cross_region[case] and not s.cross_waited[case]:
        s.cross_waited[case] = True
        delay = (
            next_draw(s, case, DELAY)
            * s.params[PARAM.cross_region_delay]
            * s.levers[LEVER.cross_region_delay]
        )
        s.station[case] = -1
        start_wait(s, now, case)
        schedule(s, now + delay, _TRANSIT, case, street, NONE)
        return
    arrive(s, now, case, street, NONE, 1, True)


@compiled
def on_transit(s, now: float, case: int, station: int) -> None:
    """The other side is ready: the case reaches its street (unless it escalated meanwhile)."""
    if s.status[case] != _OPEN or s.escalated[case]:
        return  # the grievance escalated while it waited
    arrive(s, now, case, station, NONE, 1, True)


@compiled
def _after_street(s, now: float, case: int, part: int) -> None:
    if part >= 0:  # a bounced part comes back: the street forwards it again
        _forward(s, now, case, part)
        return
    ctype = s.case_type[case]
    street = s.street_station[s.street[case]]
    failure = (
        s.levers[LEVER.street_failure]
        * s.street_failure[street]
        * (1.0 + s.params[PARAM.street_deflection] * s.st_held[street] / s.st_servers[street])
    )
    if _settles(s.u_settle_street[case], s.t_street_settle[ctype], failure):
        resolve(s, now, case, _STREET)
        return
    if declines(s, case, street):  # outside its remit, it says: closed, not passed on
        close_unfixed(s, now, case, _STREET)
        return
    parts = s.t_parts[ctype]
    if parts == 0:
        escalate(s, now, case, False)
        return
    rollout = s.u_rollout[case]
    for slot in range(len(s.offer_join)):
        if (
            rollout < np.float32(s.offer_intensity[slot])
            and parts >= s.offer_min[slot]
            and (not s.offer_hotline_only[slot] or s.via_hotline[case])
            and _handle_jointly(s, now, case, parts, slot)
        ):
            return
    for part in range(parts):
        s.part_state[case, part] = _FORWARD
    _forward(s, now, case, 0)


@compiled
def _handle_jointly(s, now: float, case: int, parts: int, slot: int) -> bool:
    """Offer ``slot`` handles the case at the street with the departments that join.

    Joining departments put their part at the head of their queue and one staff member
    handles it at the street (部门报到); the other parts are forwarded. Returns False when
    the offer declines (it needs a joiner and none joined).
    """
    stations = s.t_part_station[s.district[case], s.case_type[case]]
    whistle = s.offer_whistle[slot]
    joins = np.zeros(parts, dtype=np.bool_)
    for p in range(parts):
        effort = s.join_factor[stations[p]] if whistle else 1.0
        joins[p] = next_draw(s, case, ROUTE) < min(1.0, s.offer_join[slot] * effort)
    joined = 0
    for p in range(parts):
        joined += joins[p]
    if s.offer_needs_joiner[slot] and joined == 0:
        return False
    s.offer[case] = slot
    s.joint[case] = True
    if whistle:
        s.whistled[case] = True
        s.counts[COUNT.whistles] += 1
        s.whistles[s.street[case]] += 1
        s.counts[COUNT.whistled_parts] += parts
        s.counts[COUNT.whistle_answers] += joined
    deadline = s.offer_deadline[slot]
    s.joint_deadline[case] = now + deadline
    for part in range(parts):
        s.part_state[case, part] = _JOINT if joins[part] else _FORWARD
    s.joint_pending[case] = joined
    s.counts[COUNT.joint_parts] += joined
    if joined > 0:
        schedule(s, now + deadline, _DEADLINE, case, NONE, NONE)
    for part in range(parts):
        if joins[part]:
            station = stations[part]
            s.joint_parts[station] += 1
            arrive(s, now, case, station, part, 0, False)
    if joined < parts:
        first = 0
        while joins[first]:
            first += 1
        _forward(s, now, case, first)
    return True


@compiled
def _forward(s, now: float, case: int, part: int) -> None:
    """Send one department part of a case to that department's own office.

    The case is then above the street. It reaches the department's queue after the
    department's response delay (longer when the department is overloaded).
    """
    mark_escalated(s, case)
    s.handoffs[case] += 1
    station = s.t_part_station[s.district[case], s.case_type[case], part]
    load = 1.0 + s.params[PARAM.department_overload] * s.st_held[station] / s.st_servers[station]
    delay = (
        next_draw(s, case, DELAY)
        * s.response_delay[station]
        * s.levers[LEVER.response_delay]
        * load
    )
    s.station[case] = -1
    set_stage(s, case, _DEPARTMENT)
    start_wait(s, now, case)
    schedule(s, now + delay, _ARRIVE, case, station, part)


@compiled
def on_arrive(s, now: float, case: int, station: int, part: int) -> None:
    """A forwarded part reaches its department, which takes it or bounces it back (推诿)."""
    if s.status[case] != _OPEN or s.part_state[case, part] != _FORWARD:
        return  # the case went above the street while the part was in transit
    if s.supervised[case]:  # supervised (督办): taken at once, at the head of the queue
        arrive(s, now, case, station, part, 0, True)
        return
    levers = s.levers
    bounce = (
        s.bounce_prob[station]
        * levers[LEVER.bounce]
        * (1.0 + s.params[PARAM.department_deflection] * s.st_held[station] / s.st_servers[station])
    )
    bounce += (levers[LEVER.misrouting] - bounce) * levers[LEVER.misrouting_weight]
    if next_draw(s, case, ROUTE) < bounce:
        s.bounces[case] += 1
        s.handoffs[case] += 1
        s.counts[COUNT.bounces] += 1
        s.bounced[station] += 1
        arrive(s, now, case, s.street_station[s.street[case]], part, 1, True)
    else:
        arrive(s, now, case, station, part, 1, True)


@compiled
def _after_department(s, now: float, case: int, part: int) -> None:
    parts = s.t_parts[s.case_type[case]]
    joint = s.part_state[case, part] == _JOINT_WORKING
    s.part_state[case, part] = _DONE
    if joint:
        s.joint_pending[case] -= 1
    following = _next_forward(s, case, parts)
    if following >= 0:
        if not joint:  # forwarded parts go to their departments one after another
            _forward(s, now, case, following)
        return
    if s.joint_pending[case] == 0:
        resolve(s, now, case, _DEPARTMENT if s.escalated[case] else _STREET)


@compiled
def _next_forward(s, case: int, parts: int) -> int:
    """The first part still to be handled by forwarding, or -1."""
    for part in range(parts):
        if s.part_state[case, part] == _FORWARD:
            return part
    return -1


@compiled
def on_deadline(s, now: float, case: int) -> None:
    """The deadline of joint handling passes: parts not yet started are supervised (督办).

    Each such part is a breach, counted against its department; its queued joint job is
    voided and the part goes to the department's own office under supervision — at the
    head of its queue, not to be bounced (a stated assumption, docs/ODD.md) — so the case
    is above the street.
    """
    if s.status[case] != _OPEN:
        return
    parts = s.t_parts[s.case_type[case]]
    in_flight = _next_forward(s, case, parts) >= 0
    stations = s.t_part_station[s.district[case], s.case_type[case]]
    first_failed = -1
    failed = 0
    for part in range(parts):
        if s.part_state[case, part] != _JOINT:
            continue
        station = stations[part]
        s.counts[COUNT.joint_deadline_breaches] += 1
        s.deadline_breaches[station] += 1
        s.part_token[case, part] += 1
        touch(s, station, now)
        s.st_held[station] -= 1
        s.joint_pending[case] -= 1
        s.part_state[case, part] = _FORWARD
        failed += 1
        if first_failed < 0:
            first_failed = part
    if failed > 0:
        s.supervised[case] = True
        s.counts[COUNT.supervised] += failed
        if not in_flight:
            _forward(s, now, case, first_failed)


@compiled
def on_reopen(s, now: float, case: int) -> None:
    """The resident of a case closed without being solved calls again.

    The case reopens (the same case, counted once) and goes back to its street office.
    """
    reopen(s, now, case)
    arrive(s, now, case, s.street_station[s.street[case]], NONE, 1, True)


@compiled
def supervise(s, now: float, case: int) -> None:
    """Put a case under supervision (督办): its waiting job moves to the head of its queue.

    A case waiting in a queue has that job voided and queued again at the head; a case in
    transit to a department arrives at the head of its queue and is not bounced; a case in
    service or with joint work pending keeps its course.
    """
    if s.supervised[case] or s.status[case] != _OPEN:
        return
    s.supervised[case] = True
    s.counts[COUNT.supervised] += 1
    station = s.station[case]
    if station < 0 or not s.waiting[case]:
        return
    # the waiting job: a part at its department, or at the street a part bounced back to be
    # forwarded again (parts are marked for forwarding only once the street has tried)
    part = _next_forward(s, case, s.t_parts[s.case_type[case]])
    if s.station_level[station] == _DEPARTMENT:
        s.part_token[case, part] += 1
    else:
        s.token[case] += 1
        if s.station_level[station] != _STREET:
            part = -1
    touch(s, station, now)
    s.st_held[station] -= 1
    s.wait_days[case] += now - s.queued_at[case]
    arrive(s, now, case, station, part, 0, True)
