"""Sensitivity indices of one output per design point, by the design's method (SALib).

Morris designs give μ* and σ of the elementary effects; Sobol designs first-order and
total indices (S1, ST) and, when sampled with second-order columns (``second_order`` in
the problem), the second-order indices S2 of every pair (:func:`pair_indices`); FAST
designs (extended FAST, Saltelli et al. 1999) S1 and ST; Latin hypercubes and ensembles,
whose points may be any sample, Spearman rank correlations, the moment-independent δ
(Borgonovo 2007, Plischke et al. 2013; SALib's ``delta``, its raw estimate, NaN with too
few points) and PAWN (Pianosi & Wagener 2015; the median and maximum over conditioning
slices of the Kolmogorov–Smirnov distance). Every estimator is SALib's but one: the
Morris elementary effects :func:`batch_indices` computes for all bootstrap draws at once
(SALib's ``morris.analyze`` takes one output at a time, about a thousand times slower over
200 draws; ``tests/test_effects.py`` checks they agree). SALib and scipy are imported when
an index is computed.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd

from govsim.experiments.design import FAST_HARMONICS

__all__ = [
    "MAIN_INDEX",
    "PAWN_SLICES",
    "batch_indices",
    "indices",
    "main_index",
    "morris_levels",
    "pair_indices",
    "salib_seed",
]

PAWN_SLICES = 10
"""PAWN's conditioning slices (SALib's default), fewer with fewer than five points each."""
MAIN_INDEX = {"morris": "mu_star", "sobol": "ST", "fast": "ST"}
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


def batch_indices(
    method: str, problem: dict[str, Any], points: np.ndarray, outputs: np.ndarray
) -> dict[str, np.ndarray]:
    """The indices (no intervals) of many outputs at once.

    ``outputs`` is draws × points, each index draws × parameters. The estimators are
    SALib's: Morris elementary effects over the design's Δ; Sobol on outputs standardised
    as SALib does, SALib's Saltelli (2010) first-order and Jansen total-order estimators
    (``sobol.first_order``, ``sobol.total_order``) on every draw at once; FAST is SALib's
    own, draw by draw.
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
        from SALib.analyze import sobol

        spread = outputs.std(axis=1, keepdims=True)
        centred = (outputs - outputs.mean(axis=1, keepdims=True)) / np.where(
            spread > 0, spread, 1.0
        )
        width = 2 * k + 2 if problem.get("second_order") else k + 2  # A, AB_j, (BA_j), B
        blocks = centred.reshape(draws, -1, width).transpose(1, 0, 2)  # rows × draws × width
        a, b = blocks[:, :, 0], blocks[:, :, -1]
        return {
            name: np.column_stack([_quiet(estimator, a, blocks[:, :, 1 + j], b) for j in range(k)])
            for name, estimator in (("S1", sobol.first_order), ("ST", sobol.total_order))
        }
    if method == "fast":
        from SALib.analyze import fast

        found = [
            _quiet(fast.analyze, problem, row, M=FAST_HARMONICS, num_resamples=1) for row in outputs
        ]
        return {name: np.array([f[name] for f in found]) for name in ("S1", "ST")}
    ranks = pd.DataFrame(points).rank().to_numpy()
    y_ranks = pd.DataFrame(outputs).rank(axis=1).to_numpy()
    x = ranks - ranks.mean(axis=0)
    z = y_ranks - y_ranks.mean(axis=1, keepdims=True)
    scale = np.sqrt((x**2).sum(axis=0)[None, :] * (z**2).sum(axis=1)[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"spearman_rho": (z @ x) / scale}


def _quiet(analyze: Any, *args: Any, **kwargs: Any) -> Any:
    """A SALib analysis without its printed notes and warnings (on small samples)."""
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        return analyze(*args, **kwargs)


def _given_data(
    problem: dict[str, Any], points: np.ndarray, y: np.ndarray, seed: int
) -> pd.DataFrame:
    """Spearman's ρ, δ and PAWN: indices of any sample of points."""
    from SALib.analyze import delta, pawn
    from scipy import stats

    names = list(problem["names"])
    rows = [(name, *stats.spearmanr(points[:, j], y)) for j, name in enumerate(names)]
    table = pd.DataFrame(rows, columns=["parameter", "spearman_rho", "p_value"])
    moment = _quiet(delta.analyze, problem, points, y, seed=salib_seed(seed), method="delta")
    table["delta"], table["delta_conf"] = moment["delta_raw"], moment["delta_raw_conf"]
    slices = max(2, min(PAWN_SLICES, len(y) // 5))
    ks = _quiet(pawn.analyze, problem, points, y, S=slices, seed=salib_seed(seed))
    table["pawn_median"], table["pawn_max"] = ks["median"], ks["maximum"]
    return table


def indices(
    method: str, problem: dict[str, Any], points: np.ndarray, y: np.ndarray, seed: int
) -> pd.DataFrame:
    """One row per parameter: its indices and SALib's 95% half-widths (``*_conf``).

    A Latin hypercube or an ensemble gives Spearman's ρ with its p-value, δ and PAWN.
    """
    names = list(problem["names"])
    if method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(
            problem, points, y, num_levels=morris_levels(problem, points), seed=salib_seed(seed)
        )
        return pd.DataFrame(
            {
                "parameter": names,
                "mu_star": res["mu_star"],
                "mu_star_conf": res["mu_star_conf"],
                "sigma": res["sigma"],
            }
        )
    if method in ("sobol", "fast"):
        from SALib.analyze import fast, sobol

        res = (
            sobol.analyze(
                problem,
                y,
                calc_second_order=bool(problem.get("second_order")),
                seed=salib_seed(seed),
            )
            if method == "sobol"
            else _quiet(fast.analyze, problem, y, M=FAST_HARMONICS, seed=salib_seed(seed))
        )
        return pd.DataFrame(
            {
                "parameter": names,
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            }
        )
    return _given_data(problem, points, y, seed)


def pair_indices(
    method: str, problem: dict[str, Any], y: np.ndarray, seed: int
) -> pd.DataFrame | None:
    """Sobol's second-order indices S2 of every pair with SALib's 95% half-widths.

    None unless the design is Sobol's sampled with second-order columns.
    """
    if method != "sobol" or not problem.get("second_order"):
        return None
    from SALib.analyze import sobol

    res = sobol.analyze(problem, y, calc_second_order=True, seed=salib_seed(seed))
    names = list(problem["names"])
    rows = [
        {
            "parameter": names[i],
            "with": names[j],
            "S2": res["S2"][i, j],
            "S2_conf": res["S2_conf"][i, j],
        }
        for i in range(len(names))
        for j in range(i + 1, len(names))
    ]
    return pd.DataFrame(rows, columns=["parameter", "with", "S2", "S2_conf"])
