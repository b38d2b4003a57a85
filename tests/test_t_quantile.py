"""Student's t quantile of the confidence intervals, computed without scipy, against scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from govsim.analysis.stats import t_quantile
from govsim.analysis.student_t import incomplete_beta, t_ppf

stats = pytest.importorskip("scipy.stats")

FEW_DF = [*range(1, 31), 40, 60, 120, 250, 500, 999, 1000]


def test_the_95_percent_quantile_agrees_with_scipy_for_1_to_1000_degrees_of_freedom() -> None:
    df = np.arange(1, 1001, dtype=float)
    ours = np.array([t_ppf(0.975, d) for d in df])
    np.testing.assert_allclose(ours, stats.t.ppf(0.975, df), rtol=1e-9, atol=0)


@pytest.mark.parametrize("p", [1e-9, 0.005, 0.025, 0.1, 0.3, 0.6, 0.9, 0.95, 0.995, 0.9995])
def test_other_quantiles_agree_with_scipy(p: float) -> None:
    ours = np.array([t_ppf(p, float(d)) for d in FEW_DF])
    np.testing.assert_allclose(ours, stats.t.ppf(p, FEW_DF), rtol=1e-9, atol=0)


@pytest.mark.parametrize("df", [0.5, 1.0, 2.5, 7.0, 80.0])
def test_the_quantile_inverts_the_tail(df: float) -> None:
    for p in (0.6, 0.975, 0.999):
        t = t_ppf(p, df)
        assert 2 * (1 - p) == pytest.approx(stats.t.sf(t, df) * 2, rel=1e-9)
        assert t_ppf(1 - p, df) == -t


def test_incomplete_beta_agrees_with_scipy() -> None:
    special = pytest.importorskip("scipy.special")
    for a, b in [(0.5, 0.5), (2.0, 0.5), (0.5, 30.0), (250.0, 0.5), (3.0, 7.0)]:
        for x in (0.0, 1e-6, 0.1, 0.5, 0.9, 0.999, 1.0):
            assert incomplete_beta(x, a, b) == pytest.approx(special.betainc(a, b, x),
                                                             rel=1e-11, abs=1e-300)


def test_the_centre_the_normal_limit_and_nonsense() -> None:
    assert t_ppf(0.5, 3.0) == 0.0
    assert t_ppf(0.975, math.inf) == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)
    for p, df in [(0.0, 3.0), (1.0, 3.0), (0.9, 0.0), (0.9, -1.0), (0.9, math.nan)]:
        assert math.isnan(t_ppf(p, df))


def test_t_quantile_is_nan_below_two_runs_and_vectorised() -> None:
    runs = np.array([0, 1, 2, 5, 30])
    quantiles = t_quantile(runs)
    assert np.isnan(quantiles[:2]).all()
    np.testing.assert_allclose(quantiles[2:], stats.t.ppf(0.975, runs[2:] - 1), rtol=1e-9)
    assert float(t_quantile(10, level=0.9)) == pytest.approx(stats.t.ppf(0.95, 9), rel=1e-9)
