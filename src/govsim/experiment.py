"""Paired replications of the treatment and reference arms of one experiment.

Replication r of every arm uses the same streams (seed, r), so the arms see the same
residents and the same cases: differences between arms come from the mechanisms
(common random numbers).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

import pandas as pd

from govsim.city import build_city
from govsim.config import ExperimentConfig
from govsim.mechanisms import REGISTRY
from govsim.metrics import run_metrics
from govsim.model import GovernanceModel

__all__ = ["Arm", "ExperimentResult", "arms", "run_experiment", "run_parameters"]


@dataclass(frozen=True)
class Arm:
    """One configuration of mechanisms compared in an experiment."""

    role: str
    mechanisms: dict[str, Any]

    @property
    def label(self) -> str:
        """Mechanism names joined by '+' (e.g. ``whistle`` or ``whistle+grid``)."""
        return "+".join(self.mechanisms)


@dataclass
class ExperimentResult:
    """One row per run, and one row per run and day."""

    runs: pd.DataFrame
    daily: pd.DataFrame


def arms(cfg: ExperimentConfig) -> list[Arm]:
    """The treatment arm and, unless it is the same, the reference arm."""
    treatment = Arm("treatment", dict(cfg.mechanism))
    if not cfg.reference or list(cfg.reference) == list(cfg.mechanism):
        return [treatment]
    reference = {name: REGISTRY[name].config_class() for name in cfg.reference}
    return [treatment, Arm("reference", reference)]


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{prefix}.{key}", item)
    elif isinstance(value, list):
        yield prefix, ",".join(map(str, value))
    else:
        yield prefix, value


def run_parameters(cfg: ExperimentConfig, arm: Arm) -> dict[str, Any]:
    """The parameters of a run as flat columns named like Hydra overrides."""
    params: dict[str, Any] = {"days": cfg.days, "warmup_days": cfg.warmup_days}
    city = asdict(cfg.city)
    city.pop("case_types")
    city.pop("departments")
    params.update(_flatten("city", city))
    for name, mech in arm.mechanisms.items():
        params.update(_flatten(f"mechanism.{name}", mech))
    return params


def run_experiment(cfg: ExperimentConfig,
                   on_run: Callable[[], None] | None = None) -> ExperimentResult:
    """Run every arm for every replication; ``on_run`` is called after each run."""
    city = build_city(cfg.city)
    rows: list[dict[str, Any]] = []
    daily: list[pd.DataFrame] = []
    for replication in range(cfg.replications):
        for arm in arms(cfg):
            started = time.perf_counter()
            model = GovernanceModel(cfg, arm.mechanisms, replication, city)
            model.run_model()
            ids = {"scenario": cfg.scenario, "mechanism": arm.label, "arm": arm.role,
                   "seed": cfg.seed, "replication": replication,
                   "design_point": -1 if cfg.design_point is None else cfg.design_point}
            rows.append({**ids, **run_parameters(cfg, arm), **run_metrics(model),
                         "wall_seconds": time.perf_counter() - started})
            series = model.datacollector.get_model_vars_dataframe()
            daily.append(series.assign(**ids))
            if on_run is not None:
                on_run()
    daily_frame = pd.concat(daily, ignore_index=True)
    first = ["scenario", "mechanism", "arm", "seed", "replication", "day"]
    daily_frame = daily_frame[first + [c for c in daily_frame if c not in first]]
    return ExperimentResult(pd.DataFrame(rows), daily_frame)
