"""The engine's state: everything the event handlers read and write, as flat data.

One :class:`EngineState` holds the case ledger, the stations, the calendar, the parameter
tables, the day's levers and the mechanisms' declared data for the day (joint-handling
offers in precedence order, the mediation ladder, the venue map), plus running counters.
The handlers (:mod:`govsim.model.service`, :mod:`~govsim.model.clocks`,
:mod:`~govsim.model.routing`, :mod:`~govsim.model.escalation`,
:mod:`~govsim.model.closing`) are compiled functions of :meth:`EngineState.flat`: the same
state as one named tuple of numpy arrays (its fields: :data:`FIELDS`), with the running
counts, the day's levers and the city's behaviour at the indices named below.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import fields

import numpy as np

from govsim.city.build import City
from govsim.city.levels import Level
from govsim.config.schema import CityConfig
from govsim.mechanisms.base import JointHandling, Rung
from govsim.mechanisms.levers import Levers
from govsim.model.compiled import BundleProxy, pack
from govsim.model.events import Calendar
from govsim.model.ledger import CaseLedger
from govsim.model.stations import Stations
from govsim.model.tables import CaseTypeTable, case_type_table
from govsim.model.worktime import WorkingTime

__all__ = ["COUNTS", "FIELDS", "LATENT_STAGE", "Counters", "EngineState", "Flat"]

LATENT_STAGE = 5
"""Index of the latent (not yet known) stage in :attr:`Counters.by_stage`."""

COUNTS = ("arisen", "resolved", "true_resolved", "reopened", "settled_at_or_below_street",
          "handled_at_or_below_street", "unresolved", "responded", "escalated_above_street",
          "petitions", "collective_incidents", "whistles", "joint_parts",
          "joint_deadline_breaches", "supervised", "bounces", "satisfied", "closed_today",
          "known", "patrol_found", "reported")
"""The running counts, in the order of :attr:`Counters.counts`."""
(ARISEN, RESOLVED, TRUE_RESOLVED, REOPENED, SETTLED_LOW, HANDLED_LOW, UNRESOLVED, RESPONDED,
 ESCALATED, PETITIONS, COLLECTIVE, WHISTLES, JOINT_PARTS, BREACHES, SUPERVISED, BOUNCES,
 SATISFIED, CLOSED_TODAY, KNOWN, PATROL_FOUND, REPORTED) = range(len(COUNTS))
SUMS = ("satisfaction_sum", "resolution_days_sum", "arisen_time_sum",
        "true_resolved_arisen_time_sum")
SATISFACTION_SUM, RESOLUTION_DAYS_SUM, ARISEN_TIME_SUM, RESOLVED_ARISEN_SUM = range(len(SUMS))

_LEVER = {f.name: k for k, f in enumerate(fields(Levers))}
(L_GRID_FAILURE, L_MEDIATION_FAILURE, L_STREET_FAILURE, L_ESCALATION, L_DISPUTE_ESCALATION,
 L_BOUNCE, L_RESPONSE_DELAY, L_GRID_TIME, L_COMMUNITY_TIME, L_DEPARTMENT_TIME,
 L_CROSS_REGION_DELAY, L_MISROUTING, L_MISROUTING_WEIGHT, L_CALLBACK, L_CALLBACK_DAYS,
 L_AUDIT, L_AUDIT_DAYS) = (
    _LEVER[name] for name in (
        "grid_failure", "mediation_failure", "street_failure", "escalation",
        "dispute_escalation", "bounce", "response_delay", "grid_time", "community_time",
        "department_time", "cross_region_delay", "misrouting", "misrouting_weight",
        "callback", "callback_days", "audit", "audit_days"))

PARAMS = ("above_resolves", "severity_growth", "department_overload",
          "department_deflection", "street_deflection", "cross_region_delay", "half_life",
          "handoff_keep", "repeat_call_days", "halving", "repeat_call_share")
"""The city's behaviour, in the order of ``Flat.params``."""
(P_ABOVE_RESOLVES, P_SEVERITY_GROWTH, P_DEPARTMENT_OVERLOAD, P_DEPARTMENT_DEFLECTION,
 P_STREET_DEFLECTION, P_CROSS_REGION_DELAY, P_HALF_LIFE, P_HANDOFF_KEEP,
 P_REPEAT_CALL_DAYS, P_HALVING, P_REPEAT_CALL_SHARE) = range(len(PARAMS))

