"""The engine's state: everything the event handlers read and write, as flat data.

One :class:`EngineState` holds the case ledger, the stations, the calendar, the parameter
tables, the day's levers and the mechanisms' declared data for the day (joint-handling
offers in precedence order, the mediation ladder, the venue map), plus running counters.
The handlers (:mod:`govsim.model.service`, :mod:`~govsim.model.clocks`,
:mod:`~govsim.model.routing`, :mod:`~govsim.model.escalation`,
:mod:`~govsim.model.closing`) are compiled functions of :meth:`EngineState.flat`: the same
state as one named tuple of numpy arrays, each named once (the ledger's columns where the
ledger declares them, :data:`govsim.model.ledger._COLUMNS`), with the running counts, the
day's levers and the city's behaviour at the indices named below.
"""

from __future__ import annotations

import hashlib
from collections import namedtuple
from collections.abc import Callable, Iterable
from dataclasses import fields
from functools import cache
from operator import attrgetter, is_

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
from govsim.model.tables import CaseTypeTable, case_type_table, handling_shapes
from govsim.model.worktime import WorkingTime

__all__ = [
    "COUNT",
    "COUNTS",
    "LATENT_STAGE",
    "LEVER",
    "PARAM",
    "SUM",
    "SUMS",
    "Counters",
    "EngineState",
]

LATENT_STAGE = 5
"""Index of the latent (not yet known) stage in :attr:`Counters.by_stage`."""


def _indices(name: str, names: Iterable[str]) -> tuple:
    """A named tuple of each name's index, 0, 1, ...: ``_indices("Count", COUNTS).arisen``.

    Compiled code reads a module's named tuple of integers as a constant, as it does a global
    integer.
    """
    names = tuple(names)
    return namedtuple(name, names)(*range(len(names)))


COUNTS = (
    "arisen",
    "resolved",
    "true_resolved",
    "reopened",
    "settled_at_or_below_street",
    "handled_at_or_below_street",
    "unresolved",
    "responded",
    "escalated_above_street",
    "petitions",
    "collective_incidents",
    "whistles",
    "joint_parts",
    "joint_deadline_breaches",
    "supervised",
    "bounces",
    "satisfied",
    "closed_today",
    "known",
    "patrol_found",
    "reported",
    "whistled_parts",
    "whistle_answers",
)
"""The running counts, in the order of :attr:`Counters.counts`."""
COUNT = _indices("Count", COUNTS)
"""Each running count's index in :attr:`Counters.counts` (``COUNT.arisen``)."""
SUMS = (
    "satisfaction_sum",
    "resolution_days_sum",
    "arisen_time_sum",
    "true_resolved_arisen_time_sum",
)
SUM = _indices("Sum", SUMS)
"""Each running sum's index in :attr:`Counters.sums`."""

LEVER = _indices("Lever", (f.name for f in fields(Levers)))
"""Each lever's index in the state's ``levers``: the fields of :class:`Levers`, in their order."""

_PARAMS: dict[str, Callable[[CityConfig], float]] = {
    "above_resolves": lambda c: 1.0 - c.above_unresolved_prob,
    "severity_growth": lambda c: c.severity_growth_per_day,
    "department_overload": lambda c: c.department_overload_sensitivity,
    "department_deflection": lambda c: c.department_deflection_sensitivity,
    "street_deflection": lambda c: c.street_deflection_sensitivity,
    "cross_region_delay": lambda c: c.cross_region_delay_days,
    "half_life": lambda c: c.residents.satisfaction_half_life_days,
    "handoff_keep": lambda c: 1.0 - c.residents.handoff_satisfaction_penalty,
    "repeat_call_days": lambda c: c.residents.repeat_call_days,
    "halving": lambda _c: 0.5,
    "repeat_call_share": lambda c: c.residents.repeat_call_share,
}
"""The city's behaviour that compiled code reads (the state's ``params``), each from the city's
configuration."""
PARAM = _indices("Param", _PARAMS)
"""Each of the city's behaviours' index in the state's ``params``."""

_OWN = (
    "station_level",
    "street_station",
    "community_station",
    "above_station",
    "grid_community",
    "station_time",
    "shape_power",
    "shape_scale",
    "bounce_prob",
    "response_delay",
    "join_factor",
    "street_failure",
    "gaming",
    "declining",
    "hotline_first",
    "venue",
    "params",
    "joint_parts",
    "deadline_breaches",
    "bounced",
    "whistles",
)
"""The state's arrays that are fields of :meth:`EngineState.flat` under their own names."""


