"""Typed configuration: the structured configs behind every Hydra group.

Every parameter carries its unit and constraint in its field metadata; :func:`validate`
walks a composed configuration and raises :class:`ConfigError` naming the first key that
breaks its constraint and what is allowed. The defaults here are the ``district`` city
of ``conf/city/district.yaml``; sources for each default are cited there and in
``docs/ODD.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

__all__ = [
    "CaseTypeConfig",
    "CityConfig",
    "ConfigError",
    "DepartmentConfig",
    "ExperimentConfig",
    "HandlingHours",
    "ResidentsConfig",
    "validate",
]


class ConfigError(ValueError):
    """A configuration value outside what the model allows."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"invalid configuration: {key}={value!r} (allowed: {allowed})")


# Constraints: a name shown to the user and a predicate.
_CONSTRAINTS: dict[str, tuple[str, Any]] = {
    "probability": ("a probability in [0, 1]", lambda v: 0.0 <= v <= 1.0),
    "nonnegative": ("a number >= 0", lambda v: v >= 0),
    "positive": ("a number > 0", lambda v: v > 0),
    "count": ("an integer >= 1", lambda v: isinstance(v, int) and v >= 1),
    "count0": ("an integer >= 0", lambda v: isinstance(v, int) and v >= 0),
    "share_below_one": ("a share in [0, 1)", lambda v: 0.0 <= v < 1.0),
}


def _param(default: Any, check: str, unit: str = "") -> Any:
    return field(default=default, metadata={"check": check, "unit": unit})


def probability(default: float) -> Any:
    """A dataclass field holding a probability in [0, 1]."""
    return _param(default, "probability")


def nonnegative(default: float, unit: str = "") -> Any:
    """A dataclass field holding a number >= 0."""
    return _param(default, "nonnegative", unit)


def positive(default: float, unit: str = "") -> Any:
    """A dataclass field holding a number > 0."""
    return _param(default, "positive", unit)


def count(default: int, unit: str = "", minimum: int = 1) -> Any:
    """A dataclass field holding a whole number of people, units or days."""
    return _param(default, "count" if minimum == 1 else "count0", unit)


@dataclass
class HandlingHours:
    """Staff working hours one case takes at each level (处置工时)."""

    grid: float = positive(1.5, "h")
    community: float = positive(4.0, "h")
    street: float = positive(3.0, "h")
    department: float = positive(6.0, "h")
    joint: float = positive(4.0, "h")
    above: float = positive(16.0, "h")


@dataclass
class CaseTypeConfig:
    """One kind of case (needs, complaints, disputes, hazards) and who can settle it."""

    label_zh: str = ""
    rate_per_1000_per_year: float = nonnegative(10.0, "cases / 1000 residents / year")
    grid_settle_prob: float = probability(0.3)
    mediable: bool = False
    mediation_settle_prob: float = probability(0.0)
    street_settle_prob: float = probability(0.3)
    departments: list[str] = field(default_factory=list)
    escalation_rate_per_day: float = nonnegative(0.01, "1 / day")
    collective_incident_prob: float = probability(0.0)
    priority: int = count(2, "rank (1 = first)")
    hours: HandlingHours = field(default_factory=HandlingHours)


@dataclass
class DepartmentConfig:
    """A functional department (职能部门) of a district and how it treats street cases."""

    label_zh: str = ""
    staff: int = count(2, "staff on street cases")
    response_delay_days: float = nonnegative(5.0, "days")
    bounce_prob: float = probability(0.15)


@dataclass
class ResidentsConfig:
    """Residents (居民): how many, and how they report and judge the service."""

    per_grid: int = count(520, "residents")
    trust_mean: float = probability(0.6)
    trust_concentration: float = positive(10.0, "Beta a + b")
    report_propensity_mean: float = probability(0.7)
    report_propensity_concentration: float = positive(10.0, "Beta a + b")
    report_delay_days: float = nonnegative(1.0, "days")
    trust_learning_rate: float = probability(0.2)
    satisfaction_half_life_days: float = positive(21.0, "days")
    bounce_satisfaction_penalty: float = probability(0.1)
    social_ties: int = count(0, "ties per resident", minimum=0)
    social_rewiring: float = probability(0.1)
    social_influence: float = probability(0.0)


