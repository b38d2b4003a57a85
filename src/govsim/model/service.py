"""Service at stations: a job arrives, waits for staff, is handled, and ends.

Every job is either a step of the case's own line of handling (``part`` = ``NONE``; the
case waits on it and may escalate meanwhile) or one department part of the case (a part
forwarded to a department's office, bounced back to the street, or handled jointly at the
street). Handling times have the mean of the case type at the level, scaled by the day's
levers and by the station's own speed (``station_time``: 1 but in a town with
``city.units.street_handling``), and the level's Weibull shape (``city.handling_shape``;
exponential where it is 1, the default): the case's standard exponential draw E becomes
E^(1/k) / Γ(1 + 1/k), which keeps the mean and the common random numbers. Staff above the
street who handle a job mark the case ``handled_above``.
"""

from __future__ import annotations

from govsim.city.levels import Level
from govsim.model.clocks import start_wait, stop_wait
from govsim.model.compiled import compiled
from govsim.model.events import EventKind, schedule
from govsim.model.ledger import SERVICE, PartState, next_draw
from govsim.model.state import LATENT_STAGE, LEVER
from govsim.model.stations import enqueue, pop_job, touch
from govsim.model.tables import JOINT_SHAPE
from govsim.model.worktime import job_end

__all__ = ["arrive", "finish", "set_stage"]

_GRID, _COMMUNITY = int(Level.GRID), int(Level.COMMUNITY)
_DEPARTMENT, _ABOVE = int(Level.DEPARTMENT), int(Level.ABOVE)
_JOINT, _JOINT_WORKING = int(PartState.JOINT), int(PartState.JOINT_WORKING)
_DONE = int(EventKind.DONE)


@compiled
def set_stage(s, case: int, stage: int) -> None:
    """Move a case to another stage (level) in the running counts."""
    old = s.stage[case]
    s.by_stage[LATENT_STAGE if old < 0 else old] -= 1
    s.by_stage[stage] += 1
    s.stage[case] = stage


@compiled
def arrive(
    s, now: float, case: int, station: int, part: int, priority: int, sequential: bool
) -> None:
    """A job of a case reaches a station: start it if staff are free, else queue it.

    ``part`` is ``NONE`` for the case's own line of handling; ``priority`` is the job's
    class (0 first, 1 the usual); ``sequential`` jobs are the case's own line of handling,
    joint jobs run beside it.
    """
    level = s.station_level[station]
    if sequential:
        s.station[case] = station
    if level == _ABOVE:
        s.reached_above[case] = True
    elif level == _COMMUNITY:
        s.mediated[case] = True
    if s.stage[case] != level:
        set_stage(s, case, level)
    touch(s, station, now)
    s.st_held[station] += 1
    s.st_arrivals[station] += 1
    if s.st_busy[station] < s.st_servers[station]:
        _start(s, now, station, case, part, now)
        return
    rank = 0
    if level == _DEPARTMENT and not (s.hotline_first[station] and s.via_hotline[case]):
        rank = s.t_rank[s.case_type[case]]
    part_token = s.part_token[case, part] if part >= 0 else 0
    buckets = s.q_head.shape[1] // 2
    enqueue(s, station, case, part, s.token[case], part_token, now, priority * buckets + rank)
    if sequential:
        s.queued_at[case] = now
        if level < _ABOVE:
            start_wait(s, now, case)


@compiled
def _start(s, now: float, station: int, case: int, part: int, queued: float) -> None:
    s.wait_days[case] += now - queued
    ctype = s.case_type[case]
    level = s.station_level[station]
    if part >= 0 and s.part_state[case, part] == _JOINT:
        s.part_state[case, part] = _JOINT_WORKING
        mean = s.t_joint[ctype] * s.levers[LEVER.department_time]
        shape = JOINT_SHAPE
    else:
        shape = level
        stop_wait(s, case)
        mean = s.t_service[ctype, level]
        if level == _GRID:
            mean *= s.levers[LEVER.grid_time]
        elif level == _COMMUNITY:
            mean *= s.levers[LEVER.community_time]
        elif level == _DEPARTMENT:
            mean *= s.levers[LEVER.department_time]
    if level >= _DEPARTMENT:
        s.handled_above[case] = True
    draw = next_draw(s, case, SERVICE)
    if s.shape_power[shape] != 1.0:  # a Weibull of the same mean (k = 1: the draw as it is)
        draw = draw ** s.shape_power[shape] / s.shape_scale[shape]
    duration = draw * mean * s.station_time[station]
    s.staff_days[case] += duration
    touch(s, station, now)
    s.st_busy[station] += 1
    s.st_staff_days[station] += duration
    schedule(s, job_end(s, now, duration, level), _DONE, case, station, part)


@compiled
def finish(s, now: float, station: int) -> None:
    """A job at ``station`` ends: free its staff member and start the next live job."""
    touch(s, station, now)
    s.st_busy[station] -= 1
    s.st_held[station] -= 1
    s.st_completions[station] += 1
    while s.st_busy[station] < s.st_servers[station]:
        case, part, job_token, job_part_token, queued = pop_job(s, station)
        if case < 0:
            return
        if s.token[case] == job_token and (part < 0 or s.part_token[case, part] == job_part_token):
            _start(s, now, station, case, part, queued)
