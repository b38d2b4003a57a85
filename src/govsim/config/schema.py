"""Typed configuration: the structured configs behind every Hydra group.

The values live in the YAML under ``conf/`` and nowhere else: no field here has a
default, so a value missing from the YAML is an error, never a silent fallback. What
each field carries is its *contract*, in the field metadata:

- ``kind`` and the allowed range ``low``–``high`` (checked by :mod:`govsim.config.validate`;
  every number must also be finite);
- ``unit``, shown in messages and in the generated reference;
- ``lever``: whether the value is a behavioural lever (a number a policy or a city can
  move) rather than the city's shape or the experiment's bookkeeping. Every lever must
  change an outcome somewhere in its range (``tests/test_levers.py``);
- ``acts_in``: the configurations (Hydra overrides) in which the lever acts; by default
  its own mechanism alone, or baseline routing for city values (``{entry}`` stands for
  the department or case type whose entry is moved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

__all__ = [
    "URGENCIES",
    "CaseTypeConfig",
    "CityConfig",
    "DepartmentConfig",
    "ExperimentConfig",
    "HandlingHours",
    "MechanismConfig",
    "ResidentsConfig",
    "integer",
    "number",
    "probability",
]

URGENCIES = ("general", "complex", "urgent", "emergency")
"""Urgency classes of a case type; each has a time limit (``city.time_limit_days``)."""


def _param(kind: str, low: float, high: float, unit: str, lever: bool,
           acts_in: tuple[str, ...] | None) -> Any:
    return field(default=MISSING, metadata={
        "kind": kind, "low": low, "high": high, "unit": unit, "lever": lever,
        "acts_in": acts_in})


def probability(unit: str = "probability", *, lever: bool = True,
                acts_in: tuple[str, ...] | None = None) -> Any:
    """A field holding a probability or share in [0, 1]."""
    return _param("number", 0.0, 1.0, unit, lever, acts_in)


def number(low: float, high: float, unit: str, *, lever: bool = True,
           acts_in: tuple[str, ...] | None = None) -> Any:
    """A field holding a real number in [low, high]."""
    return _param("number", low, high, unit, lever, acts_in)


def integer(low: int, high: int, unit: str, *, lever: bool = True,
            acts_in: tuple[str, ...] | None = None) -> Any:
    """A field holding a whole number (people, units, days) in [low, high]."""
    return _param("integer", low, high, unit, lever, acts_in)


def _label() -> Any:
    return field(default=MISSING, metadata={"kind": "text"})


@dataclass
class HandlingHours:
    """Staff working hours one case takes at each level (处置工时)."""

    grid: float = number(0.01, 200.0, "h")
    community: float = number(0.01, 200.0, "h")
    street: float = number(0.01, 200.0, "h")
    department: float = number(0.01, 200.0, "h")
    joint: float = number(0.01, 200.0, "h", acts_in=("mechanism=whistle",))
    above: float = number(0.01, 200.0, "h")


@dataclass
class CaseTypeConfig:
    """One kind of case (needs, complaints, disputes, hazards) and who can settle it."""

    label_zh: str = _label()
    rate_per_1000_per_year: float = number(0.0, 1_000_000.0, "cases / 1000 residents / year",
                                           lever=False)
    """Not a lever of its own: moved for every case type at once by ``city.case_load_scale``."""
    grid_settle_prob: float = probability()
    mediable: bool = MISSING
    mediation_settle_prob: float = probability()
    street_settle_prob: float = probability()
    departments: list[str] = MISSING
    escalation_rate_per_day: float = number(0.0, 5.0, "1 / day")
    collective_incident_prob: float = probability()
    priority: int = integer(1, 10, "rank (1 = first)", acts_in=(
        "mechanism=baseline", "city.case_load_scale=3",
        "city.case_types.{entry}.grid_settle_prob=0",
        "city.case_types.{entry}.mediation_settle_prob=0",
        "city.case_types.{entry}.street_settle_prob=0"))
    """Matters where case types compete for a congested department (acts_in makes one)."""
    urgency: str = field(default=MISSING, metadata={"kind": "choice", "choices": URGENCIES})
    hours: HandlingHours = MISSING


@dataclass
class DepartmentConfig:
    """A functional department (职能部门) of a district and how it treats street cases."""

    label_zh: str = _label()
    staff: int = integer(1, 10_000, "staff on street cases", lever=False)
    """Not a lever of its own: moved for every station at once by ``city.staff_scale``."""
    response_delay_days: float = number(0.0, 60.0, "days")
    bounce_prob: float = probability()


@dataclass
class ResidentsConfig:
    """Residents (居民): how many, and how they report and judge the service."""

    per_grid: int = integer(1, 100_000, "residents", lever=False)
    trust_mean: float = probability()
    trust_concentration: float = number(0.1, 1000.0, "Beta a + b")
    report_propensity_mean: float = probability()
    report_propensity_concentration: float = number(0.1, 1000.0, "Beta a + b")
    report_delay_days: float = number(0.0, 60.0, "days")
    trust_learning_rate: float = probability()
    satisfaction_half_life_days: float = number(0.5, 365.0, "days")
    handoff_satisfaction_penalty: float = probability()
    social_ties: int = integer(0, 20, "ties per resident")
    social_rewiring: float = probability()
    social_influence: float = probability()


@dataclass
class CityConfig:
    """The governance structure of a city: levels, staff and the case mix."""

    name: str = _label()
    label_zh: str = _label()
    districts: int = integer(1, 100, "districts", lever=False)
    streets_per_district: int = integer(1, 200, "streets", lever=False)
    communities_per_street: int = integer(1, 200, "communities", lever=False)
    grids_per_community: int = integer(1, 200, "grids", lever=False)
    residents: ResidentsConfig = MISSING
    staff_scale: float = number(0.05, 10.0, "× every staff count")
    case_load_scale: float = number(0.0, 10.0, "× every case type's rate")
    grid_workers_per_grid: int = integer(1, 20, "grid workers")
    patrol_discovery_rate_per_day: float = number(0.0, 10.0, "1 / day per grid worker")
    mediators_per_community: int = integer(1, 50, "mediators")
    street_staff: int = integer(1, 200, "staff")
    above_staff: int = integer(1, 500, "staff per district")
    above_unresolved_prob: float = probability()
    working_hours_per_day: float = number(1.0, 24.0, "h / day")
    community_burden_share: float = number(0.0, 0.95, "share of community staff time")
    cross_region_share: float = probability("share of cases")
    cross_region_delay_days: float = number(0.0, 60.0, "days")
    severity_growth_per_day: float = number(0.0, 1.0, "1 / day")
    grid_overload_sensitivity: float = number(0.0, 10.0, "per job held per grid worker",
                                              acts_in=("mechanism=baseline",
                                                       "city.case_load_scale=4"))
    department_overload_sensitivity: float = number(0.0, 10.0, "per job held per staff")
    time_limit_days: dict[str, float] = field(default=MISSING, metadata={
        "kind": "number", "low": 0.01, "high": 365.0, "unit": "days", "lever": True,
        "acts_in": None, "entries": True, "keys": URGENCIES})
    """Time limit of each urgency class (``URGENCIES``), from becoming known to the answer."""
    departments: dict[str, DepartmentConfig] = MISSING
    case_types: dict[str, CaseTypeConfig] = MISSING


@dataclass
class MechanismConfig:
    """Parameters every mechanism that can be phased in has.

    Staged roll-out (一年打基础、两年求突破、三年大提升, source 004): the mechanism acts from
    ``start_day``; its intensity rises linearly to full over ``ramp_days`` (0 = at once).
    """

    start_day: int = integer(0, 36_500, "day")
    ramp_days: int = integer(0, 3650, "days")


@dataclass
class ExperimentConfig:
    """One govsim job: a city, the mechanisms switched on, and how to replicate."""

    city: CityConfig = MISSING
    mechanism: dict[str, Any] = MISSING
    scenario: str = _label()
    scenario_label_zh: str = _label()
    """The scenario's name in Chinese (情景名称), shown by reports and the app."""
    reference: Any = MISSING
    """Mechanisms of the comparison arm: a name, a list of names, or null for none."""
    seed: int = integer(0, 2**32 - 1, "seed", lever=False)
    replications: int = integer(1, 10_000, "paired replications", lever=False)
    days: int = integer(1, 36_500, "days", lever=False)
    warmup_days: int = integer(0, 36_500, "days", lever=False)
    horizon_days: int = integer(0, 3650, "days", lever=False)
    progress: bool = MISSING
    design_point: int | None = MISSING
    """Index of the design point (set by the design sweeper)."""
