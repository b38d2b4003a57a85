"""What a configuration will cost before it runs: memory, and time on this machine.

**Memory.** A run holds its case ledger (allocated for the expected cases, see
:mod:`govsim.model.sizing`), its residents' columns (with the temporaries of their social
ties), the city's network (per grid) and, for the whole experiment, the daily series of
every run. The bytes each of these takes per case, resident and grid are measured once
per process on small instances of the real structures (numpy reports its allocations to
:mod:`tracemalloc`), so the estimate follows the code. :func:`check_memory` refuses a
configuration that would need more than the machine's memory, with the estimate, before
anything is allocated.

**Time.** :func:`run_seconds` is the expected cases times a cost per case, plus a cost per
simulated day and per resident built, measured with ``benchmarks/scale.py`` and a year of
the default and workshop cities on the 2-core machine the README's figures come from; it
is good to a factor of about two, more on a busier machine.
"""

from __future__ import annotations

import dataclasses
import tracemalloc
from collections.abc import Callable

import psutil

from govsim.config.schema import CityConfig, ExperimentConfig
from govsim.config.validate import ConfigError
from govsim.model.sizing import expected_cases, grids, ledger_capacity, residents
from govsim.outcomes.daily import DAILY_REPORTERS

__all__ = [
    "LARGE_SECONDS",
    "check_memory",
    "describe_seconds",
    "memory_bytes",
    "run_seconds",
    "seconds",
    "simulated_days",
]

SECONDS_PER_CASE = 5e-6
"""Wall time per case arisen (arrival, the discovery race, routing, service, closing,
residents learning), measured on this machine with ``benchmarks/scale.py``: 3.5–4.7 µs per
case for a whole run at field load from 100,000 residents up (the upper end taken)."""
SECONDS_PER_DAY = 1.5e-3
"""Wall time per simulated day of a run (daily levers, discovery, the daily series)."""
SECONDS_PER_RESIDENT = 1e-6
"""Wall time per resident: built (trust, reporting propensity, social ties) and looked at
daily (overdue cases, trust)."""
LARGE_SECONDS = 30.0
"""Work expected to take longer than this announces its estimate before it starts."""

_PROBE = 65_536
"""Units (cases, residents) of the small instances measured for their bytes per unit."""
_PROBE_GRIDS = 512
_DAILY_ID_COLUMNS = 8
"""Columns of a daily row besides the reporters (scenario, mechanism, arm, seed, ...)."""


def _traced_bytes(build: Callable[[], object]) -> int:
    """Peak bytes allocated while ``build`` runs and its result is alive."""
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    try:
        built = build()
        peak = tracemalloc.get_traced_memory()[1]
        del built
    finally:
        if not tracing:
            tracemalloc.stop()
    return max(0, peak - base)


_measured: dict[tuple[str, int], float] = {}


def _per_unit(what: str, k: int, measure: Callable[[], float]) -> float:
    if (what, k) not in _measured:
        _measured[what, k] = measure()
    return _measured[what, k]


def _probe_city(city: CityConfig, grids_: int, per_grid: int) -> CityConfig:
    """An archetype of one street with ``grids_`` grids: a city's own units become uniform."""

    def one(value: int | None) -> int:
        return 1 if value is None else value

    return dataclasses.replace(
        city,
        units=None,
        districts=1,
        streets_per_district=1,
        communities_per_street=1,
        grids_per_community=grids_,
        residents=dataclasses.replace(city.residents, per_grid=per_grid),
        grid_workers_per_grid=one(city.grid_workers_per_grid),
        mediators_per_community=one(city.mediators_per_community),
        street_staff=one(city.street_staff),
        above_staff=one(city.above_staff),
        departments={
            name: dataclasses.replace(dept, staff=one(dept.staff))
            for name, dept in city.departments.items()
        },
    )


# The probes import the structures they measure when they first run, so that importing
# this module (every command does, through composing) builds nothing and loads no numpy.


