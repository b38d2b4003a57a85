"""Degenerate configurations agree with queueing theory (shared/VALIDATION.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import experiment
from govsim.config.errors import ConfigError
from govsim.model.model import GovernanceModel
from govsim.validation.checks import CHECKS, run_check
from govsim.validation.queueing import jackson, mg1, mmc, weibull_second_moment


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


def test_pollaczek_khinchine_of_an_exponential_is_erlang_c() -> None:
    """Shape 1 is the exponential: E[S²] = 2 mean², and P–K's wait is M/M/1's."""
    assert weibull_second_moment(0.25, 1.0) == pytest.approx(2 * 0.25**2)
    assert mg1(3.0, 0.25, weibull_second_moment(0.25, 1.0)).wq == pytest.approx(mmc(3.0, 4.0, 1).wq)
    assert weibull_second_moment(1.0, 0.6) > 2.0 > weibull_second_moment(1.0, 2.0)


def _grid_jobs(shape: float, days: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Handling times and waits (days) of an M/G/1 grid at ρ = 0.75, Weibull of ``shape``."""
    cfg = experiment(
        "city=mmc",
        f"city.case_types.job.rate_per_1000_per_year={75 * 365}",
        "city.case_types.job.hours.grid=0.24",
        f"+city.handling_shape.grid={shape}",
        "mechanism=baseline",
        "reference=null",
        "horizon_days=0",
        "warmup_days=5",
        f"days={days}",
    )
    model = GovernanceModel(cfg, replication=0)
    model.run_model()
    model.drain()
    n = len(model.ledger)
    return model.ledger.staff_days[:n], model.ledger.wait_days[:n]


def test_weibull_handling_keeps_the_mean_has_its_spread_and_skew_lengthens_waits() -> None:
    """The same arrivals and draws (common random numbers) through handling of shape 0.6, 1
    and 2 at the same mean (0.01 days): each sample's mean is the mean within four standard
    errors, its coefficient of variation that of its Weibull, and the mean wait falls as the
    shape rises (P–K: waits ∝ E[S²], 2.05 : 1 : 0.64 of the exponential's)."""
    waits = []
    for shape in (0.6, 1.0, 2.0):
        times, wait = _grid_jobs(shape)
        cv = math.sqrt(weibull_second_moment(1.0, shape) - 1.0)
        assert abs(times.mean() - 0.01) < 4 * 0.01 * cv / math.sqrt(len(times))
        assert times.std() / times.mean() == pytest.approx(cv, rel=0.15)
        waits.append(wait.mean())
    assert waits[0] > 1.3 * waits[1] and waits[1] > 1.3 * waits[2]


def test_a_handling_shape_out_of_range_or_of_no_level_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"city\.handling_shape\.street"):
        experiment("city=workshop", "+city.handling_shape.street=0")
    with pytest.raises(ConfigError, match=r"city\.handling_shape\.gird"):
        experiment("city=workshop", "+city.handling_shape.gird=0.5")


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
