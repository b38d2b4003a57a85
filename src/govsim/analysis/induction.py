"""Feature scoring and CART beside PRIM: other views of where a policy fails (EMA Workbench).

Scenario discovery (:func:`govsim.analysis.robustness.discover`) peels one box with
PRIM. Two of the EMA Workbench's other rule-induction tools read the same scenarios
(one row per scenario, one column per uncertainty) and the same cases of interest:

- **feature scores** (``ema_workbench.analysis.feature_scoring.get_ex_feature_scores``;
  extra trees, Geurts et al. 2006, as Jaxa-Rozen & Kwakkel 2018 set them): each
  uncertainty's share of the forest's impurity decrease in telling the cases of interest
  apart (the scores sum to 1). The forest is seeded with the sweep's design seed and
  tries a third of the uncertainties at each split, as the Workbench's default, but at
  least one (the default is none with one or two uncertainties);
- **CART** (``ema_workbench.analysis.cart.CART``; Breiman et al. 1984): a classification
  tree whose leaves hold at least ``mass_min`` of the scenarios; each leaf is a box with
  the coverage, density and mass PRIM's boxes have. The Workbench grows the tree with
  scikit-learn's default, unseeded generator, which breaks ties between equally good
  splits; the tree here is grown the Workbench's way with a generator seeded by the
  design seed, so the same sweep gives the same leaves.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MASS_MIN", "cart_boxes", "feature_scores", "limits_text", "quiet_workbench"]

MASS_MIN = 0.05
"""The least share of the scenarios in a CART leaf (the Workbench's default, as PRIM's)."""


@contextmanager
def quiet_workbench() -> Iterator[None]:
    """The EMA Workbench with its notes at INFO and its optional-package warnings silenced."""
    ema_log = logging.getLogger("EMA")
    level = ema_log.level
    with warnings.catch_warnings():  # its optional parallel evaluator, and pandas' notes
        warnings.filterwarnings("ignore", message="ipyparallel not installed")
        warnings.filterwarnings("ignore", module=r"ema_workbench\.")
        warnings.filterwarnings("ignore", module=r"sklearn\.")
        warnings.simplefilter("ignore", FutureWarning)
        ema_log.setLevel(logging.WARNING)
        try:
            yield
        finally:
            ema_log.setLevel(level)


def feature_scores(x: pd.DataFrame, interest: np.ndarray, seed: int) -> pd.DataFrame:
    """Each uncertainty's extra-trees feature score for the cases of ``interest``, largest first."""
    with quiet_workbench():
        from ema_workbench.analysis import feature_scoring
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

        scores, _ = feature_scoring.get_ex_feature_scores(
            x.reset_index(drop=True).astype(float),
            np.asarray(interest, dtype=int),
            mode=RuleInductionType.CLASSIFICATION,
            random_state=seed,
            max_features=max(1, round(x.shape[1] / 3)),
        )  # its default, at least one
    out = scores.reset_index()
    out.columns = ["uncertainty", "score"]
    return out


def limits_text(box: pd.DataFrame, initial: pd.DataFrame) -> str:
    """A box's limits on the uncertainties it restricts (rows: low, high), as one line."""
    parts = []
    for name in box.columns:
        low, high = float(box[name].iloc[0]), float(box[name].iloc[1])
        if low != float(initial[name].iloc[0]) and high != float(initial[name].iloc[1]):
            parts.append(f"{low:.4g} ≤ {name} ≤ {high:.4g}")
        elif low != float(initial[name].iloc[0]):
            parts.append(f"{name} ≥ {low:.4g}")
        elif high != float(initial[name].iloc[1]):
            parts.append(f"{name} ≤ {high:.4g}")
    return "; ".join(parts) or "(all scenarios)"


def cart_boxes(
    x: pd.DataFrame, interest: np.ndarray, seed: int, mass_min: float = MASS_MIN
) -> pd.DataFrame:
    """CART's leaves as boxes: coverage, density, mass, restricted uncertainties and limits.

    One row per leaf, the densest first (then the greatest coverage); no rows for a single
    uncertainty, whose tree the Workbench 3.0 cannot read back into boxes (it looks up the
    leaves' feature, -2, among the uncertainties' names).
    """
    columns = ["coverage", "density", "mass", "res_dim", "limits"]
    if x.shape[1] < 2:
        return pd.DataFrame(columns=columns)
    with quiet_workbench():
        from ema_workbench.analysis import cart
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType
        from sklearn import tree

        data = x.reset_index(drop=True).astype(float)
        model = cart.CART(
            data, np.asarray(interest, dtype=int), mass_min=mass_min, mode=RuleInductionType.BINARY
        )
        model.clf = tree.DecisionTreeClassifier(  # build_tree's tree, seeded
            min_samples_leaf=max(1, int(mass_min * len(data))), random_state=seed
        )
        model.clf.fit(model._x, model.y)
        initial = data.agg(["min", "max"])
        rows: list[dict[str, Any]] = [
            {
                "coverage": float(stats["coverage"]),
                "density": float(stats["density"]),
                "mass": float(stats["mass"]),
                "res_dim": int(stats["res dim"]),
                "limits": limits_text(box, initial),
            }
            for box, stats in zip(model.boxes, model.stats, strict=True)
        ]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["density", "coverage"], ascending=False, kind="stable").reset_index(
        drop=True
    )
