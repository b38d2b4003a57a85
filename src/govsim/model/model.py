"""The governance model: a Mesa model of cases moving through the governance network.

One step is one day, and a day is its named steps in order (:attr:`GovernanceModel.DAY`,
docs/ODD.md, "Process overview and scheduling"), each the work of its own module:

1. ``begin_day``: measures start afresh at the end of the warm-up;
2. ``apply_schedule``: timed lever changes (:mod:`govsim.model.schedule`);
3. ``declare``: the mechanisms' levers, joint-handling offers (in declared precedence) and
   mediation ladder for the day;
4. ``rank``: rankings due today and their pressure on each unit
   (:mod:`govsim.model.ranking`);
5. ``decide``: each department and street office turns its pressure into its decisions
   (:mod:`govsim.model.actors`);
6. ``arise``: the day's cases arise among residents (:mod:`govsim.model.arrivals`);
7. ``discover``: the discovery race decides when and through which channel each becomes
   known (:mod:`govsim.model.discovery`, :mod:`govsim.model.channels`);
8. ``handle``: the day's events in continuous time (:mod:`govsim.model.engine`);
9. ``mark_overdue``: open cases past their time limit (:mod:`govsim.model.overdue`);
10. ``learn``: staff learn the reformed work, residents learn from the cases closed today
    and those now overdue (:mod:`govsim.model.learning`);
11. ``supervise``: overdue hotline cases put under supervision
    (:mod:`govsim.model.supervision`);
12. ``end_day``: the daily series are collected.

With ``prereform_days`` the run begins that many days before the reform: no mechanism acts
until day 0 of the roll-out, so trust, backlogs and the units' standing start from the
pre-reform city rather than from the configured initial values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import mesa
import numpy as np

from govsim.city.build import City, build_city
from govsim.city.levels import Level
from govsim.config.schema import ExperimentConfig
from govsim.mechanisms import REGISTRY, Decision, Mechanism, canonical, ordered
from govsim.model.actors import Department, GridWorker, StreetOffice
from govsim.model.adaptation import Staffing
from govsim.model.arrivals import Arrivals, busy_day_streams
from govsim.model.demand import Demand
from govsim.model.discovery import Discovery
from govsim.model.engine import prepare, run_until
from govsim.model.learning import DayLearning
from govsim.model.ledger import CaseLedger
from govsim.model.overdue import Overdue
from govsim.model.ranking import Rankings
from govsim.model.residents import Residents
from govsim.model.schedule import apply_changes, schedule_of
from govsim.model.sizing import ledger_capacity
from govsim.model.state import EngineState
from govsim.model.stations import Stations
from govsim.model.streams import Purpose, RandomStreams
from govsim.model.supervision import Supervision
from govsim.model.tables import grid_arrival_rates

__all__ = ["GovernanceModel"]


class GovernanceModel(mesa.Model):
    """Residents, grid workers, street offices and departments in one city.

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

    DAY: ClassVar[tuple[str, ...]] = (
        "begin_day",
        "apply_schedule",
        "declare",
        "rank",
        "decide",
        "arise",
        "discover",
        "handle",
        "mark_overdue",
        "learn",
        "supervise",
        "end_day",
    )
    """The day's steps, in order: :meth:`step` calls each of these methods by name."""

    def __init__(
        self,
        config: ExperimentConfig,
        mechanisms: Mapping[str, Any] | None = None,
        replication: int = 0,
        city: City | None = None,
        reporters: Mapping[str, Callable[[GovernanceModel], Any]] | None = None,
        districts: Sequence[int] | None = None,
    ) -> None:
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
        share = (
            self.city.grid_residents[np.isin(self.city.grid_district, self.districts)].sum()
            / self.city.n_residents
        )
        self.ledger = CaseLedger(
            self.streams,
            capacity=int(ledger_capacity(cfg, self.total_days) * share) + 1,
            districts=self.city.n_districts,
        )
        self.stations = Stations(self.city.station_servers.copy())
        """Every station's staff (servers): the one place a unit's staff are held."""
        self._create_agents()
        self.engine = EngineState(self.city, self.ledger, self.stations, self.total_days)
        prepare(self.engine)
        self.discovery = Discovery(self.city, self.engine)
        """The grids' patrols and the discovery race (:mod:`govsim.model.discovery`)."""
        self.update_patrol_rates()
        chosen = config.mechanism if mechanisms is None else mechanisms
        self.mechanisms: list[Mechanism] = [
            REGISTRY[name](chosen[name], self.city) for name in canonical(chosen)
        ]
        by_name = {m.name: m for m in self.mechanisms}
        self._offering = [
            by_name[name]
            for name in ordered(
                Decision.STREET_UNSETTLED,
                [m.name for m in self.mechanisms if Decision.STREET_UNSETTLED in m.decisions],
            )
        ]
        ladders = ordered(
            Decision.ESCALATION,
            [m.name for m in self.mechanisms if Decision.ESCALATION in m.decisions],
        )
        self._ladder = by_name[ladders[0]] if ladders else None
        for mechanism in self.mechanisms:
            for level, venue in mechanism.venue_relabel.items():
                self.engine.venue[level] = venue
        self.rankings = Rankings(
            self.mechanisms,
            self.engine,
            Staffing(
                cfg.staff_growth_under_pressure,
                self.stations.servers,
                np.isin(self.city.station_level, (Level.STREET, Level.DEPARTMENT)),
            ),
        )
        """The rankings, their pressure and its effects (:mod:`govsim.model.ranking`)."""
        self.supervision = Supervision(self.mechanisms)
        """Overdue hotline cases under supervision (:mod:`govsim.model.supervision`)."""
        self.learning = DayLearning(
            self.city, self.engine.station_time, self.stations.servers, self.districts
        )
        """Staff and residents learning (:mod:`govsim.model.learning`)."""
        self._overdue = Overdue()
        self.reform_day = config.prereform_days
        """The model's day on which the roll-out clock starts (day 0 of the reform)."""
        self._schedule = schedule_of(config)
        """Timed lever changes (:mod:`govsim.model.schedule`)."""
        self._treatment = set(canonical(chosen)) == set(config.mechanism)
        """Whether this model runs the configured mechanisms (their scheduled changes act)."""
        self.intensity = [0.0] * len(self.mechanisms)
        """Roll-out intensity of each mechanism today."""
        self.demand = Demand(
            cfg.calendar,
            self.total_days,
            self.city.n_streets,
            busy_day_streams(self.city, self.districts, self.streams),
        )
        self.arrivals = Arrivals(
            self.city,
            self.districts,
            self.demand,
            grid_arrival_rates(self.city, self.engine.table),
            self.streams,
        )
        """The day's new cases (:mod:`govsim.model.arrivals`)."""
        self._arisen = np.zeros(0, dtype=np.int64)
        """The cases that arose today."""
        self._finished = np.zeros(len(self.stations))
        """The jobs each station finished today."""
        self._closed = np.zeros(0, dtype=np.int64)
        self._scores = np.zeros(0, dtype=np.float32)
        """The cases closed today, and their residents' satisfaction when they closed."""
        self._due = np.zeros(0, dtype=np.int64)
        """The cases that became overdue today."""
        self.datacollector = mesa.DataCollector(model_reporters=dict(reporters or {}))

    def _own(self, districts: Sequence[int] | None) -> tuple[int, ...]:
        """The districts to simulate, checked against the city."""
        n = self.city.n_districts
        if districts is None:
            return tuple(range(n))
        own = tuple(sorted({int(d) for d in districts}))
        if not own or own[0] < 0 or own[-1] >= n:
            raise ValueError(
                f"districts: {list(districts)} is not a non-empty set of the "
                f"city's districts 0 .. {n - 1}"
            )
        return own

    @property
    def total_days(self) -> int:
        """Days the run simulates: the pre-reform days and the configured days."""
        return self.config.prereform_days + self.config.days

    def _create_agents(self) -> None:
        """The staff who act: grid workers (one per server of a grid), offices, departments."""
        city = self.city
        cfg = city.config
        for g in range(city.n_grids):
            for _ in range(int(self.stations.servers[g])):
                GridWorker(self, g, cfg.patrol_discovery_rate_per_day)
        for s in range(city.n_streets):
            StreetOffice(self, s, city.street_station(s))
        for d in range(city.n_districts):
            for k, name in enumerate(city.department_names):
                Department(self, name, d, city.department_station(d, k), cfg.departments[name])

    @property
    def grid_patrol_rate(self) -> np.ndarray:
        """Rate at which patrols find a given unreported case in each grid."""
        return self.discovery.patrol_rate

    def update_patrol_rates(self) -> None:
        """Each grid's discovery rate again from its grid workers' patrol rates."""
        self.discovery.patrol_from(self.agents_by_type[GridWorker])

    @property
    def mechanism_label(self) -> str:
        """Names of the active mechanisms, joined by '+' (in registry order)."""
        return "+".join(m.name for m in self.mechanisms)

    @property
    def departments(self) -> list[Department]:
        """The departments, in station order."""
        return sorted(self.agents_by_type[Department], key=lambda d: d.station)

    @property
    def reforming(self) -> bool:
        """Whether a reform acts today: a mechanism that declares something is rolled out."""
        return any(
            intensity > 0.0 and mechanism.points
            for mechanism, intensity in zip(self.mechanisms, self.intensity, strict=True)
        )

    def _intensities(self) -> dict[str, float]:
        """Each mechanism's roll-out intensity today, by name."""
        return {m.name: i for m, i in zip(self.mechanisms, self.intensity, strict=True)}

    # ----------------------------------------------------------------- one day
    def step(self) -> None:
        """Advance one day: its steps (:attr:`DAY`) in order."""
        for name in self.DAY:
            getattr(self, name)()

    def begin_day(self) -> None:
        """At the end of the warm-up, the stations' measures start afresh."""
        if self.day == self.reform_day + self.config.warmup_days > 0:
            self.stations.reset_statistics(float(self.day))

    def apply_schedule(self) -> None:
        """The lever changes scheduled for today (:mod:`govsim.model.schedule`)."""
        if self._schedule:
            apply_changes(self, self._schedule, self.day - self.reform_day, self._treatment)

    def declare(self) -> None:
        """The mechanisms' levers, joint-handling offers and mediation ladder for today."""
        e = self.engine
        levers = e.levers
        levers.reset()
        reform_day = self.day - self.reform_day
        for k, mechanism in enumerate(self.mechanisms):
            intensity = mechanism.intensity(reform_day)
            self.intensity[k] = intensity
            if intensity > 0.0:
                mechanism.apply(levers, intensity, reform_day)
        intensity = self._intensities()
        e.offers = [m.joint_handling(levers) for m in self._offering]
        e.offer_intensity = [intensity[m.name] for m in self._offering]
        if self._ladder is not None:
            e.ladder = self._ladder.ladder()
            e.ladder_intensity = intensity[self._ladder.name]

    def rank(self) -> None:
        """Rankings due today, their pressure on each unit; ranked units' staff follow it."""
        self.rankings.rank(self.day, self._intensities())

    def decide(self) -> None:
        """Each department and street office turns its pressure into today's decisions."""
        for dept in self.agents_by_type[Department]:
            dept.decide(self.engine)
        for office in self.agents_by_type[StreetOffice]:
            office.decide(self.engine)

    def arise(self) -> np.ndarray:
        """Let the day's cases arise among residents; their ids (:mod:`~.arrivals`)."""
        self._arisen = self.arrivals.arise(self.day, self.ledger)
        return self._arisen

    def discover(self) -> None:
        """Decide when and how the day's new cases become known (:mod:`~.discovery`)."""
        self.admit(self._arisen)

    def admit(self, ids: np.ndarray) -> None:
        """Decide for new cases when and how they become known, or escalate unknown.

        The discovery race (:meth:`govsim.model.discovery.Discovery.admit`).
        """
        self.discovery.admit(ids, self.engine, self.residents, self.demand)

    def handle(self) -> None:
        """Process the day's events; keep the jobs finished and the cases closed today."""
        before = self.stations.completions.copy()
        run_until(self.engine, self.day + 1.0)
        self._finished = self.stations.completions - before
        self._closed, self._scores = self.engine.take_closed()

    def mark_overdue(self) -> None:
        """Open cases unanswered past their time limit become overdue, each once."""
        self._due = self._overdue.mark(self.ledger, self.day + 1.0)

    def learn(self) -> None:
        """Staff learn the reformed work; residents learn from closed and overdue cases."""
        self.learning.teach_staff(self._finished, self.engine.station_time, self.reforming)
        self.learning.teach_residents(
            self.residents, self.ledger, self._closed, self._scores, self._due
        )

    def supervise(self) -> None:
        """Overdue hotline cases go under supervision (督办, their roll-out share)."""
        self.supervision.supervise(self.engine, self.day + 1.0, self._due, self._intensities())

    def end_day(self) -> None:
        """The day ends: the daily series are collected; the run stops after its last day."""
        self.day += 1
        self.datacollector.collect(self)
        if self.day >= self.total_days:
            self.running = False

    def drain(self) -> None:
        """Process every remaining event (for queueing checks: all cases complete)."""
        run_until(self.engine, math.inf)
