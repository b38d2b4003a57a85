"""Student's t quantile of the confidence intervals: scipy's, and the values it replaced."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from govsim.analysis.stats import mean_ci, t_critical, t_quantile

DF = (1, 2, 3, 4, 5, 9, 19, 29, 99, 999)
HAND_WRITTEN = {
    0.6: [
        0.32491969623290656,
        0.2886751345948131,
        0.2766706623326898,
        0.27072229470759734,
        0.26718086570414556,
        0.2609553364739115,
        0.25692281979615544,
        0.255683634571257,
        0.2540290121518049,
        0.2534145833303099,
    ],
    0.9: [
        3.0776835371752513,
        1.8856180831641265,
        1.63774435369621,
        1.5332062740589438,
        1.4758840488244793,
        1.383028738396638,
        1.3277282090268052,
        1.3114336473015573,
        1.2901614420344696,
        1.282399570036879,
    ],
    0.95: [
        6.313751514675032,
        2.919985580353724,
        2.353363434801822,
        2.1318467863266504,
        2.0150483733330224,
        1.8331129326562356,
        1.7291328115213678,
        1.699127026533495,
        1.660391156016963,
        1.6463803454265657,
    ],
    0.975: [
        12.706204736174685,
        4.30265272974946,
        3.182446305283708,
        2.7764451051977943,
        2.570581835636314,
        2.2621571627982036,
        2.0930240544083083,
        2.0452296421327016,
        1.9842169515864239,
        1.962341461133514,
    ],
    0.995: [
        63.656741162871526,
        9.92484320091829,
        5.8409093097333535,
        4.604094871349993,
        4.032142983555226,
        3.249835541592125,
        2.860934606464978,
        2.7563859036706035,
        2.6264054572808324,
        2.580759637267693,
    ],
    0.9995: [
        636.6192487687891,
        31.59905457644535,
        12.923978636687966,
        8.610301581379524,
        6.8688266258812725,
        4.780912585931217,
        3.883405852592129,
        3.6594050194663734,
        3.3915288333636884,
        3.3002924403988207,
    ],
}
"""The quantiles of the hand-written incomplete beta function scipy replaced (its
continued fraction inverted by safeguarded Newton steps)."""


@pytest.mark.parametrize("p", sorted(HAND_WRITTEN))
def test_scipy_gives_the_quantiles_the_hand_written_beta_gave(p: float) -> None:
    level = 2 * p - 1
    np.testing.assert_allclose(
        t_critical(np.array(DF, dtype=float), level), HAND_WRITTEN[p], rtol=5e-12, atol=0
    )


def test_the_intervals_use_scipys_quantile_to_the_last_bit() -> None:
    runs = np.arange(2, 1002)
    np.testing.assert_array_equal(t_quantile(runs), stats.t.ppf(0.975, runs - 1))
    assert float(t_quantile(10, level=0.9)) == stats.t.ppf(0.95, 9)
    values = np.array([1.0, 2.0, 4.0, 7.0])
    half = stats.t.ppf(0.975, 3) * values.std(ddof=1) / 2
    assert mean_ci(values) == (3.5, 3.5 - half, 3.5 + half)


def test_t_quantile_is_nan_below_two_runs_and_vectorised() -> None:
    quantiles = t_quantile(np.array([0, 1, 2, 5, 30]))
    assert np.isnan(quantiles[:2]).all() and not np.isnan(quantiles[2:]).any()
