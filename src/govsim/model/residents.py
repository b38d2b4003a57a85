"""Residents (居民) as columns of numpy arrays, one entry per person.

Residents are far too many for Python objects (10 million in Dongguan, DOMAIN.md source
003), so each state variable is one array indexed by resident id. Residents of a grid
have contiguous ids (see :class:`govsim.city.City`).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np

from govsim.city.build import City
from govsim.config.schema import ResidentsConfig
from govsim.model.compiled import compiled
from govsim.model.streams import Purpose, RandomStreams

__all__ = ["Residents", "district_residents", "satisfaction"]


@compiled
def satisfaction(
    resolved: bool,
    days: float,
    handoffs: int,
    half_life: float,
    handoff_keep: float,
    halving: float = 0.5,
) -> float:
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


def _social_ties(
    city: City,
    grid: np.ndarray,
    people: np.ndarray,
    k: int,
    rewiring: float,
    rng: np.random.Generator,
    out: np.ndarray,
    block: int = TIE_BLOCK,
) -> None:
    """Acquaintances inside each grid: a Watts–Strogatz ring of ``k`` ties, rewired at random.

    Residents of a grid stand in a ring and know their k/2 nearest on each side; each tie is
    moved to a random resident of the same grid with probability ``rewiring`` (small-world
    neighbourhoods, "熟人社会"). Built in numpy a block of residents at a time, in int32
    where ids fit: a city of millions needs no graph object. Writes the ties of ``people``
    (resident ids, each of whose grids they fill whole; ``grid``: every resident's grid)
    into ``out``, one row each. The draws (first whether each tie moves, then where to)
    come in the same order whatever the block size.
    """
    m = len(people)
    if k == 0:
        return
    ids = out.dtype.type
    blocks = [(lo, min(m, lo + block)) for lo in range(0, m, block)]
    moved = np.empty((m, k), dtype=bool)
    for lo, hi in blocks:
        moved[lo:hi] = rng.random((hi - lo, k), dtype=np.float32) < rewiring
    half = np.arange(1, k // 2 + 1, dtype=ids)
    offsets = np.concatenate([half, -half])
    for lo, hi in blocks:
        who = people[lo:hi].astype(ids)
        home = grid[who]
        first = city.grid_first_resident[home].astype(ids)
        size = city.grid_residents[home].astype(ids)[:, None]
        neighbour = (who - first)[:, None] + offsets
        neighbour %= size
        anywhere = (rng.random((hi - lo, k), dtype=np.float32) * size).astype(ids)
        np.minimum(anywhere, size - 1, out=anywhere)
        np.copyto(neighbour, anywhere, where=moved[lo:hi])
        out[lo:hi] = neighbour + first[:, None]


def district_residents(city: City, district: int) -> np.ndarray:
    """The ids of a district's residents, in increasing order (its grids' ranges joined)."""
    grids = np.flatnonzero(city.grid_district == district)
    sizes = city.grid_residents[grids].astype(np.int64)
    starts = city.grid_first_resident[grids].astype(np.int64)
    return np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))


@compiled
def _touched(ids: np.ndarray, ties: np.ndarray) -> np.ndarray:
    """The residents ``ids`` and their acquaintances, each once, in increasing order."""
    k = ties.shape[1]
    everyone = np.empty(len(ids) * (k + 1), dtype=np.int64)
    everyone[: len(ids)] = ids
    for j in range(len(ids)):
        for t in range(k):
            everyone[len(ids) + j * k + t] = ties[ids[j], t]
    everyone.sort()
    kept = 0
    for person in everyone:
        if kept == 0 or person != everyone[kept - 1]:
            everyone[kept] = person
            kept += 1
    return everyone[:kept].copy()


@compiled
def _learn(
    trust: np.ndarray,
    kept: np.ndarray,
    ties: np.ndarray,
    ids: np.ndarray,
    satisfaction: np.ndarray,
    rate: float,
    influence: float,
    touched: np.ndarray,
) -> None:
    """Residents ``ids`` and their acquaintances learn from ``satisfaction`` with their cases.

    Every step from the trust before: ``rate`` and ``influence`` × (satisfaction − trust),
    in the satisfaction's precision, added in single precision to each acquaintance, case by
    case, then to each resident; the ``touched`` residents' trust clipped to [0, 1]; each
    resident's satisfaction ``kept``.
    """
    m, k = len(ids), ties.shape[1]
    delta = np.empty(m, dtype=np.float32)
    for j in range(m):
        delta[j] = np.float32(rate * (satisfaction[j] - trust[ids[j]]))
    if k and influence > 0.0:
        heard = np.empty((m, k), dtype=np.float32)
        for j in range(m):
            for t in range(k):
                heard[j, t] = np.float32(influence * (satisfaction[j] - trust[ties[ids[j], t]]))
        for j in range(m):
            for t in range(k):
                other = ties[ids[j], t]
                trust[other] = trust[other] + heard[j, t]
    for j in range(m):
        trust[ids[j]] = trust[ids[j]] + delta[j]
    for person in touched:
        trust[person] = min(max(trust[person], np.float32(0.0)), np.float32(1.0))
    for j in range(m):
        kept[ids[j]] = satisfaction[j]


class Residents:
    """State of every resident: home grid, trust (信任), reporting propensity, satisfaction.

    Each district's residents are drawn from the district's population stream (trust and
    propensity, then social ties), so a district's residents are the same whichever other
    districts a model holds. A model of some districts (``districts``) draws only theirs;
    the others keep zeros (no case arises among them, so nothing reads them).
    """

    def __init__(
        self,
        city: City,
        config: ResidentsConfig,
        streams: RandomStreams,
        districts: Sequence[int] | None = None,
    ) -> None:
        n = city.n_residents
        k = config.social_ties
        self.config = config
        self.grid = np.repeat(np.arange(city.n_grids, dtype=np.int32), city.grid_residents)
        self.trust = np.zeros(n, dtype=np.float32)
        self.report_propensity = np.zeros(n, dtype=np.float32)
        self.satisfaction = np.full(n, np.nan, dtype=np.float32)
        self.ties = np.zeros((n, k), dtype=np.int32 if n < 2**31 else np.int64)
        """Each resident's acquaintances (n × k resident ids), or an empty (n × 0) array."""
        for district in range(city.n_districts) if districts is None else districts:
            people = district_residents(city, district)
            if not len(people):
                continue
            rng = streams.of_district(Purpose.POPULATION, district)
            self.trust[people] = _beta(
                rng, config.trust_mean, config.trust_concentration, len(people)
            )
            self.report_propensity[people] = _beta(
                rng,
                config.report_propensity_mean,
                config.report_propensity_concentration,
                len(people),
            )
            whole = people[-1] - people[0] + 1 == len(people)
            out = (
                self.ties[people[0] : people[-1] + 1]
                if whole
                else np.empty((len(people), k), dtype=self.ties.dtype)
            )
            _social_ties(city, self.grid, people, k, config.social_rewiring, rng, out)
            if not whole:
                self.ties[people] = out
        self.trust_sum = float(self.trust.sum(dtype=np.float64))

    def __len__(self) -> int:
        return len(self.grid)

    def report_probability(self, ids: np.ndarray) -> np.ndarray:
        """Probability that residents report a new case themselves: propensity × trust."""
        return self.report_propensity[ids] * self.trust[ids]

    def hotline_share(self, ids: np.ndarray, share: float) -> float | np.ndarray:
        """The share of reporting residents ``ids`` who call 12345 rather than another channel.

        ``share`` at the city's initial mean trust; with ``hotline_trust_slope`` its
        log-odds move by slope × (trust − ``trust_mean``) resident by resident, so residents
        who trust more call the hotline more (assumption: a logistic choice; DOMAIN.md,
        "Case volumes and the three rates"). A share of 0 or 1 stays where it is.
        """
        slope = self.config.hotline_trust_slope
        if slope <= 0.0 or share <= 0.0 or share >= 1.0:
            return share
        shift = slope * (self.trust[ids].astype(float) - self.config.trust_mean)
        return 1.0 / (1.0 + (1.0 - share) / share * np.exp(-shift))

    def learn(self, ids: np.ndarray, satisfaction: np.ndarray) -> None:
        """Move trust toward the satisfaction with each closed case (exponential smoothing).

        The resident by ``learning_rate``, their acquaintances by ``social_influence``, all
        from their trust before (compiled: :func:`_learn`).
        """
        if len(ids) == 0:
            return
        kind = satisfaction.dtype.type
        touched = _touched(np.asarray(ids, dtype=np.int64), self.ties)
        sum_before = self.trust[touched].sum(dtype=np.float64)
        _learn(
            self.trust,
            self.satisfaction,
            self.ties,
            ids,
            satisfaction,
            kind(self.config.trust_learning_rate),
            kind(self.config.social_influence),
            touched,
        )
        self.trust_sum += float(self.trust[touched].sum(dtype=np.float64) - sum_before)

    def social_graph(self) -> nx.Graph:
        """The residents' acquaintance network as a networkx graph (for inspection)."""
        graph = nx.Graph()
        graph.add_nodes_from(range(len(self.grid)))
        k = self.ties.shape[1]
        graph.add_edges_from(
            zip(
                np.repeat(np.arange(len(self.grid)), k).tolist(),
                self.ties.ravel().tolist(),
                strict=True,
            )
        )
        graph.remove_edges_from(nx.selfloop_edges(graph))
        return graph

    @property
    def mean_trust(self) -> float:
        """Mean trust over all residents."""
        return self.trust_sum / len(self.grid)
