"""The residents' social ties: built a block at a time, in int32, inside each home grid."""

from __future__ import annotations

import numpy as np
import pytest

from govsim.city.build import build_city
from govsim.experiments.compose import compose
from govsim.model.residents import _social_ties


@pytest.fixture(scope="module")
def city():
    return build_city(compose(["city=workshop", "city.residents.social_rewiring=0.3"]).city)


def _ties(city, block: int) -> np.ndarray:
    grid = np.repeat(np.arange(city.n_grids, dtype=np.int32), city.grid_residents)
    return _social_ties(city, grid, 4, 0.3, np.random.default_rng(11), block=block)


def test_the_block_size_changes_no_tie(city) -> None:
    whole = _ties(city, city.n_residents)
    for block in (1, 7, 1000):
        assert np.array_equal(_ties(city, block), whole)


def test_ties_are_int32_and_stay_in_the_home_grid(city) -> None:
    ties = _ties(city, 64)
    grid = np.repeat(np.arange(city.n_grids), city.grid_residents)
    assert ties.dtype == np.int32 and ties.shape == (city.n_residents, 4)
    assert (grid[ties] == grid[:, None]).all()
    rewired = ties != _social_ties(city, grid.astype(np.int32), 4, 0.0,
                                   np.random.default_rng(11), block=64)
    assert 0.1 < rewired.mean() < 0.35  # about the rewiring share (some land on a ring tie)
