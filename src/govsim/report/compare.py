"""``govsim compare PATH``: a comparison report of a run folder or a whole sweep.

For every scenario and setting: each key metric's mean with its 95% CI per mechanism;
paired differences against the reference mechanism (runs paired by seed and replication
share common random numbers), with the variance left relative to independent seeds; the
time series with uncertainty bands; and the distribution of resolution levels. Written
as ``report.md`` with PNG figures into ``PATH/report/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from govsim.city.levels import Level
from govsim.experiments.collect import collect, varying_parameters
from govsim.experiments.files import save_figure, write_text
from govsim.experiments.stats import mean_ci, paired_differences
from govsim.outcomes.metrics import KEY_METRICS
from govsim.report.figures import PANELS, plot_comparison

__all__ = ["build_report", "load", "main"]

LEVEL_COLUMNS = [f"resolved_share_{lv.name.lower()}" for lv in Level]


def load(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs and wide daily tables from a run folder or a sweep folder."""
    path = Path(path)
    if (path / "runs.parquet").is_file() and (path / "daily.parquet").is_file():
        return pd.read_parquet(path / "runs.parquet"), pd.read_parquet(path / "daily.parquet")
    runs, long = collect(path)
    runs = runs[runs["status"] == "done"]
    index = ["run", "scenario", "mechanism", "arm", "seed", "replication", "day"]
    daily = long.pivot_table(index=index, columns="metric", values="value").reset_index()
    return runs, daily


def _contexts(runs: pd.DataFrame) -> list[str]:
    """Columns other than the mechanism that distinguish settings within the table."""
    return ["scenario"] + [c for c in varying_parameters(runs)
                           if not c.startswith("mechanism.")]


def _levels_figure(runs: pd.DataFrame, path: Path) -> Path:
    shares = runs.groupby("mechanism", sort=False)[LEVEL_COLUMNS].mean()
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(shares) + 1.5))
    left = pd.Series(0.0, index=shares.index)
    for column in LEVEL_COLUMNS:
        ax.barh(shares.index, shares[column], left=left,
                label=column.removeprefix("resolved_share_"))
        left += shares[column]
    ax.set_xlabel("share of resolved cases")
    ax.legend(ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return save_figure(fig, path)


def _paired(runs: pd.DataFrame, reference: str, metrics: list[str]) -> pd.DataFrame:
    ref = runs[runs["mechanism"] == reference]
    rows = []
    for mechanism, group in runs[runs["mechanism"] != reference].groupby("mechanism"):
        both = pd.concat([group.assign(arm="treatment"), ref.assign(arm="reference")])
        both = both.drop_duplicates(["arm", "seed", "replication"])
        both["replication"] = both["seed"].astype(str) + ":" + both["replication"].astype(str)
        diff = paired_differences(both, metrics)
        rows.append(diff.assign(mechanism=mechanism, reference=reference))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _fmt(mean: float, low: float, high: float) -> str:
    return f"{mean:.4g} [{low:.4g}, {high:.4g}]"


def build_report(runs: pd.DataFrame, daily: pd.DataFrame, out: Path,
                 reference: str = "baseline", metrics: list[str] | None = None) -> Path:
    """Write report.md and its figures into ``out``; return the report's path."""
    metrics = metrics or KEY_METRICS
    out = Path(out)
    contexts = _contexts(runs)
    lines = ["# Comparison report", "",
             f"{len(runs)} runs; reference mechanism `{reference}`. Means with 95% confidence "
             "intervals over replications; paired differences match runs by seed and "
             "replication (common random numbers). `variance left` is var(difference) / "
             "(var(a) + var(b)): the share of an unpaired comparison's variance that remains.",
             ""]
    for n, (key, group) in enumerate(runs.groupby(contexts, sort=False, dropna=False)):
        key = key if isinstance(key, tuple) else (key,)
        title = ", ".join(f"{c}={v}" for c, v in zip(contexts, key, strict=True))
        lines += [f"## {title}", "", "| metric | " + " | ".join(
            group["mechanism"].unique()) + " |", "|---" * (1 + group["mechanism"].nunique()) + "|"]
        for metric in metrics:
            cells = [_fmt(*mean_ci(g[metric].to_numpy()))
                     for _, g in group.groupby("mechanism", sort=False)]
            lines.append(f"| {metric} | " + " | ".join(cells) + " |")
        diffs = _paired(group, reference, metrics)
        if not diffs.empty:
            lines += ["", "| mechanism − reference | metric | difference [95% CI] | "
                          "variance left |", "|---|---|---|---|"]
            for r in diffs.itertuples():
                lines.append(f"| {r.mechanism} − {r.reference} | {r.metric} | "
                             f"{_fmt(r.difference, r.ci_low, r.ci_high)} | "
                             f"{r.variance_ratio:.3f} |")
        runs_here = group[["scenario", "mechanism", "seed", "replication"]]
        series = daily.merge(runs_here.drop_duplicates(),
                             on=["scenario", "mechanism", "seed", "replication"])
        if not series.empty and set(PANELS) <= set(series.columns):
            figure = plot_comparison(series, out / f"timeseries_{n}.png", title=title)
            lines += ["", f"![time series]({figure.name})"]
        levels = _levels_figure(group, out / f"levels_{n}.png")
        lines += ["", f"![resolution levels]({levels.name})", ""]
    return write_text(out / "report.md", "\n".join(lines) + "\n")


def main(argv: list[str]) -> None:
    """Build the report of a run or sweep folder."""
    parser = argparse.ArgumentParser(prog="govsim compare", description=__doc__)
    parser.add_argument("path", type=Path, help="a run folder or a sweep folder")
    parser.add_argument("--reference", default="baseline", help="mechanism to compare against")
    parser.add_argument("--out", type=Path, help="output folder (default PATH/report)")
    args = parser.parse_args(argv)
    runs, daily = load(args.path)
    report = build_report(runs, daily, args.out or args.path / "report", args.reference)
    print(f"wrote {report}")
