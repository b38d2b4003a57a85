"""The governance model: a Mesa model of cases moving through the governance network.

One step is one day. Each step (1) lets the day's cases arise among residents, (2)
processes the day's events in continuous time (:class:`govsim.flow.CaseFlow`), (3) lets
residents update their trust from the cases closed that day, and (4) collects the daily
series.
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np

from govsim.agents import Department, GridWorker, Mediator, StreetOffice
from govsim.city import City, build_city
from govsim.config import ExperimentConfig
from govsim.flow import CaseFlow
from govsim.ledger import CaseLedger
from govsim.levers import Levers
from govsim.mechanisms import REGISTRY
from govsim.population import Residents
from govsim.reporters import DAILY_REPORTERS
from govsim.stations import Stations
from govsim.streams import Purpose, RandomStreams

__all__ = ["GovernanceModel"]


class GovernanceModel(mesa.Model):
    """Residents, grid workers, mediators, street offices and departments in one city.

    Args:
        config: the experiment configuration (city, run length, seed).
        mechanisms: mechanism name → parameters; defaults to ``config.mechanism``.
        replication: index of the replication; with ``config.seed`` it keys every stream.
        city: a prebuilt city to reuse across runs (it is never modified).

    """

    def __init__(self, config: ExperimentConfig, mechanisms: dict[str, Any] | None = None,
                 replication: int = 0, city: City | None = None) -> None:
        self.streams = RandomStreams(config.seed, replication)
        super().__init__(rng=self.streams.key(Purpose.MESA))
        self.config = config
        self.replication = replication
        self.city = city if city is not None else build_city(config.city)
        self.day = 0
        cfg = self.city.config
        self.residents = Residents(self.city, cfg.residents, self.streams[Purpose.POPULATION])
        self.ledger = CaseLedger(self.streams, capacity=self._expected_cases())
        self.stations = Stations(self.city.station_servers)
        self.grid_discovery_rate = np.full(self.city.n_grids, cfg.patrol_discovery_rate_per_day)
        self._create_agents()
        chosen = config.mechanism if mechanisms is None else mechanisms
        self.mechanisms = [REGISTRY[name](params, self) for name, params in chosen.items()]
        self.levers = Levers()
        self.flow = CaseFlow(self.city, self.ledger, self.stations,
                             {d.station: d for d in self.agents_by_type[Department]},
                             list(self.agents_by_type[StreetOffice]), self.mechanisms,
                             self.levers)
        types = list(cfg.case_types.values())
        per_resident_day = np.array([t.rate_per_1000_per_year for t in types]) / 1000 / 365
        self._arrival_rate = self.city.grid_residents[:, None] * per_resident_day[None, :]
        self._latent_escalation = np.array([t.escalation_rate_per_day for t in types])
        self._mediable = np.array([t.mediable for t in types])
        self.datacollector = mesa.DataCollector(model_reporters=DAILY_REPORTERS)

    def _expected_cases(self) -> int:
        rate = sum(t.rate_per_1000_per_year for t in self.city.config.case_types.values())
        expected = rate / 1000 / 365 * self.city.n_residents * self.config.days
        return max(1024, int(expected * 1.1))

    def _create_agents(self) -> None:
        city = self.city
        cfg = city.config
        for g in range(city.n_grids):
            for _ in range(cfg.grid_workers_per_grid):
                GridWorker(self, g)
        for c in range(city.n_communities):
            for _ in range(cfg.mediators_per_community):
                Mediator(self, c, city.community_station(c))
        for s in range(city.n_streets):
            StreetOffice(self, s, city.street_station(s))
        for d in range(city.n_districts):
            for k, name in enumerate(city.department_names):
                Department(self, name, d, city.department_station(d, k), cfg.departments[name])

    @property
    def mechanism_label(self) -> str:
        """Names of the active mechanisms, joined by '+'."""
        return "+".join(m.name for m in self.mechanisms)

    # ----------------------------------------------------------------- one day
    def step(self) -> None:
        """Advance one day."""
        if self.day == self.config.warmup_days > 0:
            self.stations.reset_statistics(float(self.day))
        self._set_levers()
        self.arise()
        self.flow.run_until(self.day + 1.0)
        self._learn()
        self.day += 1
        self.datacollector.collect(self)
        if self.day >= self.config.days:
            self.running = False

    def _set_levers(self) -> None:
        """Apply today's mechanisms (at their roll-out intensity) to the levers."""
        levers = self.levers
        levers.reset()
        for k, mechanism in enumerate(self.mechanisms):
            intensity = mechanism.intensity(self.day)
            self.flow.intensity[k] = intensity
            if intensity > 0.0:
                mechanism.apply(levers, intensity)

    def discovery_rates(self, grids: np.ndarray) -> np.ndarray:
        """Patrol discovery rate of each grid today: lower where grid workers are overloaded."""
        cfg = self.city.config
        rate = self.grid_discovery_rate[grids] * self.levers.discovery
        if cfg.grid_overload_sensitivity > 0.0:
            held = np.asarray(self.stations.held[: self.city.n_grids], dtype=float)[grids]
            rate = rate / (1.0 + cfg.grid_overload_sensitivity * held / cfg.grid_workers_per_grid)
        return rate + self.levers.discovery_extra

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
        levers = self.levers
        resident = led.resident[ids]
        report = np.minimum(1.0, self.residents.report_probability(resident) * levers.report)
        reported = led.u_report[ids] < report
        led.reported[ids] = reported
        arisen = led.arisen[ids]
        cfg = self.city.config
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
        for mechanism, intensity in zip(self.mechanisms, self.flow.intensity, strict=True):
            if intensity > 0.0:
                mechanism.on_admit(led, ids, intensity)
        self.flow.admit(ids, known, np.where(np.isnan(escalates), math.inf, escalates))

    def _learn(self) -> None:
        closed = np.asarray(self.flow.closed_today, dtype=np.int64)
        self.flow.closed_today.clear()
        self.residents.learn(self.ledger.resident[closed],
                             self.ledger.satisfaction[closed].astype(np.float32))
