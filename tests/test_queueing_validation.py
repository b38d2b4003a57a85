"""Degenerate configurations agree with queueing theory (shared/VALIDATION.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import experiment
from govsim.validation.checks import CHECKS, run_check
from govsim.validation.queueing import jackson, mmc


def test_erlang_c_check_values() -> None:
    q = mmc(9.0, 1.0, 10)
    assert q.p_wait == pytest.approx(0.6687, abs=5e-5)
    assert q.wq == pytest.approx(0.6687, abs=5e-5)
    assert q.l == pytest.approx(9.0 * (q.wq + 1.0))


def test_mm1_closed_form() -> None:
    lam, mu = 3.0, 4.0
    q = mmc(lam, mu, 1)
    rho = lam / mu
    assert q.p_wait == pytest.approx(rho)
    assert q.wq == pytest.approx(rho / (mu - lam))
    with pytest.raises(ValueError, match="unstable"):
        mmc(4.0, 4.0, 1)


def test_tandem_jackson_network_is_a_sum_of_queues() -> None:
    nodes, sojourn = jackson(
        np.array([5.0, 0.0]), np.array([[0, 1.0], [0, 0]]), np.array([8.0, 6.0]), np.array([1, 1])
    )
    assert [n.arrival_rate for n in nodes] == pytest.approx([5.0, 5.0])
    assert sojourn == pytest.approx(1 / (8 - 5) + 1 / (6 - 5))


@pytest.mark.slow
@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_degenerate_configuration_matches_theory(check) -> None:
    table = run_check(check, lambda overrides: experiment(*overrides))
    assert table["tight"].all(), table[~table["tight"]].to_string()
    misses = table[~table["within_ci"]]
    assert len(misses) <= 1, misses.to_string()
    assert misses["within_ci_999"].all(), misses.to_string()
    assert check.replications >= 30
    assert check.warmup_days >= 1 and not math.isnan(table["mean"].sum())
