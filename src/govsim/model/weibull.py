"""The Weibull of the model's handling times: its moments for a shape k, the mean kept.

A level's handling time is a Weibull of shape k scaled to the case type's mean
(``city.handling_shape``, :func:`govsim.model.tables.handling_shapes`); what the fit of a
log's shapes and the queueing checks need of it are its mean over its scale and its spread.
"""

from __future__ import annotations

import math

__all__ = ["mean_over_scale", "squared_cv"]


def mean_over_scale(shape: float) -> float:
    """A Weibull's mean over its scale λ: Γ(1 + 1/k) (1 for the exponential, k = 1)."""
    return math.gamma(1.0 + 1.0 / shape)


def squared_cv(shape: float) -> float:
    """A Weibull's squared coefficient of variation: Γ(1 + 2/k) / Γ(1 + 1/k)² − 1."""
    return math.gamma(1.0 + 2.0 / shape) / mean_over_scale(shape) ** 2 - 1.0
