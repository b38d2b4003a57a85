"""Case routing (事项流转处置): where a case goes after each step of its handling.

0. A case becomes known through its channel: found on patrol or reported to the grid
   worker or the 12345 hotline, it goes to the grid worker; reported at the street office,
   to the street; taken to the petition office (信访), above the street.
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

from govsim.city.levels import Level
from govsim.model.clocks import start_wait
from govsim.model.closing import reopen, resolve
from govsim.model.escalation import after_above, escalate, mark_escalated
from govsim.model.events import EventKind
from govsim.model.ledger import Channel, PartState, Status
from govsim.model.service import arrive, finish, set_stage
from govsim.model.state import EngineState
from govsim.model.streams import Purpose

__all__ = ["on_arrive", "on_deadline", "on_done", "on_known", "on_reopen", "on_transit",
           "supervise"]

_GRID, _COMMUNITY, _STREET, _DEPARTMENT = (int(Level.GRID), int(Level.COMMUNITY),
                                           int(Level.STREET), int(Level.DEPARTMENT))
_FORWARD, _JOINT, _DONE = int(PartState.FORWARD), int(PartState.JOINT), int(PartState.DONE)
_JOINT_WORKING = int(PartState.JOINT_WORKING)
_STREET_OFFICE, _PETITION = int(Channel.STREET_OFFICE), int(Channel.PETITION)


def _settles(draw: float, probability: float, failure: float) -> bool:
    """A settlement draw passes a probability whose failure is scaled by a lever."""
    return draw < 1.0 - (1.0 - probability) * failure


def on_known(e: EngineState, now: float, case: int, _station: int, _part: int) -> None:
    """A case becomes known: it goes where its channel leads."""
    led = e.ledger
    led.known[case] = now
    led.status[case] = Status.OPEN
    channel = led.channel[case]
    if channel == _PETITION:
        escalate(e, now, case, petition=True)
    elif channel == _STREET_OFFICE:
        _to_street(e, now, case)
    else:
        arrive(e, now, case, int(led.grid[case]))


def on_done(e: EngineState, now: float, case: int, station: int, part: int) -> None:
    """A job ends: the station serves its next job; the case moves on."""
    finish(e, now, station)
    level = e.station_level[station]
    if level == _GRID:
        _after_grid(e, now, case)
    elif level == _COMMUNITY:
        _after_community(e, now, case)
    elif level == _STREET:
        _after_street(e, now, case, part)
    elif level == _DEPARTMENT:
        _after_department(e, now, case, part)
    else:
        after_above(e, now, case)


def _after_grid(e: EngineState, now: float, case: int) -> None:
    led = e.ledger
    ctype = int(led.case_type[case])
    table = e.table
    if _settles(led.u_settle_grid[case], table.grid_settle[ctype], e.levers.grid_failure):
        resolve(e, now, case, Level.GRID)
    elif table.mediable[ctype]:
        arrive(e, now, case, e.community_station[e.grid_community[int(led.grid[case])]])
    else:
        _to_street(e, now, case)


def _after_community(e: EngineState, now: float, case: int) -> None:
    led = e.ledger
    if _settles(led.u_settle_community[case], e.table.mediation_settle[int(led.case_type[case])],
                e.levers.mediation_failure):
        resolve(e, now, case, Level.COMMUNITY)
    else:
        _to_street(e, now, case)


def _to_street(e: EngineState, now: float, case: int) -> None:
    """Pass a case up to its street; a cross-boundary case first waits for the other side."""
    led = e.ledger
    street = e.street_station[int(led.street[case])]
    if led.cross_region[case] and not led.cross_waited[case]:
        led.cross_waited[case] = True
        delay = (led.next_draw(case, Purpose.CASE_DELAY) * e.cross_region_delay
                 * e.levers.cross_region_delay)
        led.station[case] = -1
        start_wait(e, now, case)
        e.calendar.schedule(now + delay, EventKind.TRANSIT, case, street)
        return
    arrive(e, now, case, street)


def on_transit(e: EngineState, now: float, case: int, station: int, _part: int) -> None:
    """The other side is ready: the case reaches its street (unless it escalated meanwhile)."""
    led = e.ledger
    if led.status[case] != Status.OPEN or led.escalated[case]:
        return  # the grievance escalated while it waited
    arrive(e, now, case, station)


def _after_street(e: EngineState, now: float, case: int, part: int) -> None:
    led = e.ledger
    if part >= 0:  # a bounced part comes back: the street forwards it again
        _forward(e, now, case, part)
        return
    ctype = int(led.case_type[case])
    table = e.table
    street = e.street_station[int(led.street[case])]
    stations = e.stations
    failure = (e.levers.street_failure * e.street_failure[street]
               * (1.0 + e.street_deflection * stations.held[street] / stations.servers[street]))
    if _settles(led.u_settle_street[case], table.street_settle[ctype], failure):
        resolve(e, now, case, Level.STREET)
        return
    parts = table.parts[ctype]
    if parts == 0:
        escalate(e, now, case, petition=False)
        return
    rollout = led.u_rollout[case]
    for slot, offer in enumerate(e.offers):
        if (rollout < e.offer_intensity[slot] and parts >= offer.min_departments
                and (not offer.hotline_only or led.via_hotline[case])
                and _handle_jointly(e, now, case, parts, slot)):
            return
    led.part_state[case, :parts] = _FORWARD
    _forward(e, now, case, 0)


def _handle_jointly(e: EngineState, now: float, case: int, parts: int, slot: int) -> bool:
    """Offer ``slot`` handles the case at the street with the departments that join.

    Joining departments put their part at the head of their queue and one staff member
    handles it at the street (部门报到); the other parts are forwarded. Returns False when
    the offer declines (it needs a joiner and none joined).
    """
    led = e.ledger
    offer = e.offers[slot]
    stations = e.table.part_station[int(led.district[case]), int(led.case_type[case])]
    effort = e.join_factor if offer.whistle else None
    joins = [led.next_draw(case, Purpose.CASE_ROUTE) < min(
                 1.0, offer.join_probability * (effort[int(stations[p])] if effort else 1.0))
             for p in range(parts)]
    if offer.needs_a_joiner and not any(joins):
        return False
    led.offer[case] = slot
    led.joint[case] = True
    if offer.whistle:
        led.whistled[case] = True
        e.counters.whistles += 1
        e.whistles[int(led.street[case])] += 1
    led.joint_deadline[case] = now + offer.deadline_days
    states = led.part_state[case]
    for part, join in enumerate(joins):
        states[part] = _JOINT if join else _FORWARD
    led.joint_pending[case] = sum(joins)
    e.counters.joint_parts += sum(joins)
    if any(joins):
        e.calendar.schedule(now + offer.deadline_days, EventKind.DEADLINE, case)
    for part, join in enumerate(joins):
        if join:
            station = int(stations[part])
            e.joint_parts[station] += 1
            arrive(e, now, case, station, part, priority=0, sequential=False)
    if not all(joins):
        _forward(e, now, case, joins.index(False))
    return True


def _forward(e: EngineState, now: float, case: int, part: int) -> None:
    """Send one department part of a case to that department's own office.

    The case is then above the street. It reaches the department's queue after the
    department's response delay (longer when the department is overloaded).
    """
    led = e.ledger
    mark_escalated(e, case)
    led.handoffs[case] += 1
    station = int(e.table.part_station[int(led.district[case]), int(led.case_type[case]), part])
    load = 1.0 + e.department_overload * e.stations.held[station] / e.stations.servers[station]
    delay = (led.next_draw(case, Purpose.CASE_DELAY) * e.response_delay[station]
             * e.levers.response_delay * load)
    led.station[case] = -1
    set_stage(e, case, _DEPARTMENT)
    start_wait(e, now, case)
    e.calendar.schedule(now + delay, EventKind.ARRIVE, case, station, part)


def on_arrive(e: EngineState, now: float, case: int, station: int, part: int) -> None:
    """A forwarded part reaches its department, which takes it or bounces it back (推诿)."""
    led = e.ledger
    if led.status[case] != Status.OPEN or led.part_state[case, part] != _FORWARD:
        return  # the case went above the street while the part was in transit
    if led.supervised[case]:  # supervised (督办): taken at once, at the head of the queue
        arrive(e, now, case, station, part, priority=0)
        return
    levers = e.levers
    stations = e.stations
    bounce = (e.bounce_prob[station] * levers.bounce * (
        1.0 + e.department_deflection * stations.held[station] / stations.servers[station]))
    bounce += (levers.misrouting - bounce) * levers.misrouting_weight
    if led.next_draw(case, Purpose.CASE_ROUTE) < bounce:
        led.bounces[case] += 1
        led.handoffs[case] += 1
        e.counters.bounces += 1
        e.bounced[station] += 1
        arrive(e, now, case, e.street_station[int(led.street[case])], part)
    else:
        arrive(e, now, case, station, part)


def _after_department(e: EngineState, now: float, case: int, part: int) -> None:
    led = e.ledger
    states = led.part_state[case]
    parts = e.table.parts[int(led.case_type[case])]
    joint = states[part] == _JOINT_WORKING
    states[part] = _DONE
    if joint:
        led.joint_pending[case] -= 1
    following = _next_forward(states, parts)
    if following >= 0:
        if not joint:  # forwarded parts go to their departments one after another
            _forward(e, now, case, following)
        return
    if led.joint_pending[case] == 0:
        resolve(e, now, case, Level.DEPARTMENT if led.escalated[case] else Level.STREET)


def _next_forward(states, parts: int) -> int:
    """The first part still to be handled by forwarding, or -1."""
    for part in range(parts):
        if states[part] == _FORWARD:
            return part
    return -1


def on_deadline(e: EngineState, now: float, case: int, _station: int, _part: int) -> None:
    """The deadline of joint handling passes: parts not yet started are supervised (督办).

    Each such part is a breach, counted against its department; its queued joint job is
    voided and the part goes to the department's own office under supervision — at the
    head of its queue, not to be bounced (a stated assumption, docs/ODD.md) — so the case
    is above the street.
    """
    led = e.ledger
    if led.status[case] != Status.OPEN:
        return
    states = led.part_state[case]
    parts = e.table.parts[int(led.case_type[case])]
    in_flight = _next_forward(states, parts) >= 0
    stations = e.table.part_station[int(led.district[case]), int(led.case_type[case])]
    failed = [part for part in range(parts) if states[part] == _JOINT]
    for part in failed:
        station = int(stations[part])
        e.counters.joint_deadline_breaches += 1
        e.deadline_breaches[station] += 1
        led.part_token[case, part] += 1
        e.stations.touch(station, now)
        e.stations.held[station] -= 1
        led.joint_pending[case] -= 1
        states[part] = _FORWARD
    if failed:
        led.supervised[case] = True
        e.counters.supervised += len(failed)
        if not in_flight:
            _forward(e, now, case, failed[0])


def on_reopen(e: EngineState, now: float, case: int, _station: int, _part: int) -> None:
    """The resident of a case closed without being solved calls again.

    The case reopens (the same case, counted once) and goes back to its street office.
    """
    reopen(e, now, case)
    arrive(e, now, case, e.street_station[int(e.ledger.street[case])])


def supervise(e: EngineState, now: float, case: int) -> None:
    """Put a case under supervision (督办): its waiting job moves to the head of its queue.

    A case waiting in a queue has that job voided and queued again at the head; a case in
    transit to a department arrives at the head of its queue and is not bounced; a case in
    service or with joint work pending keeps its course.
    """
    led = e.ledger
    if led.supervised[case] or led.status[case] != Status.OPEN:
        return
    led.supervised[case] = True
    e.counters.supervised += 1
    station = int(led.station[case])
    if station < 0 or not led.waiting[case]:
        return
    part = -1
    if e.station_level[station] == _DEPARTMENT:
        part = _next_forward(led.part_state[case], e.table.parts[int(led.case_type[case])])
        led.part_token[case, part] += 1
    else:
        led.token[case] += 1
    e.stations.touch(station, now)
    e.stations.held[station] -= 1
    led.wait_days[case] += now - led.queued_at[case]
    arrive(e, now, case, station, part, priority=0)
