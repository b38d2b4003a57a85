"""Escalation above the street read from a log: k closures above over the days open."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from govsim.cases.escalation import MIN_CASES, escalation_table, with_escalation


def _cases(case_type: str, n: int, days_open: float, above: int) -> pd.DataFrame:
    """``n`` cases open ``days_open`` days each, the first ``above`` closed above the street."""
    created = pd.Timestamp("2025-05-01 09:00")
    return pd.DataFrame(
        {
            "category": case_type,
            "created": [created] * n,
            "closed": [created + pd.Timedelta(days=days_open)] * n,
            "censored_at": [pd.Timestamp("2025-05-15")] * n,
            "handler": ["above"] * above + ["grid"] * (n - above),
        }
    )


def test_the_rate_is_the_cases_gone_above_over_the_days_open_with_an_exact_interval() -> None:
    open_case = _cases("a", 1, 0.0, 0).assign(closed=pd.NaT)  # open at the cut-off: 13.6 days
    cases = pd.concat(
        [_cases("a", 100, 2.0, 4), open_case, _cases("b", 50, 1.0, 0)], ignore_index=True
    )
    table = escalation_table(cases).set_index("case_type")
    exposure = 200.0 + 14 - 9 / 24
    assert table.loc["a", "days_open"] == pytest.approx(exposure)
    assert table.loc["a", "rate"] == pytest.approx(4 / exposure)
    assert table.loc["a", "low"] == pytest.approx(chi2.ppf(0.025, 8) / 2 / exposure)
    assert table.loc["a", "high"] == pytest.approx(chi2.ppf(0.975, 10) / 2 / exposure)
    # none gone above: the rate is 0, and only its upper end reads the days open
    assert table.loc["b", "rate"] == 0.0 and table.loc["b", "low"] == 0.0
    assert table.loc["b", "high"] == pytest.approx(3.689 / 50.0, rel=1e-3)


def test_a_log_without_escalations_takes_the_template_s_rate_to_zero() -> None:
    from govsim.cases.city import load_city

    workshop_city = load_city("workshop")
    names = list(workshop_city.case_types)
    assert all(workshop_city.case_types[t].escalation_rate_per_day > 0 for t in names[:3])
    cases = pd.concat(
        [
            _cases(names[0], MIN_CASES, 1.0, 0),
            _cases(names[1], MIN_CASES, 1.0, 3),
            _cases(names[2], MIN_CASES - 1, 1.0, 0),
        ],
        ignore_index=True,
    )
    city, table = with_escalation(workshop_city, escalation_table(cases))
    assert city.case_types[names[0]].escalation_rate_per_day == 0.0
    assert city.case_types[names[1]].escalation_rate_per_day == pytest.approx(3 / MIN_CASES)
    # too few cases to read: the template's stays
    assert (
        city.case_types[names[2]].escalation_rate_per_day
        == workshop_city.case_types[names[2]].escalation_rate_per_day
    )
    table = table.set_index("case_type")
    assert table.loc[names[:3], "source"].tolist() == ["log", "log", "template"]
    assert np.isclose(
        table.loc[names[0], "was"], workshop_city.case_types[names[0]].escalation_rate_per_day
    )
