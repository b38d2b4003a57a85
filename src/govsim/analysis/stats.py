"""Means with confidence intervals, and paired differences between arms."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["mean_ci", "paired_differences", "summarise", "t_critical", "t_quantile"]


def t_critical(df: np.ndarray | float, level: float = 0.95) -> np.ndarray:
    """Student's t quantile of a two-sided ``level`` interval with ``df`` degrees of freedom.

    scipy's ``special.stdtrit``, which ``scipy.stats.t.ppf`` calls: the same numbers without
    importing ``scipy.stats`` (a second on a busy machine), where Mesa has loaded
    ``scipy.special`` already.
    """
    from scipy import special

    return special.stdtrit(df, 0.5 + level / 2)


def t_quantile(runs: np.ndarray | pd.Series | int, level: float = 0.95) -> np.ndarray:
    """Student-t quantile of a two-sided ``level`` interval for ``runs`` values (NaN below 2)."""
    n = np.asarray(runs, dtype=float)
    return np.where(n > 1, t_critical(np.maximum(n - 1, 1), level), np.nan)


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval of independent replications."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(values.mean())
    if n == 1:
        return (mean, np.nan, np.nan)
    half = float(t_quantile(n, level) * values.std(ddof=1) / np.sqrt(n))
    return (mean, mean - half, mean + half)


def summarise(runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Per arm and metric: mean, 95% CI low and high, number of runs."""
    keys = list(zip(runs["arm"], runs["mechanism"], strict=True))
    values = runs[metrics].to_numpy(dtype=float)
    rows = []
    for arm, mechanism in dict.fromkeys(keys):  # in order of appearance
        group = values[[key == (arm, mechanism) for key in keys]]
        for k, metric in enumerate(metrics):
            mean, low, high = mean_ci(group[:, k])
            rows.append(
                {
                    "arm": arm,
                    "mechanism": mechanism,
                    "metric": metric,
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "runs": len(group),
                }
            )
    return pd.DataFrame(rows)


def paired_differences(
    runs: pd.DataFrame,
    metrics: list[str],
    treatment: str = "treatment",
    reference: str = "reference",
) -> pd.DataFrame:
    """Per metric: mean of (treatment − reference) over replications, with its 95% CI.

    Replications are paired by their index, so the interval reflects common random
    numbers; ``variance_ratio`` is var(difference) / (var(treatment) + var(reference)), the
    share of the variance of an unpaired comparison that is left (below 1: CRN helped).
    ``paired`` counts the replications both arms ran, ``pairs`` those of them whose
    difference is defined (a NaN on either side is left out of the mean).
    """
    arm = runs["arm"].to_numpy()
    if not ((arm == treatment).any() and (arm == reference).any()):
        return pd.DataFrame(
            columns=[
                "metric",
                "difference",
                "ci_low",
                "ci_high",
                "variance_ratio",
                "pairs",
                "paired",
            ]
        )
    a = _by_replication(runs[arm == treatment], metrics)
    b = _by_replication(runs[arm == reference], metrics)
    common = a.index.intersection(b.index)
    treated = a.loc[common].to_numpy(dtype=float)
    referred = b.loc[common].to_numpy(dtype=float)
    rows = []
    for k, metric in enumerate(metrics):
        diff = treated[:, k] - referred[:, k]
        mean, low, high = mean_ci(diff)
        unpaired = _variance(treated[:, k]) + _variance(referred[:, k])
        ratio = _variance(diff) / unpaired if unpaired else np.nan  # NaN below two pairs
        rows.append(
            {
                "metric": metric,
                "difference": mean,
                "ci_low": low,
                "ci_high": high,
                "variance_ratio": ratio,
                "pairs": int((~np.isnan(diff)).sum()),
                "paired": len(diff),
            }
        )
    return pd.DataFrame(rows)


def _by_replication(runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """One arm's metrics indexed by replication, in replication order."""
    return runs.set_index("replication")[metrics].sort_index()


def _variance(values: np.ndarray) -> float:
    """Sample variance skipping NaN, as pandas' ``Series.var`` (NaN below two values)."""
    kept = values[~np.isnan(values)]
    return float(kept.var(ddof=1)) if len(kept) > 1 else np.nan