def _bytes_per_case() -> float:
    from govsim.model.ledger import CaseLedger
    from govsim.model.streams import RandomStreams

    streams = RandomStreams(0, 0)
    return _traced_bytes(lambda: CaseLedger(streams, capacity=_PROBE)) / _PROBE


def _bytes_per_resident(city: CityConfig) -> float:
    from govsim.city.build import build_city
    from govsim.model.residents import Residents
    from govsim.model.streams import RandomStreams

    probe = _probe_city(city, 1, _PROBE)
    built = build_city(probe)
    return _traced_bytes(lambda: Residents(built, probe.residents, RandomStreams(0))) / _PROBE


def _bytes_per_grid(city: CityConfig) -> float:
    from govsim.city.build import build_city

    probe = _probe_city(city, _PROBE_GRIDS, 1)
    return _traced_bytes(lambda: build_city(probe)) / _PROBE_GRIDS


def simulated_days(cfg: ExperimentConfig) -> int:
    """Days a run simulates: the pre-reform days before the configured days."""
    return cfg.prereform_days + cfg.days


def memory_bytes(cfg: ExperimentConfig) -> dict[str, float]:
    """Bytes the experiment needs at most, by part: cases, residents, grids, daily series.

    With ``district_workers`` > 1, every worker builds the whole city's units and its
    districts' residents and cases, and the run's own process builds the city and holds
    the merged cases (:mod:`govsim.experiments.districts`).
    """
    city = cfg.city
    daily_rows = 2 * cfg.replications * cfg.days
    n_districts = len(city.units.districts) if city.units is not None else city.districts
    workers = min(cfg.district_workers, n_districts)
    split = workers > 1
    return {
        "cases": (
            (2 if split else 1)
            * ledger_capacity(city, simulated_days(cfg))
            * _per_unit("case", 0, _bytes_per_case)
        ),
        "residents": residents(city)
        * _per_unit("resident", city.residents.social_ties, lambda: _bytes_per_resident(city)),
        "grids": ((workers + 1) if split else 1)
        * grids(city)
        * _per_unit("grid", 0, lambda: _bytes_per_grid(city)),
        # A row of floats per run and day, held twice while the runs' tables are joined.
        "daily": daily_rows * (len(DAILY_REPORTERS) + _DAILY_ID_COLUMNS) * 8 * 2,
    }


def _gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB"


def check_memory(cfg: ExperimentConfig) -> None:
    """Refuse a configuration whose run would need more memory than this machine has."""
    total = sum(memory_bytes(cfg).values())
    machine = psutil.virtual_memory().total
    if total <= machine:
        return
    city = cfg.city
    raise ConfigError(
        "city",
        city.name,
        f"at most {_gib(machine)}",
        message=f"invalid configuration: about "
        f"{expected_cases(city, simulated_days(cfg)):,.0f} expected "
        f"cases, {residents(city):,} residents in {grids(city):,} grids and "
        f"{2 * cfg.replications * cfg.days:,} daily rows would need about "
        f"{_gib(total)} of memory (allowed: at most this machine's {_gib(machine)}; "
        "lower the case rates, city.case_load_scale, the city's size, days or "
        "replications)",
    )


def run_seconds(cfg: ExperimentConfig) -> float:
    """Expected wall time of one run (one arm, one replication) on this machine."""
    city = cfg.city
    return (
        expected_cases(city, simulated_days(cfg)) * SECONDS_PER_CASE
        + simulated_days(cfg) * SECONDS_PER_DAY
        + residents(city) * SECONDS_PER_RESIDENT
    )


def seconds(cfg: ExperimentConfig, runs: int) -> float:
    """Expected wall time of ``runs`` runs of the configuration."""
    return runs * run_seconds(cfg)


def describe_seconds(value: float) -> str:
    """A duration in words: ``40 s``, ``12 min``, ``3.5 h``."""
    if value < 90:
        return f"{value:.0f} s"
    if value < 90 * 60:
        return f"{value / 60:.0f} min"
    return f"{value / 3600:.1f} h"
