"""Calibrating behaviour to a case log (行为参数校准): an ensemble of accepted parameter sets.

What a log measures directly (demand, closure times, routing) is estimated by
:mod:`govsim.cases.fit`; the behaviour behind it (report delays, departments' response
delays, settlement probabilities, staffing) is not. :func:`calibrate` fits such parameters,
each within a stated range (``--param KEY=LOW:HIGH``), to what the log shows over the fit
period (the city's day 0 up to the first held-out day):

- **the daily series**: the root mean squared difference between the simulated mean and
  the log's cases per day, relative to the log's mean (:func:`daily_error`);
- **the closure-time distribution**: the Kolmogorov–Smirnov distance between the closure
  times of the cases closed in the period, both sides censored at its end the same way
  (:func:`govsim.cases.holdout.period`).

The loss is their sum. Each trial (Optuna's TPE sampler, seeded, so a calibration is
reproducible) runs the city at one parameter set, ``replications`` times with the same
seeds in every trial (common random numbers: trials differ by their parameters only).

**Uncertainty kept.** Not a single best point: the ensemble is every trial whose loss lies
within the best ``accept`` share of the trials (at least two), the rejection step of
approximate Bayesian computation over the trials Optuna ran. TPE concentrates its trials
where the loss is low, so the ensemble describes the parameter sets that fit about as well
as the best, with equal weights; it is not a posterior distribution. Its table is the
format of ``hydra.sweeper.method=ensemble`` (one column per key), so the same sets drive
any sweep and ``govsim uncertainty``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govsim.analysis.calibrate import Param, suggest
from govsim.composition.overrides import range_overrides

__all__ = ["Ensemble", "calibrate", "daily_counts", "daily_error"]


@dataclass
class Ensemble:
    """The trials of a calibration and the parameter sets it accepted."""

    trials: pd.DataFrame
    """One row per trial: its number, one column per key, ``daily_error``, ``ks_distance``,
    ``loss`` and ``accepted``, best first."""
    params: list[Param]

    @property
    def members(self) -> pd.DataFrame:
        """The accepted parameter sets, best first: one column per key."""
        keys = [key for key, *_ in self.params]
        return self.trials.loc[self.trials["accepted"], keys].reset_index(drop=True)


def daily_counts(cases: pd.DataFrame, first: pd.Timestamp, days: int) -> np.ndarray:
    """Cases created on each of ``days`` days from ``first``."""
    day = ((cases["created"] - first).dt.total_seconds() // 86_400).astype(int).to_numpy()
    return np.bincount(day[(day >= 0) & (day < days)], minlength=days).astype(float)


def daily_error(real: np.ndarray, simulated: np.ndarray) -> float:
    """Root mean squared difference of daily counts, relative to the real mean count."""
    scale = real.mean() if real.mean() > 0 else 1.0
    return float(np.sqrt(np.mean((simulated - real) ** 2)) / scale)


def calibrate(
    simulate: Callable[[list[str]], list[pd.DataFrame]],
    real: pd.DataFrame,
    first: pd.Timestamp,
    days: int,
    params: list[Param],
    trials: int,
    accept: float,
    seed: int,
    on_trial: Callable[[], None] | None = None,
) -> Ensemble:
    """Fit ``params`` to the log's cases ``real`` of the ``days`` days from ``first``.

    ``simulate(overrides)`` runs the city over the same period once per replication and
    returns each run's cases cut as ``real`` is (:func:`govsim.cases.holdout.period`).
    """
    import optuna
    from scipy.stats import ks_2samp

    series = daily_counts(real, first, days)
    closed = real.loc[real["done"], "days"].to_numpy()

    def objective(trial: optuna.Trial) -> float:
        runs = simulate(range_overrides(params, suggest(trial, params)))
        mean = np.mean([daily_counts(run, first, days) for run in runs], axis=0)
        pooled = np.concatenate([run.loc[run["done"], "days"].to_numpy() for run in runs])
        ks = float(ks_2samp(closed, pooled).statistic) if len(closed) and len(pooled) else 1.0
        error = daily_error(series, mean)
        trial.set_user_attr("daily_error", error)
        trial.set_user_attr("ks_distance", ks)
        if on_trial is not None:
            on_trial()
        return error + ks

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=trials)
    rows = [
        {
            "trial": t.number,
            **t.params,
            "daily_error": t.user_attrs["daily_error"],
            "ks_distance": t.user_attrs["ks_distance"],
            "loss": t.value,
        }
        for t in study.trials
    ]
    table = pd.DataFrame(rows).sort_values(["loss", "trial"], ignore_index=True)
    kept = max(2, math.ceil(accept * len(table)))
    table["accepted"] = table.index < kept
    return Ensemble(table, params)
