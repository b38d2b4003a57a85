"""Service at stations: a job arrives, waits for staff, is handled, and ends.

Every job is either a step of the case's own line of handling (``part`` = ``NONE``; the
case waits on it and may escalate meanwhile) or one department part of the case (a part
forwarded to a department's office, bounced back to the street, or handled jointly at the
street). Handling times are exponential with the mean of the case type at the level,
scaled by the day's levers; staff above the street who handle a job mark the case
``handled_above``.
"""

from __future__ import annotations

from govsim.city.levels import Level
from govsim.model.clocks import start_wait, stop_wait
from govsim.model.events import NONE, EventKind
from govsim.model.ledger import PartState
from govsim.model.state import LATENT_STAGE, EngineState
from govsim.model.streams import Purpose

__all__ = ["arrive", "finish", "set_stage"]

_GRID, _COMMUNITY = int(Level.GRID), int(Level.COMMUNITY)
_DEPARTMENT, _ABOVE = int(Level.DEPARTMENT), int(Level.ABOVE)
_JOINT, _JOINT_WORKING = int(PartState.JOINT), int(PartState.JOINT_WORKING)


def set_stage(e: EngineState, case: int, stage: int) -> None:
    """Move a case to another stage (level) in the running counts."""
    led = e.ledger
    old = int(led.stage[case])
    by_stage = e.counters.by_stage
    by_stage[LATENT_STAGE if old < 0 else old] -= 1
    by_stage[stage] += 1
    led.stage[case] = stage


def arrive(e: EngineState, now: float, case: int, station: int, part: int = NONE,
           priority: int = 1, sequential: bool = True) -> None:
    """A job of a case reaches a station: start it if staff are free, else queue it.

    ``sequential`` jobs are the case's own line of handling; joint jobs run beside it.
    """
    led = e.ledger
    stations = e.stations
    level = e.station_level[station]
    if sequential:
        led.station[case] = station
    if level == _ABOVE:
        led.reached_above[case] = True
    elif level == _COMMUNITY:
        led.mediated[case] = True
    if led.stage[case] != level:
        set_stage(e, case, level)
    stations.touch(station, now)
    stations.held[station] += 1
    stations.arrivals[station] += 1
    if stations.busy[station] < stations.servers[station]:
        _start(e, now, station, case, part, now)
        return
    rank = 0
    if level == _DEPARTMENT and not (e.hotline_first[station] and led.via_hotline[case]):
        rank = e.table.priority[int(led.case_type[case])]
    part_token = int(led.part_token[case, part]) if part >= 0 else 0
    stations.enqueue(station, case, part, int(led.token[case]), part_token, now, priority, rank)
    if sequential:
        led.queued_at[case] = now
        if level < _ABOVE:
            start_wait(e, now, case)


def _start(e: EngineState, now: float, station: int, case: int, part: int,
           queued: float) -> None:
    led = e.ledger
    led.wait_days[case] += now - queued
    ctype = int(led.case_type[case])
    level = e.station_level[station]
    levers = e.levers
    if part >= 0 and led.part_state[case, part] == _JOINT:
        led.part_state[case, part] = _JOINT_WORKING
        mean = e.table.joint_days[ctype] * levers.department_time
    else:
        stop_wait(e, case)
        mean = e.table.service_days[ctype][level]
        if level == _GRID:
            mean *= levers.grid_time
        elif level == _COMMUNITY:
            mean *= levers.community_time
        elif level == _DEPARTMENT:
            mean *= levers.department_time
    if level >= _DEPARTMENT:
        led.handled_above[case] = True
    duration = led.next_draw(case, Purpose.CASE_SERVICE) * mean
    led.staff_days[case] += duration
    stations = e.stations
    stations.touch(station, now)
    stations.busy[station] += 1
    stations.staff_days[station] += duration
    e.calendar.schedule(e.working_time.finish(now, duration), EventKind.DONE, case, station,
                        part)


def finish(e: EngineState, now: float, station: int) -> None:
    """A job at ``station`` ends: free its staff member and start the next live job."""
    stations = e.stations
    stations.touch(station, now)
    stations.busy[station] -= 1
    stations.held[station] -= 1
    stations.completions[station] += 1
    led = e.ledger
    token, part_token = led.token, led.part_token
    while stations.busy[station] < stations.servers[station]:
        job = stations.pop(station)
        if job is None:
            return
        _, _, _, case, part, job_token, job_part_token, queued = job
        if int(token[case]) == job_token and (part < 0 or int(part_token[case, part])
                                              == job_part_token):
            _start(e, now, station, case, part, queued)
