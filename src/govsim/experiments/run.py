"""Running experiments: paired replications of a treatment and a reference arm.

Replication r of every arm uses the same streams (seed, r), so the arms see the same
residents and the same cases: differences between arms come from the mechanisms (common
random numbers). :func:`run` is govsim's Python API::

    import govsim
    result = govsim.run("mechanism=whistle", "replications=5")
    result.runs      # one row per run (arm × replication): parameters and metrics
    result.daily     # one row per run and day: the daily series
    result.units     # one row per run and service point: per-unit results
    result.config    # the validated configuration that ran
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from govsim.city.build import City, build_city
from govsim.composition.compositions import compose_in_process
from govsim.config.schema import ExperimentConfig
from govsim.experiments.arms import Arm, arms
from govsim.experiments.columns import RUN_IDS, configuration
from govsim.experiments.districts import CityRun, simulate
from govsim.model.capacity import capacity_warnings
from govsim.model.compiled import cache_folder, compile_seconds
from govsim.model.model import GovernanceModel
from govsim.model.tables import case_type_table
from govsim.outcomes.daily import DAILY_REPORTERS
from govsim.outcomes.metrics import run_metrics
from govsim.outcomes.units import unit_results

__all__ = ["Arm", "RunResult", "arms", "run", "run_experiment", "run_parameters"]

log = logging.getLogger("govsim")


@dataclass
class RunResult:
    """The results of an experiment: runs, daily series, per-unit results, configuration."""

    runs: pd.DataFrame
    daily: pd.DataFrame
    units: pd.DataFrame
    config: ExperimentConfig


def run_parameters(cfg: ExperimentConfig, arm: Arm) -> dict[str, Any]:
    """Every configuration value of a run of ``arm``, named like Hydra overrides.

    The columns are described in :mod:`govsim.experiments.columns`.
    """
    return configuration(cfg, arm.mechanisms)


def run_experiment(
    cfg: ExperimentConfig,
    on_run: Callable[[], None] | None = None,
    experiment_arms: list[Arm] | None = None,
    first_replication: int = 0,
) -> RunResult:
    """Run every arm for every replication; ``on_run`` is called after each run.

    The replications are ``first_replication`` to ``first_replication + replications − 1``
    (streams of their own for each block of runs that numbers its replications so).
    """
    city = build_city(cfg.city)
    for warning in capacity_warnings(city, case_type_table(city), city.station_servers):
        log.warning(warning)
    rows: list[dict[str, Any]] = []
    daily: list[pd.DataFrame] = []
    units: list[pd.DataFrame] = []
    for replication in range(first_replication, first_replication + cfg.replications):
        for arm in experiment_arms or arms(cfg):
            started, compiling = time.perf_counter(), compile_seconds()
            model, series, compiled_elsewhere = _simulate(cfg, arm, replication, city)
            compiled = compile_seconds() - compiling + compiled_elsewhere
            if compiled > 0.0:
                log.info(
                    "compiled the event engine in %.0f s (cached in %s for later runs)",
                    compiled,
                    cache_folder(),
                )
            ids = {
                "scenario": cfg.scenario,
                "mechanism": arm.label,
                "arm": arm.role,
                "seed": cfg.seed,
                "replication": replication,
                "design_point": -1 if cfg.design_point is None else cfg.design_point,
            }
            rows.append(
                {
                    **ids,
                    **run_parameters(cfg, arm),
                    **run_metrics(model),
                    "wall_seconds": time.perf_counter() - started,
                    "compile_seconds": compiled,
                }
            )
            days = len(series["day"])
            daily.append(pd.DataFrame({**series, **{k: [v] * days for k, v in ids.items()}}))
            units.append(unit_results(model, ids))
            if on_run is not None:
                on_run()
    first = list(RUN_IDS)
    daily_frame = pd.concat(daily, ignore_index=True)
    daily_frame = daily_frame[
        [*first, "day"] + [c for c in daily_frame if c not in (*first, "day", "design_point")]
    ]
    units_frame = pd.concat(units, ignore_index=True)
    units_frame = units_frame[first + [c for c in units_frame if c not in (*first, "design_point")]]
    return RunResult(pd.DataFrame(rows), daily_frame, units_frame, cfg)


def _simulate(
    cfg: ExperimentConfig, arm: Arm, replication: int, city: City
) -> tuple[GovernanceModel | CityRun, dict[str, list[Any]], float]:
    """One run to its end: the finished model, its daily series, compiling done elsewhere.

    The last is the seconds other processes spent compiling the engine for the run. With
    ``district_workers`` > 1, the city merged from its districts' runs stands for the model.
    """
    if cfg.district_workers > 1 and city.n_districts > 1:
        merged = simulate(
            cfg, arm.mechanisms, replication, city, cfg.district_workers, cfg.district_backend
        )
        return merged, merged.daily, merged.compile_seconds
    model = GovernanceModel(cfg, arm.mechanisms, replication, city, DAILY_REPORTERS)
    model.run_model()
    return model, model.datacollector.model_vars, 0.0


def run(*overrides: str) -> RunResult:
    """Compose a configuration from Hydra overrides and run it (govsim's Python API)."""
    cfg = compose_in_process(list(overrides))
    cfg.progress = False
    return run_experiment(cfg)
