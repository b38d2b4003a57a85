"""``govsim sensitivity SWEEP``: global sensitivity analysis of a design sweep with SALib.

The sweep must come from the design sweeper (``hydra/sweeper=design``), which saved its
points in ``design.json``. Each point's output is the mean over the job's replications of
the treatment's level of ``--metric`` (``--of level``, the default) or of the paired effect
treatment − reference (``--of effect``, :mod:`govsim.analysis.effects`). Morris designs
give μ* and σ (elementary effects), Sobol designs first-order and total indices (and the
second-order indices of every pair, ``*_pairs.parquet``, when sampled with
``hydra.sweeper.second_order=true``), FAST designs first-order and total indices, Latin
hypercubes and ensembles Spearman rank correlations, δ and PAWN
(:mod:`govsim.analysis.indices`, SALib).
Replicate noise is reported apart (:mod:`govsim.analysis.noise_floor`): the mean
standard deviation of a point's replications, bootstrap intervals of every index around
its estimate (replications resampled as a whole, keeping common random numbers), and the
noise floor: the dummy parameter's index when replications are resampled apart, with the
parameters whose interval does not rise above it flagged. Runs that differ in anything
but the design's parameters, seed and replication (a design crossed with a list sweep) are
refused rather than averaged. Writes a table, a figure and a Markdown summary into
``SWEEP/sensitivity/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from govsim.analysis.effects import by_point, has_dummy, replicates
from govsim.analysis.indices import indices, main_index, pair_indices
from govsim.analysis.noise_floor import (
    BOOTSTRAP_DRAWS,
    bootstrap,
    flag_noise,
    noise_floor,
    replicate_noise,
)
from govsim.experiments.design import DUMMY
from govsim.files import require_writable, save_figure, write_parquet, write_text
from govsim.outcomes.measures import HEADLINE

__all__ = ["Sensitivity", "analyse", "study", "write_sensitivity"]


@dataclass
class Sensitivity:
    """The indices of a design sweep and what is known of their replicate noise."""

    table: pd.DataFrame
    """One row per parameter (the dummy last): indices, SALib's and the bootstrap's
    intervals, and ``noise`` (True: indistinguishable from the dummy's noise floor)."""
    noise: float
    """The mean standard deviation of a point's replications."""
    floor: float
    """The noise floor: the dummy's 97.5 percentile with replications resampled apart
    (:func:`~govsim.analysis.noise_floor.noise_floor`; NaN without dummy or bootstrap)."""
    method: str
    of: str
    notes: list[str] = field(default_factory=list)
    """What the reader should know about the noise measures (no dummy, no bootstrap)."""
    pairs: pd.DataFrame | None = None
    """Sobol's second-order indices of every pair (``S2``, ``S2_conf``), if sampled for."""


def study(
    sweep: Path, metric: str = HEADLINE, of: str = "level", draws: int = BOOTSTRAP_DRAWS
) -> Sensitivity:
    """Sensitivity indices of the level or paired effect of ``metric`` over ``sweep``'s design."""
    design, table = replicates(Path(sweep), metric, of)
    problem, points = design["problem"], np.asarray(design["points"], dtype=float)
    samples = by_point(table, of, len(points), sweep)
    y = np.array([v.mean() for v in samples])
    method, seed = design["method"], int(design["seed"])
    result = indices(method, problem, points, y, seed)
    pairs = pair_indices(method, problem, y, seed)
    boot = bootstrap(method, problem, points, samples, seed, draws)
    notes = []
    if boot is None:
        notes.append("no bootstrap over replications (one replication per point, or --bootstrap 0)")
        magnitudes = None
    else:
        result = result.merge(boot[0], on="parameter")
        magnitudes = boot[1]
    if not has_dummy(design):
        notes.append(
            f"no noise floor: this design has no {DUMMY} parameter (it was sampled "
            "before designs had one)"
        )
    if "delta" in result and result["delta"].isna().all():
        notes.append(f"no δ: {len(points)} points are too few for SALib's delta estimator")
    floor = noise_floor(method, problem, points, samples, seed, draws)
    result["noise"] = flag_noise(result, method, magnitudes, floor)
    return Sensitivity(result, replicate_noise(samples), floor, method, of, notes, pairs)


def analyse(
    sweep: Path, metric: str = HEADLINE, of: str = "level", draws: int = BOOTSTRAP_DRAWS
) -> tuple[pd.DataFrame, float, str]:
    """Sensitivity indices per parameter, the replicate noise, and the method."""
    found = study(sweep, metric, of, draws)
    return found.table, found.noise, found.method


def _figure(found: Sensitivity, metric: str, path: Path) -> Path:
    table, method = found.table, found.method
    value = main_index(method)
    error = table.get(f"{value}_conf")
    import matplotlib.pyplot as plt  # matplotlib, SALib and scipy load when they are used

    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 2.5))
    rows = np.arange(len(table))
    noise = table["noise"].fillna(False).astype(bool)
    colours = [
        "tab:grey" if p == DUMMY or flag else "tab:blue"
        for p, flag in zip(table["parameter"], noise, strict=True)
    ]
    ax.barh(
        rows,
        table[value],
        height=0.5,
        xerr=error,
        color=colours,
        alpha=0.8,
        label=f"{value} with SALib's 95% interval (grey: not above the noise floor)",
    )
    if f"{value}_low" in table:
        ax.hlines(
            rows + 0.35,
            table[f"{value}_low"],
            table[f"{value}_high"],
            color="black",
            linewidth=3,
            alpha=0.6,
            label="bootstrap 95% interval over replications",
        )
    if found.floor == found.floor:  # not NaN
        ax.axvline(
            found.floor,
            color="tab:red",
            linestyle="--",
            linewidth=1,
            label=f"noise floor ({DUMMY}'s 97.5% with replications apart)",
        )
    ax.set_yticks(rows, table["parameter"])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7)
    ax.set_xlabel(f"{value} of the {found.of} of {metric}")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return save_figure(fig, path)


