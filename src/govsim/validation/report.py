"""``govsim validate``: queueing-theory protocol and field-figure checks as a report.

The report is Markdown, written into a new results folder
(``results/validation/DATE/TIME-XXXXXX/validation.md``) unless ``--out`` names the file
(``--out docs/validation.md`` updates the project's copy). It cannot pass on nothing:
``--only`` must select at least one check, every field check needs at least two
replications, and a check whose result is not a number (NaN) fails the command.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from govsim.composition.compose import compose
from govsim.config.errors import ArgumentError
from govsim.experiments.progress import progress
from govsim.files import require_writable, unique_folder, write_text
from govsim.validation.checks import CHECKS, TOLERANCE, run_check
from govsim.validation.field import FIELD_CHECKS, run_field_check

__all__ = ["render", "validate"]


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def render(queue: pd.DataFrame, field: list[dict[str, object]]) -> str:
    """The report as Markdown."""
    lines = [
        "# Validation",
        "",
        "Written by `govsim validate`. Two parts: degenerate configurations against queueing",
        "theory (the protocol of shared/VALIDATION.md), and model outputs beside the field",
        "figures of shared/DOMAIN.md.",
        "",
        "## 1. Queueing theory",
        "",
        "Each check is a degenerate city (`city=mmc` or `city=chain`, overrides below), run",
        "for 30 independent replications after a warm-up of at least ten relaxation times;",
        "the window's cases are drained so every one completes. A measure **passes** when the",
        "analytic value lies inside the 95% CI and the CI half-width is at most "
        + ", ".join(f"{int(v * 100)}% ({k})" for k, v in TOLERANCE.items())
        + " of the value. Little's law (L = λW) is checked on every replication (largest",
        "relative gap). With several measures per check, about one in twenty intervals misses",
        "by chance. `muD` is μΔ, completions per handler per daily step: at μΔ = 1 a model that",
        "completed work with a per-step probability would be 48% off on the mean wait.",
        "",
    ]
    if not queue.empty:
        lines += [
            "| check | measure | theory | mean [95% CI] | half-width | tolerance | passes |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in queue.itertuples():
            lines.append(
                f"| {r.check} | {r.measure} | {_fmt(r.theory)} | {_fmt(r.mean)} "
                f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}] | {r.half_width_rel:.2%} | "
                f"{r.tolerance:.0%} | {'yes' if r.passed else '**no**'} |"
            )
        passed = int(queue["passed"].sum())
        lines += ["", f"{passed} of {len(queue)} measures pass.", ""]
        runs = queue.drop_duplicates("check")[["check", "warmup_days", "window_days"]]
        lines += [
            "Run lengths (days): "
            + "; ".join(
                f"{r.check}: warm-up {r.warmup_days}, window {r.window_days}"
                for r in runs.itertuples()
            )
            + ".",
            "",
        ]
    lines += [
        "## 2. Field figures",
        "",
        "The model is not calibrated: its rates, probabilities and hours are assumptions",
        "(docs/ODD.md). Where it misses a field figure, the table says so.",
        "",
        "| quantity | field | source | model mean [95% CI] | verdict | configuration |",
        "|---|---|---|---|---|---|",
    ]
    for r in field:
        low, high = r["field"]
        figure = f"{low:.1%}" if low == high else f"{low:.0%}–{high:.0%}"
        lines.append(
            f"| {r['check']} | {figure} | {r['source']} | {r['mean']:.1%} "
            f"[{r['ci_low']:.1%}, {r['ci_high']:.1%}] | {r['verdict']} | "
            f"`govsim {r['configuration']}` ({r['replications']} replications) |"
        )
    return "\n".join(lines) + "\n"


def _no_nan(queue: pd.DataFrame, field: list[dict[str, object]]) -> None:
    """Fail on a check whose result is not a number: NaN must never read as a verdict."""
    values = ["mean", "ci_low", "ci_high"]
    for r in queue.itertuples():
        if not all(math.isfinite(getattr(r, v)) for v in ("theory", *values)):
            raise RuntimeError(
                f"queueing check {r.check!r} gave no number for {r.measure} "
                "(NaN): its runs had nothing to measure"
            )
    for r in field:
        if not all(math.isfinite(float(r[v])) for v in values):  # type: ignore[arg-type]
            raise RuntimeError(
                f"field check {r['check']!r} gave no number (NaN): its runs had no cases to measure"
            )


def validate(
    out: Path | None = None,
    only: str | None = None,
    skip_queueing: bool = False,
    field_replications: int = 10,
) -> Path:
    """Run the checks (those whose name contains ``only``) and write the report.

    ``out`` defaults to a new folder under ``results/validation``. Returns the report's path.
    """
    checks = [] if skip_queueing else [c for c in CHECKS if not only or only in c.name]
    fields = [c for c in FIELD_CHECKS if not only or only in c.name]
    if not checks and not fields:
        names = [c.name for c in FIELD_CHECKS] + ([] if skip_queueing else [c.name for c in CHECKS])
        raise ArgumentError(
            "validate",
            f"--only {only!r} selects no check"
            + (" (queueing checks skipped)" if skip_queueing else ""),
            "text contained in a check's name: " + "; ".join(names),
        )
    if out is not None:
        require_writable(out.parent, "--out")
    tables = []
    results = []
    with progress("validation checks", len(checks) + len(fields)) as advance:
        for check in checks:
            tables.append(run_check(check, compose))
            advance()
        for field_check in fields:
            results.append(run_field_check(field_check, compose, field_replications))
            advance()
    queue = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    _no_nan(queue, results)
    out = out or unique_folder(Path("results") / "validation") / "validation.md"
    return write_text(out, render(queue, results))
