"""A city larger than one core: its districts simulated in parallel, then merged.

Districts (区县) of a govsim city share no state while a run goes on: a street ranks among
the streets of its district and a department among its district's departments; each
district has its own departments, petition office and courts; a cross-region case waits
for its own street's coordination; residents know only residents of their grid; the
hotline dispatches to the grid and holds no city-wide capacity. And the cases of a
district draw from the district's own streams (:mod:`govsim.model.streams`). So a model
that simulates some districts (``GovernanceModel(districts=...)``) holds, for those
districts, exactly the cases, events and records of the whole city's model; there is no
state to exchange between districts during a run, at daily points or otherwise. A
mechanism that coupled districts (a city-wide ranking, a hotline with finite staff) would
break that: ``tests/test_districts.py`` runs the whole city and its districts apart and
compares them, so such a change cannot pass unnoticed.

:func:`simulate` splits the districts into groups of about equal residents, simulates each
group in a process of its own through joblib (loky on this machine; Ray on a cluster, with
``district_backend=ray``) or in a thread of the run's own process (``threads``), and merges
the groups into one :class:`CityRun`, which the outcomes read as they read a model.
Threads share the process's city and its compiled engine, so they pay for no process's
start, imports and build, and no cases cross between processes; they run at once because
the compiled engine and the day's compiled steps release Python's global interpreter lock
(:func:`govsim.model.compiled.compiled`), as do numpy's generators and its operations on
large arrays, leaving only the day's Python to take turns. The groups' models share no
object: each has its own streams, ledger, stations and residents.

A group's cases, counts and per-unit records are taken whole; the merged ledger lists cases
in the order the whole city opens them. Serial and parallel runs give identical results
(the same groups, the same merge); the whole city in one model gives the same cases,
counts and records, and the same sums of floating-point numbers up to the order in which
they were added.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from govsim.city.build import City
from govsim.config.schema import ExperimentConfig
from govsim.model.compiled import compile_seconds
from govsim.model.ledger import COLUMNS, CaseLedger
from govsim.model.model import GovernanceModel
from govsim.model.state import Counters
from govsim.model.stations import Stations
from govsim.model.tables import CaseTypeTable, case_type_table
from govsim.outcomes.daily import DAILY_REPORTERS
from govsim.outcomes.units import DEPARTMENT_RECORDS

__all__ = [
    "CityRun",
    "DistrictGroup",
    "district_groups",
    "merge",
    "opening_order",
    "simulate",
    "simulate_group",
    "station_districts",
]

_STATION_ARRAYS = (
    "busy",
    "held",
    "staff_days",
    "last",
    "held_area",
    "busy_area",
    "arrivals",
    "completions",
)
"""A station's accumulators (:class:`~govsim.model.stations.Stations`), kept per station."""


def station_districts(city: City) -> np.ndarray:
    """The district of every station (grids, communities, streets, departments, above)."""
    return np.concatenate(
        [
            city.grid_district,
            city.street_district[city.community_street],
            city.street_district,
            np.repeat(np.arange(city.n_districts), len(city.department_names)),
            np.arange(city.n_districts),
        ]
    )


def district_groups(city: City, workers: int) -> list[tuple[int, ...]]:
    """The districts in at most ``workers`` groups of consecutive districts.

    Groups hold about equal residents; a district is never split.
    """
    residents = np.bincount(
        city.grid_district, weights=city.grid_residents, minlength=city.n_districts
    )
    groups = min(workers, city.n_districts)
    ends = np.cumsum(residents)
    cuts = np.searchsorted(ends, ends[-1] * np.arange(1, groups) / groups, side="left") + 1
    cuts = np.unique(np.clip(cuts, 1, city.n_districts - 1)) if groups > 1 else cuts[:0]
    return [tuple(int(d) for d in part) for part in np.split(np.arange(city.n_districts), cuts)]


@dataclass
class DistrictGroup:
    """What one process returns for its districts: cases, counters, stations, daily totals."""

    districts: tuple[int, ...]
    day: int
    columns: dict[str, np.ndarray]
    """The ledger's filled columns (``part_state`` included)."""
    counts: np.ndarray
    sums: np.ndarray
    by_stage: np.ndarray
    stations: dict[str, np.ndarray]
    """The stations' accumulators (:data:`_STATION_ARRAYS`) and ``since``."""
    records: dict[str, np.ndarray]
    """Departments' records per station and ``whistles`` per street."""
    trust: np.ndarray
    daily: dict[str, np.ndarray]
    """Per day: ``day``, ``counts``, ``sums``, ``by_stage``, ``staff_days`` and the trust
    summed over the group's residents (``trust_sum``; the model built no others)."""
    compile_seconds: float
    """Seconds its process spent compiling the event engine for it (0: from the cache)."""


