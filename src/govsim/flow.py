"""Case flow (事项流转处置): moving cases between service points in continuous time.

Events carry exact timestamps (arrival, becoming known, start and end of service,
escalation). :meth:`CaseFlow.run_until` processes them in time order, so the model's daily
step adds no discretisation error to waits (VALIDATION.md). The path of a case:

1. it arises among residents (LATENT) and becomes known when the resident reports it
   (probability = propensity × trust) or a grid worker discovers it on patrol, unless it
   escalates first (an unattended grievance becomes a petition, 信访);
2. the grid worker (网格员) settles it on the spot or passes it on (网格事项流转, source 004);
3. disputes go to the community's mediators (人民调解, source 003), the rest to the street;
4. the street office settles it alone or, when it lacks the authority, the active
   mechanisms decide what happens; with none claiming it, baseline routing forwards it to
   the departments one after another (条块分割, source 001);
5. a case escalates above the street when it is forwarded to a department's own office,
   when it cannot be settled and no department is competent, or when a grievance waiting
   unattended turns into a petition; the district's petition office and courts then
   close it, resolved or not.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING, Protocol

import numpy as np

from govsim.city import City
from govsim.ledger import CaseLedger, Status
from govsim.levels import Level
from govsim.stations import Stations
from govsim.streams import Purpose

if TYPE_CHECKING:
    from govsim.agents import Department, StreetOffice

__all__ = ["WHISTLE_PART", "CaseFlow", "Counters", "RoutingHook"]

KNOWN, ARRIVE, DONE, ESCALATE = range(4)
WHISTLE_PART = 16
"""Added to a department part's index when the part is handled at the street on a whistle."""
LATENT_STAGE = 5
"""Index of the latent (not yet known) stage in :attr:`Counters.by_stage`."""


