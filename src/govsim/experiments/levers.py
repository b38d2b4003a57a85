"""The catalogue of levers: every number a policy or a city can move, with its range.

A lever is a numeric configuration field marked ``lever`` in its contract
(:mod:`govsim.config.schema`): the city's behaviour, its residents', its departments' and
case types' (one entry stands for all: the first department or case type), and every
mechanism's parameters. Each lever declares its allowed range and the configurations it
acts in; ``tests/test_levers.py`` moves each from its minimum to its midpoint and from its
midpoint to its maximum under common random numbers and requires an outcome to move in each
half (:data:`govsim.outcomes.metrics.LEVER_METRICS`).

A range the city bounds ends where the city ends it, in the configuration given (the test
gives each lever the one it acts in): a bound the city sets on what is allowed (``city_high``
in the contract, the whistle threshold: the most departments a case type needs), a bound
past which the lever acts on nothing more (``acts_up_to``: a rank below every rival case
type's at its departments, a joint deadline past the longest wait of a joint part, a street
deflection that has made failure certain), and, for a staff count (``staffs``), the staffing
just past which the level's queues all but vanish under the city's expected load
(:func:`staff_beyond_load`).

:data:`PENDING_BEHAVIOUR` would list levers whose effect waits for behaviour still to be
built; it is empty, and a test keeps it so.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import Field, dataclass, fields, is_dataclass
from typing import Any, get_type_hints

import numpy as np

from govsim.city.build import build_city
from govsim.city.levels import Level
from govsim.config.schema import (
    CaseTypeConfig,
    CityConfig,
    DepartmentConfig,
    ExperimentConfig,
)
from govsim.mechanisms import REGISTRY
from govsim.model.capacity import expected_work
from govsim.model.tables import case_type_table, grid_arrival_rates

__all__ = [
    "PENDING_BEHAVIOUR",
    "QUEUE_MARGIN",
    "Lever",
    "catalogue",
    "in_configuration",
    "set_value",
    "staff_beyond_load",
]

PENDING_BEHAVIOUR: frozenset[str] = frozenset()
"""Levers waiting for the behaviour they stand for (none: every lever acts)."""


@dataclass(frozen=True)
class Lever:
    """One lever: its key (a Hydra override path), range and the configurations it acts in."""

    key: str
    low: float
    high: float
    acts_in: tuple[str, ...]
    integer: bool


def _entries(name: str, cls: type) -> Iterator[tuple[str, Field]]:
    hints = get_type_hints(cls)
    for f in fields(cls):
        if is_dataclass(hints[f.name]):
            yield from _entries(f"{name}.{f.name}", hints[f.name])
        else:
            yield f"{name}.{f.name}", f


QUEUE_MARGIN = 1.0
"""Standard deviations of the offered load above it at which a level's queues all but
vanish: the square-root staffing rule, staff = a + β√a (Halfin and Whitt 1981); with β = 1
about one job in five waits in an M/M/c queue, briefly, and more staff shortens little."""


def staff_beyond_load(city: CityConfig, level: str) -> int:
    """Staff per station of ``level`` just past where its queues all but vanish in ``city``.

    The busiest station's offered load a — the staff its cases keep busy on average under
    baseline routing (:func:`govsim.model.capacity.expected_work`) — plus
    :data:`QUEUE_MARGIN` × √a. The petition office and courts, which only escalations and
    petitions reach, get a itself, counted as if every case of their district reached them:
    a load above theirs, which needs no margin. In the lever's units (÷
    ``city.staff_scale``), and at least two (a range of one value has no half).
    """
    built = build_city(city)
    table = case_type_table(built)
    if Level[level.upper()] == Level.ABOVE:
        hours = grid_arrival_rates(built, table) @ np.asarray(table.service_days)[:, Level.ABOVE]
        staff = float(np.bincount(built.grid_district, hours, minlength=built.n_districts).max())
    else:
        busiest = float(
            expected_work(built, table)[built.station_level == Level[level.upper()]].max()
        )
        staff = busiest + QUEUE_MARGIN * math.sqrt(busiest)
    return max(2, math.ceil(staff / city.staff_scale))


def _lever(
    key: str, f: Field, default_acts_in: tuple[str, ...], entry: str, city: CityConfig
) -> Lever | None:
    meta = f.metadata
    if not meta.get("lever") or meta.get("kind") not in ("number", "integer"):
        return None
    acts_in = tuple(o.replace("{entry}", entry) for o in meta.get("acts_in") or default_acts_in)
    high = meta["high"]
    for bound in ("city_high", "acts_up_to"):  # e.g. the whistle threshold: the largest job
        if meta.get(bound) is not None:
            high = min(high, meta[bound].of(city, entry))
    if meta.get("staffs"):
        high = min(high, staff_beyond_load(city, meta["staffs"]))
    return Lever(key, meta["low"], high, acts_in, meta["kind"] == "integer")


def catalogue(cfg: ExperimentConfig) -> list[Lever]:
    """Every lever of the configuration ``cfg``.

    The city's first department and first case type stand for all of them; a lever bounded
    by the city ends where ``cfg.city`` ends it (the module's docstring).
    """
    baseline = ("mechanism=baseline",)
    department = next(iter(cfg.city.departments))
    case_type = next(iter(cfg.city.case_types))
    sources: list[tuple[str, type, tuple[str, ...], str]] = [
        ("city", CityConfig, baseline, ""),
        (f"city.departments.{department}", DepartmentConfig, baseline, department),
        (f"city.case_types.{case_type}", CaseTypeConfig, baseline, case_type),
    ]
    sources += [
        (f"mechanism.{name}", m.config_class, (f"mechanism={name}",), "")
        for name, m in REGISTRY.items()
    ]
    levers = []
    for prefix, cls, acts_in, entry in sources:
        for key, f in _entries(prefix, cls):
            if not f.metadata.get("lever"):
                continue
            if f.metadata.get("entries"):
                first = next(iter(getattr(cfg.city, f.name)))
                key = f"{key}.{first}"
            lever = _lever(key, f, acts_in, entry, cfg.city)
            if lever is not None:
                levers.append(lever)
    return levers


def in_configuration(lever: Lever, cfg: ExperimentConfig) -> Lever:
    """``lever`` with its range in ``cfg``, the configuration it acts in.

    ``cfg`` is composed with the lever's ``acts_in``: where the city bounds the range, it
    ends where that configuration ends it.
    """
    (ranged,) = [lv for lv in catalogue(cfg) if lv.key == lever.key]
    return ranged


def set_value(cfg: ExperimentConfig, key: str, value: Any) -> None:
    """Set the value at a dotted key of a composed configuration (dataclasses and dicts)."""
    *path, last = key.split(".")
    target: Any = cfg
    for part in path:
        target = target[part] if isinstance(target, dict) else getattr(target, part)
    if isinstance(target, dict):
        target[last] = value
    else:
        setattr(target, last, value)
