"""``govsim compare PATH``: a comparison report of a run folder or a whole sweep.

For every scenario and setting: each key metric's mean with its 95% CI per mechanism;
paired differences against the reference mechanism (runs paired by seed and replication
share common random numbers), with the variance left relative to independent seeds; the
time series with uncertainty bands; and the distribution of resolution levels. Written
as ``report.md`` with PNG figures into ``PATH/report/``.

A sweep whose runs are not all done is refused, naming them, unless ``--allow-partial``
is given (the report then says which runs it lacks). ``--reference`` must be one of the
mechanisms present; without it, ``baseline`` is the reference if it ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from govsim.city.levels import Level
from govsim.config.arguments import ArgumentParser
from govsim.config.errors import IncompleteResultsError, PathError
from govsim.experiments.collect import (
    collect,
    read_table,
    require_folder,
    require_whole,
    varying_parameters,
)
from govsim.experiments.files import require_writable, save_figure, write_text
from govsim.experiments.stats import mean_ci, paired_differences
from govsim.experiments.sweep import read_status, sweep_state
from govsim.outcomes.metrics import KEY_METRICS
from govsim.report.figures import PANELS, plot_comparison

__all__ = ["build_report", "load", "main"]

LEVEL_COLUMNS = [f"resolved_share_{lv.name.lower()}" for lv in Level]


def load(path: Path, allow_partial: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs and wide daily tables from a finished run folder or a sweep folder."""
    path = require_folder(path)
    if (path / "runs.parquet").is_file():
        status = read_status(path).get("status", "unknown")
        if status != "done":
            raise IncompleteResultsError(path, f"is a run that did not finish (status: "
                                         f"{status})", "a finished run folder")
        return read_table(path / "runs.parquet"), read_table(path / "daily.parquet")
    require_whole(sweep_state(path), allow_partial)
    runs, long = collect(path)
    runs = runs[runs["status"] == "done"]
    if long.empty:
        raise PathError(path, "holds no finished run", "a sweep with finished runs")
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
    if ref.empty:
        return pd.DataFrame()
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
                 reference: str = "baseline", metrics: list[str] | None = None,
                 notes: Sequence[str] = ()) -> Path:
    """Write report.md and its figures into ``out``; return the report's path.

    ``notes`` are paragraphs for the top of the report (e.g. the runs a partial sweep lacks).
    """
    metrics = metrics or KEY_METRICS
    out = Path(out)
    contexts = _contexts(runs)
    lines = ["# Comparison report", "",
             f"{len(runs)} runs; reference mechanism `{reference}`. Means with 95% confidence "
             "intervals over replications; paired differences match runs by seed and "
             "replication (common random numbers). `variance left` is var(difference) / "
             "(var(a) + var(b)): the share of an unpaired comparison's variance that remains.",
             ""]
    if reference not in set(runs["mechanism"]):
        lines += [f"`{reference}` did not run: no paired differences.", ""]
    for note in notes:
        lines += [note, ""]
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
    parser = ArgumentParser(prog="govsim compare", description=__doc__)
    parser.add_argument("path", type=Path, help="a run folder or a sweep folder")
    parser.add_argument("--reference", help="mechanism to compare against (default baseline, "
                                            "if it ran)")
    parser.add_argument("--out", type=Path, help="output folder (default PATH/report)")
    parser.add_argument("--allow-partial", action="store_true",
                        help="report a sweep whose runs are not all done")
    args = parser.parse_args(argv)
    runs, daily = load(args.path, args.allow_partial)
    present = sorted(runs["mechanism"].unique())
    if args.reference is not None and args.reference not in present:
        parser.refuse(f"--reference {args.reference!r} did not run",
                      "one of the mechanisms present: " + ", ".join(present))
    reference = args.reference or "baseline"
    state = sweep_state(args.path)
    notes = [] if state.whole or (args.path / "runs.parquet").is_file() else [
        f"**Partial sweep**: {state.describe()}."]
    out = require_writable(args.out or args.path / "report", "--out")
    report = build_report(runs, daily, out, reference, notes=notes)
    print(f"wrote {report}")
