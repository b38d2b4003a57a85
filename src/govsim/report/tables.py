"""Summary tables: each key metric per arm with its interval, and the paired difference."""

from __future__ import annotations

import pandas as pd
from rich.table import Table

from govsim.analysis.stats import paired_differences, summarise
from govsim.outcomes.metrics import KEY_METRICS, METRICS

__all__ = ["fmt_interval", "metric_legend", "summary_table"]


def fmt_interval(mean: float, low: float, high: float) -> str:
    """A mean with its interval, three significant decimals below 10, one above."""
    if mean != mean:  # nan
        return "–"
    digits = 3 if abs(mean) < 10 else 1
    if low != low:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def _arm_labels(arms: list[tuple[str, str]]) -> list[str]:
    """Each arm's column header: its mechanisms, with its role where two arms share them."""
    mechanisms = [mechanism for _, mechanism in arms]
    return [
        mechanism if mechanisms.count(mechanism) == 1 else f"{mechanism} ({role})"
        for role, mechanism in arms
    ]


def summary_table(runs: pd.DataFrame, metrics: list[str] = KEY_METRICS) -> tuple[Table, str]:
    """The comparison of an experiment's arms as a rich table and as Markdown."""
    summary = summarise(runs, metrics)
    diffs = paired_differences(runs, metrics).set_index("metric")
    arms = list(dict.fromkeys(zip(summary["arm"], summary["mechanism"], strict=True)))
    labels = _arm_labels(arms)
    cell = {
        (labels[arms.index((row.arm, row.mechanism))], row.metric): fmt_interval(
            row.mean, row.ci_low, row.ci_high
        )
        for row in summary.itertuples()
    }
    n = runs["replication"].nunique()
    table = Table(title=f"govsim: mean [95% CI] over {n} paired replications")
    headers = ["metric", *labels] + ([f"{labels[0]} − {labels[1]}"] if len(labels) > 1 else [])
    for h in headers:
        table.add_column(h, justify="left" if h == "metric" else "right")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for metric in metrics:
        cells = [metric]
        cells += [cell[label, metric] for label in labels]
        if len(labels) > 1:
            d = diffs.loc[metric]
            cells.append(fmt_interval(d["difference"], d["ci_low"], d["ci_high"]))
        table.add_row(*cells)
        lines.append("| " + " | ".join(cells) + " |")
    return table, "\n".join(lines) + "\n"


def metric_legend(metrics: list[str] = KEY_METRICS) -> str:
    """What each metric measures, as a Markdown list."""
    return "\n".join(f"- `{k}`: {METRICS[k]}" for k in metrics)
