"""The catalogue of levers: every number a policy or a city can move, with its range.

A lever is a numeric configuration field marked ``lever`` in its contract
(:mod:`govsim.config.schema`): the city's behaviour, its residents', its departments' and
case types' (one entry stands for all: the first department or case type), and every
mechanism's parameters. Each lever declares its allowed range and the configurations it
acts in; ``tests/test_levers.py`` moves each from its minimum to its midpoint and from its
midpoint to its maximum under common random numbers and requires an outcome to move in each
half (:data:`govsim.outcomes.metrics.LEVER_METRICS`). A range the city bounds (``city_high``
in the contract, e.g. the whistle threshold) ends where the city ends it.

:data:`PENDING_BEHAVIOUR` would list levers whose effect waits for behaviour still to be
built; it is empty, and a test keeps it so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import Field, dataclass, fields, is_dataclass
from typing import Any, get_type_hints

from govsim.config.schema import (
    CaseTypeConfig,
    CityConfig,
    DepartmentConfig,
    ExperimentConfig,
)
from govsim.mechanisms import REGISTRY

__all__ = ["PENDING_BEHAVIOUR", "Lever", "catalogue", "set_value"]

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


def _lever(key: str, f: Field, default_acts_in: tuple[str, ...], entry: str,
           city: CityConfig) -> Lever | None:
    meta = f.metadata
    if not meta.get("lever") or meta.get("kind") not in ("number", "integer"):
        return None
    acts_in = tuple(o.replace("{entry}", entry) for o in meta.get("acts_in") or default_acts_in)
    high = meta["high"]
    if meta.get("city_high") is not None:  # e.g. the whistle threshold: the city's largest job
        high = min(high, meta["city_high"].of(city))
    return Lever(key, meta["low"], high, acts_in, meta["kind"] == "integer")


def catalogue(cfg: ExperimentConfig) -> list[Lever]:
    """Every lever of the configuration ``cfg``.

    The city's first department and first case type stand for all of them; a lever bounded
    by the city (``city_high`` in its contract) ends where ``cfg.city`` ends it.
    """
    baseline = ("mechanism=baseline",)
    department = next(iter(cfg.city.departments))
    case_type = next(iter(cfg.city.case_types))
    sources: list[tuple[str, type, tuple[str, ...], str]] = [
        ("city", CityConfig, baseline, ""),
        (f"city.departments.{department}", DepartmentConfig, baseline, department),
        (f"city.case_types.{case_type}", CaseTypeConfig, baseline, case_type),
    ]
    sources += [(f"mechanism.{name}", m.config_class, (f"mechanism={name}",), "")
                for name, m in REGISTRY.items()]
    levers = []
    for prefix, cls, acts_in, entry in sources:
        for key, f in _entries(prefix, cls):
            if f.metadata.get("entries"):
                first = next(iter(getattr(cfg.city, f.name)))
                key = f"{key}.{first}"
            lever = _lever(key, f, acts_in, entry, cfg.city)
            if lever is not None:
                levers.append(lever)
    return levers


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