@dataclass
class CityConfig:
    """The governance structure of a city: levels, staff and the case mix."""

    name: str = "district"
    label_zh: str = ""
    districts: int = count(1, "districts")
    streets_per_district: int = count(4, "streets")
    communities_per_street: int = count(6, "communities")
    grids_per_community: int = count(8, "grids")
    residents: ResidentsConfig = field(default_factory=ResidentsConfig)
    grid_workers_per_grid: int = count(1, "grid workers")
    patrol_discovery_rate_per_day: float = nonnegative(0.2, "1 / day")
    mediators_per_community: int = count(3, "mediators")
    street_staff: int = count(6, "staff")
    above_staff: int = count(4, "staff per district")
    above_unresolved_prob: float = probability(0.3)
    working_hours_per_day: float = positive(8.0, "h / day")
    community_burden_share: float = _param(0.0, "share_below_one")
    cross_region_share: float = probability(0.0)
    cross_region_delay_days: float = nonnegative(0.0, "days")
    severity_growth_per_day: float = nonnegative(0.0, "1 / day")
    grid_overload_sensitivity: float = nonnegative(0.0, "per job held")
    department_overload_sensitivity: float = nonnegative(0.0, "per job held per staff")
    departments: dict[str, DepartmentConfig] = field(default_factory=dict)
    """Functional departments by name; defined by the city's YAML (``conf/city/``)."""
    case_types: dict[str, CaseTypeConfig] = field(default_factory=dict)
    """Case types by name; defined by the city's YAML (``conf/city/``)."""


@dataclass
class ExperimentConfig:
    """One govsim job: a city, the mechanisms switched on, and how to replicate."""

    city: CityConfig = field(default_factory=CityConfig)
    mechanism: dict[str, Any] = field(default_factory=dict)
    scenario: str = "default"
    reference: list[str] | None = field(default_factory=lambda: ["baseline"])
    seed: int = count(0, "seed", minimum=0)
    replications: int = count(10, "paired replications")
    days: int = count(365, "days")
    warmup_days: int = count(0, "days", minimum=0)
    progress: bool = True
    design_point: int | None = None
    """Index of the design point (set by the design sweeper)."""


def _check_fields(obj: Any, path: str) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        key = f"{path}.{f.name}" if path else f.name
        check = f.metadata.get("check")
        if check is not None:
            allowed, ok = _CONSTRAINTS[check]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(key, value, allowed)
            if (isinstance(value, float) and math.isnan(value)) or not ok(value):
                raise ConfigError(key, value, allowed)
        if is_dataclass(value):
            _check_fields(value, key)
        elif isinstance(value, dict):
            for name, item in value.items():
                if is_dataclass(item):
                    _check_fields(item, f"{key}.{name}")


def validate(cfg: ExperimentConfig, mechanisms: dict[str, Any]) -> None:
    """Check every value of a composed experiment; raise :class:`ConfigError` on the first bad one.

    ``mechanisms`` is the registry of known mechanism names (for ``mechanism`` and
    ``reference``).
    """
    _check_fields(cfg, "")
    known = ", ".join(sorted(mechanisms))
    for name, params in cfg.mechanism.items():
        if name not in mechanisms:
            raise ConfigError(f"mechanism.{name}", name, f"one of {known}")
        if is_dataclass(params):
            _check_fields(params, f"mechanism.{name}")
    for name in cfg.reference or []:
        if name not in mechanisms:
            raise ConfigError("reference", name, f"a list of {known}, or null")
    if not cfg.mechanism:
        raise ConfigError("mechanism", [], f"at least one of {known}")
    city = cfg.city
    if not city.case_types:
        raise ConfigError("city.case_types", {}, "at least one case type")
    if not city.departments:
        raise ConfigError("city.departments", {}, "at least one department")
    for name, case_type in city.case_types.items():
        for dept in case_type.departments:
            if dept not in city.departments:
                allowed = ", ".join(sorted(city.departments))
                raise ConfigError(f"city.case_types.{name}.departments", dept, f"one of {allowed}")
        if len(case_type.departments) > 7:
            raise ConfigError(f"city.case_types.{name}.departments", case_type.departments,
                              "at most 7 departments")
    if city.residents.social_ties % 2:
        raise ConfigError("city.residents.social_ties", city.residents.social_ties,
                          "an even number (ties on both sides of a ring)")
    if cfg.warmup_days >= cfg.days:
        raise ConfigError("warmup_days", cfg.warmup_days, f"fewer than days={cfg.days}")
