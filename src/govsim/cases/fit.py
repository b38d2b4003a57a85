"""Fitting what a case log says about demand and closure (拟合): only what was known by a date.

From the kept cases of a checked log (:mod:`govsim.cases.check`) and a cut-off date
``until``, using only cases created by the end of that day (a case closed later is open
then: censored, not dropped):

- **demand**: the daily counts over the observed days give each category's rate on an
  ordinary day of mean weight (its count over the sum of the days' factors, as
  :class:`govsim.model.demand.Demand` multiplies them back), the weekday profile (mean
  count of each weekday on ordinary days, normalised to a mean of 1 over the week), the
  holiday factor (holidays and swapped days off against their weekday's
  expectation), the hour profile (counts by hour of the day) and the over-dispersion of the
  daily counts of each unit (method of moments: Var N = μ + δμ², the day's expectation μ
  from the unit's rate and the weekday profile, δ pooled over units), split into a part
  shared by every unit on a day, δ_D (``district_dispersion``, from the district's daily
  totals, :func:`_district_dispersion`), and each unit's own, (1 + δ) / (1 + δ_D) − 1
  (``daily_dispersion``). Intervals (95%) come
  from a bootstrap over days (days resampled with replacement, 1,000 draws; bias-corrected
  percentiles, :func:`_interval`);
- **closure**: Kaplan–Meier survival of the time from creation to closure per category
  and per handler, right-censored at the cut-off (statsmodels' ``SurvfuncRight``), with the
  median and the shares closed within 1, 3 and 7 days;
- **routing**: the share of each category's closed cases closed by each handler;
- **opening hours** (:func:`opening_hours`): when the stations work, read from when cases
  close: the shortest run of whole hours of the day holding at least 80% of the
  closures, and days off if fewer than half as many cases a day close on weekends and
  public holidays as on working days.

A log holds the cases somebody knew of; its counts are taken as the rates at which cases
arise (cases nobody reported or found cannot be counted). The holidays and swapped working
days are those of :mod:`govsim.model.demand`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from govsim.model.demand import civil_days, working_days

__all__ = [
    "DemandFit",
    "OpeningHours",
    "closing_window",
    "closure_fit",
    "day_kinds",
    "fit_demand",
    "observed",
    "opening_hours",
    "routing_shares",
]

DRAWS = 1000
QUANTILES = (0.025, 0.975)


def observed(kept: pd.DataFrame, until: date) -> pd.DataFrame:
    """The cases known by the end of ``until``: created by then, each later step not yet.

    A closing (dispatch, acceptance) time after the cut-off is taken as not yet happened.
    """
    end = pd.Timestamp(until) + pd.Timedelta(days=1)
    cases = kept[kept["created"] < end].copy()
    for name in ("closed", "dispatched", "accepted"):  # a step after the cut-off: not yet
        if name in cases:
            cases.loc[cases[name] >= end, name] = pd.NaT
    cases["censored_at"] = end
    return cases.reset_index(drop=True)


def day_kinds(first: date, count: int) -> pd.DataFrame:
    """The ``count`` days from ``first``: date, weekday, holiday, swapped working day (调休).

    By the calendar the model's demand follows (:func:`govsim.model.demand.civil_days`).
    """
    weekday, holiday, swapped = civil_days(first.isoformat(), count)
    return pd.DataFrame(
        {
            "date": [first + timedelta(days=k) for k in range(count)],
            "weekday": weekday,
            "holiday": holiday,
            "swapped_workday": swapped,
        }
    )


@dataclass
class DemandFit:
    """Fitted demand with 95% bootstrap intervals (``low``, ``high`` columns)."""

    days: int
    rates: pd.DataFrame
    """Per category: cases per day on an ordinary day of mean weight, with its interval."""
    unit_rates: pd.DataFrame
    """Per category × unit: cases per day."""
    weekday_profile: pd.DataFrame
    holiday_factor: pd.DataFrame
    hour_profile: np.ndarray
    dispersion: pd.DataFrame


def _seen(kinds: pd.DataFrame) -> np.ndarray:
    """Whether each weekday has an ordinary day (not a holiday nor a swapped day) among these."""
    ordinary = ~kinds["holiday"].to_numpy() & ~kinds["swapped_workday"].to_numpy()
    return np.bincount(kinds["weekday"].to_numpy()[ordinary], minlength=7) > 0


def _profile(counts: np.ndarray, kinds: pd.DataFrame) -> np.ndarray:
    """Relative rate of each weekday on ordinary days, normalised to a mean of 1.

    A weekday without an ordinary day gets the mean of the others (1 after normalising).
    """
    ordinary = ~kinds["holiday"].to_numpy() & ~kinds["swapped_workday"].to_numpy()
    weekday = kinds["weekday"].to_numpy()
    means = np.array(
        [
            counts[ordinary & (weekday == k)].mean()
            if (ordinary & (weekday == k)).any()
            else np.nan
            for k in range(7)
        ]
    )
    means = np.where(np.isnan(means), np.nanmean(means), means)
    return means / means.mean() if means.mean() > 0 else np.ones(7)


def _expected_factor(profile: np.ndarray, kinds: pd.DataFrame) -> np.ndarray:
    weekday = kinds["weekday"].to_numpy()
    factor = profile[weekday]
    return np.where(kinds["swapped_workday"].to_numpy(), profile[:5].mean(), factor)


def _holiday_factor(counts: np.ndarray, profile: np.ndarray, kinds: pd.DataFrame) -> float:
    holiday = kinds["holiday"].to_numpy()
    if not holiday.any():
        return float("nan")
    ordinary = ~holiday
    level = counts[ordinary].sum() / _expected_factor(profile, kinds)[ordinary].sum()
    expected = level * profile[kinds["weekday"].to_numpy()[holiday]].sum()
    return float(counts[holiday].sum() / expected) if expected > 0 else float("nan")


def _dispersion(unit_counts: np.ndarray, factor: np.ndarray) -> float:
    """δ of Var N = μ + δμ², pooled over units (rows), μ = unit level × the day's factor.

    The squared residuals are scaled by n / (n − p) for the p values fitted to the same
    counts (each unit's level and the 6 free weekday weights and the holiday factor).
    """
    level = unit_counts.sum(axis=1, keepdims=True) / factor.sum()
    mu = level * factor[None, :]
    n = unit_counts.size
    fitted = unit_counts.shape[0] + 7
    excess = ((unit_counts - mu) ** 2 * (n / max(n - fitted, 1)) - mu).sum()
    scale = (mu**2).sum()
    return float(max(0.0, excess / scale)) if scale > 0 else 0.0


def _district_dispersion(unit_counts: np.ndarray, factor: np.ndarray, total: float) -> float:
    """δ_D, the variance of a multiplier shared by every unit on a day, and ``total`` = δ.

    With every unit's day × the district's Gamma multiplier (variance δ_D) × its own
    (variance δ_S), a unit's count varies as μᵢ + δμᵢ² with 1 + δ = (1 + δ_D)(1 + δ_S), and
    the district's total as μ + δ_D μ² + (1 + δ_D) δ_S Σ μᵢ² = μ + δ_D (μ² − Σ μᵢ²) + δ Σ μᵢ².
    The method of moments over the days' totals, with δ from the units, solves for δ_D,
    the squared residuals scaled by n / (n − p) for the level and the 7 day values fitted
    (as :func:`_dispersion`); at most δ, and not kept ≥ 0 here: a district without a shared
    day gives estimates on both sides of 0, and cutting them at 0 before the units' own
    δ_S = (1 + δ) / (1 + δ_D) − 1 is taken would bias δ_S low (the caller writes δ_D ≥ 0).
    It is kept above −δ / (1 + δ) so that δ_S ≤ 2δ + δ². One unit alone cannot tell them
    apart: 0.
    """
    level = unit_counts.sum(axis=1, keepdims=True) / factor.sum()
    mu = level * factor[None, :]
    district = mu.sum(axis=0)
    n = len(factor)
    excess = (((unit_counts.sum(axis=0) - district) ** 2) * (n / max(n - 8, 1)) - district).sum()
    shared, own = (district**2).sum(), (mu**2).sum()
    if shared - own <= 0:
        return 0.0
    return float(min(max(-total / (1 + total), (excess - total * own) / (shared - own)), total))


def _interval(draws: np.ndarray, point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bias-corrected percentile intervals (Efron's BC) of each column of ``draws``.

    Where the bootstrap draws sit off-centre around the estimate (a ratio, a variance from
    the method of moments), the plain percentiles inherit the estimator's bias twice; BC
    shifts the percentiles by z₀ = Φ⁻¹(share of draws below the estimate).
    """
    from statistics import NormalDist

    normal = NormalDist()
    lows, highs = [], []
    for column, estimate in zip(draws.T, point, strict=True):
        kept = column[~np.isnan(column)]
        if not len(kept) or not np.isfinite(estimate):
            lows.append(np.nan)
            highs.append(np.nan)
            continue
        below = (np.sum(kept < estimate) + 0.5 * np.sum(kept == estimate)) / len(kept)
        z0 = normal.inv_cdf(min(max(below, 0.5 / len(kept)), 1 - 0.5 / len(kept)))
        shares = [normal.cdf(2 * z0 + normal.inv_cdf(q)) for q in QUANTILES]
        low, high = np.quantile(kept, shares)
        lows.append(low)
        highs.append(high)
    return np.array(lows), np.array(highs)


def fit_demand(
    cases: pd.DataFrame, first: date, until: date, rng: np.random.Generator
) -> DemandFit:
    """Rates, weekly, holiday and hour profiles and over-dispersion, ``first`` to ``until``."""
    kinds = day_kinds(first, (until - first).days + 1)
    day = (cases["created"].dt.normalize() - pd.Timestamp(first)).dt.days.to_numpy()
    categories = sorted(cases["category"].dropna().unique())
    units = sorted(cases["unit"].unique())
    cat = pd.Categorical(cases["category"], categories=categories).codes
    unit = pd.Categorical(cases["unit"], categories=units).codes
    n_days = len(kinds)
    by_cat = np.zeros((len(categories), n_days))
    np.add.at(by_cat, (cat[cat >= 0], day[cat >= 0]), 1)
    by_unit = np.zeros((len(units), n_days))
    np.add.at(by_unit, (unit, day), 1)
    total = by_unit.sum(axis=0)

    def estimate(sample: np.ndarray, week: np.ndarray | None = None) -> np.ndarray:
        k = kinds.iloc[sample].reset_index(drop=True)
        profile = _profile(total[sample], k)
        holiday = _holiday_factor(total[sample], profile, k)
        factor = _expected_factor(profile, k)
        if np.isfinite(holiday):
            factor = np.where(k["holiday"].to_numpy(), factor * holiday, factor)
        weights = profile
        seen = _seen(k)
        if week is not None and not seen.all():
            # a draw without some weekday's ordinary days says nothing of that weight, and
            # its others are scaled to the estimate's mean over the same weekdays
            scale = week[seen].mean() / profile[seen].mean() if profile[seen].mean() else 1.0
            weights = np.where(seen, profile * scale, np.nan)
        total_dispersion = _dispersion(by_unit[:, sample], factor)
        district = _district_dispersion(by_unit[:, sample], factor, total_dispersion)
        return np.concatenate(
            [
                by_cat[:, sample].sum(axis=1) / factor.sum(),
                weights,
                [holiday, (1 + total_dispersion) / (1 + district) - 1, max(district, 0.0)],
            ]
        )

    point = estimate(np.arange(n_days))
    m = len(categories)
    week = point[m : m + 7]
    draws = np.array([estimate(rng.integers(0, n_days, n_days), week) for _ in range(DRAWS)])
    low, high = _interval(draws, point)

    def table(index: list, rows: slice, name: str) -> pd.DataFrame:
        return pd.DataFrame(
            {name: index, "estimate": point[rows], "low": low[rows], "high": high[rows]}
        )

    hours = np.bincount(cases["created"].dt.hour.to_numpy(), minlength=24).astype(float)
    unit_rates = (cases.groupby(["category", "unit"]).size() / n_days).rename("rate")
    return DemandFit(
        days=n_days,
        rates=table(categories, slice(0, m), "category"),
        unit_rates=unit_rates.reset_index(),
        weekday_profile=table(
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], slice(m, m + 7), "weekday"
        ),
        holiday_factor=table(["holiday_factor"], slice(m + 7, m + 8), "parameter"),
        hour_profile=hours / hours.mean() if hours.sum() else np.ones(24),
        dispersion=table(
            ["daily_dispersion", "district_dispersion"], slice(m + 8, m + 10), "parameter"
        ),
    )


