"""Fitting what a case log says about demand and closure (拟合): only what was known by a date.

From the kept cases of a checked log (:mod:`govsim.cases.check`) and a cut-off date
``until``, using only cases created by the end of that day (a case closed later is open
then: censored, not dropped):

- **demand**: the daily counts over the observed days give each category's rate on an
  ordinary day of mean weight (its count over the sum of the days' factors, as
  :class:`govsim.model.demand.Demand` multiplies them back), the weekday profile (mean
  count of each weekday on ordinary days, normalised to a mean of 1 over the week, each
  weekday shrunk toward its class's mean, working days or rest days, by empirical Bayes:
  :func:`_profile`), the holiday factor (holidays and swapped days off against their weekday's
  expectation), the hour profile (counts by hour of the day) and the over-dispersion of the
  daily counts of each unit (method of moments: Var N = μ + δμ², the day's expectation μ
  from the unit's rate and the weekday profile, δ pooled over units), split into a part
  shared by every unit on a day, δ_D (``district_dispersion``, from the district's daily
  totals, :func:`_district_dispersion`), and each unit's own, (1 + δ) / (1 + δ_D) − 1
  (``daily_dispersion``), both from the residuals around the shrunk profile with the
  degrees of freedom it takes. Intervals (95%) come
  from a bootstrap over days (days resampled with replacement, 1,000 draws; bias-corrected
  percentiles, :func:`_interval`), each draw's weekday weights drawn from their posterior
  about the fit's (:class:`Profile`); the draws themselves are kept
  (:attr:`DemandFit.draws`, run by ``govsim cases validate``: :mod:`govsim.cases.demand_draws`);
- **closure**: Kaplan–Meier survival of the time from creation to closure per category
  and per handler, right-censored at the cut-off (statsmodels' ``SurvfuncRight``), with the
  median and the shares closed within 1, 3 and 7 days;
- **routing**: the share of each category's closed cases closed by each handler;
- **opening hours** (:func:`opening_hours`): when the stations work, read from when cases
  close: the shortest run of whole hours of the day holding at least 80% of the
  closures, and days off if fewer than half as many cases a day close on weekends and
  public holidays as on working days.

A log holds the cases somebody knew of; its counts are taken as the rates at which cases
arise (cases nobody reported or found cannot be counted). Assumed of the week: the
weekdays of a class differ by a spread τ² common to both classes, against which a weekday's
own days are weighed (Efron and Morris 1973, 1975: empirical Bayes estimation of means);
days of a kind are exchangeable, so the day bootstrap stands for the level's and the
dispersions' sampling uncertainty. The holidays and swapped working
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
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DRAWN = ("level", "holiday_factor", "daily_dispersion", "district_dispersion")
"""The parameter draws' columns besides the weekday weights (:attr:`DemandFit.draws`)."""


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
    draws: pd.DataFrame
    """The bootstrap's parameter draws, one row each (:data:`DRAWN`): the level (all rates ×
    it), the weekday weights, the holiday factor, the two dispersions."""


CLASSES = ((0, 1, 2, 3, 4), (5, 6))
"""The weekdays' classes a weekday's weight is shrunk toward: working days, rest days."""
CLASS = np.array([c for w in range(7) for c, members in enumerate(CLASSES) if w in members])
"""Each weekday's class, Monday to Sunday (an index into :data:`CLASSES`)."""


def _ordinary(kinds: pd.DataFrame) -> np.ndarray:
    """Which days are ordinary: neither a holiday nor a swapped working day."""
    return ~kinds["holiday"].to_numpy() & ~kinds["swapped_workday"].to_numpy()


