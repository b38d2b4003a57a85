"""Sensitivity indices of one output per design point, by the design's method (SALib).

Morris designs give μ* and σ of the elementary effects, Sobol designs first-order and
total indices (S1, ST), Latin hypercubes and ensembles Spearman rank correlations. SALib
and scipy are imported when an index is computed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MAIN_INDEX", "batch_indices", "indices", "main_index", "morris_levels",
           "salib_seed"]

MAIN_INDEX = {"morris": "mu_star", "sobol": "ST"}
"""The index that ranks parameters, by method (any other method: ``spearman_rho``)."""


def main_index(method: str) -> str:
    """The column that ranks parameters by their influence (its magnitude, for ρ)."""
    return MAIN_INDEX.get(method, "spearman_rho")


def salib_seed(seed: int) -> int:
    """A positive seed for SALib, derived from the design seed.

    SALib's Sobol analysis takes a seed of 0 for no seed.
    """
    return int(np.random.default_rng([seed, 0]).integers(1, 2**31 - 1))


def _unit(problem: dict[str, Any], points: np.ndarray) -> np.ndarray:
    bounds = np.asarray(problem["bounds"], dtype=float)
    return (points - bounds[:, 0]) / (bounds[:, 1] - bounds[:, 0])


def _morris_steps(problem: dict[str, Any], points: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per trajectory and step: the factor it moves, the direction and the step's size."""
    k = int(problem["num_vars"])
    rows = _unit(problem, points).reshape(-1, k + 1, k)
    moves = np.diff(rows, axis=1)
    factor = np.abs(moves).argmax(axis=2)
    change = np.take_along_axis(moves, factor[..., None], axis=2)[..., 0]
    return factor, np.sign(change), np.abs(change)


def morris_levels(problem: dict[str, Any], points: np.ndarray) -> int:
    """The number of levels of a Morris design, read from its step (Δ = p / (2(p − 1)))."""
    delta = float(np.median(_morris_steps(problem, points)[2]))
    return max(2, round(2 * delta / (2 * delta - 1))) if delta > 0.5 else 4


def batch_indices(method: str, problem: dict[str, Any], points: np.ndarray,
                  outputs: np.ndarray) -> dict[str, np.ndarray]:
    """The indices (no intervals) of many outputs at once.

    ``outputs`` is draws × points, each index draws × parameters. The estimators are
    SALib's: Morris elementary effects over the design's Δ; Sobol on outputs standardised
    as SALib does, Saltelli (2010) first order and Jansen total order.
    """
    outputs = np.asarray(outputs, dtype=float)
    draws, k = len(outputs), int(problem["num_vars"])
    if method == "morris":
        factor, sign, _ = _morris_steps(problem, points)
        levels = morris_levels(problem, points)
        delta = levels / (2 * (levels - 1))
        change = np.diff(outputs.reshape(draws, -1, k + 1), axis=2) * sign / delta
        effects = np.empty_like(change)
        trajectories = np.arange(change.shape[1])[:, None]
        effects[:, trajectories, factor] = change
        return {"mu_star": np.abs(effects).mean(axis=1), "sigma": effects.std(axis=1, ddof=1)}
    if method == "sobol":
        spread = outputs.std(axis=1, keepdims=True)
        centred = (outputs - outputs.mean(axis=1, keepdims=True)) / np.where(spread > 0,
                                                                              spread, 1.0)
        blocks = centred.reshape(draws, -1, k + 2)
        a, b, ab = blocks[:, :, 0], blocks[:, :, -1], blocks[:, :, 1:-1]
        variance = np.var(np.concatenate([a, b], axis=1), axis=1)[:, None]
        tiny = variance <= np.finfo(float).eps
        scale = np.where(tiny, 1.0, variance)
        first = np.mean(b[..., None] * (ab - a[..., None]), axis=1) / scale
        total = 0.5 * np.mean((a[..., None] - ab) ** 2, axis=1) / scale
        return {"S1": np.where(tiny, 0.0, first), "ST": np.where(tiny, 0.0, total)}
    ranks = pd.DataFrame(points).rank().to_numpy()
    y_ranks = pd.DataFrame(outputs).rank(axis=1).to_numpy()
    x = ranks - ranks.mean(axis=0)
    z = y_ranks - y_ranks.mean(axis=1, keepdims=True)
    scale = np.sqrt((x**2).sum(axis=0)[None, :] * (z**2).sum(axis=1)[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"spearman_rho": (z @ x) / scale}


def indices(method: str, problem: dict[str, Any], points: np.ndarray, y: np.ndarray,
            seed: int) -> pd.DataFrame:
    """One row per parameter: its indices and SALib's 95% half-widths (``*_conf``).

    A Latin hypercube or an ensemble gives Spearman's ρ with its p-value.
    """
    names = list(problem["names"])
    if method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, points, y, num_levels=morris_levels(problem, points),
                             seed=salib_seed(seed))
        return pd.DataFrame({"parameter": names, "mu_star": res["mu_star"],
                             "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"]})
    if method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=False, seed=salib_seed(seed))
        return pd.DataFrame({"parameter": names, "S1": res["S1"], "S1_conf": res["S1_conf"],
                             "ST": res["ST"], "ST_conf": res["ST_conf"]})
    from scipy import stats

    rows = [(name, *stats.spearmanr(points[:, j], y)) for j, name in enumerate(names)]
    return pd.DataFrame(rows, columns=["parameter", "spearman_rho", "p_value"])
