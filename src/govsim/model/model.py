"""The governance model: a Mesa model of cases moving through the governance network.

One step is one day. Each step (1) takes the mechanisms' declarations for the day
(levers, joint-handling offers in declared precedence, the mediation ladder, rankings)
and the units' decisions, (2) lets the day's cases arise among residents and decides
when and through which channel each becomes known (the discovery race between the
resident's report and the grid worker's patrol), (3) processes the day's events in
continuous time (:mod:`govsim.model.engine`), (4) lets residents update their trust from
the cases closed that day and those now overdue, and puts overdue hotline cases under
supervision, and (5) collects the daily series.

With ``prereform_days`` the run begins that many days before the reform: no mechanism acts
until day 0 of the roll-out, so trust, backlogs and the units' standing start from the
pre-reform city rather than from the configured initial values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import mesa
import numpy as np

from govsim.city.build import City, build_city
from govsim.city.levels import Level
from govsim.config.schema import ExperimentConfig
from govsim.mechanisms import REGISTRY, Decision, Mechanism, Ranking, canonical, ordered
from govsim.model.actors import Department, GridWorker, Mediator, StreetOffice
from govsim.model.adaptation import FeltService, Learning, Staffing, follow
from govsim.model.demand import Demand
from govsim.model.engine import admit, prepare, run_until, supervise_all
from govsim.model.ledger import CaseLedger, Channel, Status
from govsim.model.ranking import pressure, unit_scores
from govsim.model.residents import Residents
from govsim.model.schedule import apply_changes, schedule_of
from govsim.model.sizing import ledger_capacity
from govsim.model.state import EngineState
from govsim.model.stations import Stations
from govsim.model.streams import Purpose, RandomStreams
from govsim.model.tables import grid_arrival_rates

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
        districts: the districts whose cases this model simulates (all by default). Every
            unit of the city exists; cases arise only in these districts. Districts share
            no state, and their cases draw from their own streams, so models of disjoint
            districts together give the results of the whole city
            (:mod:`govsim.experiments.districts`).

    """

    def __init__(self, config: ExperimentConfig, mechanisms: Mapping[str, Any] | None = None,
                 replication: int = 0, city: City | None = None,
                 reporters: Mapping[str, Callable[[GovernanceModel], Any]] | None = None,
                 districts: Sequence[int] | None = None) -> None:
        self.streams = RandomStreams(config.seed, replication)
        super().__init__(rng=self.streams.key(Purpose.MESA))
        self.config = config
        self.replication = replication
        self.city = city if city is not None else build_city(config.city)
        self.districts = self._own(districts)
        """The districts whose cases arise in this model, in increasing order."""
        self.day = 0
        cfg = self.city.config
        self.residents = Residents(self.city, cfg.residents, self.streams, self.districts)
        share = self.city.grid_residents[np.isin(
            self.city.grid_district, self.districts)].sum() / self.city.n_residents
        self.ledger = CaseLedger(
            self.streams, capacity=int(ledger_capacity(cfg, self.total_days) * share) + 1,
            districts=self.city.n_districts)
        self._create_agents()
        self.stations = Stations(self._staff_by_station())
        self.engine = EngineState(self.city, self.ledger, self.stations, self.total_days)
        prepare(self.engine)
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
        self._ranking = [m for m in self.mechanisms if m.ranking() is not None]
        self._pressure: dict[str, np.ndarray] = {}
        """Latest pressure of each ranking mechanism on every station."""
        self._supervising = [m for m in self.mechanisms if m.supervises_overdue]
        self._felt = FeltService(self.city, cfg.residents.trust_memory_days)
        """Residents' memory of their district's service (:mod:`govsim.model.adaptation`)."""
        self._learning = Learning(cfg, self.engine.station_time, self.stations.servers)
        """Staff learning the reformed work (:mod:`govsim.model.adaptation`)."""
        self._effort = np.zeros(len(self.stations))
        """Each unit's effort, following the rankings' call with ``city.effort_half_life_days``."""
        self._staffing = Staffing(cfg.staff_growth_under_pressure, self.stations.servers,
                                  np.isin(self.city.station_level,
                                          (Level.STREET, Level.DEPARTMENT)))
        """Ranked units' staff following their effort (:mod:`govsim.model.adaptation`)."""
        self.reform_day = config.prereform_days
        """The model's day on which the roll-out clock starts (day 0 of the reform)."""
        self._schedule = schedule_of(config)
        """Timed lever changes (:mod:`govsim.model.schedule`)."""
        self._treatment = set(canonical(chosen)) == set(config.mechanism)
        """Whether this model runs the configured mechanisms (their scheduled changes act)."""
        self._oldest_open = 0
        """No case before this index is open (a lower bound that only moves forward)."""
        self.intensity = [0.0] * len(self.mechanisms)
        """Roll-out intensity of each mechanism today."""
        self._latent_escalation = np.array(self.engine.table.escalation_rate)
        self._mediable = np.array(self.engine.table.mediable)
        self._arrival_rate = grid_arrival_rates(self.city, self.engine.table)
        self.demand = Demand(cfg.calendar, self.total_days)
        self._district_cells = [self._cells_of(d) for d in self.districts]
        """Each simulated district's grids, their streets numbered from 0 within the
        district, and the number of those streets."""
        self.datacollector = mesa.DataCollector(model_reporters=dict(reporters or {}))

    def _own(self, districts: Sequence[int] | None) -> tuple[int, ...]:
        """The districts to simulate, checked against the city."""
        n = self.city.n_districts
        if districts is None:
            return tuple(range(n))
        own = tuple(sorted({int(d) for d in districts}))
        if not own or own[0] < 0 or own[-1] >= n:
            raise ValueError(f"districts: {list(districts)} is not a non-empty set of the "
                             f"city's districts 0 .. {n - 1}")
        return own

    @property
    def total_days(self) -> int:
        """Days the run simulates: the pre-reform days and the configured days."""
        return self.config.prereform_days + self.config.days

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
        """Rate at which patrols find a given unreported case in each grid: the sum over its
        grid workers, × the reference grid size / the grid's residents."""
        self.update_patrol_rates()
        return staff

    def update_patrol_rates(self) -> None:
        """Each grid's discovery rate again from its grid workers' patrol rates."""
        city = self.city
        workers = self.agents_by_type[GridWorker]
        self.grid_patrol_rate[:] = 0.0
        np.add.at(self.grid_patrol_rate, [w.grid for w in workers],
                  [w.patrol_rate for w in workers])
        self.grid_patrol_rate *= city.config.grid_reference_residents / city.grid_residents

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
        if self.day == self.reform_day + self.config.warmup_days > 0:
            self.stations.reset_statistics(float(self.day))
        if self._schedule:
            apply_changes(self, self._schedule, self.day - self.reform_day, self._treatment)
        self._declare_day()
        self.arise()
        finished = self.stations.completions.copy()
        run_until(self.engine, self.day + 1.0)
        if self._learning.active and self.reforming:
            self._learning.learn(self.stations.completions - finished, self.engine.station_time)
        self._learn()
        self.day += 1
        self.datacollector.collect(self)
        if self.day >= self.total_days:
            self.running = False

    def _declare_day(self) -> None:
        """Read the day's declarations: mechanisms' levers and offers, departments' decisions."""
        e = self.engine
        levers = e.levers
        levers.reset()
        reform_day = self.day - self.reform_day
        for k, mechanism in enumerate(self.mechanisms):
            intensity = mechanism.intensity(reform_day)
            self.intensity[k] = intensity
            if intensity > 0.0:
                mechanism.apply(levers, intensity, reform_day)
        position = {m.name: k for k, m in enumerate(self.mechanisms)}
        e.offers = [m.joint_handling(levers) for m in self._offering]
        e.offer_intensity = [self.intensity[position[m.name]] for m in self._offering]
        if self._ladder is not None:
            e.ladder = self._ladder.ladder()
            e.ladder_intensity = self.intensity[position[self._ladder.name]]
        self._rank(position)
        for dept in self.agents_by_type[Department]:
            dept.decide(e)
        for office in self.agents_by_type[StreetOffice]:
            office.decide(e)

    @property
    def reforming(self) -> bool:
        """Whether a reform acts today: a mechanism that declares something is rolled out."""
        return any(intensity > 0.0 and mechanism.points
                   for mechanism, intensity in zip(self.mechanisms, self.intensity, strict=True))

    def _rank(self, position: dict[str, int]) -> None:
        """Run the rankings due today and combine every ranking's pressure on each unit."""
        if not self._ranking:
            return
        e = self.engine
        effort = np.zeros(len(self.stations))
        gaming = np.zeros(len(self.stations))
        declining = np.zeros(len(self.stations))
        combined = np.zeros(len(self.stations))
        hotline_first = np.zeros(len(self.stations), dtype=bool)
        for mechanism in self._ranking:
            intensity = self.intensity[position[mechanism.name]]
            ranking: Ranking = mechanism.ranking()
            period = ranking.period_days
            if intensity > 0.0 and self.day % period == 0 and self.day > 0:
                total, count = unit_scores(e, self.day - period, self.day, ranking.hotline_only)
                self._pressure[mechanism.name] = pressure(e, total, count)
            unit_pressure = self._pressure.get(mechanism.name)
            if unit_pressure is None or intensity <= 0.0:
                continue
            weight = ranking.weight * intensity
            combined += weight * unit_pressure
            effort += weight * ranking.effort_gain * unit_pressure
            gaming += weight * ranking.gaming * unit_pressure
            declining += weight * ranking.decline * unit_pressure
            if ranking.hotline_only and weight > 0.0:
                hotline_first |= self.city.station_level == Level.DEPARTMENT
        e.pressure = np.minimum(combined, 1.0)
        half_life = self.city.config.effort_half_life_days
        if half_life > 0.0:
            self._effort = follow(self._effort, np.minimum(effort, 1.0), half_life)
            e.effort = self._effort
        else:
            e.effort = np.minimum(effort, 1.0)
        if self._staffing.active:
            self._hire(e.effort)
        e.gaming_pressure = np.minimum(gaming, 1.0)
        e.declining_pressure = np.minimum(declining, 1.0)
        e.hotline_first[:] = hotline_first

    def _hire(self, effort: np.ndarray) -> None:
        """Ranked units' staff follow their effort; their agents' staff with them."""
        changed = self._staffing.follow(effort, self.stations.servers)
        if not len(changed):
            return
        units = {a.station: a for a in (*self.agents_by_type[StreetOffice],
                                        *self.agents_by_type[Department])}
        for station in changed:
            units[int(station)].staff = int(self.stations.servers[station])

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
        """Let the day's cases arise among residents (Poisson per grid and case type).

        The day's rates and the hours at which cases arise come from
        :class:`~govsim.model.demand.Demand`.
        """
        city = self.city
        drawn = [self._arise_in(d, *cells) for d, cells in zip(self.districts,
                                                               self._district_cells, strict=True)]
        grid, case_type, times, pick = (np.concatenate(column) for column in zip(*drawn,
                                                                                 strict=True))
        order = np.argsort(times, kind="stable")
        grid, case_type, times, pick = grid[order], case_type[order], times[order], pick[order]
        resident = city.grid_first_resident[grid] + (pick * city.grid_residents[grid]).astype(
            np.int64)
        street = city.grid_street[grid]
        ids = self.ledger.open_cases(case_type, resident, grid, street,
                                     city.street_district[street], times)
        self.admit(ids)
        return ids

    def _cells_of(self, district: int) -> tuple[np.ndarray, np.ndarray, int]:
        """A district's grids, their streets counted from the district's first, and how many."""
        grids = np.flatnonzero(self.city.grid_district == district)
        street = self.city.grid_street[grids]
        if not len(street):
            return grids, street, 0
        first = int(street.min())
        return grids, street - first, int(street.max()) + 1 - first

    def _arise_in(self, district: int, grids: np.ndarray, street: np.ndarray,
                  n_streets: int) -> tuple[np.ndarray, ...]:
        """The day's cases of one district from its streams: grid, type, time, resident pick."""
        rates = self.demand.rates(self._arrival_rate[grids], self.day, street, n_streets,
                                  self.streams.of_district(Purpose.DEMAND, district))
        rng = self.streams.of_district(Purpose.ARRIVALS, district)
        counts = rng.poisson(rates).ravel()
        n_types = self._arrival_rate.shape[1]
        cell = np.repeat(np.arange(counts.size), counts)
        row, case_type = np.divmod(cell, n_types)
        times = self.day + self.demand.time_of_day(rng.random(len(cell)))
        return grids[row], case_type, times, rng.random(len(cell))

    def admit(self, ids: np.ndarray) -> None:
        """Decide for new cases when and how they become known, or escalate unknown.

        The discovery race: the resident reports (with probability propensity × trust,
        after an exponential delay) and a grid worker's patrol finds the case (after an
        exponential time at the grid's patrol rate, then waits for the next submission of
        finds); whichever comes first makes the case known. A reporting resident chooses a
        channel: below ``petition_trust_threshold`` of trust a resident may go straight to
        the petition office; otherwise the 12345 hotline (the more readily the more they
        trust it, with ``city.residents.hotline_trust_slope``), the street office or the grid
        worker. If the grievance escalates before either, it becomes a petition. The time
        to becoming known elapses on the intake clock of the calendar's profiles
        (:meth:`govsim.model.demand.Demand.known_at`).
        """
        led = self.ledger
        levers = self.engine.levers
        cfg = self.city.config
        residents = cfg.residents
        resident = led.resident[ids]
        arisen = led.arisen[ids]
        report = np.minimum(1.0, self.residents.report_probability(resident) * levers.report)
        report_time = np.where(
            led.u_report[ids] < report,
            arisen + led.e_report[ids] * residents.report_delay_days * levers.report_delay,
            math.inf)
        submissions = cfg.grid_reports_per_day * levers.grid_reports
        with np.errstate(divide="ignore", over="ignore"):
            found_time = (arisen + led.e_discover[ids] / self.discovery_rates(led.grid[ids])
                          + led.u_submit[ids] / submissions)
        reported = np.isfinite(report_time) & (report_time <= found_time)
        known = self.demand.known_at(arisen, np.where(reported, report_time, found_time))
        led.reported[ids] = reported
        led.channel[ids] = np.where(
            reported, self._channels(resident, led.u_channel[ids]),
            np.where(np.isfinite(found_time), Channel.PATROL, Channel.NONE))
        led.via_hotline[ids] = led.channel[ids] == Channel.HOTLINE
        led.cross_region[ids] = led.u_cross[ids] < cfg.cross_region_share
        case_type = led.case_type[ids]
        escalation = self._latent_escalation[case_type] * levers.escalation * np.where(
            self._mediable[case_type], levers.dispute_escalation, 1.0)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # 0/0: NaN, never
            escalates = arisen + led.e_latent_escalation[ids] / escalation
        admit(self.engine, ids, known, np.where(np.isnan(escalates), math.inf, escalates))

    def _channels(self, resident: np.ndarray, u_channel: np.ndarray) -> np.ndarray:
        """The channel each reporting resident chooses (``Channel``), from one uniform draw."""
        cfg = self.city.config.residents
        hotline = self.engine.levers.hotline_channel
        hotline = self.residents.hotline_share(
            resident, cfg.hotline_channel_share if hotline < 0.0 else hotline)
        street = np.minimum(cfg.street_channel_share, 1.0 - hotline)
        petition = np.where(self.residents.trust[resident] < cfg.petition_trust_threshold,
                            cfg.petition_propensity, 0.0)
        rest = 1.0 - petition
        return np.select(
            [u_channel < petition, u_channel < petition + rest * hotline,
             u_channel < petition + rest * (hotline + street)],
            [Channel.PETITION, Channel.HOTLINE, Channel.STREET_OFFICE],
            Channel.GRID_WORKER).astype(np.int8)

    def _learn(self) -> None:
        """Residents learn from the cases closed today and from those now overdue.

        A resident whose case is still unanswered past its time limit judges the service
        as failed (satisfaction 0) once, then again by the outcome when the case closes.
        Under a mechanism that supervises overdue cases (the hotline), an overdue hotline
        case is put under supervision (督办).
        """
        led = self.ledger
        closed, closed_scores = self.engine.take_closed()
        end = len(led)
        start = self._oldest_open
        open_now = np.flatnonzero(led.status[start:end] <= Status.OPEN)
        self._oldest_open = start + (int(open_now[0]) if len(open_now) else end - start)
        candidates = start + open_now
        due = candidates[(led.answer_due[candidates] < self.day + 1.0)
                         & ~led.overdue[candidates]]
        led.overdue[due] = True
        residents = np.concatenate([led.resident[closed], led.resident[due]])
        scores = np.concatenate([closed_scores, np.zeros(len(due), np.float32)])
        self.residents.learn(residents, scores)
        if self._felt.active:
            self._felt.update(self.residents, np.concatenate([led.grid[closed], led.grid[due]]),
                              scores, self.districts)
        self._supervise(due[led.via_hotline[due]])

    def _supervise(self, overdue: np.ndarray) -> None:
        """Put overdue hotline cases under supervision (their roll-out share of them)."""
        if not len(overdue) or not self._supervising:
            return
        position = {m.name: k for k, m in enumerate(self.mechanisms)}
        intensity = max(self.intensity[position[m.name]] for m in self._supervising)
        supervise_all(self.engine, self.day + 1.0,
                      overdue[self.ledger.u_rollout[overdue] < intensity])

    def drain(self) -> None:
        """Process every remaining event (for queueing checks: all cases complete)."""
        run_until(self.engine, math.inf)

