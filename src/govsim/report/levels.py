"""Figure: where the resolved cases were resolved, per design (解决层级分布)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import PercentFormatter

from govsim.city.levels import Level
from govsim.files import save_figure
from govsim.report.fonts import use_language
from govsim.report.names import design_name, level_name
from govsim.report.phrases import say

__all__ = ["LEVEL_COLUMNS", "plot_levels"]

LEVEL_COLUMNS = [f"resolved_share_{lv.name.lower()}" for lv in Level]


def plot_levels(runs: pd.DataFrame, path: Path, lang: str = "en") -> Path:
    """A stacked bar per design of the shares of resolved cases by level; write a PNG."""
    use_language(lang)
    shares = runs.groupby("mechanism", sort=False)[LEVEL_COLUMNS].mean()
    labels = [design_name(d, lang) for d in shares.index]
    fig, ax = plt.subplots(figsize=(9, 0.7 * len(shares) + 1.8))
    left = pd.Series(0.0, index=shares.index)
    for level, column in zip(Level, LEVEL_COLUMNS, strict=True):
        ax.barh(labels, shares[column], left=left, label=level_name(level, lang))
        left += shares[column]
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(say("levels_axis", lang))
    ax.set_title(say("levels_title", lang), fontsize=11, pad=28)
    ax.legend(ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    return save_figure(fig, path)
