"""Case flow (事项流转处置): moving cases between service points in continuous time.

Events carry exact timestamps (arrival, becoming known, start and end of service,
escalation). :meth:`CaseFlow.run_until` processes them in time order, so the model's daily
step adds no discretisation error to waits (VALIDATION.md). The path of a case:

1. it arises among residents (LATENT) and becomes known when the resident reports it
   (probability = propensity × trust) or a grid worker discovers it on patrol, unless it
   escalates first (an unattended grievance becomes a petition, 信访);
2. the grid worker (网格员) settles it on the spot or passes it on (网格事项流转, source 004);
3. disputes go to the community's mediators (人民调解, source 003), the rest to the street;
   a case that spans two jurisdictions first waits for the other side (片区协作, source 000);
4. the street office settles it alone or, when it lacks the authority, the active
   mechanisms decide what happens; with none claiming it, baseline routing forwards it to
   the departments one after another (条块分割, source 001);
5. a case escalates above the street when it is forwarded to a department's own office,
   when it cannot be settled and no department is competent, or when a grievance waiting
   unattended turns into a petition; mechanisms may offer a mediation ladder first,
   otherwise the district's petition office and courts close it, resolved or not.

Mechanisms act through the daily :class:`~govsim.levers.Levers` and through routing hooks.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING

import numpy as np

from govsim.city import City
from govsim.ledger import CaseLedger, Status
from govsim.levels import Level
from govsim.levers import Levers
from govsim.stations import Stations
from govsim.streams import Purpose

if TYPE_CHECKING:
    from govsim.agents import Department, StreetOffice
    from govsim.mechanisms.base import Mechanism

__all__ = ["WHISTLE_PART", "CaseFlow", "Counters"]

KNOWN, ARRIVE, DONE, ESCALATE, TRANSIT, RUNG = range(6)
WHISTLE_PART = 16
"""Added to a department part's index when the part is handled at the street."""
LATENT_STAGE = 5
"""Index of the latent (not yet known) stage in :attr:`Counters.by_stage`."""


