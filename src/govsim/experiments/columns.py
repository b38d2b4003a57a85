"""The columns of a runs table: which run it is, what it was configured with, what came out.

Every row of ``runs.parquet`` (and of a sweep's ``collected/runs.parquet``) is one run: an
arm of an experiment in one replication. Its columns are of three kinds:

- **identifiers** (:data:`RUN_IDS`): ``scenario``, ``mechanism`` (the arm's mechanisms
  joined by ``+``), ``arm`` (``treatment`` or ``reference``), ``seed``, ``replication``;
- **configuration**: every value of the composed experiment, named like the Hydra
  override that sets it — the experiment's own values (``days``, ``warmup_days``,
  ``replications``, ``reference`` ...), the city's with nested departments and case types
  (``city.departments.housing.staff``, ``city.case_types.neighbour_dispute.hours.street``,
  ``city.time_limit_days.general``) and the arm's own mechanisms
  (``mechanism.whistle.deadline_days``). Lists are written as comma-separated text
  (``reference``: ``baseline``; ``city.case_types.property_dispute.departments``:
  ``housing,justice``). Only ``progress`` and ``figures`` are left out: they change no result;
- **metrics** (:func:`metric_columns`): the outcomes of the run
  (:data:`govsim.outcomes.metrics.METRICS`, per case type and the governance index);

and bookkeeping (:data:`BOOKKEEPING`): ``design_point``, wall time, and what ``govsim
collect`` adds (run folder, status, versions, the configuration as YAML).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, fields, is_dataclass
from typing import Any

import pandas as pd

from govsim.config.schema import UNRECORDED, ExperimentConfig

__all__ = [
    "BOOKKEEPING",
    "EXPERIMENT_VALUES",
    "LAYOUT",
    "RUN_IDS",
    "configuration",
    "configuration_columns",
    "is_configuration",
    "metric_columns",
    "varying_parameters",
]

RUN_IDS = ("scenario", "mechanism", "arm", "seed", "replication")
"""The columns that name a run: its scenario, its arm's mechanisms and role, its streams."""

NESTED = ("city", "mechanism")
"""Configuration values holding others; their columns are dotted (``city.street_staff``)."""

LAYOUT = ("reference", "replications")
"""Configuration values that decide which runs an experiment makes, not what happens in a
run: a run of baseline routing is the same run as a reference arm or on its own."""

BOOKKEEPING = (
    "design_point",
    "wall_seconds",
    "compile_seconds",
    "sweep",
    "run",
    "status",
    "error",
    "run_wall_seconds",
    "govsim_version",
    "git_revision",
    "config",
)
"""Columns that are neither configuration nor metric: the design point's index (its values
are columns of their own), wall times, the seconds spent compiling the event engine (0
once its code is cached), and what ``govsim collect`` adds."""

EXPERIMENT_VALUES = tuple(
    f.name for f in fields(ExperimentConfig) if f.name not in (*NESTED, *UNRECORDED, "design_point")
)
"""The experiment's own configuration values, each a column under its own name."""


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), item)
    elif isinstance(value, list | tuple):
        yield prefix, ",".join(map(str, value))
    else:
        yield prefix, value


def configuration(cfg: ExperimentConfig, mechanisms: dict[str, Any]) -> dict[str, Any]:
    """Every configuration value of a run of ``mechanisms``, as dotted override names.

    ``mechanisms`` are the arm's own (the treatment's or the reference's), so a run's
    ``mechanism.*`` columns are those of the mechanisms that ran in it.
    """
    values: dict[str, Any] = {}
    for name in EXPERIMENT_VALUES:
        values.update(_flatten(name, getattr(cfg, name)))
    values.update(_flatten("city", cfg.city))
    values.update(_flatten("mechanism", mechanisms))
    return values


def is_configuration(column: str) -> bool:
    """True if ``column`` of a runs table holds a configuration value."""
    return column in EXPERIMENT_VALUES or ("." in column and column.split(".", 1)[0] in NESTED)


def configuration_columns(runs: pd.DataFrame) -> list[str]:
    """The configuration columns of a runs table (``scenario`` and ``seed`` included)."""
    return [c for c in runs.columns if is_configuration(str(c))]


def varying_parameters(runs: pd.DataFrame) -> list[str]:
    """Configuration columns, other than the identifiers, that differ between runs."""
    return [
        c
        for c in configuration_columns(runs)
        if c not in RUN_IDS and runs[c].nunique(dropna=False) > 1
    ]


def metric_columns(runs: pd.DataFrame) -> list[str]:
    """The numeric columns of a runs table that are outcomes of the runs."""
    return [
        c
        for c in runs.select_dtypes("number").columns
        if c not in (*RUN_IDS, *BOOKKEEPING) and not is_configuration(str(c))
    ]