_LEDGER_FIELDS = (
    "case_type", "grid", "street", "district", "serial", "arisen", "known", "closed",
    "petitioned_at", "status", "level", "stage", "station", "channel", "escalated",
    "petitioned", "whistled",
    "supervised", "true_resolved", "reopened", "joint", "via_hotline", "cross_region",
    "cross_waited", "collective", "reached_above", "mediated", "handled_above", "bounces",
    "handoffs", "joint_pending", "joint_deadline", "offer", "rung", "waiting", "clock_due",
    "token", "answer_due", "overdue", "satisfaction", "satisfied", "wait_days", "queued_at",
    "staff_days", "u_settle_grid", "u_settle_community", "u_settle_street", "u_settle_above",
    "u_rollout", "u_satisfied", "u_entry", "part_state", "part_token", "draws", "drawn")

FIELDS = (
    *_LEDGER_FIELDS, "overflow_key",
    # calendar
    "ev_time", "ev_order", "ev_data", "ev_meta",
    # stations and their queues
    "st_servers", "st_busy", "st_held", "st_staff_days", "st_last", "st_held_area",
    "st_busy_area", "st_arrivals", "st_completions", "q_head", "q_tail", "q_next", "q_data",
    "q_queued", "q_pool",
    # case-type tables
    "t_service", "t_joint", "t_street_entry", "t_community_entry", "t_grid_settle",
    "t_mediable",
    "t_mediation_settle",
    "t_street_settle", "t_escalation", "t_collective", "t_rank", "t_time_limit", "t_parts",
    "t_part_station",
    # the city's layout
    "station_level", "street_station", "community_station", "above_station",
    "grid_community", "station_time",
    # units' decisions
    "bounce_prob", "response_delay", "join_factor", "street_failure", "gaming",
    "declining", "hotline_first",
    # the day's declarations
    "levers", "offer_join", "offer_deadline", "offer_min", "offer_hotline_only",
    "offer_whistle", "offer_needs_joiner", "offer_intensity", "ladder_level",
    "ladder_success", "ladder_mean", "ladder_intensity", "venue",
    # the city's behaviour and its stations' working hours
    "params", "wt", "wt_capacity", "wt_before",
    # results
    "counts", "sums", "by_stage", "joint_parts", "deadline_breaches", "bounced", "whistles",
    "closed_buffer", "closed_scores",
)
"""Fields of :class:`Flat`."""

Flat = namedtuple("Flat", FIELDS)
"""The engine's state as the compiled handlers see it (see the module docstring)."""

WORKING_YEARS_AHEAD = 10
"""Years of stations' working calendar laid out beyond a run's days (a job ending later is
refused)."""