def _summary(found: Sensitivity, metric: str, figure: str) -> str:
    what = "paired effect (treatment − reference)" if found.of == "effect" else "level"
    lines = [
        f"# Sensitivity of the {what} of `{metric}` ({found.method})",
        "",
        f"Replicate noise (mean standard deviation of a point's replications): {found.noise:.4g}.",
    ]
    flagged = found.table.loc[found.table["noise"].fillna(False).astype(bool), "parameter"]
    if DUMMY in set(found.table["parameter"]):
        main = main_index(found.method)
        floor = f"{found.floor:.4g}, " if found.floor == found.floor else ""
        lines.append(
            f"Noise floor: {floor}the {main} of `{DUMMY}` (a parameter no run "
            "receives) with each point's replications resampled apart. "
            "Indistinguishable from noise (interval not above the floor): "
            + (", ".join(f"`{p}`" for p in flagged) or "none")
            + "."
        )
    lines += [
        *(f"Note: {note}." for note in found.notes),
        "",
        found.table.to_markdown(index=False, floatfmt=".4g"),
        "",
    ]
    if found.pairs is not None:
        lines += [
            "Second-order indices (S2: the share of variance of each pair's "
            "interaction, with SALib's 95% half-width):",
            "",
            found.pairs.to_markdown(index=False, floatfmt=".4g"),
            "",
        ]
    lines += [f"![indices]({figure})", ""]
    return "\n".join(lines)


def write_sensitivity(
    sweep: Path, metric: str = HEADLINE, of: str = "level", draws: int = BOOTSTRAP_DRAWS
) -> str:
    """Analyse a design sweep and write the results into ``SWEEP/sensitivity/``.

    Returns the summary written beside the table and figure.
    """
    found = study(sweep, metric, of, draws)
    out = require_writable(sweep / "sensitivity", "the sweep folder")
    stem = "indices" if of == "level" else "effect_indices"
    write_parquet(out / f"{stem}.parquet", found.table)
    if found.pairs is not None:
        write_parquet(out / f"{stem}_pairs.parquet", found.pairs)
    figure = _figure(found, metric, out / f"{stem}.png")
    text = _summary(found, metric, figure.name)
    write_text(out / ("sensitivity.md" if of == "level" else "effect_sensitivity.md"), text)
    return text
