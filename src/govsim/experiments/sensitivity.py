"""``govsim sensitivity SWEEP``: global sensitivity analysis of a design sweep with SALib.

The sweep must come from the design sweeper (``hydra/sweeper=design``), which saved its
points in ``design.json``. Each point's output is the mean over the job's replications
(replicate noise, reported beside the indices). Morris designs give μ* and σ (elementary
effects), Sobol designs first-order and total indices, Latin hypercubes Spearman rank
correlations. Runs that differ in anything but the design's parameters, seed and
replication (a design crossed with a list sweep) are refused rather than averaged. Writes
a table, a figure and a Markdown summary into ``SWEEP/sensitivity/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from govsim.config.arguments import ArgumentParser
from govsim.config.errors import ArgumentError, IncompleteResultsError, PairingError, PathError
from govsim.experiments.collect import collect, require_folder
from govsim.experiments.columns import metric_columns, varying_parameters
from govsim.experiments.design import DESIGN_FILE
from govsim.experiments.files import require_writable, save_figure, write_parquet, write_text
from govsim.outcomes.measures import HEADLINE

__all__ = ["analyse", "main"]


def _require_one_setting(runs: pd.DataFrame, parameters: list[str]) -> None:
    """Refuse runs that differ in more than the design's parameters, seed and replication.

    A design crossed with a list sweep (``city=a,b``) would otherwise be averaged over the
    list's values at each design point.
    """
    differ = [c for c in ("scenario", "mechanism") if runs[c].nunique(dropna=False) > 1]
    differ += [c for c in varying_parameters(runs) if c not in parameters]
    if differ:
        raise PairingError(f"the design's points ran at more than one setting ({', '.join(differ)} "
                           "vary besides the design's parameters)",
                           "a design sweep at one setting: sweep each setting into a folder "
                           "of its own")


def _outputs(sweep: Path, metric: str, parameters: list[str],
             n_points: int) -> tuple[np.ndarray, float]:
    runs, _ = collect(sweep)
    runs = runs[(runs["status"] == "done") & (runs["arm"] == "treatment")]
    _require_one_setting(runs, parameters)
    metrics = metric_columns(runs)
    if metric not in metrics:
        raise ArgumentError("sensitivity", f"--metric {metric!r} is not a metric of "
                            "the runs", "one of " + ", ".join(sorted(metrics)))
    by_point = runs.groupby("design_point")[metric]
    means = by_point.mean().reindex(range(n_points))
    missing = means.index[means.isna()].tolist()
    if missing:
        raise IncompleteResultsError(
            sweep, f"{len(missing)} of {n_points} design points have no finished run (e.g. "
                   f"{missing[:5]})", "a finished design sweep: run the sweep again to resume it")
    noise = float(by_point.std(ddof=1).mean()) if by_point.size().min() > 1 else float("nan")
    return means.to_numpy(), noise


def _design(sweep: Path) -> dict:
    path = require_folder(sweep) / DESIGN_FILE
    if not path.is_file():
        raise PathError(sweep, f"is not a design sweep (it has no {DESIGN_FILE})",
                        "a sweep run with hydra/sweeper=design")
    try:
        design = json.loads(path.read_text(encoding="utf-8"))
        _ = design["problem"]["names"], design["points"], design["method"], design["seed"]
    except (ValueError, KeyError, TypeError) as error:
        raise PathError(path, f"cannot be read ({type(error).__name__}: {error})",
                        "the design.json the design sweeper wrote") from None
    return design


def analyse(sweep: Path, metric: str = HEADLINE) -> tuple[pd.DataFrame, float, str]:
    """Sensitivity indices per parameter, the replicate noise, and the method."""
    design = _design(sweep)
    problem, points = design["problem"], np.asarray(design["points"])
    y, noise = _outputs(Path(sweep), metric, list(problem["names"]), len(points))
    method = design["method"]
    if method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, points, y, seed=design["seed"])
        table = pd.DataFrame({"parameter": problem["names"], "mu_star": res["mu_star"],
                              "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"]})
    elif method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=False, seed=design["seed"])
        table = pd.DataFrame({"parameter": problem["names"], "S1": res["S1"],
                              "S1_conf": res["S1_conf"], "ST": res["ST"],
                              "ST_conf": res["ST_conf"]})
    else:
        from scipy import stats

        rows = [(name, *stats.spearmanr(points[:, j], y)) for j, name in
                enumerate(problem["names"])]
        table = pd.DataFrame(rows, columns=["parameter", "spearman_rho", "p_value"])
    return table, noise, method


def _figure(table: pd.DataFrame, method: str, metric: str, path: Path) -> Path:
    value, error = {"morris": ("mu_star", "mu_star_conf"), "sobol": ("ST", "ST_conf")}.get(
        method, ("spearman_rho", None))
    import matplotlib.pyplot as plt  # matplotlib, SALib and scipy load when they are used

    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.5))
    ax.barh(table["parameter"], table[value],
            xerr=table[error] if error else None, color="tab:blue", alpha=0.8)
    ax.set_xlabel(f"{value} of {metric}")
    ax.grid(axis="x", alpha=0.3)
    return save_figure(fig, path)


def main(argv: list[str]) -> None:
    """Analyse a design sweep and write the results."""
    parser = ArgumentParser(prog="govsim sensitivity", description=__doc__)
    parser.add_argument("sweep", type=Path)
    parser.add_argument("--metric", default=HEADLINE)
    args = parser.parse_args(argv)
    table, noise, method = analyse(args.sweep, args.metric)
    out = require_writable(args.sweep / "sensitivity", "the sweep folder")
    write_parquet(out / "indices.parquet", table)
    figure = _figure(table, method, args.metric, out / "indices.png")
    text = (f"# Sensitivity of `{args.metric}` ({method})\n\n"
            f"Replicate noise (mean standard deviation of a point's replications): "
            f"{noise:.4g}.\n\n{table.to_markdown(index=False, floatfmt='.4g')}\n\n"
            f"![indices]({figure.name})\n")
    write_text(out / "sensitivity.md", text)
    print(text)
