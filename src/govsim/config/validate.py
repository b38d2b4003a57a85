"""Checking a composed configuration against the contracts of its fields.

:func:`validate` walks a composed :class:`~govsim.config.schema.ExperimentConfig` and raises
:class:`ConfigError` naming the first key that breaks its contract and what is allowed.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Mapping
from dataclasses import Field, fields, is_dataclass
from datetime import date
from typing import Any

from govsim.config.errors import ConfigError
from govsim.config.schema import (
    DISTRICT_BACKENDS,
    FIGURES,
    HANDLING_SHAPES,
    URGENCIES,
    CalendarConfig,
    ExperimentConfig,
)
from govsim.config.units import check_units

__all__ = ["ConfigError", "allowed", "check_value", "validate"]

MAX_DEPARTMENTS_PER_CASE = 7
"""Departments one case type may need (a case is forwarded to them in turn)."""


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) >= 1000 else f"{x:g}"


def allowed(f: Field) -> str:
    """What a field allows, in words (for messages and the generated reference)."""
    meta = f.metadata
    kind = meta.get("kind")
    if kind == "choice":
        return "one of " + ", ".join(meta["choices"])
    if kind == "text":
        return "text"
    if kind == "date":
        return f"a date, YYYY-MM-DD, from {meta['low']} to {meta['high']}"
    if kind == "profile":
        return (
            f"a list of {meta['length']} numbers in [{_fmt(meta['low'])}, "
            f"{_fmt(meta['high'])}], not all 0 ({meta['unit']})"
        )
    if kind not in ("number", "integer"):
        return ""
    what = "an integer" if kind == "integer" else "a number"
    unit = f" ({meta['unit']})" if meta.get("unit") and meta["unit"] != "probability" else ""
    city = f", at most {meta['city_high'].what}" if meta.get("city_high") else ""
    return f"{what} in [{_fmt(meta['low'])}, {_fmt(meta['high'])}]{unit}{city}"


def check_value(f: Field, key: str, value: Any) -> None:
    """Raise :class:`ConfigError` unless ``value`` meets the contract of field ``f``."""
    meta = f.metadata
    kind = meta.get("kind")
    if kind == "choice":
        if value not in meta["choices"]:
            raise ConfigError(key, value, allowed(f))
        return
    if kind == "date":
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(key, value, allowed(f)) from None
        if not date.fromisoformat(meta["low"]) <= day <= date.fromisoformat(meta["high"]):
            raise ConfigError(key, value, allowed(f))
        return
    if kind == "profile":
        _check_profile(f, key, value)
        return
    if kind not in ("number", "integer"):
        return
    if value is None and meta.get("per_unit"):  # given unit by unit: govsim.config.units
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(key, value, allowed(f))
    if kind == "integer" and not isinstance(value, int):
        raise ConfigError(key, value, allowed(f))
    if math.isnan(value) or math.isinf(value) or not meta["low"] <= value <= meta["high"]:
        raise ConfigError(key, value, allowed(f))


def _check_profile(f: Field, key: str, value: Any) -> None:
    meta = f.metadata
    weights = list(value) if isinstance(value, list | tuple) else None
    if (
        weights is None
        or len(weights) != meta["length"]
        or not any(weights)
        or not all(
            isinstance(v, int | float)
            and not isinstance(v, bool)
            and math.isfinite(v)
            and meta["low"] <= v <= meta["high"]
            for v in weights
        )
    ):
        raise ConfigError(key, value, allowed(f))


def _check(obj: Any, path: str) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        key = f"{path}.{f.name}" if path else f.name
        if f.metadata.get("entries"):
            for name, item in value.items():
                check_value(f, f"{key}.{name}", item)
            continue
        check_value(f, key, value)
        if is_dataclass(value):
            _check(value, key)
        elif isinstance(value, Mapping):
            for name, item in value.items():
                if is_dataclass(item):
                    _check(item, f"{key}.{name}")


def _check_city(cfg: ExperimentConfig) -> None:
    city = cfg.city
    calendar = city.calendar
    if calendar.station_opens + calendar.station_hours > 24:
        raise ConfigError(
            "city.calendar.station_hours",
            calendar.station_hours,
            f"at most 24 − station_opens = {24 - calendar.station_opens:g} "
            "(stations close by midnight)",
        )
    levels = ("grid", "community", "street", "department", "above")
    for level, hours in calendar.level_hours.items():
        key = f"city.calendar.level_hours.{level}"
        if level not in levels:
            raise ConfigError(key, level, f"a level: {', '.join(levels)}")
        if hours.opens + hours.hours > 24:
            raise ConfigError(
                f"{key}.hours",
                hours.hours,
                f"at most 24 − opens = {24 - hours.opens:g} (closed by midnight)",
            )
    for name in city.handling_shape:
        if name not in HANDLING_SHAPES:
            raise ConfigError(
                f"city.handling_shape.{name}",
                name,
                "a level or joint: " + ", ".join(HANDLING_SHAPES),
            )
    if not city.case_types:
        raise ConfigError("city.case_types", {}, "at least one case type")
    if not city.departments:
        raise ConfigError("city.departments", {}, "at least one department")
    for name, case_type in city.case_types.items():
        entry = case_type.street_entry_prob + case_type.community_entry_prob
        if entry > 1 + 1e-9:
            raise ConfigError(
                f"city.case_types.{name}.community_entry_prob",
                case_type.community_entry_prob,
                f"at most 1 − street_entry_prob = {1 - case_type.street_entry_prob:g}",
            )
        for dept in case_type.departments:
            if dept not in city.departments:
                names = ", ".join(sorted(city.departments))
                raise ConfigError(f"city.case_types.{name}.departments", dept, f"one of {names}")
        if len(case_type.departments) > MAX_DEPARTMENTS_PER_CASE:
            raise ConfigError(
                f"city.case_types.{name}.departments",
                case_type.departments,
                f"at most {MAX_DEPARTMENTS_PER_CASE} departments",
            )
    limits = city.time_limit_days
    if set(limits) != set(URGENCIES):
        raise ConfigError(
            "city.time_limit_days", dict(limits), "one limit for each of " + ", ".join(URGENCIES)
        )
    check_units(city)
    if city.residents.social_ties % 2:
        raise ConfigError(
            "city.residents.social_ties",
            city.residents.social_ties,
            "an even number (ties on both sides of a ring)",
        )


def _check_city_bounds(cfg: ExperimentConfig) -> None:
    """Refuse a mechanism's value above the bound its city sets (where it could act on nothing)."""
    for name, params in cfg.mechanism.items():
        if not is_dataclass(params):
            continue
        for f in fields(params):
            bound = f.metadata.get("city_high")
            value = getattr(params, f.name)
            if bound is not None and value > (most := bound.of(cfg.city, "")):
                raise ConfigError(
                    f"mechanism.{name}.{f.name}",
                    value,
                    f"at most {most} in city {cfg.city.name}: {bound.what}",
                )


