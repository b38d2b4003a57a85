"""Figures: mechanisms compared over time (mean of replications with a 95% band)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from govsim.experiments.files import save_figure
from govsim.experiments.stats import t_quantile

__all__ = ["PANELS", "plot_comparison"]

PANELS = {
    "share_arisen_settled_at_or_below_street": "share of cases so far settled at or below "
                                               "the street (venue)",
    "share_arisen_handled_at_or_below_street": "share of cases so far handled at or below "
                                               "the street (no staff above)",
    "backlog": "open cases",
    "satisfaction_rate": "share of cases so far with a satisfied resident",
}


def _band(daily: pd.DataFrame, column: str) -> pd.DataFrame:
    """Mean and 95% t-interval of ``column`` over replications, per day."""
    stats = daily.groupby("day")[column].agg(["mean", "std", "count"])
    half = t_quantile(stats["count"]) * stats["std"] / np.sqrt(stats["count"])
    return pd.DataFrame({"day": stats.index, "mean": stats["mean"],
                         "low": stats["mean"] - half, "high": stats["mean"] + half})


def plot_comparison(daily: pd.DataFrame, path: Path, title: str = "") -> Path:
    """Plot each panel of :data:`PANELS` per mechanism over time; write a PNG atomically."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True)
    for ax, (column, label) in zip(axes.flat, PANELS.items(), strict=True):
        for mechanism, group in daily.groupby("mechanism", sort=False):
            band = _band(group, column)
            line, = ax.plot(band["day"], band["mean"], label=mechanism)
            ax.fill_between(band["day"], band["low"], band["high"], alpha=0.25,
                            color=line.get_color(), linewidth=0)
        ax.set_title(label)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("day")
    axes[0, 0].legend(title="mechanism")
    n = daily["replication"].nunique()
    fig.suptitle(title or f"mean of {n} replications, 95% confidence band")
    return save_figure(fig, path)