def _daily_totals(model: GovernanceModel) -> tuple[Any, ...]:
    """A day's additive totals of a model (the daily series are ratios of their sums)."""
    c = model.engine.counters
    return (
        model.day,
        c.counts.copy(),
        c.sums.copy(),
        c.by_stage.copy(),
        float(model.stations.staff_days.sum()),
        model.residents.trust_sum,
    )


def simulate_group(
    config: ExperimentConfig,
    mechanisms: dict[str, Any],
    replication: int,
    city: City,
    districts: Sequence[int],
) -> DistrictGroup:
    """Run the model of some districts of the city to the end (in this process)."""
    compiling = compile_seconds()
    model = GovernanceModel(
        config, mechanisms, replication, city, {"totals": _daily_totals}, districts=districts
    )
    model.run_model()
    days, counts, sums, by_stage, staff, trust = zip(
        *model.datacollector.model_vars["totals"], strict=True
    )
    led, e, st = model.ledger, model.engine, model.stations
    columns = {name: led.column(name) for name in COLUMNS}  # views: the model ends here
    columns["part_state"] = led.part_state[: len(led)]
    return DistrictGroup(
        districts=model.districts,
        day=model.day,
        columns=columns,
        counts=e.counters.counts.copy(),
        sums=e.counters.sums.copy(),
        by_stage=e.counters.by_stage.copy(),
        stations={
            **{name: getattr(st, name).copy() for name in _STATION_ARRAYS},
            "since": np.array(st.since),
        },
        records={
            **{name: getattr(e, name).copy() for name in DEPARTMENT_RECORDS},
            "whistles": e.whistles.copy(),
        },
        trust=model.residents.trust.copy(),
        daily={
            "day": np.array(days),
            "counts": np.array(counts),
            "sums": np.array(sums),
            "by_stage": np.array(by_stage),
            "staff_days": np.array(staff),
            "trust_sum": np.array(trust),
        },
        compile_seconds=compile_seconds() - compiling,
    )


@dataclass
class CityRun:
    """A finished run of the whole city merged from its district groups.

    Holds what the outcomes (:mod:`govsim.outcomes`) read from a finished model.
    """

    config: ExperimentConfig
    city: City
    day: int
    reform_day: int
    ledger: CaseLedger
    engine: SimpleNamespace
    """``counters``, ``table`` and the units' records, as on the engine's state."""
    stations: Stations
    residents: SimpleNamespace
    """``trust`` of every resident and ``mean_trust``."""
    daily: dict[str, list[Any]]
    """The daily series (:data:`~govsim.outcomes.daily.DAILY_REPORTERS`), by name."""
    compile_seconds: float
    """Seconds the groups' processes spent compiling the event engine for the run."""


def _counters(counts: np.ndarray, sums: np.ndarray, by_stage: np.ndarray) -> Counters:
    counters = Counters()
    counters.counts[:], counters.sums[:], counters.by_stage[:] = counts, sums, by_stage
    return counters


def _by_owner(
    owner: np.ndarray,
    groups: list[DistrictGroup],
    values: list[np.ndarray],
    repeats: np.ndarray | None = None,
) -> np.ndarray:
    """Each entry from the group that simulated its district.

    ``owner`` is the district of each entry, or with ``repeats`` of each run of that many
    entries (a grid's residents).
    """
    out = values[0].copy()
    for group, value in zip(groups[1:], values[1:], strict=True):
        mine = np.isin(owner, group.districts)
        if repeats is not None:
            mine = np.repeat(mine, repeats)
        out[mine] = value[mine]
    return out


def opening_order(groups: list[DistrictGroup]) -> np.ndarray:
    """The order in which the whole city opens the groups' cases, taken one after another.

    The whole city opens cases by the time they arise and, at one time, by district: the
    order of a sort by both. When each group holds its cases in that order and the groups
    follow one another by district, a stable sort by time alone gives it too, at a
    quarter of the cost (a merge of sorted runs); otherwise both keys are sorted.
    """
    arisen = np.concatenate([g.columns["arisen"] for g in groups])
    district = np.concatenate([g.columns["district"] for g in groups])
    if all(a.districts[-1] < b.districts[0] for a, b in itertools.pairwise(groups)) and all(
        _in_opening_order(g.columns["arisen"], g.columns["district"]) for g in groups
    ):
        return np.argsort(arisen, kind="stable")
    return np.lexsort([district, arisen])


def _in_opening_order(arisen: np.ndarray, district: np.ndarray) -> bool:
    """Whether cases are in order of the time they arose and, at one time, of district."""
    later = np.diff(arisen)
    return bool(np.all((later > 0) | ((later == 0) & (np.diff(district) >= 0))))


