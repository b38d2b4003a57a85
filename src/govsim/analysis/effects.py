"""A design sweep's results per point and replication: the treatment's level, the paired effect.

Every job of a design sweep (:mod:`govsim.experiments.design`) runs ``replications``
replications of the treatment arm and, unless ``reference=null``, of the reference arm,
replication r of both on the same random streams. :func:`replicates` reads the sweep into
one row per design point and replication:

- ``level``: the treatment's value of the metric;
- ``effect``: treatment − reference, the two runs paired within the point by seed and
  replication (:data:`govsim.analysis.pairing.PAIRED_ON`, common random numbers).

Runs that differ in anything but the design's parameters, seed and replication (a design
crossed with a list sweep) are refused rather than averaged, as are points with a
treatment run that has no reference run to pair with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govsim.analysis.pairing import PAIRED_ON
from govsim.config.errors import ArgumentError, IncompleteResultsError, PairingError, PathError
from govsim.experiments.collect import collect, require_folder
from govsim.experiments.columns import metric_columns, varying_parameters
from govsim.experiments.design import DESIGN_FILE, DUMMY

__all__ = [
    "OF",
    "by_point",
    "has_dummy",
    "paired_effects",
    "read_design",
    "read_runs",
    "replicates",
    "require_one_setting",
    "treatment_levels",
]

OF = ("level", "effect")
"""What an analysis of a design sweep reads: the treatment's level or the paired effect."""


def read_design(sweep: Path) -> dict[str, Any]:
    """The ``design.json`` of a design sweep, or a :class:`PathError`."""
    path = require_folder(sweep) / DESIGN_FILE
    if not path.is_file():
        raise PathError(
            sweep,
            f"is not a design sweep (it has no {DESIGN_FILE})",
            "a sweep run with hydra/sweeper=design",
        )
    try:
        design = json.loads(path.read_text(encoding="utf-8"))
        _ = design["problem"]["names"], design["points"], design["method"], design["seed"]
    except (ValueError, KeyError, TypeError) as error:
        raise PathError(
            path,
            f"cannot be read ({type(error).__name__}: {error})",
            "the design.json the design sweeper wrote",
        ) from None
    return design


def read_runs(sweep: Path) -> pd.DataFrame:
    """The runs table of a sweep (:func:`govsim.experiments.collect.collect`)."""
    return collect(Path(sweep))[0]


def has_dummy(design: dict[str, Any]) -> bool:
    """Whether the design sampled the dummy parameter (designs saved before it did not)."""
    return DUMMY in design["problem"]["names"]


def require_one_setting(runs: pd.DataFrame, parameters: list[str]) -> None:
    """Refuse runs of one arm that differ in more than the design's parameters and streams.

    A design crossed with a list sweep (``city=a,b``) would otherwise be averaged over the
    list's values at each design point.
    """
    differ = [c for c in ("scenario", "mechanism") if runs[c].nunique(dropna=False) > 1]
    differ += [c for c in varying_parameters(runs) if c not in parameters]
    if differ:
        raise PairingError(
            f"the design's points ran at more than one setting ({', '.join(differ)} "
            "vary besides the design's parameters)",
            "a design sweep at one setting: sweep each setting into a folder of its own",
        )


def _require_metric(runs: pd.DataFrame, metric: str, command: str) -> None:
    metrics = metric_columns(runs)
    if metric not in metrics:
        raise ArgumentError(
            command,
            f"--metric {metric!r} is not a metric of the runs",
            "one of " + ", ".join(sorted(metrics)),
        )


