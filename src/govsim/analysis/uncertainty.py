r"""``govsim uncertainty SWEEP``: intervals that carry parameter uncertainty and replicate noise.

A design sweep whose points are draws of uncertain parameters (a Latin hypercube or Sobol
design over stated ranges, or ``hydra.sweeper.method=ensemble`` over a table of accepted
parameter sets, :mod:`govsim.experiments.ensemble`) says how much of what is uncertain
about a result comes from the parameters and how much from the simulation's own noise.
For the paired effect treatment − reference of ``--metric`` (when the jobs ran a
reference) and for the treatment's level, with :math:`y_{kr}` the value at point k
(of K) in replication r (of :math:`R_k`) and :math:`\bar y_k` the point's mean:

- **mean** :math:`\bar y = \frac1K\sum_k \bar y_k` (every point weighs the same);
- **replicate noise** (within points, pooled):
  :math:`s_w^2 = \sum_k\sum_r (y_{kr}-\bar y_k)^2 / \sum_k (R_k-1)`, and the interval
  :math:`\bar y \pm t_{0.975,\sum(R_k-1)}\, s_w \sqrt{\overline{1/R}}`: what the
  replications leave uncertain at one known point (like ``govsim compare``'s paired
  interval at one setting);
- **parameter uncertainty**: the 2.5 and 97.5 percentiles of the point means over the
  points, the spread of results over the parameters' plausible values;
- **total**: both intervals' half-widths added in quadrature on each side,
  :math:`\bar y - \sqrt{(\bar y-p_{2.5})^2+h^2}` to :math:`\bar y+\sqrt{(p_{97.5}-\bar y)^2+h^2}`
  with h the replicate-noise half-width; it is either interval when the other is empty;
- **variance split** by the law of total variance, Var(y) = E[Var(y | θ)] + Var(E[y | θ]):
  within points :math:`s_w^2`, between points
  :math:`\max(0,\ \mathrm{var}_k(\bar y_k) - s_w^2\,\overline{1/R})` (the variance of the
  point means less what replicate noise adds to it), and the parameters' share
  between / (between + within).

Points that repeat an earlier point's parameter values (the steps of a Morris or Sobol
design in the dummy parameter, which no job receives) count once. Writes a table, a
figure and a Markdown summary into ``SWEEP/uncertainty/`` and prints the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from govsim.analysis.effects import (
    by_point,
    paired_effects,
    read_design,
    read_runs,
    treatment_levels,
)
from govsim.analysis.stats import t_critical
from govsim.experiments.design import DUMMY
from govsim.files import require_writable, save_figure, write_parquet, write_text
from govsim.outcomes.measures import HEADLINE

__all__ = [
    "Uncertainty",
    "assess",
    "decompose",
    "distinct_points",
    "interval_figure",
    "write_uncertainty",
]

COMMAND = "uncertainty"


@dataclass
class Uncertainty:
    """The intervals and the variance split of each quantity of a design sweep."""

    table: pd.DataFrame
    """One row per quantity (``effect``, ``level``): mean, intervals, variances."""
    points: pd.DataFrame
    """One row per distinct point: its parameter values and each quantity's mean."""
    method: str
    notes: list[str] = field(default_factory=list)


def decompose(samples: list[np.ndarray], level: float = 0.95) -> dict[str, float]:
    """Mean, the three intervals and the variance split of values grouped by point.

    ``samples`` holds each point's replications (see the module for the formulas).
    """
    means = np.array([v.mean() for v in samples])
    counts = np.array([len(v) for v in samples], dtype=float)
    mean = float(means.mean())
    df = float((counts - 1).sum())
    within = float(sum(((v - v.mean()) ** 2).sum() for v in samples) / df) if df else np.nan
    inverse = float((1 / counts).mean())
    spread = float(means.var(ddof=1)) if len(means) > 1 else np.nan
    between = max(0.0, spread - within * inverse) if df and len(means) > 1 else np.nan
    half = float(t_critical(df, level)) * np.sqrt(within * inverse) if df else np.nan
    tail = 100 * (1 - level) / 2
    p_low, p_high = (float(p) for p in np.percentile(means, [tail, 100 - tail]))
    noise = 0.0 if np.isnan(half) else half
    total = between + within if not np.isnan(between + within) else np.nan
    return {
        "mean": mean,
        "points": len(means),
        "replications": float(counts.mean()),
        "noise_low": mean - half,
        "noise_high": mean + half,
        "parameter_low": p_low,
        "parameter_high": p_high,
        "total_low": mean - float(np.hypot(mean - p_low, noise)),
        "total_high": mean + float(np.hypot(p_high - mean, noise)),
        "var_within": within,
        "var_point_means": spread,
        "var_between": between,
        "share_parameters": between / total if total else np.nan,
    }


def distinct_points(points: np.ndarray, names: list[str]) -> list[int]:
    """The points whose parameter values (the dummy aside) no earlier point has."""
    real = [j for j, name in enumerate(names) if name != DUMMY]
    seen: set[tuple] = set()
    keep = []
    for k, row in enumerate(points[:, real]):
        key = tuple(row.tolist())
        if key not in seen:
            seen.add(key)
            keep.append(k)
    return keep


