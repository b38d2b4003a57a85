"""Figures: mechanisms compared over time (mean of replications with a 95% band), and saving."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from govsim.compare import mean_ci
from govsim.results import write_atomic

__all__ = ["PANELS", "plot_comparison", "save_figure"]

PANELS = {
    "share_resolved_at_or_below_street": "share resolved at or below street",
    "backlog": "open cases",
    "department_backlog": "open cases with departments",
    "mean_satisfaction": "mean satisfaction (closed cases)",
}


def save_figure(fig: Figure, path: Path) -> Path:
    """Lay out, write as PNG atomically, and close a figure."""
    fig.tight_layout()
    try:
        return write_atomic(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    finally:
        plt.close(fig)


def _band(daily: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = [(day, *mean_ci(group[column].to_numpy())) for day, group in daily.groupby("day")]
    return pd.DataFrame(rows, columns=["day", "mean", "low", "high"])


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
