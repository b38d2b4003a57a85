"""Replicate noise in sensitivity indices: a bootstrap over replications and the dummy's floor.

The indices of a design sweep are computed on each point's mean over its replications, so
they carry replicate noise. Two measures of how much:

- **Bootstrap over replications.** In each of ``draws`` draws, the replications of every
  point are resampled with replacement (each point on its own), the point means and the
  indices are computed again; the 2.5 and 97.5 percentiles of each index over the draws are
  its bootstrap interval. The draws come from a generator seeded by the design seed, so the
  intervals are reproducible. They say how far the indices move when the replications do;
  SALib's own intervals (``*_conf``) resample the design's points instead.
- **The dummy's noise floor.** The design sweeper samples a parameter, ``dummy``, that no
  job receives (:data:`govsim.experiments.design.DUMMY`). On the runs, a Morris step or a
  Sobol column in the dummy repeats a point exactly (common random numbers), so its index
  is 0; a rank correlation with it is chance alone. In the bootstrap, the repeated points'
  replications are resampled apart, so the dummy's bootstrap interval is the size of index
  that replicate noise alone makes. A parameter whose bootstrap interval does not rise
  above the dummy's (its 2.5 percentile at or below the dummy's 97.5 percentile, on the
  magnitude of :func:`~govsim.experiments.indices.main_index`) is flagged as
  indistinguishable from noise. With one replication per point there is no bootstrap; the
  estimate less SALib's half-width is then set against the dummy's estimate plus its own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from govsim.experiments.design import DUMMY
from govsim.experiments.indices import batch_indices, main_index

__all__ = ["BOOTSTRAP_DRAWS", "bootstrap", "flag_noise", "replicate_noise"]

BOOTSTRAP_DRAWS = 200
"""Bootstrap draws over replications, unless asked otherwise."""


def replicate_noise(samples: list[np.ndarray]) -> float:
    """The mean over points of the standard deviation of a point's replications."""
    sds = [np.std(v, ddof=1) for v in samples if len(v) > 1]
    return float(np.mean(sds)) if sds else float("nan")


def _generator(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 1])


def bootstrap(method: str, problem: dict[str, Any], points: np.ndarray,
              samples: list[np.ndarray], seed: int,
              draws: int = BOOTSTRAP_DRAWS) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Bootstrap intervals of every index and the draws of the main index's magnitude.

    ``samples`` holds each point's replications. Returns a table with ``{index}_boot_low``
    and ``{index}_boot_high`` per parameter and a draws × parameters array, or None when no
    point has more than one replication or ``draws`` is 0.
    """
    if draws < 1 or max(len(v) for v in samples) < 2:
        return None
    rng = _generator(seed)
    outputs = np.empty((draws, len(samples)))
    for k, values in enumerate(samples):
        outputs[:, k] = values[rng.integers(0, len(values), (draws, len(values)))].mean(axis=1)
    found = batch_indices(method, problem, points, outputs)
    out = pd.DataFrame({"parameter": list(problem["names"])})
    for name, values in found.items():
        out[f"{name}_boot_low"] = np.nanpercentile(values, 2.5, axis=0)
        out[f"{name}_boot_high"] = np.nanpercentile(values, 97.5, axis=0)
    return out, np.abs(found[main_index(method)])


def flag_noise(table: pd.DataFrame, method: str, magnitudes: np.ndarray | None) -> pd.Series:
    """Per parameter, whether its index does not rise above the dummy's (NA: no dummy)."""
    names = list(table["parameter"])
    if DUMMY not in names:
        return pd.Series(pd.NA, index=table.index, dtype="boolean")
    main = main_index(method)
    if magnitudes is not None:
        low = np.nanpercentile(magnitudes, 2.5, axis=0)
        high = np.nanpercentile(magnitudes, 97.5, axis=0)
    else:
        estimate = table[main].abs().to_numpy(dtype=float)
        half = (table[f"{main}_conf"].abs().fillna(0.0).to_numpy(dtype=float)
                if f"{main}_conf" in table else np.zeros(len(table)))
        low, high = estimate - half, estimate + half
    floor = high[names.index(DUMMY)]
    flags = pd.Series(low <= floor, index=table.index, dtype="boolean")
    flags[table["parameter"] == DUMMY] = pd.NA
    return flags