def assess(sweep: Path, metric: str = HEADLINE) -> Uncertainty:
    """The uncertainty of the paired effect (if a reference ran) and of the level."""
    design = read_design(sweep)
    names = list(design["problem"]["names"])
    points = np.asarray(design["points"], dtype=float)
    parameters = [p for p in names if p != DUMMY]
    runs = read_runs(sweep)
    level = treatment_levels(runs, metric, parameters, COMMAND)
    tables = {"level": level}
    notes = []
    done = runs[runs["status"] == "done"] if "status" in runs else runs
    if (done["arm"] == "reference").any():
        tables = {"effect": paired_effects(runs, metric, parameters, COMMAND), **tables}
    else:
        notes.append("no paired effect: the jobs ran no reference arm (reference=null)")
    keep = distinct_points(points, names)
    if len(keep) < len(points):
        notes.append(
            f"{len(points) - len(keep)} of {len(points)} points repeat an earlier "
            f"point's parameter values (steps in {DUMMY}, or points a design visits "
            "twice) and count once"
        )
    rows, point_means = (
        [],
        pd.DataFrame(points[keep][:, [names.index(p) for p in parameters]], columns=parameters),
    )
    point_means.insert(0, "design_point", keep)
    for quantity, table in tables.items():
        samples = by_point(table, quantity, len(points), sweep)
        chosen = [samples[k] for k in keep]
        rows.append({"quantity": quantity, "metric": metric, **decompose(chosen)})
        point_means[quantity] = [v.mean() for v in chosen]
    if len(keep) < 2:
        notes.append("one point: no parameter uncertainty to measure")
    if level.groupby("design_point").size().max() < 2:
        notes.append(
            "one replication per point: replicate noise cannot be told apart from "
            "the parameters (no noise interval, no variance split)"
        )
    return Uncertainty(pd.DataFrame(rows), point_means, design["method"], notes)


def interval_figure(
    panels: list[tuple[str, pd.Series, np.ndarray]], xlabel: str, path: Path, zero: bool = False
) -> Path:
    """One panel per (title, a row of :func:`decompose`'s values, the point means).

    Each panel shows the point means as ticks and the three 95% intervals (replicate
    noise, parameters, total) as bars, the mean as a dotted line; with ``zero``, 0 (no
    effect) as a thin line.
    """
    import matplotlib.pyplot as plt  # loaded only to draw

    fig, axes = plt.subplots(len(panels), 1, figsize=(8, 2.4 * len(panels)), squeeze=False)
    for ax, (title, row, values) in zip(axes[:, 0], panels, strict=True):
        values = np.asarray(values, dtype=float)
        ax.plot(values, np.zeros(len(values)), "|", color="tab:blue", markersize=14, alpha=0.6)
        kinds = [("noise", "tab:orange"), ("parameter", "tab:blue"), ("total", "black")]
        for y, (kind, colour) in enumerate(kinds, start=1):
            ax.hlines(y, row[f"{kind}_low"], row[f"{kind}_high"], color=colour, linewidth=4)
        ax.axvline(row["mean"], color="grey", linestyle=":")
        if zero:
            ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_yticks(
            range(4), ["point means", "replicate noise 95%", "parameters 95%", "total 95%"]
        )
        ax.set_ylim(-0.6, 3.6)
        ax.set_title(title, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel(xlabel)
    fig.tight_layout()
    return save_figure(fig, path)


def _figure(found: Uncertainty, metric: str, path: Path) -> Path:
    panels = [
        (f"{row['quantity']} of {metric}", row, found.points[row["quantity"]])
        for _, row in found.table.iterrows()
    ]
    return interval_figure(panels, metric, path)


def _summary(found: Uncertainty, metric: str, figure: str) -> str:
    lines = [f"# Uncertainty of `{metric}` over the parameters ({found.method} design)", ""]
    for _, row in found.table.iterrows():
        what = (
            "Paired effect (treatment − reference)"
            if row["quantity"] == "effect"
            else "Treatment level"
        )
        lines += [
            f"**{what}**: mean {row['mean']:.4g} over {row['points']} points of "
            f"{row['replications']:.3g} replications; 95% intervals: replicate noise "
            f"{row['noise_low']:.4g} to {row['noise_high']:.4g}, parameters "
            f"{row['parameter_low']:.4g} to {row['parameter_high']:.4g}, total "
            f"{row['total_low']:.4g} to {row['total_high']:.4g}. Variance within points "
            f"{row['var_within']:.4g}, between points {row['var_between']:.4g} "
            f"(parameters' share {row['share_parameters']:.1%}).",
            "",
        ]
    lines += [
        *(f"Note: {note}." for note in found.notes),
        "",
        found.table.to_markdown(index=False, floatfmt=".4g"),
        "",
        f"![intervals]({figure})",
        "",
    ]
    return "\n".join(lines)


def write_uncertainty(sweep: Path, metric: str = HEADLINE) -> str:
    """Assess the uncertainty of a design sweep's results and write it.

    Writes into ``SWEEP/uncertainty/``; returns the summary written beside the tables and
    figure.
    """
    found = assess(sweep, metric)
    out = require_writable(sweep / "uncertainty", "the sweep folder")
    write_parquet(out / "uncertainty.parquet", found.table)
    write_parquet(out / "points.parquet", found.points)
    figure = _figure(found, metric, out / "uncertainty.png")
    text = _summary(found, metric, figure.name)
    write_text(out / "uncertainty.md", text)
    return text