def closure_fit(cases: pd.DataFrame, by: str) -> pd.DataFrame:
    """Kaplan–Meier closure times (days) per value of ``by``, censored at the cut-off."""
    from statsmodels.duration.survfunc import SurvfuncRight

    rows = []
    end = cases["closed"].fillna(cases["censored_at"])
    days = ((end - cases["created"]).dt.total_seconds() / 86_400.0).clip(lower=1e-6)
    closed = cases["closed"].notna().astype(int)
    for value, index in cases.groupby(cases[by].fillna("(none)")).groups.items():
        if len(index) < 5:
            continue
        with np.errstate(all="ignore"):
            fit = SurvfuncRight(days[index].to_numpy(), closed[index].to_numpy())
            times, surv = fit.surv_times, fit.surv_prob

            def share_within(t: float, times: np.ndarray = times, surv: np.ndarray = surv) -> float:
                k = np.searchsorted(times, t, side="right") - 1
                return float(1.0 - (surv[k] if k >= 0 else 1.0))

            rows.append(
                {
                    by: value,
                    "cases": len(index),
                    "closed": int(closed[index].sum()),
                    "median_days": float(fit.quantile(0.5)),
                    "within_1_day": share_within(1.0),
                    "within_3_days": share_within(3.0),
                    "within_7_days": share_within(7.0),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            by,
            "cases",
            "closed",
            "median_days",
            "within_1_day",
            "within_3_days",
            "within_7_days",
        ],
    )