class Counters:
    """Running totals of a run over all cases, updated event by event.

    Each name of :data:`COUNTS` and ``satisfaction_sum``, ``resolution_days_sum`` reads as
    an attribute. ``resolved`` counts the cases closed as resolved now (cases closed without
    being solved included, until a check reopens them), ``reported`` the cases in the
    units' books as resolved: each case once from its first closure as resolved, a closure
    without a fix kept even after a callback, an audit or a repeat call reopened it;
    ``true_resolved`` those truly solved; ``reopened`` the cases reopened at least once;
    ``settled_at_or_below_street`` truly resolved cases with the venue at the grid,
    community or street (joint handling included), ``handled_at_or_below_street`` those
    with no staff above the street having worked on them; ``responded`` cases closed by the
    time their answer was due; ``supervised`` joint parts and overdue hotline cases put
    under supervision (督办); ``known`` cases that became known (reported, found on patrol
    or petitioned), ``patrol_found`` those a patrol found first. ``arisen_time_sum`` sums
    the times the cases arose, ``true_resolved_arisen_time_sum`` those of the truly
    resolved cases (the days the unresolved ones have waited follow from them).
    """

    def __init__(self) -> None:
        self.counts = np.zeros(len(COUNTS), dtype=np.int64)
        self.sums = np.zeros(len(SUMS))
        self.by_stage = np.zeros(6, dtype=np.int64)
        """Open cases by stage (``Level``; index 5: latent)."""

    def __getattr__(self, name: str) -> int | float:
        if name in COUNTS:
            return int(self.counts[COUNTS.index(name)])
        if name in SUMS:
            return float(self.sums[SUMS.index(name)])
        raise AttributeError(name)

    @property
    def open(self) -> int:
        """Cases arisen and not closed, latent ones included."""
        return self.arisen - self.resolved - self.unresolved


_BUNDLED = frozenset({
    "ledger", "stations", "calendar", "station_level", "street_station", "community_station",
    "above_station", "grid_community", "station_time", "bounce_prob", "response_delay",
    "join_factor", "street_failure", "gaming", "declining", "hotline_first", "venue", "params",
    "counters", "joint_parts", "deadline_breaches", "bounced", "whistles", "_closed",
    "_closed_scores", "_offers", "_ladder"})
"""Attributes whose arrays compiled code holds: rebinding one makes the state pack again."""


def _fits(kept: tuple[np.ndarray, ...], new: tuple[np.ndarray, ...]) -> bool:
    """Whether ``new`` arrays can be copied into ``kept`` ones (same lengths)."""
    return len(kept) == len(new) and all(len(a) == len(b) for a, b in zip(kept, new,
                                                                          strict=True))


def _copy(kept: tuple[np.ndarray, ...], new: tuple[np.ndarray, ...]) -> None:
    for target, source in zip(kept, new, strict=True):
        target[:] = source


