"""A Weibull fitted to censored, weighted times: the shape of a level's handling times.

The model's handling time at a level is a Weibull of shape k with the case type's mean
(``city.handling_shape``, :func:`govsim.model.tables.handling_shapes`). A log's times with
the handler are fitted by maximum likelihood, each case weighted as
:mod:`govsim.cases.handling` weighs it at the level, with two kinds of observation:

- a closure after d: the probability of recording d. A log's times are to the minute
  begun, so a time with the handler, the difference of two such times, is d = δ j for a
  true time t in (d − δ, d + δ), δ = :data:`RESOLUTION`, with probability 1 − |t − d| / δ
  (the two times' seconds uniform and independent): the probability of d is
  ∫ f(t) (1 − |t − d| / δ) dt = (I(d − δ) − 2 I(d) + I(d + δ)) / δ, I(x) the integral of
  the survival S over (x, ∞) (S = 1 before 0), λ Γ(1 + 1/k) Q(1/k, (x/λ)^k) for x ≥ 0 with
  Q the regularised upper incomplete gamma function. A closure at d = 0 (the many cases
  closed within the minute in a grid-governance log, and a case dispatched and closed
  while the level's stations are shut, which took it no working time) weighs so as
  "quick", not as a time of zero, whose density would drive k to nothing. Taking the times
  after the first minute as exact instead, through the density, fits k = 0.6 as 0.59 at a
  scale of half an hour;
- a case still open after t: the survival, e^(−(t/λ)^k) (right-censored at the cut-off).

The fit is over (ln k, ln λ), with times in units of their weighted median so that the
optimiser starts near its answer; k is kept within the configuration's bounds.
"""

from __future__ import annotations

import math
from dataclasses import fields

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaincc

from govsim.config.schema import CityConfig
from govsim.model.weibull import mean_over_scale

__all__ = ["RESOLUTION", "SHAPE_BOUNDS", "fit_weibull"]

RESOLUTION = 1.0 / 60.0
"""Hours a log's times are recorded to (a minute): a closure's, a dispatch's."""
_CONTRACT = next(f for f in fields(CityConfig) if f.name == "handling_shape").metadata
SHAPE_BOUNDS = (float(_CONTRACT["low"]), float(_CONTRACT["high"]))
"""The bounds of ``city.handling_shape`` the configuration declares."""


EXACT_MINUTES = 30
"""Recorded times up to this many minutes take the exact probability of their minute; later
ones δ f(d), which differs from it by a share of about δ² f''(d) / (12 f(d)), under 10⁻⁴
past half an hour."""
_SIMPLEX = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1]])
"""The search's first simplex about its start: ln k and ln λ each 0.1 (10%) away."""


def fit_weibull(
    times: np.ndarray,
    closed: np.ndarray,
    weights: np.ndarray,
    start: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Shape k and scale λ (hours) of the weighted, censored maximum-likelihood Weibull.

    ``times``: hours with the handler (to the closure, or so far where ``closed`` is
    false), each the difference of two times recorded to the minute; nan or a weight of 0
    leaves a case out. (nan, nan) where fewer than two distinct closure times exceed
    :data:`RESOLUTION`: then nothing tells the shape. ``start``: a (k, λ) near the answer
    (for a bootstrap draw, the whole sample's fit), where the search begins, and it then
    stops at a relative change of 10⁻⁴ in k and λ (what an interval's end needs; the whole
    sample's fit goes on to 10⁻⁶).
    """
    keep = np.isfinite(times) & (weights > 0)
    t, e, w = np.maximum(times[keep], 0.0), closed[keep].astype(bool), weights[keep]
    timed = e & (t > RESOLUTION)
    if not w[timed].sum() or len(np.unique(t[timed])) < 2:
        return float("nan"), float("nan")
    unit = float(np.median(t[timed]))
    recorded, at = np.unique(np.rint(t[e] / RESOLUTION), return_inverse=True)  # minutes
    w_closed = np.bincount(at, weights=w[e])  # the closures of each recorded time, weighed
    delta = RESOLUTION / unit
    near = recorded <= EXACT_MINUTES
    ends = [(recorded[near] + step) * delta for step in (1, 0, -1)]  # d + δ, d, d − δ
    points, where = np.unique(np.concatenate(ends), return_inverse=True)  # mostly shared
    at_end = np.split(where, 3)
    far = recorded[~near] * delta
    open_t, w_open = t[~e] / unit, w[~e]
    lo, hi = (math.log(b) for b in SHAPE_BOUNDS)

    def negative(theta: np.ndarray) -> float:
        log_k, log_lam = theta
        k = math.exp(min(max(log_k, lo), hi))
        lam = math.exp(log_lam)
        mean = lam * mean_over_scale(k)

        def beyond(x: np.ndarray) -> np.ndarray:
            """∫ S over (x, ∞), S = 1 before 0: the mean time left past x, times S(x)."""
            inside = np.maximum(x, 0.0)
            return np.where(x >= 0, mean * gammaincc(1.0 / k, (inside / lam) ** k), mean - x)

        integral = beyond(points)
        after, at_d, before = (integral[i] for i in at_end)
        recorded_p = (after - 2.0 * at_d + before) / delta
        z = far / lam
        far_log_p = math.log(delta * k / lam) + (k - 1.0) * np.log(z) - z**k  # log δ f(d)
        closures = np.dot(w_closed[near], np.log(np.maximum(recorded_p, 1e-300)))
        closures += np.dot(w_closed[~near], far_log_p)
        still_open = np.dot(w_open, (open_t / lam) ** k)
        return -(closures - still_open)

    begin, options = np.zeros(2), {"xatol": 1e-6, "fatol": 1e-9}
    if start is not None and all(np.isfinite(start)) and min(start) > 0:
        begin = np.array([math.log(start[0]), math.log(start[1] / unit)])
        options = {"xatol": 1e-4, "fatol": 1e-6, "initial_simplex": begin + _SIMPLEX}
    best = minimize(negative, begin, method="Nelder-Mead", options=options)
    log_k, log_lam = best.x
    k = float(np.clip(math.exp(log_k), *SHAPE_BOUNDS))
    return k, float(math.exp(log_lam) * unit)
