"""Residents (居民) as columns of numpy arrays, one entry per person.

Residents are far too many for Python objects (10 million in Dongguan, DOMAIN.md source
003), so each state variable is one array indexed by resident id. Residents of a grid
have contiguous ids (see :class:`govsim.city.City`).
"""

from __future__ import annotations

import numpy as np

from govsim.city import City
from govsim.config import ResidentsConfig

__all__ = ["Residents"]


def _beta(rng: np.random.Generator, mean: float, concentration: float, n: int) -> np.ndarray:
    """Draw ``n`` values from a Beta distribution given by its mean and a + b."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(n, mean, dtype=np.float32)
    a, b = mean * concentration, (1.0 - mean) * concentration
    return rng.beta(a, b, size=n).astype(np.float32)


class Residents:
    """State of every resident: home grid, trust (信任), reporting propensity, satisfaction."""

    def __init__(self, city: City, config: ResidentsConfig, rng: np.random.Generator) -> None:
        n = city.n_residents
        self.config = config
        self.grid = np.repeat(np.arange(city.n_grids, dtype=np.int32), city.grid_residents)
        self.trust = _beta(rng, config.trust_mean, config.trust_concentration, n)
        self.report_propensity = _beta(
            rng, config.report_propensity_mean, config.report_propensity_concentration, n
        )
        self.satisfaction = np.full(n, np.nan, dtype=np.float32)
        self.trust_sum = float(self.trust.sum(dtype=np.float64))

    def __len__(self) -> int:
        return len(self.grid)

    def report_probability(self, ids: np.ndarray) -> np.ndarray:
        """Probability that residents report a new case themselves: propensity × trust."""
        return self.report_propensity[ids] * self.trust[ids]

    def learn(self, ids: np.ndarray, satisfaction: np.ndarray) -> None:
        """Move trust toward the satisfaction with each closed case (exponential smoothing)."""
        if len(ids) == 0:
            return
        touched = np.unique(ids)
        sum_before = self.trust[touched].sum(dtype=np.float64)
        delta = self.config.trust_learning_rate * (satisfaction - self.trust[ids])
        np.add.at(self.trust, ids, delta.astype(np.float32))
        self.trust[touched] = np.clip(self.trust[touched], 0.0, 1.0)
        self.trust_sum += float(self.trust[touched].sum(dtype=np.float64) - sum_before)
        self.satisfaction[ids] = satisfaction

    @property
    def mean_trust(self) -> float:
        """Mean trust over all residents."""
        return self.trust_sum / len(self.grid)