def _check_calendar(cfg: ExperimentConfig) -> None:
    """Refuse a run whose calendar, from day 0 to its last day, leaves the dates allowed."""
    contract = next(f for f in fields(CalendarConfig) if f.name == "start_date")
    start = date.fromisoformat(str(cfg.city.calendar.start_date))
    last = date.fromisoformat(contract.metadata["high"])
    if (last - start).days < cfg.prereform_days + cfg.days:
        raise ConfigError(
            "city.calendar.start_date",
            cfg.city.calendar.start_date,
            f"{allowed(contract)}, with start_date + prereform_days + days by {last} "
            f"(prereform_days={cfg.prereform_days}, days={cfg.days})",
        )


def validate(cfg: ExperimentConfig, mechanisms: Mapping[str, Any]) -> None:
    """Check every value of a composed experiment; raise :class:`ConfigError` on the first bad one.

    ``mechanisms`` is the registry of known mechanism names (for ``mechanism`` and
    ``reference``).
    """
    known = ", ".join(mechanisms)
    if not cfg.mechanism:
        raise ConfigError("mechanism", [], f"at least one of {known}")
    for name in cfg.mechanism:
        if name not in mechanisms:
            raise ConfigError("mechanism", name, f"one of {known}")
    for name in cfg.reference or []:
        if name not in mechanisms:
            raise ConfigError("reference", name, f"a list of {known}, or null")
    if str(cfg.figures).lower() not in FIGURES:
        raise ConfigError("figures", cfg.figures, "one of " + ", ".join(FIGURES))
    if cfg.district_backend not in DISTRICT_BACKENDS:
        raise ConfigError(
            "district_backend", cfg.district_backend, "one of " + ", ".join(DISTRICT_BACKENDS)
        )
    if cfg.district_backend == "ray" and importlib.util.find_spec("ray") is None:
        raise ConfigError(
            "district_backend",
            "ray",
            "loky, threads, or ray once installed (pip install 'govsim[ray]')",
        )
    _check(cfg, "")
    for name, params in cfg.mechanism.items():
        if is_dataclass(params):
            _check(params, f"mechanism.{name}")
    _check_city(cfg)
    _check_city_bounds(cfg)
    _check_calendar(cfg)
    for name in sorted({*cfg.mechanism, *(cfg.reference or [])}):
        mechanisms[name].check_city(cfg.city)  # every arm's mechanisms, the reference's too
    if cfg.warmup_days + cfg.horizon_days >= cfg.days:
        raise ConfigError(
            "horizon_days",
            cfg.horizon_days,
            f"warmup_days + horizon_days < days (days={cfg.days}, warmup_days="
            f"{cfg.warmup_days}): cases are counted if they arise in [warmup_days, days − "
            "horizon_days)",
        )
