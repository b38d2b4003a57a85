"""``govsim robustness SWEEP``: how policies fare across an exploratory sweep's scenarios.

Reads an exploratory sweep (``hydra/sweeper=explore``): per policy over the scenarios its
mean, worst and best outcome, regret (maximum, 90th percentile, mean), the share of
scenarios where it is best and, with ``--threshold``, where it satisfices; then scenario
discovery with PRIM over the uncertainties, for the scenarios where ``--policy`` (default:
the policy of least maximum regret) fails the threshold, or without a threshold, is not
the best. The measures are defined in :mod:`govsim.analysis.robustness`. Writes
``robustness.parquet`` (per policy), ``scenarios.parquet`` (per scenario and policy),
``robustness.png`` and ``robustness.md`` into ``SWEEP/robustness/`` and prints the summary;
with scenario discovery also ``prim_boxes.parquet`` (every box of PRIM's trajectory),
``feature_scores.parquet`` and ``cart.parquet``.
``--direction`` defaults to the measure's own (higher or lower is better).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from govsim.analysis.robustness import (
    Discovery,
    Exploration,
    discover,
    read_exploration,
    regret,
    robustness,
    satisficed,
    scenario_outcomes,
)
from govsim.config.errors import ArgumentError
from govsim.files import require_writable, save_figure, write_parquet, write_text
from govsim.outcomes.measures import HEADLINE
from govsim.report.display import MEASURES

__all__ = ["Robustness", "analyse", "own_direction", "write_robustness"]

OUT = "robustness"


class Robustness:
    """The analysis of one metric of an exploratory sweep."""

    def __init__(
        self,
        exploration: Exploration,
        metric: str,
        direction: str | None,
        threshold: float | None,
        policy: str | None,
        min_density: float,
    ) -> None:
        self.exploration, self.metric = exploration, metric
        self.threshold, self.min_density = threshold, min_density
        self.outcomes, self.sds = scenario_outcomes(exploration, metric)
        self.direction = direction or own_direction(metric)
        self.regret = regret(self.outcomes, self.direction)
        self.table = robustness(self.outcomes, self.direction, threshold, self.sds)
        self.policy = policy if policy is not None else str(self.table["policy"].iloc[0])
        if threshold is not None:
            self.interest = ~satisficed(self.outcomes, self.direction, threshold)[self.policy]
        else:
            self.interest = self.regret[self.policy] > 0
        self.discovery: Discovery | None = None
        if 0 < self.interest.sum() < len(self.interest):
            self.discovery = discover(
                exploration.scenarios, self.interest.to_numpy(), min_density, exploration.seed
            )

    def scenarios(self) -> pd.DataFrame:
        """One row per scenario and policy: the uncertainties, outcome, regret, satisficing."""
        long = self.outcomes.reset_index().melt(
            id_vars="scenario", var_name="policy", value_name=self.metric
        )
        long["replicate_sd"] = self.sds.reset_index().melt(id_vars="scenario")["value"]
        long["regret"] = self.regret.reset_index().melt(id_vars="scenario")["value"]
        if self.threshold is not None:
            ok = satisficed(self.outcomes, self.direction, self.threshold)
            long["satisficed"] = ok.reset_index().melt(id_vars="scenario")["value"]
        scenarios = self.exploration.scenarios.rename_axis("scenario").reset_index()
        return scenarios.merge(long, on="scenario")

    def _failing(self) -> str:
        if self.threshold is None:
            return "is not the best policy"
        sign = "<" if self.direction == "max" else ">"
        return f"fails the threshold ({self.metric} {sign} {self.threshold:g})"

    def markdown(self, figure: str) -> str:
        """The summary: the table, the most robust policy and the scenario discovery."""
        e = self.exploration
        better = "higher" if self.direction == "max" else "lower"
        lines = [
            f"# Robustness of `{self.metric}` ({better} is better)",
            "",
            f"{len(e.policies)} policies × {len(e.scenarios)} scenarios over "
            f"{', '.join(e.uncertainties)}; a scenario's outcome is the mean of its "
            "replications (common random numbers across policies and scenarios).",
            "",
        ]
        shown = self.table.drop(
            columns=["scenarios"] + (["satisficing"] if self.threshold is None else [])
        )
        lines += [shown.to_markdown(index=False, floatfmt=".4g"), ""]
        top = self.table.iloc[0]
        lines += [
            f"Least maximum regret: **{top['policy']}** ({top['max_regret']:.4g}; "
            f"90th percentile {top['p90_regret']:.4g}).",
            "",
        ]
        lines += [f"## Scenario discovery: where {self.policy} {self._failing()}", ""]
        n, total = int(self.interest.sum()), len(self.interest)
        if self.discovery is None:
            where = "no" if n == 0 else "every"
            lines += [
                f"{self.policy} {self._failing()} in {where} scenario "
                f"({n} of {total}): there is nothing for PRIM to tell apart.",
                "",
            ]
        else:
            d = self.discovery
            lines += [
                f"{n} of {total} scenarios. PRIM's first box (coverage {d.coverage:.3g}, "
                f"density {d.density:.3g}, mass {d.mass:.3g}): of its peeling "
                f"trajectory the greatest coverage at density ≥ {self.min_density:g} "
                f"(box {d.candidate}), less the restrictions that are not significant "
                "(quasi-p > 0.05).",
                "",
            ]
            if d.limits.empty:
                lines += [
                    f"No restriction is significant, so no box is reported. {d.why_none()}.",
                    "",
                ]
            else:
                lines += [d.limits.to_markdown(index=False, floatfmt=".4g"), ""]
            lines += [
                "### PRIM's peeling trajectory: every box",
                "",
                "`qp`: the largest quasi-p of the box's restrictions (each the smaller "
                "of its bounds'); `role`: the candidate, the boxes its drops added, "
                "and the one reported.",
                "",
                d.boxes.reset_index().to_markdown(index=False, floatfmt=".3g"),
                "",
                "### Beside PRIM (EMA Workbench)",
                "",
                "Feature scores (extra trees; they sum to 1):",
                "",
                d.features.to_markdown(index=False, floatfmt=".3g"),
                "",
                "CART's leaves as boxes (densest first):",
                "",
                (
                    d.cart.to_markdown(index=False, floatfmt=".3g")
                    if not d.cart.empty
                    else "(none: CART needs two uncertainties or more)"
                ),
                "",
            ]
        lines += [f"![robustness]({figure})", ""]
        return "\n".join(lines)

    def figure(self, path: Path) -> Path:
        """Outcome and regret by policy across the scenarios, and PRIM's trade-off."""
        import matplotlib.pyplot as plt  # matplotlib loads when a figure is drawn

        panels = 3 if self.discovery is not None else 2
        fig, axes = plt.subplots(1, panels, figsize=(5 * panels, 4.5))
        order = list(self.table["policy"])
        x = np.arange(len(order))
        for ax, values, label in (
            (axes[0], self.outcomes, self.metric),
            (axes[1], self.regret, f"regret in {self.metric}"),
        ):
            data = values[order].to_numpy()
            ax.plot(x, data.T, color="0.8", lw=0.8, zorder=1)  # one line per scenario
            for j in range(len(order)):
                ax.scatter(
                    np.full(len(data), x[j]), data[:, j], s=14, zorder=2, color=plt.cm.tab10(j % 10)
                )
            ax.set_xticks(x, order, rotation=30, ha="right")
            ax.set_ylabel(label)
            ax.grid(axis="y", alpha=0.3)
        if self.threshold is not None:
            axes[0].axhline(self.threshold, color="tab:red", ls="--", lw=1, label="threshold")
            axes[0].legend(loc="best")
        axes[0].set_title("outcome per scenario")
        axes[1].set_title("regret per scenario")
        if self.discovery is not None:
            t, ax = self.discovery.trajectory, axes[2]
            points = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis")
            candidate = t.iloc[self.discovery.candidate]
            ax.scatter(
                [candidate["coverage"]],
                [candidate["density"]],
                s=200,
                marker="s",
                facecolors="none",
                edgecolors="tab:orange",
                label="candidate box",
            )
            chosen = t.iloc[self.discovery.chosen]
            ax.scatter(
                [chosen["coverage"]],
                [chosen["density"]],
                s=120,
                facecolors="none",
                edgecolors="tab:red",
                label="reported box",
            )
            for i, row in t.iterrows():
                ax.annotate(
                    str(i),
                    (row["coverage"], row["density"]),
                    fontsize=7,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
            fig.colorbar(points, ax=ax, label="restricted uncertainties")
            ax.set_xlabel("coverage")
            ax.set_ylabel("density")
            ax.set_title(f"PRIM: where {self.policy} fails")
            ax.legend(loc="best")
        return save_figure(fig, path)


def own_direction(metric: str) -> str:
    """``max`` or ``min`` as the measure is better higher or lower (per case type too)."""
    base = metric.split("__", 1)[0]
    better = MEASURES[base].higher_is_better if base in MEASURES else None
    if better is None:
        raise ArgumentError(
            "robustness",
            f"{metric} has no direction of its own",
            "--direction max (higher is better) or min (lower is better)",
        )
    return "max" if better else "min"


def analyse(
    sweep: Path,
    metric: str = HEADLINE,
    direction: str | None = None,
    threshold: float | None = None,
    policy: str | None = None,
    min_density: float = 0.8,
) -> Robustness:
    """The robustness analysis of ``metric`` in an exploratory sweep.

    ``direction`` defaults to the measure's own (:func:`own_direction`).
    """
    exploration = read_exploration(sweep)
    if policy is not None and policy not in exploration.policies:
        raise ArgumentError(
            "robustness",
            f"--policy {policy!r} is not a policy of the sweep",
            "one of " + ", ".join(exploration.policies),
        )
    return Robustness(exploration, metric, direction, threshold, policy, min_density)


def write_robustness(
    sweep: Path,
    metric: str = HEADLINE,
    direction: str | None = None,
    threshold: float | None = None,
    policy: str | None = None,
    min_density: float = 0.8,
) -> str:
    """Analyse an exploratory sweep and write the results into ``SWEEP/robustness/``.

    Returns the summary (``robustness.md``).
    """
    if threshold is not None and not math.isfinite(threshold):
        raise ArgumentError("robustness", f"--threshold {threshold}", "a finite number")
    if not 0.0 < min_density <= 1.0:
        raise ArgumentError("robustness", f"--density {min_density}", "a number in (0, 1]")
    out = require_writable(sweep / OUT, "the sweep folder")
    result = analyse(sweep, metric, direction, threshold, policy, min_density)
    write_parquet(out / "robustness.parquet", result.table)
    write_parquet(out / "scenarios.parquet", result.scenarios())
    if result.discovery is not None:
        write_parquet(out / "prim_boxes.parquet", result.discovery.boxes.reset_index())
        write_parquet(out / "feature_scores.parquet", result.discovery.features)
        write_parquet(out / "cart.parquet", result.discovery.cart)
    figure = result.figure(out / "robustness.png")
    text = result.markdown(figure.name)
    write_text(out / "robustness.md", text)
    return text
