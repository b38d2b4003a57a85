"""Configuration: typed schemas (the contracts of every value) and their validation.

The values themselves live in the YAML under ``conf/``; composing them is the job of
:mod:`govsim.composition.compose`.
"""

from govsim.config.errors import ArgumentError, IncompleteResultsError, PathError, RequestError
from govsim.config.schema import (
    URGENCIES,
    CalendarConfig,
    CaseTypeConfig,
    CityConfig,
    DepartmentConfig,
    ExperimentConfig,
    HandlingHours,
    MechanismConfig,
    ResidentsConfig,
    UnitsConfig,
    integer,
    number,
    probability,
)
from govsim.config.validate import ConfigError, allowed, check_value, validate

__all__ = [
    "URGENCIES",
    "ArgumentError",
    "CalendarConfig",
    "CaseTypeConfig",
    "CityConfig",
    "ConfigError",
    "DepartmentConfig",
    "ExperimentConfig",
    "HandlingHours",
    "IncompleteResultsError",
    "MechanismConfig",
    "PathError",
    "RequestError",
    "ResidentsConfig",
    "UnitsConfig",
    "allowed",
    "check_value",
    "integer",
    "number",
    "probability",
    "validate",
]
