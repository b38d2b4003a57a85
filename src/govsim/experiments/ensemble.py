"""Parameter draws from a table: the points of ``hydra.sweeper.method=ensemble``.

``govsim -m hydra/sweeper=design hydra.sweeper.method=ensemble
hydra.sweeper.ensemble=draws.csv`` runs one job per row of a CSV or parquet table whose
columns are dotted configuration keys (``city.street_staff``,
``mechanism.whistle.compliance``) and whose rows are parameter sets: draws from stated
ranges, or the accepted parameter sets of a calibrated ensemble. Every row counts once
(equal weights; repeat a row to weight it). Integer columns give integer values. As in
every design, the design sweeper's dummy parameter is added as a column of uniform draws,
seeded by ``hydra.sweeper.design_seed``, and passed to no job; the analyses read an
ensemble like a Latin hypercube (rank correlations).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govsim.config.errors import PathError
from govsim.config.validate import ConfigError

__all__ = ["ensemble_design", "read_ensemble"]

ALLOWED = "a CSV or parquet table with one numeric column per dotted configuration key"


def read_ensemble(path: Path | str) -> pd.DataFrame:
    """The table of parameter draws at ``path``, checked column by column."""
    path = Path(path)
    if not path.is_file():
        raise PathError(path, "is not a file", ALLOWED)
    try:
        table = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except Exception as error:  # pandas and pyarrow raise several kinds for a damaged file
        reason = " ".join(str(error).split())[:120]
        raise PathError(
            path, f"cannot be read ({type(error).__name__}: {reason})", ALLOWED
        ) from None
    if table.empty or not len(table.columns):
        raise PathError(path, "holds no parameter draws", ALLOWED)
    for column in table.columns:
        name = str(column)
        if "." not in name:
            raise PathError(path, f"column {name!r} is not a dotted configuration key", ALLOWED)
        values = table[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise PathError(path, f"column {name!r} is not numeric", ALLOWED)
        if not np.isfinite(values.to_numpy(dtype=float)).all():
            raise PathError(path, f"column {name!r} has missing or infinite values", ALLOWED)
    return table


def ensemble_design(
    path: str | None, ranges: dict[str, Any], seed: int, dummy: str
) -> tuple[dict[str, list], dict[str, Any], np.ndarray]:
    """The bounds per column, the problem and the points of an ensemble design.

    The bounds are each column's least and greatest value (integers for an integer
    column), the problem is named like a sampled one, and the last column, ``dummy``, holds
    uniform draws on [0, 1].
    """
    if not path:
        raise ConfigError("hydra.sweeper.ensemble", path, ALLOWED)
    if ranges:
        raise ConfigError(
            "hydra.sweeper.params",
            ranges,
            "no ranges with method=ensemble (the table's columns are the parameters)",
        )
    table = read_ensemble(path)
    bounds: dict[str, list] = {}
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_integer_dtype(values):
            bounds[str(column)] = [int(values.min()), int(values.max())]
        else:
            bounds[str(column)] = [float(values.min()), float(values.max())]
    bounds[dummy] = [0.0, 1.0]
    draws = np.random.default_rng(seed).random(len(table))
    points = np.column_stack([table.to_numpy(dtype=float), draws])
    problem = {
        "num_vars": len(bounds),
        "names": list(bounds),
        "bounds": [[float(low), float(high)] for low, high in bounds.values()],
    }
    return bounds, problem, points