def _ordinary_means(counts: np.ndarray, kinds: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each weekday's number of ordinary days and their mean count (0 where none)."""
    ordinary = _ordinary(kinds)
    weekday = kinds["weekday"].to_numpy()[ordinary]
    n = np.bincount(weekday, minlength=7)
    return n, np.bincount(weekday, weights=counts[ordinary], minlength=7) / np.maximum(n, 1)


def _class_sizes(seen: np.ndarray) -> np.ndarray:
    """For each weekday, how many weekdays of its class are ``seen``."""
    return np.bincount(CLASS[seen], minlength=len(CLASSES))[CLASS]


def _class_means(values: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """For each weekday, the mean of ``values`` over the ``seen`` weekdays of its class.

    nan for a class with none seen.
    """
    sums = np.bincount(CLASS[seen], weights=values[seen], minlength=len(CLASSES))[CLASS]
    sizes = _class_sizes(seen)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sizes > 0, sums / sizes, np.nan)


def _smoother_dof(n: np.ndarray, shrink: np.ndarray) -> float:
    """tr(2H − HᵀH) of the shrunk weekday means as a linear smoother H of the ordinary days.

    A day of weekday w is fitted as (1 − B_w) m_w + B_w M_c, m_v the mean of weekday v's n_v
    days and M_c the mean of m_v over the k_c weekdays seen in w's class: with
    A_wv = (1 − B_w) [w = v] + B_w / k_c, H's entry for a day of w and one of v is A_wv / n_v,
    so tr H = Σ_w A_ww and tr HᵀH = Σ_wv n_w A_wv² / n_v (the shrinkage B taken as given).
    With the same n_w throughout it is Σ_c 1 + (1 − 1/k_c) Σ_w (1 − B_w²); with holidays
    the n_w differ and it does not reduce so.
    """
    seen = n > 0
    sizes = np.maximum(_class_sizes(seen), 1)
    same = (CLASS[:, None] == CLASS[None, :]) & seen[:, None] & seen[None, :]
    a = np.where(same, (shrink / sizes)[:, None], 0.0) + np.diag(np.where(seen, 1.0 - shrink, 0.0))
    ratio = np.where(same, n[:, None] / np.maximum(n, 1)[None, :], 0.0)
    return float(2.0 * np.trace(a) - (ratio * a**2).sum())


@dataclass(frozen=True)
class Profile:
    """A weekday profile (mean 1 over the week) and what fitting it took from the counts."""

    weights: np.ndarray
    """Relative rate of each weekday, Monday to Sunday: ``level`` × ``relative``."""
    dof: float
    """The residual degrees of freedom it takes beyond the level, tr(2H − HᵀH) − 1 of its hat
    matrix H on the ordinary days (:func:`_smoother_dof`; 1: the classes' ratio alone; 6:
    seven free weights), so that the squared residuals scaled by n / (n − p) estimate the
    days' variance without bias."""
    shrinkage: np.ndarray
    """Each weekday's weight toward its class mean, B in [0, 1] (1: none of its own)."""
    level: np.ndarray
    """Each weekday's class mean, in the units of ``weights``."""
    relative: np.ndarray
    """Each weekday's shrunk rate relative to its class mean (1 for a weekday unseen)."""
    posterior: np.ndarray
    """The posterior variance of ``relative``: (1 − B) v (τ² for a weekday unseen)."""

    def resampled(self, counts: np.ndarray, kinds: pd.DataFrame) -> np.ndarray:
        """The class means read off other days, each weekday's ``relative`` kept.

        Each class's mean is the mean over its weekdays seen among these of their mean count
        over their relative rate, so that a resample lacking some weekday does not move it;
        a class unseen keeps its ratio to the others. In the units of ``weights`` (mean 1).
        """
        n, raw = _ordinary_means(counts, kinds)
        usable = (n > 0) & (self.relative > 0)
        level = _class_means(raw / np.where(usable, self.relative, 1.0), usable)
        if np.isnan(level).all():
            return self.level
        level = np.where(np.isnan(level), self.level * np.nanmean(level / self.level), level)
        mean = (level * self.relative).mean()
        return level / mean if mean > 0 else self.level

    def draw(self, level: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Weights of a posterior draw about the class means ``level``, mean 1."""
        relative = np.maximum(rng.normal(self.relative, np.sqrt(self.posterior)), 0.0)
        means = level * relative
        return means / means.mean() if means.mean() > 0 else np.ones(7)


def _profile(counts: np.ndarray, kinds: pd.DataFrame) -> Profile:
    """Relative rate of each weekday on ordinary days, shrunk toward its class, mean 1.

    Each weekday's mean count m_w over its n_w ordinary days, relative to its class's mean
    (:data:`CLASSES`), z_w = m_w / M_c, is shrunk toward 1 by empirical Bayes (method of
    moments): the noise of z_w is v_w = s² / n_w, s² the relative variance of one day's count
    about its weekday's mean, pooled over weekdays with two ordinary days or more (the
    Poisson 1 / mean count where none has); the weekdays' own spread τ² is what the
    classes' scatter Σ (z_w − 1)² holds beyond its noise (1 − 1/k_c) Σ v_w, per degree of
    freedom d = Σ (k_c − 1), pooled over the classes. Then z_w ← 1 + (1 − B_w) (z_w − 1)
    with B_w = (d − 2) / d · v_w / (v_w + τ²), at most 1 (Efron and Morris's unbiased
    estimate of v / (v + τ²), James–Stein's positive part; none with d ≤ 2, too few weekdays
    to tell their spread from their noise): a weekday seen once or twice says little of its
    own, many weeks keep their profile. A weekday without an ordinary day takes its class's
    mean; a class without one the other's. The posterior variance of z_w is (1 − B_w) v_w
    (τ² for one unseen).
    """
    ordinary = _ordinary(kinds)
    weekday = kinds["weekday"].to_numpy()[ordinary]
    days = counts[ordinary]
    n, raw = _ordinary_means(counts, kinds)
    seen = n > 0
    if not seen.any() or raw[seen].mean() <= 0:
        return Profile(np.ones(7), 0.0, np.ones(7), np.ones(7), np.ones(7), np.zeros(7))
    repeated = seen & (n >= 2) & (raw > 0)
    if repeated.any():
        inside = repeated[weekday]
        spread = ((days[inside] / raw[weekday[inside]] - 1.0) ** 2).sum()
        s2 = spread / (n[repeated] - 1).sum()
    else:
        s2 = 1.0 / raw[seen].mean()
    level = _class_means(raw, seen)
    sizes = _class_sizes(seen)
    spread_told = seen & (sizes >= 2) & (level > 0)  # classes with a spread to tell
    scattered = raw / np.where(spread_told, level, 1.0)
    scatter = float(((scattered - 1.0) ** 2)[spread_told].sum())
    noise = float(((1 - 1 / np.maximum(sizes, 1)) * s2 / np.maximum(n, 1))[spread_told].sum())
    dof = int(spread_told.sum()) - len(np.unique(CLASS[spread_told]))
    level = np.where(np.isnan(level), np.nanmean(level), level)
    between = (scatter - noise) / dof if dof else 0.0
    v = s2 / np.maximum(n, 1)
    constant = max(dof - 2, 0) / dof if dof else 0.0  # James–Stein's (k − 3) / (k − 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(v + between > 0, constant * v / (v + between), 1.0)
    shrink = np.where(seen, np.minimum(own, 1.0), 1.0)
    z = np.where(seen & (level > 0), raw / np.where(level > 0, level, 1.0), 1.0)
    relative = 1.0 + (1.0 - shrink) * (z - 1.0)
    means = level * relative
    effective = _smoother_dof(n, shrink) - 1.0  # the level is counted on its own
    mean = means.mean()
    posterior = np.where(seen, (1 - shrink) * v, max(between, 0.0))
    return Profile(means / mean, max(effective, 0.0), shrink, level / mean, relative, posterior)


def _expected_factor(profile: np.ndarray, kinds: pd.DataFrame) -> np.ndarray:
    weekday = kinds["weekday"].to_numpy()
    factor = profile[weekday]
    return np.where(kinds["swapped_workday"].to_numpy(), profile[:5].mean(), factor)


def _holiday_factor(counts: np.ndarray, profile: np.ndarray, kinds: pd.DataFrame) -> float:
    holiday = kinds["holiday"].to_numpy()
    if not holiday.any():
        return float("nan")
    ordinary = ~holiday
    weight = _expected_factor(profile, kinds)[ordinary].sum()
    if weight <= 0:  # no ordinary day of any weight to compare the holidays with
        return float("nan")
    level = counts[ordinary].sum() / weight
    expected = level * profile[kinds["weekday"].to_numpy()[holiday]].sum()
    return float(counts[holiday].sum() / expected) if expected > 0 else float("nan")


def _dispersion(unit_counts: np.ndarray, factor: np.ndarray, day_values: float) -> float:
    """δ of Var N = μ + δμ², pooled over units (rows), μ = unit level × the day's factor.

    The squared residuals are scaled by n / (n − p) for the p values fitted to the same
    counts: each unit's level and ``day_values``, the effective degrees of freedom of the
    days' factors (the shrunk weekday profile's, :class:`Profile`, and the holiday factor).
    """
    level = unit_counts.sum(axis=1, keepdims=True) / factor.sum()
    mu = level * factor[None, :]
    n = unit_counts.size
    fitted = unit_counts.shape[0] + day_values
    excess = ((unit_counts - mu) ** 2 * (n / max(n - fitted, 1)) - mu).sum()
    scale = (mu**2).sum()
    return float(max(0.0, excess / scale)) if scale > 0 else 0.0


def _district_dispersion(
    unit_counts: np.ndarray, factor: np.ndarray, total: float, day_values: float
) -> float:
    """δ_D, the variance of a multiplier shared by every unit on a day, and ``total`` = δ.

    With every unit's day × the district's Gamma multiplier (variance δ_D) × its own
    (variance δ_S), a unit's count varies as μᵢ + δμᵢ² with 1 + δ = (1 + δ_D)(1 + δ_S), and
    the district's total as μ + δ_D μ² + (1 + δ_D) δ_S Σ μᵢ² = μ + δ_D (μ² − Σ μᵢ²) + δ Σ μᵢ².
    The method of moments over the days' totals, with δ from the units, solves for δ_D,
    the squared residuals scaled by n / (n − p) for the level and ``day_values`` fitted
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
    scale = n / max(n - 1 - day_values, 1)
    excess = (((unit_counts.sum(axis=0) - district) ** 2) * scale - district).sum()
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

    fitted = _profile(total, kinds)

    def estimate(sample: np.ndarray, draw: np.random.Generator | None = None) -> np.ndarray:
        """The estimates from the days ``sample``; with ``draw``, a draw of the weights.

        A draw's class means are read off the resampled days, each weekday's relative rate
        drawn from its posterior about the fit's (:class:`Profile`): a day bootstrap of a
        weekday seen once would give it its one day or, in a third of the resamples, none.
        The level and the holiday factor are read against the drawn weights, which a run of
        the draw multiplies them by, so that its expected count of these days, holidays and
        ordinary days apart, is theirs. The dispersions are read around the weights fitted to
        the days (the class means × the fit's relative rates): their n / (n − p) counts the
        degrees of freedom of weights fitted to the days, and a drawn profile's departure
        from those, the same for every unit on a weekday, would be read as variance of the
        district's day (δ_D) on top of the weights' uncertainty the draw already carries.
        """
        k = kinds.iloc[sample].reset_index(drop=True)
        counts = total[sample]

        def factors(weights: np.ndarray) -> tuple[float, np.ndarray]:
            """The holiday factor against ``weights`` and the days' factors with it."""
            holiday = _holiday_factor(counts, weights, k)
            factor = _expected_factor(weights, k)
            if np.isfinite(holiday):
                factor = np.where(k["holiday"].to_numpy(), factor * holiday, factor)
            return holiday, factor

        level = fitted.level if draw is None else fitted.resampled(counts, k)
        weights = level * fitted.relative
        drawn = weights if draw is None else fitted.draw(level, draw)
        holiday, factor = factors(weights)
        day_values = fitted.dof + np.isfinite(holiday)
        total_dispersion = _dispersion(by_unit[:, sample], factor, day_values)
        district = _district_dispersion(by_unit[:, sample], factor, total_dispersion, day_values)
        if draw is not None:
            holiday, factor = factors(drawn)
        return np.concatenate(
            [
                by_cat[:, sample].sum(axis=1) / factor.sum(),
                drawn,
                [
                    holiday,
                    (1 + total_dispersion) / (1 + district) - 1,
                    district if district > 0 else 0.0,
                ],
            ]
        )

    point = estimate(np.arange(n_days))
    m = len(categories)
    draws = np.array([estimate(rng.integers(0, n_days, n_days), rng) for _ in range(DRAWS)])
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
        weekday_profile=table(WEEKDAYS, slice(m, m + 7), "weekday").assign(
            shrinkage=fitted.shrinkage
        ),
        holiday_factor=table(["holiday_factor"], slice(m + 7, m + 8), "parameter"),
        hour_profile=hours / hours.mean() if hours.sum() else np.ones(24),
        dispersion=table(
            ["daily_dispersion", "district_dispersion"], slice(m + 8, m + 10), "parameter"
        ),
        draws=_parameter_draws(draws, point, m),
    )


def _parameter_draws(draws: np.ndarray, point: np.ndarray, m: int) -> pd.DataFrame:
    """The bootstrap's draws as the calendar takes them, the level relative to the estimate.

    A draw without a holiday takes the estimate's holiday factor (1 without one).
    """
    rates = point[:m].sum()
    holiday = point[m + 7] if np.isfinite(point[m + 7]) else 1.0
    table = pd.DataFrame(draws[:, m : m + 10], columns=[*WEEKDAYS, *DRAWN[1:]])
    table.insert(0, "level", draws[:, :m].sum(axis=1) / rates if rates > 0 else 1.0)
    table["holiday_factor"] = table["holiday_factor"].fillna(holiday)
    return table


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
