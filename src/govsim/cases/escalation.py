"""Escalation above the street read from a log (上访、越级): how often its cases went there.

A case type's ``escalation_rate_per_day`` is the hazard at which an unattended grievance
becomes a petition and leaves the street for the district's petition office and courts.
The template city's types carry the archetype's rates (0.005 to 0.03 a day); a district's
log shows how many of its cases closed above the street — the closing units its mapping
places ``above`` — and a log that shows none (Haishu, May 2025: not one of 2,545 cases)
leaves no room for the archetype's 2% of simulated cases closed by the petition office.

Per case type the fit counts the cases that closed above the street, k, over the days its
cases were open, T (report → closure, or → the cut-off for a case still open), and writes
the rate k / T, with the exact Poisson 95% interval of k over T (Garwood; k = 0 gives
[0, 3.69 / T]). Assumptions, stated: the hazard is constant with a case's age (the model's
grows with ``severity_growth_per_day``, so for k > 0 the rate is high for young cases and
low for old ones); every open day is exposed, while the model's clock runs only while a
case waits, so T is an upper bound on the exposure and k / T a lower bound on the rate —
neither matters at k = 0, where the estimate is 0 and only its upper end reads T. A type
with fewer than :data:`MIN_CASES` cases keeps the template's rate.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy.stats import chi2

from govsim.config.schema import CityConfig

__all__ = ["ABOVE", "MIN_CASES", "escalation_table", "escalation_text", "with_escalation"]

ABOVE = "above"
"""The closing unit the mapping gives for the petition office and courts (above the street)."""
MIN_CASES = 30
"""Cases a type needs for its escalation rate to be read from the log."""


def escalation_table(cases: pd.DataFrame) -> pd.DataFrame:
    """Per case type: cases, closed above the street, days open, rate per day, 95% interval.

    ``cases`` are the fit's (``category`` the case type; ``censored_at`` the cut-off).
    """
    end = cases["closed"].fillna(cases["censored_at"])
    days = ((end - cases["created"]).dt.total_seconds() / 86_400.0).clip(lower=0.0)
    above = (cases["handler"] == ABOVE) & cases["closed"].notna()
    frame = pd.DataFrame({"case_type": cases["category"], "days": days, "above": above})
    table = (
        frame.groupby("case_type")
        .agg(cases=("days", "size"), above=("above", "sum"), days_open=("days", "sum"))
        .reset_index()
    )
    k, exposure = table["above"].to_numpy(float), table["days_open"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["rate"] = np.where(exposure > 0, k / exposure, np.nan)
        low = np.where(k > 0, chi2.ppf(0.025, 2 * k) / 2, 0.0)
        table["low"] = np.where(exposure > 0, low / exposure, np.nan)
        table["high"] = np.where(exposure > 0, chi2.ppf(0.975, 2 * k + 2) / 2 / exposure, np.nan)
    return table


def with_escalation(city: CityConfig, table: pd.DataFrame) -> tuple[CityConfig, pd.DataFrame]:
    """The city with each read type's ``escalation_rate_per_day``; the table with ``was``."""
    read = table[
        (table["cases"] >= MIN_CASES)
        & table["rate"].notna()
        & table["case_type"].isin(list(city.case_types))
    ]
    rates = dict(zip(read["case_type"], read["rate"], strict=True))
    was = {t: c.escalation_rate_per_day for t, c in city.case_types.items()}
    case_types = {
        t: dataclasses.replace(c, escalation_rate_per_day=round(float(rates[t]), 6))
        if t in rates
        else c
        for t, c in city.case_types.items()
    }
    out = table.assign(
        was=table["case_type"].map(was),
        source=np.where(table["case_type"].isin(list(rates)), "log", "template"),
    )
    return dataclasses.replace(city, case_types=case_types), out


def escalation_text(table: pd.DataFrame) -> str:
    """The report's section on escalation above the street."""
    shown = table.assign(days_open=table["days_open"].round(1))
    above = int(table["above"].sum())
    return (
        "\n## Escalation above the street\n\n"
        f"{above:,} of {int(table['cases'].sum()):,} cases closed above the street. Each "
        f"type with at least {MIN_CASES} cases gets the rate k / days open "
        "(`escalation_rate_per_day`, exact Poisson 95% interval; "
        "`govsim.cases.escalation`), others the template's (`was`).\n\n"
        + shown.to_markdown(index=False, floatfmt=".3g")
        + "\n"
    )
