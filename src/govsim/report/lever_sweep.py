"""One-at-a-time sweeps of every lever against the headline measures, for the reference docs.

Each lever of the catalogue (:mod:`govsim.experiments.levers`) is moved over five values of
its range in the configuration it acts in, on the workshop city, with paired replications
(common random numbers); the table holds the mean of each headline measure per value, and
one figure per group of levers (a mechanism, or the city's residents, departments, case
types and the rest) shows the curves. ``python -m govsim.docs --sweep`` writes both.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd

from govsim.composition.compose import compose
from govsim.config.validate import ConfigError, validate
from govsim.experiments.levers import Lever, catalogue, in_configuration, set_value
from govsim.experiments.run import run_experiment
from govsim.files import save_figure, write_text
from govsim.mechanisms import REGISTRY
from govsim.outcomes.measures import HANDLED, HEADLINE

__all__ = ["BASE", "MEASURES", "group_of", "lever_figure", "sweep_levers", "values_of"]

BASE = (
    "city=workshop",
    "days=180",
    "horizon_days=30",
    "replications=3",
    "reference=null",
    "progress=false",
)
"""The configuration every lever is swept in (with the overrides it acts in)."""

MEASURES = {
    HEADLINE: "settled at/below street (venue)",
    HANDLED: "handled at/below street",
    "true_resolution_rate": "truly resolved",
    "satisfaction_rate": "residents satisfied",
}
"""The headline measures each sweep records, with their legend."""

POINTS = 5


def values_of(lever: Lever, days: int) -> list[float]:
    """Five values spanning the lever's range (days clipped to the run's length)."""
    high = min(lever.high, days) if "day" in lever.key.rsplit(".", 1)[-1] else lever.high
    values = np.linspace(lever.low, high, POINTS)
    if lever.integer:
        return sorted({round(v) for v in values})
    return [float(v) for v in values]


def group_of(key: str) -> str:
    """The group a lever is shown in: its mechanism, or a part of the city."""
    parts = key.split(".")
    if parts[0] == "mechanism":
        return parts[1]
    if parts[1] in ("residents", "departments", "case_types"):
        return parts[1]
    return "city"


def sweep_levers(levers: list[Lever] | None = None) -> pd.DataFrame:
    """The mean of each headline measure at each value of each lever."""
    base = compose(list(BASE))
    levers = levers if levers is not None else catalogue(base)
    rows = []
    for each in levers:
        cfg = compose([*BASE, *each.acts_in])
        lever = in_configuration(each, cfg)  # its range where it acts
        for value in values_of(lever, cfg.days):
            run = copy.deepcopy(cfg)
            set_value(run, lever.key, int(value) if lever.integer else float(value))
            try:
                validate(run, REGISTRY)
            except ConfigError:  # e.g. an odd number of social ties: not a valid city
                continue
            means = run_experiment(run).runs[list(MEASURES)].mean()
            rows.append(
                {
                    "lever": lever.key,
                    "group": group_of(lever.key),
                    "value": value,
                    "acts_in": " ".join(lever.acts_in),
                    **means.to_dict(),
                }
            )
    return pd.DataFrame(rows)


def lever_figure(table: pd.DataFrame, group: str, path: Path) -> Path:
    """Small multiples of the group's levers, each against the headline measures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = table[table["group"] == group]
    levers = list(dict.fromkeys(rows["lever"]))
    columns = min(4, len(levers))
    lines = -(-len(levers) // columns)
    fig, axes = plt.subplots(
        lines, columns, figsize=(3.2 * columns, 2.4 * lines + 0.6), squeeze=False, sharey=True
    )
    for ax, lever in zip(axes.flat, levers, strict=False):
        data = rows[rows["lever"] == lever]
        for measure, label in MEASURES.items():
            ax.plot(data["value"], data[measure], marker="o", markersize=3, label=label)
        ax.set_title(lever.removeprefix("mechanism.").removeprefix("city."), fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(levers) :]:
        ax.set_axis_off()
    for ax in axes[:, 0]:
        ax.set_ylabel("share of cases", fontsize=8)
    axes.flat[0].legend(fontsize=6, loc="lower left")
    fig.suptitle(
        f"Levers of {group}: one at a time, workshop city, mean of 3 paired runs", fontsize=9
    )
    return save_figure(fig, path)


def write_table(table: pd.DataFrame, path: Path) -> Path:
    """Write the sweep table as CSV (atomically)."""
    return write_text(path, table.to_csv(index=False, float_format="%.4f"))