def _records(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Point, arm, seed, replication and ``metric`` of each run, once; refuses twins.

    A run recorded twice (the same values) counts once; two different runs of one arm with
    the same point, seed and replication (a sweep run again by another govsim) are refused.
    """
    keys = ["design_point", "arm", *PAIRED_ON]
    records = runs[[*keys, metric]].drop_duplicates()
    twins = records[records.duplicated(keys, keep=False)]
    if not twins.empty:
        first = twins.iloc[0]
        raise PairingError(
            f"design point {first['design_point']} has {len(twins)} different "
            f"{first['arm']} runs with seed {first['seed']} and replication "
            f"{first['replication']}",
            "one run per arm, seed and replication "
            "at each point (a sweep folder of its own per design)",
        )
    return records


def treatment_levels(
    runs: pd.DataFrame, metric: str, parameters: list[str], command: str = "sensitivity"
) -> pd.DataFrame:
    """Per design point, seed and replication: the treatment's ``metric`` (``level``)."""
    done = runs[(runs["status"] == "done")] if "status" in runs else runs
    treatment = done[done["arm"] == "treatment"]
    _require_metric(treatment, metric, command)
    require_one_setting(treatment, parameters)
    keys = ["design_point", *PAIRED_ON]
    records = _records(treatment, metric)
    table = records[keys].assign(level=records[metric].astype(float))
    return table.sort_values(keys, ignore_index=True)


def paired_effects(
    runs: pd.DataFrame, metric: str, parameters: list[str], command: str = "sensitivity"
) -> pd.DataFrame:
    """Per design point, seed and replication: treatment, reference and their difference.

    The reference run of each treatment run is the one of the same point with the same
    seed and replication; each arm's runs may differ in nothing but the design's
    parameters and their streams, and a point holds one run per arm, seed and replication.
    """
    done = runs[(runs["status"] == "done")] if "status" in runs else runs
    _require_metric(done[done["arm"] == "treatment"], metric, command)
    if not (done["arm"] == "reference").any():
        raise ArgumentError(
            command,
            "--of effect needs a reference arm, and the runs have none (reference=null)",
            "--of level, or a design sweep with a reference",
        )
    for arm in ("treatment", "reference"):
        require_one_setting(done[done["arm"] == arm], parameters)
    records = _records(done, metric)
    treatment = records[records["arm"] == "treatment"].drop(columns="arm")
    reference = records[records["arm"] == "reference"].drop(columns="arm")
    both = treatment.merge(
        reference,
        on=["design_point", *PAIRED_ON],
        how="left",
        suffixes=("_treatment", "_reference"),
    )
    table = pd.DataFrame(
        {
            "design_point": both["design_point"],
            "seed": both["seed"],
            "replication": both["replication"],
            "treatment": both[f"{metric}_treatment"].astype(float),
            "reference": both[f"{metric}_reference"].astype(float),
        }
    )
    unpaired = table["reference"].isna() & table["treatment"].notna()
    if unpaired.any():
        first = table[unpaired].iloc[0]
        raise PairingError(
            f"{int(unpaired.sum())} treatment runs have no reference run with "
            f"their seed and replication (e.g. design point "
            f"{first['design_point']}, replication {first['replication']})",
            "a design sweep whose jobs ran both arms",
        )
    table = table.assign(effect=table["treatment"] - table["reference"])
    return table.sort_values(["design_point", *PAIRED_ON], ignore_index=True)


def replicates(
    sweep: Path, metric: str, of: str, command: str = "sensitivity"
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The design of ``sweep`` and its ``of`` (level or effect) per point and replication.

    The table's value column is named ``of``.
    """
    design = read_design(sweep)
    if of not in OF:
        raise ArgumentError(command, f"--of {of!r}", "one of " + ", ".join(OF))
    runs = read_runs(sweep)
    parameters = [p for p in design["problem"]["names"] if p != DUMMY]
    if of == "effect":
        return design, paired_effects(runs, metric, parameters, command)
    return design, treatment_levels(runs, metric, parameters, command)


def by_point(
    table: pd.DataFrame, column: str, n_points: int, sweep: Path | str
) -> list[np.ndarray]:
    """The finite values of ``column`` at each point 0 .. n_points − 1, in replication order.

    Refuses a sweep in which a point has no value (jobs not finished).
    """
    values = {
        k: group.sort_values(PAIRED_ON)[column].dropna().to_numpy(dtype=float)
        for k, group in table.groupby("design_point")
    }
    missing = [k for k in range(n_points) if len(values.get(k, ())) == 0]
    if missing:
        raise IncompleteResultsError(
            sweep,
            f"{len(missing)} of {n_points} design points have no finished run (e.g. {missing[:5]})",
            "a finished design sweep: run the sweep again to resume it",
        )
    return [values[k] for k in range(n_points)]