def merge(config: ExperimentConfig, city: City, groups: list[DistrictGroup]) -> CityRun:
    """One run of the whole city from the runs of its district groups.

    The groups' case columns are moved into the merged ledger one at a time (a group's
    ``columns`` is empty after), so a big city's cases are held about once, not twice.
    """
    held = sorted(d for g in groups for d in g.districts)
    if held != list(range(city.n_districts)):
        raise ValueError(
            f"district groups {[g.districts for g in groups]} do not hold each of "
            f"the city's districts 0 .. {city.n_districts - 1} once"
        )
    order = opening_order(groups)
    ledger = CaseLedger.holding(len(order))
    for name in (*COLUMNS, "part_state"):
        merged = ledger.part_state[: len(order)] if name == "part_state" else ledger.column(name)
        cases = np.concatenate([g.columns.pop(name) for g in groups])
        np.take(cases, order, axis=0, out=merged, mode="clip")  # in range: unbuffered
    owner = station_districts(city)
    stations = Stations(city.station_servers)
    for name in _STATION_ARRAYS:
        setattr(stations, name, _by_owner(owner, groups, [g.stations[name] for g in groups]))
    stations.since = float(groups[0].stations["since"])
    table: CaseTypeTable = case_type_table(city)
    engine = SimpleNamespace(
        counters=_counters(
            sum(g.counts for g in groups),
            sum(g.sums for g in groups),
            sum(g.by_stage for g in groups),
        ),
        table=table,
        whistles=_by_owner(city.street_district, groups, [g.records["whistles"] for g in groups]),
        **{
            name: _by_owner(owner, groups, [g.records[name] for g in groups])
            for name in DEPARTMENT_RECORDS
        },
    )
    trust = _by_owner(city.grid_district, groups, [g.trust for g in groups], city.grid_residents)
    residents = SimpleNamespace(
        trust=trust, mean_trust=float(trust.sum(dtype=np.float64)) / len(trust)
    )
    return CityRun(
        config=config,
        city=city,
        day=groups[0].day,
        reform_day=config.prereform_days,
        ledger=ledger,
        engine=engine,
        stations=stations,
        residents=residents,
        daily=_daily(config, city, groups),
        compile_seconds=sum(g.compile_seconds for g in groups),
    )


def _daily(
    config: ExperimentConfig, city: City, groups: list[DistrictGroup]
) -> dict[str, list[Any]]:
    """The daily series of the whole city from the groups' daily totals."""
    series: dict[str, list[Any]] = {name: [] for name in DAILY_REPORTERS}
    total = {
        key: sum(g.daily[key] for g in groups)
        for key in ("counts", "sums", "by_stage", "staff_days", "trust_sum")
    }
    for k, day in enumerate(groups[0].daily["day"]):
        # the model's surface that the daily series read, on day k
        state = SimpleNamespace(
            day=int(day),
            reform_day=config.prereform_days,
            engine=SimpleNamespace(
                counters=_counters(total["counts"][k], total["sums"][k], total["by_stage"][k])
            ),
            stations=SimpleNamespace(staff_days=np.array([total["staff_days"][k]])),
            residents=SimpleNamespace(mean_trust=total["trust_sum"][k] / city.n_residents),
        )
        for name, reporter in DAILY_REPORTERS.items():
            series[name].append(reporter(state))
    return series


def simulate(
    config: ExperimentConfig,
    mechanisms: dict[str, Any],
    replication: int,
    city: City,
    workers: int,
    backend: str = "loky",
) -> CityRun:
    """Run the city's districts in ``workers`` workers (or here, with 1) and merge them.

    ``backend`` is a value of ``district_backend``: ``loky`` or ``ray`` (processes through
    joblib) or ``threads`` (threads of this process).
    """
    groups = district_groups(city, workers)
    if len(groups) == 1:
        parts = [simulate_group(config, mechanisms, replication, city, groups[0])]
    elif backend == "threads":
        parts = _in_threads(config, mechanisms, replication, city, groups)
    else:
        from joblib import Parallel, delayed

        if backend == "ray":
            from ray.util.joblib import register_ray

            register_ray()
        from govsim.experiments.orphans import watched

        task = simulate_group if backend == "ray" else watched(simulate_group)
        parts = Parallel(n_jobs=len(groups), backend=backend)(
            delayed(task)(config, mechanisms, replication, city, group) for group in groups
        )
    return merge(config, city, parts)


def _in_threads(
    config: ExperimentConfig,
    mechanisms: dict[str, Any],
    replication: int,
    city: City,
    groups: list[tuple[int, ...]],
) -> list[DistrictGroup]:
    """Each group simulated in a thread of this process, in the groups' order."""
    from concurrent.futures import ThreadPoolExecutor

    def one(group: tuple[int, ...]) -> DistrictGroup:
        return simulate_group(config, mechanisms, replication, city, group)

    with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="districts") as pool:
        parts = list(pool.map(one, groups))
    for part in parts:
        # any compiling was this process's own, which its clock already counts
        part.compile_seconds = 0.0
    return parts
