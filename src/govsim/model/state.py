"""The engine's state: everything the event handlers read and write, as flat data.

One :class:`EngineState` holds the case ledger, the stations, the calendar, the parameter
tables, the day's levers and the mechanisms' declared data for the day (joint-handling
offers in precedence order, the mediation ladder, the venue map), plus running counters.
The handlers (:mod:`govsim.model.service`, :mod:`~govsim.model.clocks`,
:mod:`~govsim.model.routing`, :mod:`~govsim.model.escalation`,
:mod:`~govsim.model.closing`) are plain functions of this state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govsim.city.build import City
from govsim.city.levels import Level
from govsim.config.schema import CityConfig
from govsim.mechanisms.base import JointHandling, Rung
from govsim.mechanisms.levers import Levers
from govsim.model.events import Calendar
from govsim.model.ledger import CaseLedger
from govsim.model.stations import Stations
from govsim.model.tables import CaseTypeTable, case_type_table
from govsim.model.worktime import WorkingTime

__all__ = ["LATENT_STAGE", "Counters", "EngineState"]

LATENT_STAGE = 5
"""Index of the latent (not yet known) stage in :attr:`Counters.by_stage`."""


@dataclass
class Counters:
    """Running totals of a run over all cases, updated event by event."""

    arisen: int = 0
    resolved: int = 0
    """Closed as resolved (as reported: cases closed without being solved included)."""
    true_resolved: int = 0
    """Closed as resolved and truly solved."""
    reopened: int = 0
    """Repeat calls that reopened a case closed without being solved."""
    settled_at_or_below_street: int = 0
    """Truly resolved with the venue at the grid, community or street (joint handling
    included)."""
    handled_at_or_below_street: int = 0
    """Truly resolved with no staff above the street having worked on the case."""
    unresolved: int = 0
    responded: int = 0
    """Closed by the time the answer was due (the time limit of the case type from being
    known, or from the repeat call that reopened it)."""
    escalated_above_street: int = 0
    petitions: int = 0
    collective_incidents: int = 0
    whistles: int = 0
    joint_parts: int = 0
    joint_deadline_breaches: int = 0
    supervised: int = 0
    """Joint parts and overdue hotline cases put under supervision (督办)."""
    bounces: int = 0
    satisfied: int = 0
    satisfaction_sum: float = 0.0
    resolution_days_sum: float = 0.0
    by_stage: list[int] = field(default_factory=lambda: [0] * 6)

    @property
    def open(self) -> int:
        """Cases arisen and not closed, latent ones included."""
        return self.arisen - self.resolved - self.unresolved


class EngineState:
    """The state the event handlers share (see the module docstring)."""

    def __init__(self, city: City, ledger: CaseLedger, stations: Stations) -> None:
        cfg: CityConfig = city.config
        n = len(stations)
        self.city = city
        self.ledger = ledger
        self.stations = stations
        self.calendar = Calendar()
        self.working_time = WorkingTime(cfg.calendar)
        """When a station's job ends, given its opening hours (:mod:`govsim.model.worktime`)."""
        self.table: CaseTypeTable = case_type_table(city)
        self.levers = Levers()
        self.station_level: list[int] = city.station_level.tolist()
        self.street_station = [city.street_station(s) for s in range(city.n_streets)]
        self.community_station = [city.community_station(c) for c in range(city.n_communities)]
        self.above_station = [city.above_station(d) for d in range(city.n_districts)]
        self.grid_community: list[int] = city.grid_community.tolist()
        # Units' decisions, per station (written daily by the Department and StreetOffice
        # agents from their standing in the rankings).
        self.bounce_prob = [0.0] * n
        self.response_delay = [0.0] * n
        self.join_factor = [1.0] * n
        """Factor on the probability that a department joins a case at the street."""
        self.street_failure = [1.0] * n
        """Factor on the failure of a street office to settle a case alone."""
        self.gaming = [0.0] * n
        """Probability that a unit closes a case as resolved without solving it."""
        self.hotline_first = [False] * n
        """Whether a department serves hotline cases before its own priorities."""
        # Rankings (考核): each unit's pressure, 0 (top) to 1 (bottom), and the effort and
        # gaming it implies, combined over the active rankings.
        self.pressure = [0.0] * n
        self.effort = [0.0] * n
        self.gaming_pressure = [0.0] * n
        # The mechanisms' declared data for the day (set by the model).
        self.offers: list[JointHandling] = []
        self.offer_intensity: list[float] = []
        self.ladder: tuple[Rung, ...] = ()
        self.ladder_intensity = 0.0
        self.venue = list(Level)
        """Venue at which a resolution at each level is recorded (identity unless relabelled)."""
        # City behaviour.
        self.above_resolves = 1.0 - cfg.above_unresolved_prob
        self.severity_growth = cfg.severity_growth_per_day
        self.department_overload = cfg.department_overload_sensitivity
        self.department_deflection = cfg.department_deflection_sensitivity
        self.street_deflection = cfg.street_deflection_sensitivity
        self.cross_region_delay = cfg.cross_region_delay_days
        residents = cfg.residents
        self.half_life = residents.satisfaction_half_life_days
        self.handoff_keep = 1.0 - residents.handoff_satisfaction_penalty
        self.repeat_call_days = residents.repeat_call_days
        # Results.
        self.counters = Counters()
        self.joint_parts = [0] * n
        self.deadline_breaches = [0] * n
        self.bounced = [0] * n
        self.whistles = [0] * city.n_streets
        self.closed_today: list[int] = []
