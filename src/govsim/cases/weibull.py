"""A Weibull fitted to censored, weighted times: the shape of a level's handling times.

The model's handling time at a level is a Weibull of shape k with the case type's mean
(``city.handling_shape``, :func:`govsim.model.tables.handling_shapes`). A log's times with
the handler are fitted by maximum likelihood, each case weighted as
:mod:`govsim.cases.handling` weighs it at the level, with three kinds of observation:

- a closure after t > :data:`RESOLUTION` hours: the density, k/λ (t/λ)^(k−1) e^(−(t/λ)^k);
- a closure within :data:`RESOLUTION` (a log's times are to the minute, and a case
  dispatched and closed while the level's stations are shut took it no working time): the
  probability of closing by then, 1 − e^(−(δ/λ)^k) (left-censored), so that the many
  cases closed at once in a grid-governance log weigh as "quick", not as a time of zero,
  whose density would drive k to nothing;
- a case still open after t: the survival, e^(−(t/λ)^k) (right-censored at the cut-off).

The fit is over (ln k, ln λ), with times in units of their weighted median so that the
optimiser starts near its answer; k is kept within the configuration's bounds.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize

__all__ = ["RESOLUTION", "SHAPE_BOUNDS", "fit_weibull", "squared_cv"]

RESOLUTION = 1.0 / 60.0
"""Hours within which a closure counts as at once (a log's times are to the minute)."""
SHAPE_BOUNDS = (0.1, 20.0)
"""The bounds of ``city.handling_shape`` in the configuration."""


def squared_cv(shape: float) -> float:
    """A Weibull's squared coefficient of variation: Γ(1 + 2/k) / Γ(1 + 1/k)² − 1."""
    return math.gamma(1.0 + 2.0 / shape) / math.gamma(1.0 + 1.0 / shape) ** 2 - 1.0


def fit_weibull(times: np.ndarray, closed: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """Shape k and scale λ (hours) of the weighted, censored maximum-likelihood Weibull.

    ``times``: hours with the handler (to the closure, or so far where ``closed`` is
    false); nan or a weight of 0 leaves a case out. (nan, nan) where no case closed after
    :data:`RESOLUTION`: then nothing tells the shape.
    """
    keep = np.isfinite(times) & (weights > 0)
    t, e, w = np.maximum(times[keep], 0.0), closed[keep].astype(bool), weights[keep]
    exact = e & (t > RESOLUTION)
    early = e & ~exact
    if not w[exact].sum() or len(np.unique(t[exact])) < 2:
        return float("nan"), float("nan")
    unit = float(np.median(t[exact]))
    t = t / unit
    delta = RESOLUTION / unit
    log_t = np.log(t[exact])
    w_exact, w_early = w[exact], w[early].sum()
    lo, hi = (math.log(b) for b in SHAPE_BOUNDS)

    def negative(theta: np.ndarray) -> float:
        log_k, log_lam = theta
        k = math.exp(min(max(log_k, lo), hi))
        z = np.exp(k * (np.log(np.maximum(t, 1e-300)) - log_lam))  # (t / λ)^k
        dens = np.dot(w_exact, math.log(k) - log_lam + (k - 1.0) * (log_t - log_lam))
        surv = -np.dot(w, np.where(e & ~exact, 0.0, z))  # every case survives to its time
        quick = w_early * math.log(
            -math.expm1(-math.exp(k * (math.log(delta) - log_lam))) or 1e-300
        )
        return -(dens + surv + quick)

    best = minimize(
        negative, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9}
    )
    log_k, log_lam = best.x
    k = float(np.clip(math.exp(log_k), *SHAPE_BOUNDS))
    return k, float(math.exp(log_lam) * unit)