@cache
def _flat_type(names: tuple[str, ...]) -> type:
    """The named tuple of the state's fields ``names`` (one type per set of fields).

    Kept in this module under a name of its own, so that Numba's disk cache, which pickles
    the argument types of :func:`~govsim.model.compiled.pack`, refers to it by that name and
    finds the compiled code again in another process.
    """
    name = "Flat_" + hashlib.sha256(" ".join(names).encode()).hexdigest()[:12]
    flat = namedtuple(name, names)
    globals()[name] = flat
    return flat


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
    or petitioned), ``patrol_found`` those a patrol found first; ``whistled_parts`` the
    department parts of whistled cases, ``whistle_answers`` those whose department answered
    the whistle (报到). ``arisen_time_sum`` sums
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
            return int(self.counts[getattr(COUNT, name)])
        if name in SUMS:
            return float(self.sums[getattr(SUM, name)])
        raise AttributeError(name)

    @property
    def open(self) -> int:
        """Cases arisen and not closed, latent ones included."""
        return self.arisen - self.resolved - self.unresolved


def _fits(kept: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> bool:
    """Whether ``new`` arrays can be copied into ``kept`` ones (same names and lengths)."""
    return kept.keys() == new.keys() and all(len(kept[k]) == len(new[k]) for k in new)


def _copy(kept: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> None:
    for name, source in new.items():
        kept[name][:] = source


_lever_values = attrgetter(*(f.name for f in fields(Levers)))
"""Every lever's value, in the order of :class:`Levers`' fields."""


class EngineState:
    """The state the event handlers share (see the module docstring).

    Arrays are changed in place; an attribute rebound to a new array is picked up too (the
    state is packed again: see :meth:`compiled`). The case-type tables are read once, when the
    state is built.

    Args:
        city: the city.
        ledger: the run's case ledger.
        stations: the city's stations.
        days: days the run lasts (the stations' working calendar is laid out beyond them).

    """

    def __init__(self, city: City, ledger: CaseLedger, stations: Stations, days: int = 366) -> None:
        cfg: CityConfig = city.config
        n = len(stations)
        self._bundle: BundleProxy | None = None
        self._packed: tuple = ()
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
        self.street_station = np.array(
            [city.street_station(s) for s in range(city.n_streets)], dtype=np.int64
        )
        self.community_station = np.array(
            [city.community_station(c) for c in range(city.n_communities)], dtype=np.int64
        )
        self.above_station = np.array(
            [city.above_station(d) for d in range(city.n_districts)], dtype=np.int64
        )
        self.grid_community = city.grid_community.astype(np.int64)
        self.station_time = city.station_time.astype(float)
        """Each station's handling time relative to the case type's (a town's own speed)."""
        self.shape_power, self.shape_scale = handling_shapes(city)
        """1 / k and Γ(1 + 1/k) of each level's handling-time shape, then joint jobs'
        (:func:`govsim.model.tables.handling_shapes`)."""
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
        self._declared: tuple = ()
        """The declarations last copied into the arrays (offers, their intensities, ladder
        and its intensity)."""
        self._offers: dict[str, np.ndarray] = {}
        self._ladder: dict[str, np.ndarray] = {}
        self._ladder_intensity = np.zeros(1)
        self._tables = self._table_arrays()
        self.params = np.array([value(cfg) for value in _PARAMS.values()], dtype=float)
        """The city's behaviour (indices: :data:`PARAM`)."""
        # Results.
        self.counters = Counters()
        self.joint_parts = np.zeros(n, dtype=np.int64)
        self.deadline_breaches = np.zeros(n, dtype=np.int64)
        self.bounced = np.zeros(n, dtype=np.int64)
        self.whistles = np.zeros(city.n_streets, dtype=np.int64)
        self._closed = np.zeros(1024, dtype=np.int64)
        self._closed_scores = np.zeros(1024, dtype=np.float32)

    def take_closed(self) -> tuple[np.ndarray, np.ndarray]:
        """The cases closed since the last call (in order of closing), forgetting them.

        With each closure, the resident's satisfaction at that moment: a case closed without
        being solved may be open again by the time it is read (the resident called again).
        """
        counts = self.counters.counts
        k = counts[COUNT.closed_today]
        closed, scores = self._closed[:k].copy(), self._closed_scores[:k].copy()
        counts[COUNT.closed_today] = 0
        return closed, scores

    def make_room(self, events: int, jobs: int, closures: int) -> None:
        """Grow the calendar, the job pool and the closures' buffer for what may come."""
        if self.calendar.room < events:
            self.calendar.grow(events)
        if self.stations.room < jobs:
            self.stations.grow(jobs)
        free = len(self._closed) - int(self.counters.counts[COUNT.closed_today])
        if free < closures:
            size = 2 * len(self._closed) + closures
            for name in ("_closed", "_closed_scores"):
                kept = getattr(self, name)
                grown = np.zeros(size, dtype=kept.dtype)
                grown[: len(kept)] = kept
                setattr(self, name, grown)

    def _table_arrays(self) -> dict[str, np.ndarray]:
        """The case-type tables as arrays (the ``t_`` fields of :meth:`flat`)."""
        table = self.table
        return {
            "t_service": np.asarray(table.service_days, dtype=float),
            "t_joint": np.asarray(table.joint_days, float),
            "t_street_entry": np.asarray(table.street_entry, float),
            "t_community_entry": np.asarray(table.community_entry, float),
            "t_grid_settle": np.asarray(table.grid_settle, float),
            "t_mediable": np.asarray(table.mediable, bool),
            "t_mediation_settle": np.asarray(table.mediation_settle, float),
            "t_street_settle": np.asarray(table.street_settle, float),
            "t_escalation": np.asarray(table.escalation_rate, float),
            "t_collective": np.asarray(table.collective, float),
            "t_rank": np.array([self._rank_of[p] for p in table.priority], dtype=np.int64),
            "t_time_limit": np.asarray(table.time_limit, float),
            "t_parts": np.asarray(table.parts, np.int64),
            "t_part_station": table.part_station,
        }

    def _declare(self) -> None:
        """Copy the day's levers and the mechanisms' declarations into the arrays.

        The declarations' arrays are made again only when they differ from the last copied.
        """
        self._levers[:] = _lever_values(self.levers)
        offers = self.offers
        day = (
            tuple(offers),
            tuple(self.offer_intensity),
            tuple(self.ladder),
            self.ladder_intensity,
        )
        if day == self._declared:
            return
        self._declared = day
        declared = {
            "offer_join": np.array([o.join_probability for o in offers], dtype=float),
            "offer_deadline": np.array([o.deadline_days for o in offers], dtype=float),
            "offer_min": np.array([o.min_departments for o in offers], dtype=np.int64),
            "offer_hotline_only": np.array([o.hotline_only for o in offers], dtype=bool),
            "offer_whistle": np.array([o.whistle for o in offers], dtype=bool),
            "offer_needs_joiner": np.array([o.needs_a_joiner for o in offers], dtype=bool),
            "offer_intensity": np.array(self.offer_intensity, dtype=float),
        }
        ladder = {
            "ladder_level": np.array([int(r.level) for r in self.ladder], dtype=np.int64),
            "ladder_success": np.array([r.success for r in self.ladder], dtype=float),
            "ladder_mean": np.array([r.mean_days for r in self.ladder], dtype=float),
        }
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

        Packed again only when one of its arrays is not the one packed last (an attribute
        rebound, a declaration of another length, an array grown by the ledger, calendar or
        stations); otherwise the same bundle, whose arrays the Python side changes in place.
        """
        self._declare()
        view = self.flat()
        kept = self._packed
        if self._bundle is None or type(view) is not type(kept) or not all(map(is_, view, kept)):
            self._bundle = pack(view)
            self._packed = view
        return self._bundle

    def flat(self) -> tuple:
        """The state as a named tuple of its arrays (shared, not copied).

        Its fields are named once, here and in the ledger's declaration of its columns
        (:class:`govsim.model.ledger.Column`), and the compiled handlers read them by name.
        """
        led, st, cal, counters = self.ledger, self.stations, self.calendar, self.counters
        capacity, before = self._working
        named = {
            **led.engine_view(),
            "overflow_key": led.overflow_key,
            "ev_time": cal.time,
            "ev_order": cal.order,
            "ev_data": cal.data,
            "ev_meta": cal.meta,
            "st_servers": st.servers,
            "st_busy": st.busy,
            "st_held": st.held,
            "st_staff_days": st.staff_days,
            "st_last": st.last,
            "st_held_area": st.held_area,
            "st_busy_area": st.busy_area,
            "st_arrivals": st.arrivals,
            "st_completions": st.completions,
            "q_head": st.head,
            "q_tail": st.tail,
            "q_next": st.job_next,
            "q_data": st.job_data,
            "q_queued": st.job_queued,
            "q_pool": st.pool,
            **self._tables,
            **{name: getattr(self, name) for name in _OWN},
            "levers": self._levers,
            **self._offers,
            **self._ladder,
            "ladder_intensity": self._ladder_intensity,
            "wt": self.working_time.table,
            "wt_capacity": capacity,
            "wt_before": before,
            "counts": counters.counts,
            "sums": counters.sums,
            "by_stage": counters.by_stage,
            "closed_buffer": self._closed,
            "closed_scores": self._closed_scores,
        }
        return _flat_type(tuple(named))._make(named.values())