@dataclass
class Counters:
    """Running totals of a run, updated event by event."""

    arisen: int = 0
    resolved: int = 0
    resolved_at_or_below_street: int = 0
    unresolved: int = 0
    escalated_above_street: int = 0
    petitions: int = 0
    collective_incidents: int = 0
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
                 mechanisms: list[Mechanism], levers: Levers) -> None:
        cfg = city.config
        self.city = city
        self.ledger = ledger
        self.stations = stations
        self.departments = departments
        self.streets = streets
        self.mechanisms = mechanisms
        self.levers = levers
        self.intensity = [0.0] * len(mechanisms)
        """Roll-out intensity of each mechanism today (set by the model)."""
        self.counters = Counters()
        self.closed_today: list[int] = []
        self.events: list[tuple[float, int, int, int, int, int]] = []
        self._seq = count()
        types = list(cfg.case_types.values())
        hours = cfg.working_hours_per_day
        burden = 1.0 / (1.0 - cfg.community_burden_share)
        self.service_days = [
            [t.hours.grid / hours, t.hours.community * burden / hours, t.hours.street / hours,
             t.hours.department / hours, t.hours.above / hours] for t in types
        ]
        self.joint_days = [t.hours.joint / hours for t in types]
        self.grid_settle = [t.grid_settle_prob for t in types]
        self.mediable = [t.mediable for t in types]
        self.mediation_settle = [t.mediation_settle_prob for t in types]
        self.street_settle = [t.street_settle_prob for t in types]
        self.escalation_rate = [t.escalation_rate_per_day for t in types]
        self.collective = [t.collective_incident_prob for t in types]
        self.rank = [t.priority for t in types]
        dept_index = {name: k for k, name in enumerate(city.department_names)}
        self.type_departments = [[dept_index[d] for d in t.departments] for t in types]
        self.above_resolves = 1.0 - cfg.above_unresolved_prob
        self.severity_growth = cfg.severity_growth_per_day
        self.department_overload = cfg.department_overload_sensitivity
        self.cross_region_delay = cfg.cross_region_delay_days
        res = cfg.residents
        self._half_life = res.satisfaction_half_life_days
        self._bounce_keep = 1.0 - res.bounce_satisfaction_penalty
        self._handlers = (self._on_known, self._on_arrive, self._on_done, self._on_escalate,
                          self._on_transit, self._on_rung)

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
        may escalate while it waits); parts handled at the street run beside it.
        """
        led = self.ledger
        stations = self.stations
        level = int(self.city.station_level[station])
        if sequential:
            led.station[case] = station
        if level == Level.ABOVE:
            led.reached_above[case] = True
        elif level == Level.COMMUNITY:
            led.mediated[case] = True
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
        level = int(self.city.station_level[station])
        if part >= WHISTLE_PART:
            mean = self.joint_days[ctype] * self.levers.department_time
            if now > float(led.whistle_deadline[case]):
                self.counters.whistle_deadline_breaches += 1
                self.departments[station].deadline_breaches += 1
        else:
            self.stop_wait(case)
            mean = self.service_days[ctype][level]
            if level == Level.COMMUNITY:
                mean *= self.levers.community_time
            elif level == Level.DEPARTMENT:
                mean *= self.levers.department_time
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
    @staticmethod
    def _settles(draw: float, probability: float, failure: float) -> bool:
        return draw < 1.0 - (1.0 - probability) * failure

    def _street_station(self, case: int) -> int:
        return self.city.street_station(int(self.ledger.street[case]))

    def _after_grid(self, now: float, case: int) -> None:
        led = self.ledger
        ctype = int(led.case_type[case])
        if self._settles(led.u_settle_grid[case], self.grid_settle[ctype],
                         self.levers.grid_failure):
            self.resolve(now, case, Level.GRID)
        elif self.mediable[ctype]:
            community = int(self.city.grid_community[int(led.grid[case])])
            self.arrive(now, case, self.city.community_station(community))
        else:
            self.to_street(now, case)

    def _after_community(self, now: float, case: int) -> None:
        led = self.ledger
        if self._settles(led.u_settle_community[case],
                         self.mediation_settle[int(led.case_type[case])],
                         self.levers.mediation_failure):
            self.resolve(now, case, Level.COMMUNITY)
        else:
            self.to_street(now, case)

    def to_street(self, now: float, case: int) -> None:
        """Pass a case up to its street; a cross-boundary case first waits for the other side."""
        led = self.ledger
        if led.cross_region[case] and not led.cross_waited[case]:
            led.cross_waited[case] = True
            delay = (led.next_draw(case, Purpose.CASE_DELAY) * self.cross_region_delay
                     * self.levers.cross_region_delay)
            led.station[case] = -1
            self.start_wait(now, case)
            self.schedule(now + delay, TRANSIT, case, self._street_station(case))
            return
        self.arrive(now, case, self._street_station(case))

    def _on_transit(self, now: float, case: int, station: int, _b: int) -> None:
        led = self.ledger
        if led.status[case] != Status.OPEN or int(led.station[case]) != -1:
            return  # escalated on the way
        self.arrive(now, case, station)

    def _after_street(self, now: float, case: int, part: int) -> None:
        led = self.ledger
        if part >= 0:  # a bounced case comes back: the street forwards it again
            self.forward(now, case, part)
            return
        ctype = int(led.case_type[case])
        if self._settles(led.u_settle_street[case], self.street_settle[ctype],
                         self.levers.street_failure):
            self.resolve(now, case, Level.STREET)
            return
        if not self.type_departments[ctype]:
            self.escalate(now, case, petition=False)
            return
        rollout = led.u_rollout[case]
        for mechanism, intensity in zip(self.mechanisms, self.intensity, strict=True):
            if rollout < intensity and mechanism.on_street_unsettled(self, case, now):
                return
        self.forward_all(now, case)

    def department_stations(self, case: int) -> list[int]:
        """Stations of the departments a case needs, in the order they are involved."""
        led = self.ledger
        district = int(led.district[case])
        return [self.city.department_station(district, k)
                for k in self.type_departments[int(led.case_type[case])]]

    def handle_at_street(self, now: float, case: int, joins: list[bool], deadline: float) -> None:
        """Handle a case at the street with the departments that join; forward the others.

        Joining departments put the case at the head of their queue and one staff member
        handles it jointly at the street (部门报到); the rest get ordinary forwarding.
        """
        led = self.ledger
        stations = self.department_stations(case)
        led.whistle_deadline[case] = deadline
        joined = [part for part, join in enumerate(joins) if join]
        led.whistle_pending[case] = len(joined)
        self.counters.whistle_parts += len(joined)
        for part in joined:
            self.arrive(now, case, stations[part], part + WHISTLE_PART, priority=0,
                        sequential=False)
        refused = sum(1 << part for part, join in enumerate(joins) if not join)
        if refused:
            led.forward_mask[case] = refused
            self.forward(now, case, (refused & -refused).bit_length() - 1)

    def forward_all(self, now: float, case: int) -> None:
        """Baseline routing: forward the case to each of its departments in turn."""
        self.ledger.forward_mask[case] = (1 << len(self.department_stations(case))) - 1
        self.forward(now, case, 0)

    def forward(self, now: float, case: int, part: int) -> None:
        """Send one department part of a case to that department's own office.

        The case is then above the street. It reaches the department's queue after the
        department's response delay (longer when the department is overloaded), unless
        the department bounces it back (推诿).
        """
        led = self.ledger
        if not led.escalated[case]:
            led.escalated[case] = True
            self.counters.escalated_above_street += 1
        station = self.department_stations(case)[part]
        dept = self.departments[station]
        load = 1.0 + self.department_overload * self.stations.held[station] / dept.staff
        delay = (led.next_draw(case, Purpose.CASE_DELAY) * dept.response_delay
                 * self.levers.response_delay * load)
        led.station[case] = -1
        self._set_stage(case, Level.DEPARTMENT)
        self.start_wait(now, case)
        self.schedule(now + delay, ARRIVE, case, station, part)

    def _on_arrive(self, now: float, case: int, station: int, part: int) -> None:
        led = self.ledger
        if led.status[case] != Status.OPEN or int(led.station[case]) != -1:
            return  # escalated while in transit
        levers = self.levers
        bounce = self.departments[station].bounce_prob * levers.bounce
        bounce += (levers.misrouting - bounce) * levers.misrouting_weight
        if led.next_draw(case, Purpose.CASE_ROUTE) < bounce:
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
        """Start the clock of an unattended grievance (none while a street job is pending).

        The hazard grows with the age of the case (severity, ``severity_growth_per_day``):
        h(a) = h₀(1 + g·a), so the waiting time to escalation solves
        h₀[(1 + g·a₀)Δ + gΔ²/2] = E for a standard exponential draw E.
        """
        led = self.ledger
        if led.waiting[case] or led.whistle_pending[case] > 0:
            return
        ctype = int(led.case_type[case])
        rate = self.escalation_rate[ctype] * self.levers.escalation
        if self.mediable[ctype]:
            rate *= self.levers.dispute_escalation
        led.waiting[case] = True
        episode = int(led.episode[case]) + 1
        led.episode[case] = episode
        if rate > 0.0:
            draw = led.next_draw(case, Purpose.CASE_WAIT) / rate
            growth = self.severity_growth
            if growth > 0.0:
                base = 1.0 + growth * (now - float(led.arisen[case]))
                delay = (math.sqrt(base * base + 2.0 * growth * draw) - base) / growth
            else:
                delay = draw
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
        """Take a case above the street (ladder if offered, else petition office and courts)."""
        led = self.ledger
        station = int(led.station[case])
        if station >= 0 and led.waiting[case]:
            self.stations.touch(station, now)
            self.stations.held[station] -= 1  # its queued job is now stale
        self.stop_wait(case)
        led.token[case] += 1
        led.forward_mask[case] = 0
        led.station[case] = -1
        if petition:
            led.petitioned[case] = True
            led.petitioned_at[case] = now
            self.counters.petitions += 1
            ctype = int(led.case_type[case])
            if self.collective[ctype] > 0 and (
                    led.next_draw(case, Purpose.CASE_ROUTE) < self.collective[ctype]):
                led.collective[case] = True
                self.counters.collective_incidents += 1
        if not led.escalated[case]:
            led.escalated[case] = True
            self.counters.escalated_above_street += 1
        rollout = led.u_rollout[case]
        for mechanism, intensity in zip(self.mechanisms, self.intensity, strict=True):
            if rollout < intensity and mechanism.on_escalate(self, case, now):
                return
        self.to_above(now, case)

    def to_above(self, now: float, case: int) -> None:
        """Send a case to its district's petition office and courts (信访、诉讼)."""
        self.arrive(now, case, self.city.above_station(int(self.ledger.district[case])))

    def climb(self, now: float, case: int, rung: int, delay: float) -> None:
        """Schedule the end of rung ``rung`` of a mechanism's ladder after ``delay`` days."""
        self._set_stage(case, Level.ABOVE)
        self.schedule(now + delay, RUNG, case, rung)

    def _on_rung(self, now: float, case: int, rung: int, _b: int) -> None:
        for mechanism in self.mechanisms:
            if mechanism.on_rung(self, case, rung, now):
                return
        self.to_above(now, case)

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
