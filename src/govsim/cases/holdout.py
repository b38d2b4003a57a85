"""Comparing a simulated period with the real log of the same period (留出验证).

Both sides are cut the same way: cases created from the first held-out day to the log's
last day, their closures seen only up to the end of that day (later ones are open then).
:func:`compare` gives, for the log and the simulation (pooled over replications), the
cases per day, closure-time quantiles and the shares closed within 1, 3 and 7 days
(Kaplan–Meier, censored at the end), with the Kolmogorov–Smirnov distance between the
closure times of the cases closed in the period; :func:`per_unit` the volumes and
median closure times of each unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["compare", "per_unit", "period"]

WITHIN = (1.0, 3.0, 7.0)


def period(cases: pd.DataFrame, first: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Cases created in [first, end); closures after ``end`` are open at ``end``."""
    chosen = cases[(cases["created"] >= first) & (cases["created"] < end)].copy()
    chosen.loc[chosen["closed"] >= end, "closed"] = pd.NaT
    chosen["days"] = (
        (chosen["closed"].fillna(end) - chosen["created"]).dt.total_seconds() / 86_400.0
    ).clip(lower=1e-6)
    chosen["done"] = chosen["closed"].notna()
    return chosen.reset_index(drop=True)


def _survival(cases: pd.DataFrame) -> dict[str, float]:
    from statsmodels.duration.survfunc import SurvfuncRight

    if cases["done"].sum() == 0:
        return {f"closed_within_{t:g}_days": 0.0 for t in WITHIN} | {
            "closure_median_days": float("nan"),
            "closure_p90_days": float("nan"),
        }
    with np.errstate(all="ignore"):
        fit = SurvfuncRight(cases["days"].to_numpy(), cases["done"].astype(int).to_numpy())
    times, surv = fit.surv_times, fit.surv_prob

    def within(t: float) -> float:
        k = np.searchsorted(times, t, side="right") - 1
        return float(1.0 - (surv[k] if k >= 0 else 1.0))

    return {f"closed_within_{t:g}_days": within(t) for t in WITHIN} | {
        "closure_median_days": float(fit.quantile(0.5)),
        "closure_p90_days": float(fit.quantile(0.9)),
    }


def compare(
    log: pd.DataFrame, simulated: pd.DataFrame, days: int, replications: int
) -> pd.DataFrame:
    """One row per measure: the log's value, the simulation's, and their difference."""
    from scipy.stats import ks_2samp

    real = {"cases_per_day": len(log) / days, **_survival(log)}
    sim = {"cases_per_day": len(simulated) / days / replications, **_survival(simulated)}
    closed_real = log.loc[log["done"], "days"]
    closed_sim = simulated.loc[simulated["done"], "days"]
    ks = (
        float(ks_2samp(closed_real, closed_sim).statistic)
        if len(closed_real) and len(closed_sim)
        else float("nan")
    )
    rows = [
        {
            "measure": name,
            "log": real[name],
            "simulated": sim[name],
            "difference": sim[name] - real[name],
        }
        for name in real
    ]
    rows.append(
        {
            "measure": "ks_distance_closure_days",
            "log": float("nan"),
            "simulated": ks,
            "difference": ks,
        }
    )
    return pd.DataFrame(rows)


def per_unit(
    log: pd.DataFrame, simulated: pd.DataFrame, days: int, replications: int
) -> pd.DataFrame:
    """Cases per day and median closure days of each unit, in the log and simulated."""

    def side(cases: pd.DataFrame, scale: float) -> pd.DataFrame:
        grouped = cases.groupby("unit")
        return pd.DataFrame(
            {
                "cases_per_day": grouped.size() / scale,
                "median_closure_days": grouped.apply(
                    lambda c: c.loc[c["done"], "days"].median(), include_groups=False
                ),
            }
        )

    table = (
        side(log, days)
        .add_suffix("_log")
        .join(side(simulated, days * replications).add_suffix("_simulated"), how="outer")
    )
    return table.reset_index()