class RoutingHook(Protocol):
    """What a mechanism may do with a case the street office cannot settle alone."""

    def on_street_unsettled(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Take charge of the case and return True, or return False to leave it."""
        ...


@dataclass
class Counters:
    """Running totals of a run, updated event by event."""

    arisen: int = 0
    resolved: int = 0
    resolved_at_or_below_street: int = 0
    unresolved: int = 0
    escalated_above_street: int = 0
    petitions: int = 0
    whistles: int = 0
    whistle_parts: int = 0
    whistle_deadline_breaches: int = 0
    bounces: int = 0
    satisfaction_sum: float = 0.0
    resolution_days_sum: float = 0.0
    by_stage: list[int] = field(default_factory=lambda: [0] * 6)

    @property
    def open(self) -> int:
        """Cases arisen and not closed, latent ones included."""
        return self.arisen - self.resolved - self.unresolved


class CaseFlow:
    """The event engine and the routing rules shared by all mechanisms."""

    def __init__(self, city: City, ledger: CaseLedger, stations: Stations,
                 departments: dict[int, Department], streets: list[StreetOffice],
                 hooks: list[RoutingHook]) -> None:
        cfg = city.config
        self.city = city
        self.ledger = ledger
        self.stations = stations
        self.departments = departments
        self.streets = streets
        self.hooks = hooks
        self.counters = Counters()
        self.closed_today: list[int] = []
        self.events: list[tuple[float, int, int, int, int, int]] = []
        self._seq = count()
        types = list(cfg.case_types.values())
        hours = cfg.working_hours_per_day
        self.service_days = [
            [t.hours.grid / hours, t.hours.community / hours, t.hours.street / hours,
             t.hours.department / hours, t.hours.above / hours] for t in types
        ]
        self.joint_days = [t.hours.joint / hours for t in types]
        self.grid_settle = [t.grid_settle_prob for t in types]
        self.mediable = [t.mediable for t in types]
        self.mediation_settle = [t.mediation_settle_prob for t in types]
        self.street_settle = [t.street_settle_prob for t in types]
        self.escalation_rate = [t.escalation_rate_per_day for t in types]
        self.rank = [t.priority for t in types]
        dept_index = {name: k for k, name in enumerate(city.department_names)}
        self.type_departments = [[dept_index[d] for d in t.departments] for t in types]
        self.above_resolves = 1.0 - cfg.above_unresolved_prob
        res = cfg.residents
        self._half_life = res.satisfaction_half_life_days
        self._bounce_keep = 1.0 - res.bounce_satisfaction_penalty
        self._handlers = (self._on_known, self._on_arrive, self._on_done, self._on_escalate)

    # ----------------------------------------------------------------- scheduling
    def schedule(self, time: float, kind: int, case: int, a: int = -1, b: int = -1) -> None:
        """Add an event to the calendar."""
        heapq.heappush(self.events, (time, next(self._seq), kind, case, a, b))

    def run_until(self, end: float) -> None:
        """Process, in time order, every event before ``end``."""
        events = self.events
        handlers = self._handlers
        pop = heapq.heappop
        while events and events[0][0] < end:
            time, _, kind, case, a, b = pop(events)
            handlers[kind](time, case, a, b)

    # ----------------------------------------------------------------- arrivals
    def admit(self, ids: np.ndarray, known: np.ndarray, escalates: np.ndarray) -> None:
        """Schedule new cases: becoming known at ``known``, or escalating at ``escalates``."""
        self.counters.arisen += len(ids)
        self.counters.by_stage[LATENT_STAGE] += len(ids)
        schedule = self.schedule
        for case, t_known, t_esc in zip(ids.tolist(), known.tolist(), escalates.tolist(),
                                        strict=True):
            if t_esc < t_known:
                schedule(t_esc, ESCALATE, case, 0)
            elif t_known < math.inf:
                schedule(t_known, KNOWN, case)

    def _on_known(self, now: float, case: int, _a: int, _b: int) -> None:
        led = self.ledger
        led.known[case] = now
        led.status[case] = Status.OPEN
        self.arrive(now, case, int(led.grid[case]))

    # ----------------------------------------------------------------- stations
    def _set_stage(self, case: int, stage: int) -> None:
        led = self.ledger
        old = int(led.stage[case])
        by_stage = self.counters.by_stage
        by_stage[LATENT_STAGE if old < 0 else old] -= 1
        by_stage[stage] += 1
        led.stage[case] = stage

    def arrive(self, now: float, case: int, station: int, part: int = -1,
               priority: int = 1, sequential: bool = True) -> None:
        """A job of a case reaches a station: start it if staff are free, else queue it.

        ``sequential`` jobs are the case's one line of handling (the case waits on them and
        may escalate while it waits); whistle jobs run beside it.
        """
        led = self.ledger
        stations = self.stations
        level = int(self.city.station_level[station])
        if sequential:
            led.station[case] = station
        if int(led.stage[case]) != level:
            self._set_stage(case, level)
        stations.touch(station, now)
        stations.held[station] += 1
        stations.arrivals[station] += 1
        if stations.busy[station] < stations.servers[station]:
            self._start(now, station, case, part, now)
            return
        rank = self.rank[int(led.case_type[case])] if level == Level.DEPARTMENT else 0
        stations.enqueue(station, case, part, int(led.token[case]), now, priority, rank)
        if sequential and level < Level.ABOVE:
            self.start_wait(now, case)

    def _start(self, now: float, station: int, case: int, part: int, queued: float) -> None:
        led = self.ledger
        led.wait_days[case] += now - queued
        ctype = int(led.case_type[case])
        if part >= WHISTLE_PART:
            mean = self.joint_days[ctype]
            deadline = float(led.whistle_deadline[case])
            if now > deadline:
                self.counters.whistle_deadline_breaches += 1
                self.departments[station].deadline_breaches += 1
        else:
            self.stop_wait(case)
            mean = self.service_days[ctype][int(self.city.station_level[station])]
        duration = led.next_draw(case, Purpose.CASE_SERVICE) * mean
        stations = self.stations
        stations.touch(station, now)
        stations.busy[station] += 1
        stations.staff_days[station] += duration
        self.schedule(now + duration, DONE, case, station, part)

    def _start_next(self, now: float, station: int) -> None:
        stations = self.stations
        token = self.ledger.token
        while stations.busy[station] < stations.servers[station]:
            job = stations.pop(station)
            if job is None:
                return
            _, _, _, case, part, job_token, queued = job
            if int(token[case]) == job_token:
                self._start(now, station, case, part, queued)

    def _on_done(self, now: float, case: int, station: int, part: int) -> None:
        stations = self.stations
        stations.touch(station, now)
        stations.busy[station] -= 1
        stations.held[station] -= 1
        stations.completions[station] += 1
        self._start_next(now, station)
        level = int(self.city.station_level[station])
        if level == Level.GRID:
            self._after_grid(now, case)
        elif level == Level.COMMUNITY:
            self._after_community(now, case)
        elif level == Level.STREET:
            self._after_street(now, case, part)
        elif level == Level.DEPARTMENT:
            self._after_department(now, case, part)
        else:
            self._after_above(now, case)

    # ----------------------------------------------------------------- routing
    def _street_station(self, case: int) -> int:
        return self.city.street_station(int(self.ledger.street[case]))

    def _after_grid(self, now: float, case: int) -> None:
        led = self.ledger
        ctype = int(led.case_type[case])
        if led.u_settle_grid[case] < self.grid_settle[ctype]:
            self.resolve(now, case, Level.GRID)
        elif self.mediable[ctype]:
            community = int(self.city.grid_community[int(led.grid[case])])
            self.arrive(now, case, self.city.community_station(community))
        else:
            self.arrive(now, case, self._street_station(case))

    def _after_community(self, now: float, case: int) -> None:
        led = self.ledger
        if led.u_settle_community[case] < self.mediation_settle[int(led.case_type[case])]:
            self.resolve(now, case, Level.COMMUNITY)
        else:
            self.arrive(now, case, self._street_station(case))

    def _after_street(self, now: float, case: int, part: int) -> None:
        led = self.ledger
        if part >= 0:  # a bounced case comes back: the street forwards it again
            self.forward(now, case, part)
            return
        ctype = int(led.case_type[case])
        if led.u_settle_street[case] < self.street_settle[ctype]:
            self.resolve(now, case, Level.STREET)
            return
        if not self.type_departments[ctype]:
            self.escalate(now, case, petition=False)
            return
        for hook in self.hooks:
            if hook.on_street_unsettled(self, case, now):
                return
        self.forward_all(now, case)

    def department_stations(self, case: int) -> list[int]:
        """Stations of the departments a case needs, in the order they are involved."""
        led = self.ledger
        district = int(led.district[case])
        return [self.city.department_station(district, k)
                for k in self.type_departments[int(led.case_type[case])]]

    def forward_all(self, now: float, case: int) -> None:
        """Baseline routing: forward the case to each of its departments in turn."""
        self.ledger.forward_mask[case] = (1 << len(self.department_stations(case))) - 1
        self.forward(now, case, 0)

    def forward(self, now: float, case: int, part: int) -> None:
        """Send one department part of a case to that department's own office.

        The case is then above the street. It reaches the department's queue after the
        department's response delay, unless the department bounces it back (推诿).
        """
        led = self.ledger
        if not led.escalated[case]:
            led.escalated[case] = True
            self.counters.escalated_above_street += 1
        station = self.department_stations(case)[part]
        delay = led.next_draw(case, Purpose.CASE_DELAY) * self.departments[station].response_delay
        led.station[case] = -1
        self._set_stage(case, Level.DEPARTMENT)
        self.start_wait(now, case)
        self.schedule(now + delay, ARRIVE, case, station, part)

    def _on_arrive(self, now: float, case: int, station: int, part: int) -> None:
        led = self.ledger
        if led.status[case] != Status.OPEN or int(led.station[case]) != -1:
            return  # escalated while in transit
        if led.next_draw(case, Purpose.CASE_ROUTE) < self.departments[station].bounce_prob:
            led.bounces[case] += 1
            self.counters.bounces += 1
            self.arrive(now, case, self._street_station(case), part)
        else:
            self.arrive(now, case, station, part)

    def _after_department(self, now: float, case: int, part: int) -> None:
        led = self.ledger
        if part >= WHISTLE_PART:
            led.whistle_pending[case] -= 1
        else:
            mask = int(led.forward_mask[case]) & ~(1 << part)
            led.forward_mask[case] = mask
            if mask:
                self.forward(now, case, (mask & -mask).bit_length() - 1)
                return
        if led.forward_mask[case] == 0 and led.whistle_pending[case] == 0:
            self.resolve(now, case, Level.DEPARTMENT if led.escalated[case] else Level.STREET)

    def _after_above(self, now: float, case: int) -> None:
        if self.ledger.u_settle_above[case] < self.above_resolves:
            self.resolve(now, case, Level.ABOVE)
        else:
            self.close(now, case, Status.UNRESOLVED, Level.ABOVE)

    # ----------------------------------------------------------------- escalation
    def start_wait(self, now: float, case: int) -> None:
        """Start the clock of an unattended grievance (none while a whistle is pending)."""
        led = self.ledger
        if led.waiting[case] or led.whistle_pending[case] > 0:
            return
        rate = self.escalation_rate[int(led.case_type[case])]
        led.waiting[case] = True
        episode = int(led.episode[case]) + 1
        led.episode[case] = episode
        if rate > 0.0:
            delay = led.next_draw(case, Purpose.CASE_WAIT) / rate
            self.schedule(now + delay, ESCALATE, case, episode)

    def stop_wait(self, case: int) -> None:
        """Stop the clock: someone is now working on the case."""
        led = self.ledger
        if led.waiting[case]:
            led.waiting[case] = False
            led.episode[case] += 1

    def _on_escalate(self, now: float, case: int, episode: int, _b: int) -> None:
        led = self.ledger
        if int(led.episode[case]) != episode:
            return
        status = led.status[case]
        if status == Status.LATENT:
            led.known[case] = now
            led.status[case] = Status.OPEN
        elif status != Status.OPEN or not led.waiting[case]:
            return
        self.escalate(now, case, petition=True)

    def escalate(self, now: float, case: int, petition: bool) -> None:
        """Take a case above the street to the district's petition office and courts."""
        led = self.ledger
        station = int(led.station[case])
        if station >= 0 and led.waiting[case]:
            self.stations.touch(station, now)
            self.stations.held[station] -= 1  # its queued job is now stale
        self.stop_wait(case)
        led.token[case] += 1
        led.forward_mask[case] = 0
        if petition:
            led.petitioned[case] = True
            self.counters.petitions += 1
        if not led.escalated[case]:
            led.escalated[case] = True
            self.counters.escalated_above_street += 1
        self.arrive(now, case, self.city.above_station(int(led.district[case])))

    # ----------------------------------------------------------------- closing
    def resolve(self, now: float, case: int, level: Level) -> None:
        """Close a case as resolved at ``level``."""
        self.close(now, case, Status.RESOLVED, level)

    def close(self, now: float, case: int, status: Status, level: Level) -> None:
        """Close a case, record its level, time and the resident's satisfaction."""
        led = self.ledger
        counters = self.counters
        led.status[case] = status
        led.level[case] = level
        led.closed[case] = now
        led.station[case] = -1
        counters.by_stage[int(led.stage[case])] -= 1
        if status == Status.RESOLVED:
            counters.resolved += 1
            if level <= Level.STREET:
                counters.resolved_at_or_below_street += 1
            days = now - float(led.arisen[case])
            counters.resolution_days_sum += days
            satisfaction = 0.5 ** (days / self._half_life) * self._bounce_keep ** int(
                led.bounces[case])
        else:
            counters.unresolved += 1
            satisfaction = 0.0
        led.satisfaction[case] = satisfaction
        counters.satisfaction_sum += satisfaction
        self.closed_today.append(case)
