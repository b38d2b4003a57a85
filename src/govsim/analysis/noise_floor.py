"""Replicate noise in sensitivity indices: bootstrap intervals and the dummy's noise floor.

The indices of a design sweep are computed on each point's mean over its replications, so
they carry replicate noise. Two measures of how much, kept apart because they answer two
questions:

- **Bootstrap intervals** (``{index}_low``, ``{index}_high``): how far the estimate moves
  when the replications do. In each of ``draws`` draws the replications are resampled
  with replacement *as a whole*: one draw of replication numbers, used at every point, so
  replication r of every point keeps its common random numbers and a difference between
  points keeps its pairing, as in the estimate. The point means and indices are computed
  again; the 2.5 and 97.5 percentiles over the draws are a percentile interval around the
  estimate. Points with unlike numbers of replications are resampled each on its own
  (their pairing is not known). The draws come from a generator seeded by the design seed,
  so the intervals are reproducible. SALib's own intervals (``*_conf``) resample the
  design's points instead.
- **The dummy's noise floor** (:func:`noise_floor`). The design sweeper samples a
  parameter, ``dummy``, that no job receives (:data:`govsim.experiments.design.DUMMY`). On
  the runs, a Morris step or a Sobol column in the dummy repeats a point exactly (common
  random numbers), so its index is 0, and stays 0 under the paired bootstrap; a rank
  correlation with it is chance alone. The floor resamples every point's replications
  apart, so the two runs of a repeated point differ by replicate noise alone: the 97.5
  percentile of the dummy's index over those draws is the size of index that replicate
  noise alone makes, were the common random numbers lost. A parameter whose interval
  does not rise above it (the 2.5 percentile of the magnitude of its
  :func:`~govsim.analysis.indices.main_index` at or below the floor) is flagged as
  indistinguishable from noise. With one replication per point there is no bootstrap; the
  estimate less SALib's half-width is then set against the dummy's estimate plus its own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from govsim.analysis.indices import batch_indices, main_index
from govsim.experiments.design import DUMMY

__all__ = ["BOOTSTRAP_DRAWS", "bootstrap", "flag_noise", "noise_floor", "replicate_noise"]

BOOTSTRAP_DRAWS = 200
"""Bootstrap draws over replications, unless asked otherwise."""


def replicate_noise(samples: list[np.ndarray]) -> float:
    """The mean over points of the standard deviation of a point's replications."""
    sds = [np.std(v, ddof=1) for v in samples if len(v) > 1]
    return float(np.mean(sds)) if sds else float("nan")


def _generator(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 1])


def _point_means(
    samples: list[np.ndarray], rng: np.random.Generator, draws: int, paired: bool
) -> np.ndarray:
    """``draws`` × points means of resampled replications, all points alike if ``paired``."""
    sizes = {len(v) for v in samples}
    outputs = np.empty((draws, len(samples)))
    if paired and len(sizes) == 1:
        size = sizes.pop()
        chosen = rng.integers(0, size, (draws, size))
        for k, values in enumerate(samples):
            outputs[:, k] = values[chosen].mean(axis=1)
        return outputs
    for k, values in enumerate(samples):
        outputs[:, k] = values[rng.integers(0, len(values), (draws, len(values)))].mean(axis=1)
    return outputs


def bootstrap(
    method: str,
    problem: dict[str, Any],
    points: np.ndarray,
    samples: list[np.ndarray],
    seed: int,
    draws: int = BOOTSTRAP_DRAWS,
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Bootstrap intervals of every index and the draws of the main index's magnitude.

    ``samples`` holds each point's replications, in replication order. Returns a table with
    ``{index}_low`` and ``{index}_high`` per parameter (replications resampled as a whole,
    see the module) and a draws × parameters array, or None when no point has more than
    one replication or ``draws`` is 0.
    """
    if draws < 1 or max(len(v) for v in samples) < 2:
        return None
    outputs = _point_means(samples, _generator(seed), draws, paired=True)
    found = batch_indices(method, problem, points, outputs)
    out = pd.DataFrame({"parameter": list(problem["names"])})
    for name, values in found.items():
        out[f"{name}_low"] = np.nanpercentile(values, 2.5, axis=0)
        out[f"{name}_high"] = np.nanpercentile(values, 97.5, axis=0)
    return out, np.abs(found[main_index(method)])


def noise_floor(
    method: str,
    problem: dict[str, Any],
    points: np.ndarray,
    samples: list[np.ndarray],
    seed: int,
    draws: int = BOOTSTRAP_DRAWS,
) -> float:
    """The dummy's 97.5 percentile of the main index's magnitude, replications apart.

    NaN without a dummy, without replications to resample, or with ``draws`` 0.
    """
    names = list(problem["names"])
    if DUMMY not in names or draws < 1 or max(len(v) for v in samples) < 2:
        return float("nan")
    outputs = _point_means(samples, _generator(seed + 1), draws, paired=False)
    found = batch_indices(method, problem, points, outputs)
    magnitude = np.abs(found[main_index(method)][:, names.index(DUMMY)])
    return float(np.nanpercentile(magnitude, 97.5))


def flag_noise(
    table: pd.DataFrame, method: str, magnitudes: np.ndarray | None, floor: float = float("nan")
) -> pd.Series:
    """Per parameter, whether its index does not rise above the noise floor (NA: no dummy).

    ``floor`` is :func:`noise_floor`; without a bootstrap (``magnitudes`` None) the
    estimate less SALib's half-width is set against the dummy's estimate plus its own.
    """
    names = list(table["parameter"])
    if DUMMY not in names:
        return pd.Series(pd.NA, index=table.index, dtype="boolean")
    main = main_index(method)
    if magnitudes is not None:
        low = np.nanpercentile(magnitudes, 2.5, axis=0)
    else:
        estimate = table[main].abs().to_numpy(dtype=float)
        half = (
            table[f"{main}_conf"].abs().fillna(0.0).to_numpy(dtype=float)
            if f"{main}_conf" in table
            else np.zeros(len(table))
        )
        low, floor = estimate - half, (estimate + half)[names.index(DUMMY)]
    flags = pd.Series(low <= floor, index=table.index, dtype="boolean")
    flags[table["parameter"] == DUMMY] = pd.NA
    return flags
