"""Residents (居民) as columns of numpy arrays, one entry per person.

Residents are far too many for Python objects (10 million in Dongguan, DOMAIN.md source
003), so each state variable is one array indexed by resident id. Residents of a grid
have contiguous ids (see :class:`govsim.city.City`).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from govsim.city.build import City
from govsim.config.schema import ResidentsConfig
from govsim.model.compiled import compiled

__all__ = ["Residents", "satisfaction"]


@compiled
def satisfaction(resolved: bool, days: float, handoffs: int, half_life: float,
                 handoff_keep: float, halving: float = 0.5) -> float:
    """A resident's satisfaction (0–1) with the outcome of a closed case.

    0 if the case was closed unresolved; otherwise it halves every ``half_life`` days from
    the case arising to its resolution and keeps a share ``handoff_keep`` per hand-off the
    resident lived through (forwards between departments, bounces, escalations):
    0.5^(days / half-life) × (1 − penalty)^hand-offs (assumption, docs/ODD.md).

    ``halving`` is the 0.5 of a half-life, passed as a value: compiled with the constant,
    the power becomes ``exp2``, which differs from Python's ``pow`` in the last bit.
    """
    if not resolved:
        return 0.0
    return halving ** (days / half_life) * handoff_keep ** np.float64(handoffs)


def _beta(rng: np.random.Generator, mean: float, concentration: float, n: int) -> np.ndarray:
    """Draw ``n`` values from a Beta distribution given by its mean and a + b."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(n, mean, dtype=np.float32)
    a, b = mean * concentration, (1.0 - mean) * concentration
    return rng.beta(a, b, size=n).astype(np.float32)


TIE_BLOCK = 1 << 20
"""Residents per block when building social ties: bounds the build's temporaries, so a city of
ten million peaks at its arrays plus a few blocks, not at n × k wide integers."""


def _social_ties(city: City, grid: np.ndarray, k: int, rewiring: float,
                 rng: np.random.Generator, block: int = TIE_BLOCK) -> np.ndarray:
    """Acquaintances inside each grid: a Watts–Strogatz ring of ``k`` ties, rewired at random.

    Residents of a grid stand in a ring and know their k/2 nearest on each side; each tie is
    moved to a random resident of the same grid with probability ``rewiring`` (small-world
    neighbourhoods, "熟人社会"). Built in numpy a block of residents at a time, in int32
    where ids fit: a city of millions needs no graph object. The draws (first whether each
    tie moves, then where to) come in the same order whatever the block size.
    """
    n = city.n_residents
    ids = np.int32 if n < 2**31 else np.int64
    ties = np.empty((n, k), dtype=ids)
    if k == 0:
        return ties
    blocks = [(lo, min(n, lo + block)) for lo in range(0, n, block)]
    moved = np.empty((n, k), dtype=bool)
    for lo, hi in blocks:
        moved[lo:hi] = rng.random((hi - lo, k), dtype=np.float32) < rewiring
    half = np.arange(1, k // 2 + 1, dtype=ids)
    offsets = np.concatenate([half, -half])
    for lo, hi in blocks:
        home = grid[lo:hi]
        first = city.grid_first_resident[home].astype(ids)
        size = city.grid_residents[home].astype(ids)[:, None]
        neighbour = (np.arange(lo, hi, dtype=ids) - first)[:, None] + offsets
        neighbour %= size
        anywhere = (rng.random((hi - lo, k), dtype=np.float32) * size).astype(ids)
        np.minimum(anywhere, size - 1, out=anywhere)
        np.copyto(neighbour, anywhere, where=moved[lo:hi])
        ties[lo:hi] = neighbour + first[:, None]
    return ties


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
        self.ties = _social_ties(city, self.grid, config.social_ties, config.social_rewiring,
                                  rng)
        """Each resident's acquaintances (n × k resident ids), or an empty (n × 0) array."""

    def __len__(self) -> int:
        return len(self.grid)

    def report_probability(self, ids: np.ndarray) -> np.ndarray:
        """Probability that residents report a new case themselves: propensity × trust."""
        return self.report_propensity[ids] * self.trust[ids]

    def learn(self, ids: np.ndarray, satisfaction: np.ndarray) -> None:
        """Move trust toward the satisfaction with each closed case (exponential smoothing)."""
        if len(ids) == 0:
            return
        neighbours = self.ties[ids]
        touched = np.unique(np.concatenate([ids, neighbours.ravel()]))
        sum_before = self.trust[touched].sum(dtype=np.float64)
        delta = self.config.trust_learning_rate * (satisfaction - self.trust[ids])
        if neighbours.size and self.config.social_influence > 0.0:
            heard = self.config.social_influence * (satisfaction[:, None] - self.trust[neighbours])
            np.add.at(self.trust, neighbours.ravel(), heard.ravel().astype(np.float32))
        np.add.at(self.trust, ids, delta.astype(np.float32))
        self.trust[touched] = np.clip(self.trust[touched], 0.0, 1.0)
        self.trust_sum += float(self.trust[touched].sum(dtype=np.float64) - sum_before)
        self.satisfaction[ids] = satisfaction

    def social_graph(self) -> nx.Graph:
        """The residents' acquaintance network as a networkx graph (for inspection)."""
        graph = nx.Graph()
        graph.add_nodes_from(range(len(self.grid)))
        k = self.ties.shape[1]
        graph.add_edges_from(zip(np.repeat(np.arange(len(self.grid)), k).tolist(),
                                 self.ties.ravel().tolist(), strict=True))
        graph.remove_edges_from(nx.selfloop_edges(graph))
        return graph

    @property
    def mean_trust(self) -> float:
        """Mean trust over all residents."""
        return self.trust_sum / len(self.grid)
