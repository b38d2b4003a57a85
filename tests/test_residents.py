"""The residents' social ties (built a block at a time, in int32, inside each home grid) and
their learning from closed cases (compiled, numpy's arithmetic to the last bit)."""

from __future__ import annotations

import numpy as np
import pytest

from govsim.city.build import build_city
from govsim.composition.compose import compose
from govsim.model.residents import Residents, _social_ties
from govsim.model.streams import RandomStreams


@pytest.fixture(scope="module")
def city():
    return build_city(compose(["city=workshop", "city.residents.social_rewiring=0.3"]).city)


def _ties(city, block: int, rewiring: float = 0.3) -> np.ndarray:
    grid = np.repeat(np.arange(city.n_grids, dtype=np.int32), city.grid_residents)
    ties = np.empty((city.n_residents, 4), dtype=np.int32)
    _social_ties(
        city,
        grid,
        np.arange(city.n_residents),
        4,
        rewiring,
        np.random.default_rng(11),
        ties,
        block=block,
    )
    return ties


def test_the_block_size_changes_no_tie(city) -> None:
    whole = _ties(city, city.n_residents)
    for block in (1, 7, 1000):
        assert np.array_equal(_ties(city, block), whole)


def test_ties_are_int32_and_stay_in_the_home_grid(city) -> None:
    ties = _ties(city, 64)
    grid = np.repeat(np.arange(city.n_grids), city.grid_residents)
    assert ties.dtype == np.int32 and ties.shape == (city.n_residents, 4)
    assert (grid[ties] == grid[:, None]).all()
    rewired = ties != _ties(city, 64, rewiring=0.0)
    assert 0.1 < rewired.mean() < 0.35  # about the rewiring share (some land on a ring tie)


def test_a_case_reopened_on_its_closing_day_teaches_the_closure_s_satisfaction() -> None:
    """A case closed unsolved and reopened by the resident's call the same day: the resident
    learns from the closure they lived through (its satisfaction was reset on reopening)."""
    from govsim.model.model import GovernanceModel
    from govsim.model.state import EngineState

    cfg = compose(
        [
            "city=district",
            "city.districts=3",
            "city.streets_per_district=2",
            "city.case_load_scale=0.6",
            "days=47",
            "prereform_days=5",
            "seed=3",
            "mechanism=[hotline,assessment,cross_region,whistle,centre,mediation_ladder]",
        ]
    )
    model = GovernanceModel(cfg, None, 1)
    learnt: list[tuple[np.ndarray, np.ndarray]] = []
    take = EngineState.take_closed

    def watched(state: EngineState) -> tuple[np.ndarray, np.ndarray]:
        closed, scores = take(state)
        learnt.append((closed.copy(), scores.copy()))
        return closed, scores

    model.engine.take_closed = watched.__get__(model.engine)
    model.run_model()
    reopened = [
        score
        for closed, scores in learnt
        for case, score in zip(closed, scores, strict=True)
        if model.ledger.reopened[case]
    ]
    assert reopened, "the run should reopen cases"
    assert np.isfinite(reopened).all()
    assert np.isfinite(model.residents.trust).all()
    assert np.isfinite(model.residents.mean_trust)


def test_a_district_s_residents_are_the_same_whichever_districts_are_built() -> None:
    from govsim.model.residents import Residents, district_residents
    from govsim.model.streams import RandomStreams

    city = build_city(
        compose(["city=district", "city.districts=3", "city.streets_per_district=1"]).city
    )
    people = [district_residents(city, d) for d in range(3)]
    assert np.array_equal(np.sort(np.concatenate(people)), np.arange(city.n_residents))
    config = city.config.residents
    whole = Residents(city, config, RandomStreams(5))
    one = Residents(city, config, RandomStreams(5), districts=[2])
    for name in ("trust", "report_propensity", "ties"):
        assert np.array_equal(getattr(one, name)[people[2]], getattr(whole, name)[people[2]])
        assert not getattr(one, name)[people[0]].any()  # not built: no case arises there
    assert not np.array_equal(whole.trust[people[0]][:100], whole.trust[people[1]][:100])


def _learnt_as_numpy(
    trust: np.ndarray,
    ties: np.ndarray,
    ids: np.ndarray,
    satisfaction: np.ndarray,
    rate: float,
    influence: float,
) -> np.ndarray:
    """Trust after learning, as numpy computes it (unbuffered adds in single precision)."""
    trust = trust.copy()
    neighbours = ties[ids]
    touched = np.unique(np.concatenate([ids, neighbours.ravel()]))
    delta = rate * (satisfaction - trust[ids])
    heard = influence * (satisfaction[:, None] - trust[neighbours])
    np.add.at(trust, neighbours.ravel(), heard.ravel().astype(np.float32))
    np.add.at(trust, ids, delta.astype(np.float32))
    trust[touched] = np.clip(trust[touched], 0.0, 1.0)
    return trust


@pytest.mark.parametrize("precision", [np.float32, np.float64])
def test_residents_learn_as_numpy_to_the_last_bit(city, precision: type) -> None:
    cfg = compose(
        [
            "city=workshop",
            "city.residents.social_influence=0.2",
            "city.residents.trust_learning_rate=0.3",
        ]
    ).city.residents
    residents = Residents(city, cfg, RandomStreams(5))
    rng = np.random.default_rng(8)
    for _ in range(20):
        ids = rng.integers(0, len(residents), 300)  # a resident may close several cases
        satisfaction = rng.random(300).astype(precision)
        satisfaction[::7] = 0.0  # overdue
        expected = _learnt_as_numpy(
            residents.trust,
            residents.ties,
            ids,
            satisfaction,
            cfg.trust_learning_rate,
            cfg.social_influence,
        )
        before = residents.trust_sum
        residents.learn(ids, satisfaction)
        assert np.array_equal(residents.trust, expected)
        last = {int(person): value for person, value in zip(ids, satisfaction, strict=True)}
        assert all(residents.satisfaction[p] == np.float32(v) for p, v in last.items())
        assert residents.trust_sum != before
    assert residents.trust_sum == pytest.approx(residents.trust.sum(dtype=np.float64))
