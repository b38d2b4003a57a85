"""The governance model: a Mesa model of cases moving through the governance network.

One step is one day. Each step (1) takes the mechanisms' declarations for the day
(levers, joint-handling offers in declared precedence, the mediation ladder) and the
departments' decisions, (2) lets the day's cases arise among residents and decides when
each becomes known, (3) processes the day's events in continuous time
(:mod:`govsim.model.engine`), (4) lets residents update their trust from the cases closed
that day, and (5) collects the daily series.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import mesa
import numpy as np

from govsim.city.build import City, build_city
from govsim.config.schema import ExperimentConfig
from govsim.mechanisms import REGISTRY, Decision, Mechanism, canonical, ordered
from govsim.model.actors import Department, GridWorker, Mediator, StreetOffice
from govsim.model.engine import admit, run_until
from govsim.model.ledger import CaseLedger, Status
from govsim.model.residents import Residents
from govsim.model.sizing import ledger_capacity
from govsim.model.state import EngineState
from govsim.model.stations import Stations
from govsim.model.streams import Purpose, RandomStreams

__all__ = ["GovernanceModel"]


class GovernanceModel(mesa.Model):
    """Residents, grid workers, mediators, street offices and departments in one city.

    Args:
        config: the experiment configuration (city, run length, seed).
        mechanisms: mechanism name → parameters; defaults to ``config.mechanism``. Their
            order does not matter (see :mod:`govsim.mechanisms.precedence`).
        replication: index of the replication; with ``config.seed`` it keys every stream.
        city: a prebuilt city to reuse across runs (it is never modified).
        reporters: daily series for Mesa's DataCollector (name → function of the model).

    """

    def __init__(self, config: ExperimentConfig, mechanisms: Mapping[str, Any] | None = None,
                 replication: int = 0, city: City | None = None,
                 reporters: Mapping[str, Callable[[GovernanceModel], Any]] | None = None) -> None:
        self.streams = RandomStreams(config.seed, replication)
        super().__init__(rng=self.streams.key(Purpose.MESA))
        self.config = config
        self.replication = replication
        self.city = city if city is not None else build_city(config.city)
        self.day = 0
        cfg = self.city.config
        self.residents = Residents(self.city, cfg.residents, self.streams[Purpose.POPULATION])
        self.ledger = CaseLedger(self.streams, capacity=ledger_capacity(cfg, config.days))
        self._create_agents()
        self.stations = Stations(self._staff_by_station())
        self.engine = EngineState(self.city, self.ledger, self.stations)
        chosen = config.mechanism if mechanisms is None else mechanisms
        self.mechanisms: list[Mechanism] = [
            REGISTRY[name](chosen[name], self.city) for name in canonical(chosen)]
        by_name = {m.name: m for m in self.mechanisms}
        self._offering = [by_name[name] for name in ordered(
            Decision.STREET_UNSETTLED,
            [m.name for m in self.mechanisms if Decision.STREET_UNSETTLED in m.decisions])]
        ladders = ordered(Decision.ESCALATION,
                          [m.name for m in self.mechanisms if Decision.ESCALATION in m.decisions])
        self._ladder = by_name[ladders[0]] if ladders else None
        for mechanism in self.mechanisms:
            for level, venue in mechanism.venue_relabel.items():
                self.engine.venue[level] = venue
        self._oldest_open = 0
        """No case before this index is open (a lower bound that only moves forward)."""
        self.intensity = [0.0] * len(self.mechanisms)
        """Roll-out intensity of each mechanism today."""
        self._latent_escalation = np.array(self.engine.table.escalation_rate)
        self._mediable = np.array(self.engine.table.mediable)
        self._arrival_rate = (self.city.grid_residents[:, None]
                              * self.engine.table.arrivals_per_resident_day[None, :])
        self.datacollector = mesa.DataCollector(model_reporters=dict(reporters or {}))

    def _create_agents(self) -> None:
        city = self.city
        cfg = city.config
        servers = city.station_servers
        for g in range(city.n_grids):
            for _ in range(int(servers[g])):
                GridWorker(self, g, cfg.patrol_discovery_rate_per_day)
        for c in range(city.n_communities):
            station = city.community_station(c)
            for _ in range(int(servers[station])):
                Mediator(self, c, station)
        for s in range(city.n_streets):
            station = city.street_station(s)
            StreetOffice(self, s, station, int(servers[station]))
        for d in range(city.n_districts):
            for k, name in enumerate(city.department_names):
                station = city.department_station(d, k)
                Department(self, name, d, station, cfg.departments[name], int(servers[station]))

    def _staff_by_station(self) -> np.ndarray:
        """Each station's servers, counted from its agents (above the districts: the city)."""
        city = self.city
        staff = city.station_servers.copy()
        grid_workers = [w.grid for w in self.agents_by_type[GridWorker]]
        staff[: city.n_grids] = np.bincount(grid_workers, minlength=city.n_grids)
        mediators = [m.community for m in self.agents_by_type[Mediator]]
        staff[city.n_grids: city.n_grids + city.n_communities] = np.bincount(
            mediators, minlength=city.n_communities)
        for office in self.agents_by_type[StreetOffice]:
            staff[office.station] = office.staff
        for dept in self.agents_by_type[Department]:
            staff[dept.station] = dept.staff
        self.grid_patrol_rate = np.zeros(city.n_grids)
        """Patrol discovery rate of each grid: the sum over its grid workers."""
        np.add.at(self.grid_patrol_rate, grid_workers,
                  [w.patrol_rate for w in self.agents_by_type[GridWorker]])
        return staff

    @property
    def mechanism_label(self) -> str:
        """Names of the active mechanisms, joined by '+' (in registry order)."""
        return "+".join(m.name for m in self.mechanisms)

    @property
    def departments(self) -> list[Department]:
        """The departments, in station order."""
        return sorted(self.agents_by_type[Department], key=lambda d: d.station)

    # ----------------------------------------------------------------- one day
    def step(self) -> None:
        """Advance one day."""
        if self.day == self.config.warmup_days > 0:
            self.stations.reset_statistics(float(self.day))
        self._declare_day()
        self.arise()
        run_until(self.engine, self.day + 1.0)
        self._learn()
        self.day += 1
        self.datacollector.collect(self)
        if self.day >= self.config.days:
            self.running = False

    def _declare_day(self) -> None:
        """Read the day's declarations: mechanisms' levers and offers, departments' decisions."""
        e = self.engine
        levers = e.levers
        levers.reset()
        for k, mechanism in enumerate(self.mechanisms):
            intensity = mechanism.intensity(self.day)
            self.intensity[k] = intensity
            if intensity > 0.0:
                mechanism.apply(levers, intensity, self.day)
        position = {m.name: k for k, m in enumerate(self.mechanisms)}
        e.offers = [m.joint_handling(levers) for m in self._offering]
        e.offer_intensity = [self.intensity[position[m.name]] for m in self._offering]
        if self._ladder is not None:
            e.ladder = self._ladder.ladder()
            e.ladder_intensity = self.intensity[position[self._ladder.name]]
        for dept in self.agents_by_type[Department]:
            dept.decide(e)

    def discovery_rates(self, grids: np.ndarray) -> np.ndarray:
        """Patrol discovery rate of each grid today: lower where grid workers are overloaded."""
        cfg = self.city.config
        rate = self.grid_patrol_rate[grids] * self.engine.levers.discovery
        if cfg.grid_overload_sensitivity > 0.0:
            held = np.asarray(self.stations.held[: self.city.n_grids], dtype=float)[grids]
            workers = np.asarray(self.stations.servers[: self.city.n_grids], dtype=float)[grids]
            rate = rate / (1.0 + cfg.grid_overload_sensitivity * held / workers)
        return rate + self.engine.levers.discovery_extra

    def arise(self) -> np.ndarray:
        """Let the day's cases arise among residents (Poisson per grid and case type)."""
        rng = self.streams[Purpose.ARRIVALS]
        city = self.city
        counts = rng.poisson(self._arrival_rate).ravel()
        n_types = self._arrival_rate.shape[1]
        cell = np.repeat(np.arange(counts.size), counts)
        grid, case_type = np.divmod(cell, n_types)
        times = self.day + rng.random(len(cell))
        pick = rng.random(len(cell))
        order = np.argsort(times, kind="stable")
        grid, case_type, times, pick = grid[order], case_type[order], times[order], pick[order]
        resident = city.grid_first_resident[grid] + (pick * city.grid_residents[grid]).astype(
            np.int64)
        street = city.grid_street[grid]
        ids = self.ledger.open_cases(case_type, resident, grid, street,
                                     city.street_district[street], times)
        self.admit(ids)
        return ids

    def admit(self, ids: np.ndarray) -> None:
        """Decide for new cases when they become known, or escalate unknown."""
        led = self.ledger
        levers = self.engine.levers
        cfg = self.city.config
        resident = led.resident[ids]
        report = np.minimum(1.0, self.residents.report_probability(resident) * levers.report)
        reported = led.u_report[ids] < report
        led.reported[ids] = reported
        arisen = led.arisen[ids]
        led.cross_region[ids] = led.u_cross[ids] < cfg.cross_region_share
        case_type = led.case_type[ids]
        escalation = self._latent_escalation[case_type] * levers.escalation * np.where(
            self._mediable[case_type], levers.dispute_escalation, 1.0)
        with np.errstate(divide="ignore", over="ignore"):
            discovered = arisen + led.e_discover[ids] / self.discovery_rates(led.grid[ids])
            escalates = arisen + led.e_latent_escalation[ids] / escalation
        report_time = arisen + (led.e_report[ids] * cfg.residents.report_delay_days
                                * levers.report_delay)
        known = np.where(reported, report_time, discovered)
        for mechanism, intensity in zip(self.mechanisms, self.intensity, strict=True):
            if intensity > 0.0:
                for name, values in mechanism.admission(reported, led.u_channel[ids]).items():
                    led.column(name)[ids] = values
        admit(self.engine, ids, known, np.where(np.isnan(escalates), math.inf, escalates))

    def _learn(self) -> None:
        """Residents learn from the cases closed today and from those now overdue.

        A resident whose case is still unanswered past its time limit judges the service
        as failed (satisfaction 0) once, then again by the outcome when the case closes.
        """
        led = self.ledger
        closed = np.asarray(self.engine.closed_today, dtype=np.int64)
        self.engine.closed_today.clear()
        start = self._oldest_open
        status = led.status[start: len(led)]
        still_open = np.flatnonzero(status <= Status.OPEN)
        self._oldest_open = start + (int(still_open[0]) if len(still_open) else len(status))
        candidates = self._oldest_open + np.flatnonzero(
            led.status[self._oldest_open: len(led)] <= Status.OPEN)
        due = candidates[(led.answer_due[candidates] < self.day + 1.0)
                         & ~led.overdue[candidates]]
        led.overdue[due] = True
        residents = np.concatenate([led.resident[closed], led.resident[due]])
        scores = np.concatenate([led.satisfaction[closed].astype(np.float32),
                                 np.zeros(len(due), np.float32)])
        self.residents.learn(residents, scores)

    def drain(self) -> None:
        """Process every remaining event (for queueing checks: all cases complete)."""
        run_until(self.engine, math.inf)