def routing_shares(cases: pd.DataFrame) -> pd.DataFrame:
    """Share of each category's closed cases closed by each handler."""
    closed = cases[cases["closed"].notna() & cases["handler"].notna()]
    counts = closed.groupby(["category", "handler"]).size().rename("cases").reset_index()
    counts["share"] = counts["cases"] / counts.groupby("category")["cases"].transform("sum")
    return counts


@dataclass
class OpeningHours:
    """Stations' opening hours as the log's closures show them."""

    opens: int
    """Hour of the day the window starts."""
    hours: int
    """Its length in whole hours."""
    share_inside: float
    """Share of the closures inside the window."""
    days_off: bool
    """Whether the stations close on weekends and public holidays."""
    day_off_ratio: float
    """Closures per weekend or holiday day over closures per working day."""


INSIDE = 0.8
"""Share of the closures the opening window must hold."""
MIN_CLOSURES = 50
"""Closures needed to read opening hours at all."""


def opening_hours(cases: pd.DataFrame) -> OpeningHours | None:
    """The stations' opening hours read from the closures (None: too few, or no hours).

    The window is the shortest run of whole hours within a day that holds at least
    :data:`INSIDE` of the closures (the earliest such run if several); days off if the
    closures per weekend or public-holiday day (swapped working days, 调休, count as working
    days) are under half those per working day.
    """
    closed = cases["closed"].dropna()
    window = closing_window(closed)
    if window is None:
        return None
    first = closed.min().normalize()
    day = ((closed.dt.normalize() - first).dt.days).to_numpy()
    off = ~working_days(first.date().isoformat(), int(day.max()) + 1)
    on_day_off = off[day]
    per_off = on_day_off.sum() / max(int(off.sum()), 1)
    per_working = (~on_day_off).sum() / max(int((~off).sum()), 1)
    ratio = float(per_off / per_working) if per_working > 0 else float("nan")
    return OpeningHours(
        opens=window[0],
        hours=window[1],
        share_inside=window[2],
        days_off=bool(off.any() and ratio < 0.5),
        day_off_ratio=ratio,
    )


def closing_window(closed: pd.Series) -> tuple[int, int, float] | None:
    """The shortest run of whole hours holding :data:`INSIDE` of the closure times ``closed``.

    Returns its opening hour, length and the share inside (the earliest run if several);
    None with fewer than :data:`MIN_CLOSURES` closures or none with a time of day.
    """
    if len(closed) < MIN_CLOSURES or (closed == closed.dt.normalize()).all():
        return None
    counts = np.bincount(closed.dt.hour.to_numpy(), minlength=24)
    share = counts / counts.sum()
    hours, opens = min(
        (b - a, a)
        for a in range(24)
        for b in range(a + 1, 25)
        if share[a:b].sum() >= INSIDE - 1e-12
    )
    return opens, hours, float(share[opens : opens + hours].sum())