class EngineState:
    """The state the event handlers share (see the module docstring).

    Arrays are changed in place; an attribute rebound to a new array is picked up too (the
    state is packed again). The case-type tables are read once, when the state is built.

    Args:
        city: the city.
        ledger: the run's case ledger.
        stations: the city's stations.
        days: days the run lasts (the stations' working calendar is laid out beyond them).

    """

    def __init__(self, city: City, ledger: CaseLedger, stations: Stations,
                 days: int = 366) -> None:
        cfg: CityConfig = city.config
        n = len(stations)
        self._bundle: BundleProxy | None = None
        self.city = city
        self.ledger = ledger
        self.stations = stations
        self.calendar = Calendar()
        self.table: CaseTypeTable = case_type_table(city)
        ranks = sorted({0, *self.table.priority})
        self._rank_of = {value: k for k, value in enumerate(ranks)}
        stations.rank_queues(len(ranks))
        self.working_time = WorkingTime(cfg.calendar)
        """When a station's job ends, given its opening hours (:mod:`govsim.model.worktime`)."""
        self._working = self.working_time.lay_out(days + WORKING_YEARS_AHEAD * 366)
        self.levers = Levers()
        self.station_level = city.station_level.astype(np.int64)
        self.street_station = np.array([city.street_station(s) for s in range(city.n_streets)],
                                       dtype=np.int64)
        self.community_station = np.array(
            [city.community_station(c) for c in range(city.n_communities)], dtype=np.int64)
        self.above_station = np.array([city.above_station(d) for d in range(city.n_districts)],
                                      dtype=np.int64)
        self.grid_community = city.grid_community.astype(np.int64)
        self.station_time = city.station_time.astype(float)
        """Each station's handling time relative to the case type's (a town's own speed)."""
        # Units' decisions, per station (written daily by the Department and StreetOffice
        # agents from their standing in the rankings).
        self.bounce_prob = np.zeros(n)
        self.response_delay = np.zeros(n)
        self.join_factor = np.ones(n)
        """Factor on the probability that a department joins a case at the street."""
        self.street_failure = np.ones(n)
        """Factor on the failure of a street office to settle a case alone."""
        self.gaming = np.zeros(n)
        """Probability that a unit closes a case as resolved without solving it."""
        self.declining = np.zeros(n)
        """Probability that a street office declines a case it cannot settle alone."""
        self.hotline_first = np.zeros(n, dtype=bool)
        """Whether a department serves hotline cases before its own priorities."""
        # Rankings (考核): each unit's pressure, 0 (top) to 1 (bottom), and the effort and
        # gaming it implies, combined over the active rankings.
        self.pressure = np.zeros(n)
        self.effort = np.zeros(n)
        self.gaming_pressure = np.zeros(n)
        self.declining_pressure = np.zeros(n)
        # The mechanisms' declared data for the day (set by the model).
        self.offers: list[JointHandling] = []
        self.offer_intensity: list[float] = []
        self.ladder: tuple[Rung, ...] = ()
        self.ladder_intensity = 0.0
        self.venue = np.array(list(Level), dtype=np.int64)
        """Venue at which a resolution at each level is recorded (identity unless relabelled)."""
        self._levers = np.zeros(len(fields(Levers)))
        self._offers: tuple[np.ndarray, ...] = ()
        self._ladder: tuple[np.ndarray, ...] = ()
        self._ladder_intensity = np.zeros(1)
        self._tables = self._table_arrays()
        self._shape: tuple = ()
        residents = cfg.residents
        self.params = np.array([
            1.0 - cfg.above_unresolved_prob, cfg.severity_growth_per_day,
            cfg.department_overload_sensitivity, cfg.department_deflection_sensitivity,
            cfg.street_deflection_sensitivity, cfg.cross_region_delay_days,
            residents.satisfaction_half_life_days, 1.0 - residents.handoff_satisfaction_penalty,
            residents.repeat_call_days, 0.5, residents.repeat_call_share], dtype=float)
        """The city's behaviour (names: :data:`PARAMS`)."""
        # Results.
        self.counters = Counters()
        self.joint_parts = np.zeros(n, dtype=np.int64)
        self.deadline_breaches = np.zeros(n, dtype=np.int64)
        self.bounced = np.zeros(n, dtype=np.int64)
        self.whistles = np.zeros(city.n_streets, dtype=np.int64)
        self._closed = np.zeros(1024, dtype=np.int64)
        self._closed_scores = np.zeros(1024, dtype=np.float32)

    def __setattr__(self, name: str, value: object) -> None:
        super().__setattr__(name, value)
        if name in _BUNDLED:
            super().__setattr__("_bundle", None)

    def take_closed(self) -> tuple[np.ndarray, np.ndarray]:
        """The cases closed since the last call (in order of closing), forgetting them.

        With each closure, the resident's satisfaction at that moment: a case closed without
        being solved may be open again by the time it is read (the resident called again).
        """
        counts = self.counters.counts
        k = counts[CLOSED_TODAY]
        closed, scores = self._closed[:k].copy(), self._closed_scores[:k].copy()
        counts[CLOSED_TODAY] = 0
        return closed, scores

    def make_room(self, events: int, jobs: int, closures: int) -> None:
        """Grow the calendar, the job pool and the closures' buffer for what may come."""
        if self.calendar.room < events:
            self.calendar.grow(events)
        if self.stations.room < jobs:
            self.stations.grow(jobs)
        free = len(self._closed) - int(self.counters.counts[CLOSED_TODAY])
        if free < closures:
            size = 2 * len(self._closed) + closures
            for name in ("_closed", "_closed_scores"):
                kept = getattr(self, name)
                grown = np.zeros(size, dtype=kept.dtype)
                grown[: len(kept)] = kept
                setattr(self, name, grown)

    def _table_arrays(self) -> tuple[np.ndarray, ...]:
        """The case-type tables as arrays (the ``t_`` fields of :class:`Flat`)."""
        table = self.table
        return (
            np.asarray(table.service_days, dtype=float), np.asarray(table.joint_days, float),
            np.asarray(table.street_entry, float), np.asarray(table.community_entry, float),
            np.asarray(table.grid_settle, float),
            np.asarray(table.mediable, bool),
            np.asarray(table.mediation_settle, float), np.asarray(table.street_settle, float),
            np.asarray(table.escalation_rate, float), np.asarray(table.collective, float),
            np.array([self._rank_of[p] for p in table.priority], dtype=np.int64),
            np.asarray(table.time_limit, float), np.asarray(table.parts, np.int64),
            table.part_station)

    def _declare(self) -> None:
        """Copy the day's levers and the mechanisms' declarations into the arrays."""
        self._levers[:] = [getattr(self.levers, f.name) for f in fields(Levers)]
        offers = self.offers
        declared = (
            np.array([o.join_probability for o in offers], dtype=float),
            np.array([o.deadline_days for o in offers], dtype=float),
            np.array([o.min_departments for o in offers], dtype=np.int64),
            np.array([o.hotline_only for o in offers], dtype=bool),
            np.array([o.whistle for o in offers], dtype=bool),
            np.array([o.needs_a_joiner for o in offers], dtype=bool),
            np.array(self.offer_intensity, dtype=float))
        ladder = (np.array([int(r.level) for r in self.ladder], dtype=np.int64),
                  np.array([r.success for r in self.ladder], dtype=float),
                  np.array([r.mean_days for r in self.ladder], dtype=float))
        if _fits(self._offers, declared):
            _copy(self._offers, declared)
        else:
            self._offers = declared
        if _fits(self._ladder, ladder):
            _copy(self._ladder, ladder)
        else:
            self._ladder = ladder
        self._ladder_intensity[0] = self.ladder_intensity

    def compiled(self) -> BundleProxy:
        """The state for compiled handlers, with today's declarations.

        Packed again only when an array was replaced: rebound here (see ``__setattr__``:
        a declaration of another length, the closures' buffer grown) or grown by the
        ledger, calendar or stations; otherwise the same bundle, whose arrays the Python
        side changes in place.
        """
        self._declare()
        shape = (id(self.ledger.status), id(self.calendar.time), id(self.stations.job_next))
        if self._bundle is None or shape != self._shape:
            self._bundle = pack(self.flat())
            self._shape = shape
        return self._bundle

    def flat(self) -> Flat:
        """The state as a named tuple of its arrays (shared, not copied)."""
        led, st, cal = self.ledger, self.stations, self.calendar
        capacity, before = self._working
        return Flat(
            *(getattr(led, name) for name in _LEDGER_FIELDS[:-2]), led.draws, led.drawn,
            led.overflow_key,
            cal.time, cal.order, cal.data, cal.meta,
            st.servers, st.busy, st.held, st.staff_days, st.last, st.held_area, st.busy_area,
            st.arrivals, st.completions, st.head, st.tail, st.job_next, st.job_data,
            st.job_queued, st.pool,
            *self._tables,
            self.station_level, self.street_station, self.community_station,
            self.above_station, self.grid_community, self.station_time,
            self.bounce_prob, self.response_delay, self.join_factor, self.street_failure,
            self.gaming, self.declining, self.hotline_first,
            self._levers, *self._offers, *self._ladder, self._ladder_intensity, self.venue,
            self.params, self.working_time.table, capacity, before,
            self.counters.counts, self.counters.sums, self.counters.by_stage, self.joint_parts,
            self.deadline_breaches, self.bounced, self.whistles, self._closed,
            self._closed_scores,
        )
