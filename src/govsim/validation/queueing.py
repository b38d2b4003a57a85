"""Closed-form queueing results that degenerate govsim configurations must reproduce.

Rates are per day. See shared/VALIDATION.md for the formulas and check values
(λ = 9, μ = 1, c = 10 → P(wait) = 0.6687, Wq = 0.6687). Handling times of another shape
than the exponential (``city.handling_shape``) dock against the M/G/1 queue, whose mean
wait is exact (Pollaczek–Khinchine).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from govsim.model.weibull import squared_cv

__all__ = ["MG1", "MMc", "jackson", "mg1", "mmc", "relaxation_time", "weibull_second_moment"]


@dataclass(frozen=True)
class MMc:
    """Steady-state measures of an M/M/c queue."""

    arrival_rate: float
    service_rate: float
    servers: int
    utilisation: float
    p_wait: float
    wq: float
    w: float
    lq: float
    l: float  # noqa: E741 - the standard name in queueing theory


def mmc(arrival_rate: float, service_rate: float, servers: int) -> MMc:
    """Erlang C: the M/M/c queue with arrival rate λ, service rate μ and c servers."""
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1.0:
        raise ValueError(f"unstable queue: utilisation {rho:.3f} >= 1")
    terms = sum(a**k / math.factorial(k) for k in range(servers))
    last = a**servers / math.factorial(servers) / (1.0 - rho)
    p_wait = last / (terms + last)
    wq = p_wait / (servers * service_rate - arrival_rate)
    w = wq + 1.0 / service_rate
    return MMc(
        arrival_rate, service_rate, servers, rho, p_wait, wq, w, arrival_rate * wq, arrival_rate * w
    )


@dataclass(frozen=True)
class MG1:
    """Steady-state measures of an M/G/1 queue."""

    arrival_rate: float
    mean_service: float
    second_moment: float
    """E[S²] of the service time."""
    utilisation: float
    p_wait: float
    wq: float
    w: float


def weibull_second_moment(mean: float, shape: float) -> float:
    """E[S²] of a Weibull of shape k and this mean: mean² (1 + c²).

    c² is its squared coefficient of variation (:func:`govsim.model.weibull.squared_cv`).
    """
    return mean**2 * (1.0 + squared_cv(shape))


def mg1(arrival_rate: float, mean_service: float, second_moment: float) -> MG1:
    """Pollaczek–Khinchine: Wq = λ E[S²] / (2 (1 − ρ)), ρ = λ E[S]; P(wait) = ρ (PASTA)."""
    rho = arrival_rate * mean_service
    if rho >= 1.0:
        raise ValueError(f"unstable queue: utilisation {rho:.3f} >= 1")
    wq = arrival_rate * second_moment / (2.0 * (1.0 - rho))
    return MG1(arrival_rate, mean_service, second_moment, rho, rho, wq, wq + mean_service)


def relaxation_time(service_rate: float, servers: int, utilisation: float) -> float:
    """Approximate relaxation time 1 / (cμ(1 − √ρ)²) of an M/M/c queue."""
    return 1.0 / (servers * service_rate * (1.0 - math.sqrt(utilisation)) ** 2)


def jackson(
    external: np.ndarray, routing: np.ndarray, service_rates: np.ndarray, servers: np.ndarray
) -> tuple[list[MMc], float]:
    """An open Jackson network: solve λ = γ + Rᵀλ, treat each node as M/M/cᵢ.

    Returns each node's queue and the mean time in the network, Σ Lᵢ / Σ γ.
    """
    external = np.asarray(external, dtype=float)
    routing = np.asarray(routing, dtype=float)
    rates = np.linalg.solve(np.eye(len(external)) - routing.T, external)
    nodes = [
        mmc(float(lam), float(mu), int(c))
        for lam, mu, c in zip(rates, service_rates, servers, strict=True)
    ]
    return nodes, sum(node.l for node in nodes) / float(external.sum())
