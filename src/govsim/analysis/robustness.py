"""Robustness of policies across the scenarios of an exploratory sweep, and scenario discovery.

An exploratory sweep (:mod:`govsim.experiments.explore`) ran every policy at every
scenario with the same replications (common random numbers). Here a scenario's outcome of
a policy is the mean of its replications, and, per policy over the scenarios:

- **mean**, **worst** and **best** outcome;
- **regret** (Savage 1951, as the EMA Workbench computes it): in each scenario, how much
  worse the policy does than the best policy in that scenario (``max_p y_p − y`` when
  higher is better, ``y − min_p y_p`` when lower is better; 0 for the best). Reported as
  its maximum (minimax regret), its 90th percentile (linear interpolation between
  scenarios) and its mean;
- **satisficing**: the share of scenarios in which the policy meets a threshold
  (``y ≥ threshold`` when higher is better, ``y ≤ threshold`` when lower is better);
- **best in**: the share of scenarios in which it is the best (ties count for each).

**Scenario discovery** (:func:`discover`) runs PRIM (Friedman & Fisher 1999; the EMA
Workbench's ``ema_workbench.analysis.prim``) over the uncertainties, the scenarios *of
interest* being those where a chosen policy fails the threshold (or, without a
threshold, is not the best). PRIM peels the space of uncertainties into a box holding
many of them; of the first box's peeling trajectory, the box reported is the one with the
greatest coverage among those whose density reaches ``min_density`` (else the densest),
less any restriction that is not significant (quasi-p value above 0.05 on each of its
bounds; Bryant & Lempert 2010), dropped one at a time with the Workbench's
``drop_restriction``:

- **coverage**: the share of all scenarios of interest that lie in the box;
- **density**: the share of the scenarios in the box that are of interest;
- **mass**: the share of all scenarios that lie in the box.

Every box of the trajectory is kept with its statistics and its largest quasi-p (the
candidate, the wider boxes each drop adds, and the one reported marked), so a box that is
dropped is still shown, with why. Feature scores and CART
(:mod:`govsim.analysis.induction`) read the same cases beside PRIM.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govsim.analysis.induction import (
    cart_boxes,
    feature_scores,
    limits_text,
    quiet_workbench,
)
from govsim.config.errors import ArgumentError, IncompleteResultsError, PairingError, PathError
from govsim.experiments.collect import read_runs_table, require_folder
from govsim.experiments.columns import metric_columns
from govsim.experiments.explore import EXPLORE_FILE
from govsim.experiments.sweep import read_status

__all__ = [
    "DIRECTIONS",
    "Discovery",
    "Exploration",
    "discover",
    "read_exploration",
    "regret",
    "robustness",
    "satisficed",
    "scenario_outcomes",
]

DIRECTIONS = ("max", "min")
"""Whether higher (``max``) or lower (``min``) outcomes are better."""

TREATMENT = "treatment"

SIGNIFICANCE = 0.05
"""A restriction of PRIM's box whose quasi-p values all exceed this is dropped."""


@dataclass
class Exploration:
    """What an exploratory sweep ran: its uncertainties, scenarios, policies and jobs."""

    sweep: Path
    uncertainties: list[str]
    scenarios: pd.DataFrame
    """One row per scenario (index: the scenario's number), one column per uncertainty."""
    policies: list[str]
    jobs: pd.DataFrame
    """One row per job: ``run`` (its folder), ``policy`` (a label), ``scenario``."""
    seed: int = 0
    """The design seed: it also seeds the feature scores and CART."""


def read_exploration(sweep: Path) -> Exploration:
    """The ``explore.json`` of a sweep, or a :class:`PathError`."""
    path = require_folder(sweep) / EXPLORE_FILE
    if not path.is_file():
        raise PathError(
            sweep,
            f"is not an exploratory sweep (it has no {EXPLORE_FILE})",
            "a sweep run with hydra/sweeper=explore",
        )
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        names = [u["name"] for u in saved["uncertainties"]]
        integer = {u["name"]: bool(u["integer"]) for u in saved["uncertainties"]}
        scenarios = pd.DataFrame(saved["scenarios"], columns=names)
        labels = [p["label"] for p in saved["policies"]]
        jobs = pd.DataFrame(saved["jobs"])[["run", "policy", "scenario"]]
        seed = int(saved.get("seed", 0))
    except (ValueError, KeyError, TypeError) as error:
        raise PathError(
            path,
            f"cannot be read ({type(error).__name__}: {error})",
            "the explore.json the exploratory sweeper wrote",
        ) from None
    for name in names:
        scenarios[name] = scenarios[name].astype("int64" if integer[name] else "float64")
    if len(set(labels)) < len(labels):  # the same policy swept twice
        labels = [f"{label} #{p + 1}" for p, label in enumerate(labels)]
    jobs["policy"] = [labels[p] for p in jobs["policy"]]
    return Exploration(Path(sweep), names, scenarios, labels, jobs, seed)


def _require_metric(table: pd.DataFrame, metric: str) -> None:
    metrics = metric_columns(table)
    if metric not in metrics:
        raise ArgumentError(
            "robustness",
            f"--metric {metric!r} is not a metric of the runs",
            "one of " + ", ".join(sorted(metrics)),
        )


def _require_scenario(
    exploration: Exploration, run: str, scenario: int, table: pd.DataFrame
) -> None:
    for name in exploration.uncertainties:
        expected = exploration.scenarios.at[scenario, name]
        if name in table and not np.allclose(table[name].to_numpy(dtype=float), expected):
            raise PairingError(
                f"run {run} ran {name}={table[name].iloc[0]}, not scenario {scenario}'s "
                f"{expected} ({EXPLORE_FILE} does not describe this sweep)",
                "an exploratory sweep as its sweeper wrote it",
            )


def scenario_outcomes(exploration: Exploration, metric: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each policy's outcome at each scenario: the replication means and standard deviations.

    Both tables have one row per scenario and one column per policy. A policy with no
    finished run at some scenario is refused (:class:`IncompleteResultsError`), as are
    runs whose replications differ between jobs (no common random numbers).
    """
    means: dict[tuple[str, int], float] = {}
    sds: dict[tuple[str, int], float] = {}
    missing: dict[str, list[int]] = {}
    streams: dict[tuple, str] = {}
    for job in exploration.jobs.itertuples(index=False):
        folder = exploration.sweep / job.run
        if read_status(folder).get("status") != "done":
            missing.setdefault(job.policy, []).append(int(job.scenario))
            continue
        table = read_runs_table(folder / "runs.parquet")
        table = table[table["arm"] == TREATMENT]
        _require_metric(table, metric)
        _require_scenario(exploration, job.run, int(job.scenario), table)
        streams.setdefault(
            tuple(sorted(zip(table["seed"], table["replication"], strict=True))), job.run
        )
        values = table[metric].to_numpy(dtype=float)
        means[job.policy, int(job.scenario)] = float(values.mean())
        sds[job.policy, int(job.scenario)] = (
            float(values.std(ddof=1)) if len(values) > 1 else math.nan
        )
    if missing:
        policy, scenarios = next(iter(missing.items()))
        n = len(exploration.scenarios)
        more = sum(map(len, missing.values())) - len(scenarios)
        also = f"; {more} more runs of other policies" if more else ""
        raise IncompleteResultsError(
            exploration.sweep,
            f"policy {policy!r} has no finished run at {len(scenarios)} of "
            f"{n} scenarios (e.g. {scenarios[:5]}){also}",
            "a finished exploratory sweep: run the sweep again to resume it",
        )
    if len(streams) > 1:
        runs = ", ".join(list(streams.values())[:2])
        raise PairingError(
            f"runs {runs} differ in their seeds or replications",
            "every policy and scenario run with the same seed and replications "
            "(common random numbers)",
        )
    index = pd.RangeIndex(len(exploration.scenarios), name="scenario")

    def table(values: dict[tuple[str, int], float]) -> pd.DataFrame:
        return pd.DataFrame(
            {p: [values[p, k] for k in index] for p in exploration.policies}, index=index
        )

    return table(means), table(sds)


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ArgumentError(
            "robustness",
            f"--direction {direction!r}",
            "max (higher is better) or min (lower is better)",
        )


def regret(outcomes: pd.DataFrame, direction: str) -> pd.DataFrame:
    """Per scenario (row) and policy (column): the best policy's outcome minus this one's.

    ``direction`` says which outcome is best (``max`` or ``min``); regret is never negative
    and is 0 for the best policy of a scenario.
    """
    _check_direction(direction)
    if direction == "max":
        return outcomes.rsub(outcomes.max(axis=1), axis=0)
    return outcomes.sub(outcomes.min(axis=1), axis=0)


def satisficed(outcomes: pd.DataFrame, direction: str, threshold: float) -> pd.DataFrame:
    """Whether each policy meets ``threshold`` in each scenario (``>=`` for max, ``<=`` for min)."""
    _check_direction(direction)
    if not math.isfinite(threshold):
        raise ArgumentError("robustness", f"--threshold {threshold}", "a finite number")
    return outcomes >= threshold if direction == "max" else outcomes <= threshold


def robustness(
    outcomes: pd.DataFrame,
    direction: str,
    threshold: float | None = None,
    sds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per policy: mean, worst and best outcome, regret, satisficing and the share best.

    Sorted from the smallest maximum regret (then 90th-percentile regret) up.
    """
    r = regret(outcomes, direction)
    worst = outcomes.min() if direction == "max" else outcomes.max()
    best = outcomes.max() if direction == "max" else outcomes.min()
    table = pd.DataFrame(
        {
            "policy": outcomes.columns,
            "scenarios": len(outcomes),
            "mean": outcomes.mean().to_numpy(),
            "worst": worst.to_numpy(),
            "best": best.to_numpy(),
            "max_regret": r.max().to_numpy(),
            "p90_regret": r.quantile(0.9).to_numpy(),
            "mean_regret": r.mean().to_numpy(),
            "best_in": (r == 0).mean().to_numpy(),
            "satisficing": (
                satisficed(outcomes, direction, threshold).mean().to_numpy()
                if threshold is not None
                else np.nan
            ),
            "replicate_sd": (sds.mean().to_numpy() if sds is not None else np.nan),
        }
    )
    return table.sort_values(["max_regret", "p90_regret"], kind="stable").reset_index(drop=True)


@dataclass
class Discovery:
    """PRIM's first box over the uncertainties for the scenarios of interest, and its path."""

    cases: int
    """Scenarios of interest."""
    total: int
    """All scenarios."""
    limits: pd.DataFrame
    """One row per restricted uncertainty: ``low``, ``high`` and PRIM's quasi-p values."""
    coverage: float
    density: float
    mass: float
    trajectory: pd.DataFrame
    """The first box's peeling and pasting trajectory (coverage, density, mass, res_dim)."""
    chosen: int
    """The row of ``trajectory`` reported."""
    candidate: int = 0
    """The row first chosen (before restrictions that are not significant were dropped)."""
    boxes: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Every box of the trajectory: its statistics, ``qp`` (the largest quasi-p of its
    restrictions, each restriction's the smaller of its bounds'; NaN when it restricts
    nothing), its limits as text, and ``role`` (``candidate``, ``dropped from N``,
    ``reported``)."""
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Restrictions dropped as not significant, in order: ``uncertainty``, ``qp``, ``box``
    (the row they were dropped from)."""
    features: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The uncertainties' feature scores (:func:`govsim.analysis.induction.feature_scores`)."""
    cart: pd.DataFrame = field(default_factory=pd.DataFrame)
    """CART's leaves as boxes (:func:`~govsim.analysis.induction.cart_boxes`)."""

    def why_none(self) -> str:
        """Why no restriction is left, naming the candidate box and what was dropped."""
        if not self.limits.empty or self.dropped.empty:
            return ""
        c = self.boxes.iloc[self.candidate]
        drops = ", ".join(
            f"{row.uncertainty} (quasi-p {row.qp:.2g})" for row in self.dropped.itertuples()
        )
        return (
            f"PRIM's candidate box {self.candidate} ({c['limits']}; coverage "
            f"{c['coverage']:.3g}, density {c['density']:.3g}) has no restriction "
            f"significant at {SIGNIFICANCE:g}: dropped {drops}. With {self.total} "
            "scenarios the box may be chance; more scenarios would tell"
        )


def _choose(trajectory: pd.DataFrame, min_density: float) -> int:
    dense = trajectory[trajectory["density"] >= min_density]
    if dense.empty:
        order = trajectory.sort_values(["density", "coverage"], ascending=False, kind="stable")
    else:
        order = dense.sort_values(
            ["coverage", "density", "res_dim"], ascending=[False, False, True], kind="stable"
        )
    return int(order.index[0])


def _trajectory(box: Any) -> pd.DataFrame:
    columns = ["coverage", "density", "mass", "res_dim", "n"]
    return box.peeling_trajectory[columns].reset_index(drop=True).astype(float)


def _restricted(box: Any, i: int, names: list[str]) -> list[str]:
    lims, initial = box.box_lims[i], box.prim.box_init
    return [
        name
        for name in names
        if (
            lims[name].iloc[0] != initial[name].iloc[0]
            or lims[name].iloc[1] != initial[name].iloc[1]
        )
    ]


def _quasi_p(box: Any, i: int, names: list[str]) -> dict[str, float]:
    """Per restricted uncertainty of box ``i``: the smaller quasi-p of its restricted bounds."""
    qps = box.p_values[i]
    return {
        name: min(q for q in qps[name] if q != -1)
        for name in _restricted(box, i, names)
        if any(q != -1 for q in qps.get(name, [-1, -1]))
    }


def _drop_insignificant(box: Any, i: int, names: list[str]) -> tuple[int, list[dict]]:
    """Drop, one at a time, restrictions whose quasi-p values all exceed ``SIGNIFICANCE``.

    Each drop is the EMA Workbench's ``drop_restriction``, which adds the wider box to the
    trajectory; returns the row of the box left and the drops made.
    """
    drops = []
    while True:
        weak = {name: q for name, q in _quasi_p(box, i, names).items() if q > SIGNIFICANCE}
        if not weak:
            return i, drops
        name = max(weak, key=weak.__getitem__)
        drops.append({"uncertainty": name, "qp": float(weak[name]), "box": i})
        box.drop_restriction(name, i)
        i = len(box.box_lims) - 1


def _boxes(
    box: Any, names: list[str], candidate: int, chosen: int, drops: list[dict]
) -> pd.DataFrame:
    table = _trajectory(box).drop(columns="n")
    table["res_dim"] = table["res_dim"].astype(int)
    table["qp"] = [max(_quasi_p(box, i, names).values(), default=np.nan) for i in range(len(table))]
    table["limits"] = [
        limits_text(box.box_lims[i][names], box.prim.box_init[names]) for i in range(len(table))
    ]
    role = [""] * len(table)
    for n, drop in enumerate(drops):
        role[len(table) - len(drops) + n] = f"{drop['uncertainty']} dropped from {drop['box']}"
    role[candidate] = "candidate"
    role[chosen] = "reported" if chosen == candidate else f"reported ({role[chosen]})"
    table["role"] = role
    return table.rename_axis("box")


def discover(
    x: pd.DataFrame, interest: np.ndarray, min_density: float = 0.8, seed: int = 0
) -> Discovery:
    """Run PRIM on scenarios ``x`` (one column per uncertainty) for the cases of ``interest``.

    ``interest`` needs at least one scenario of interest and one that is not. Whole-number
    uncertainties are given to PRIM as real numbers (the EMA Workbench 3.0 cannot paste an
    integer column with this pandas), so their limits may fall between whole numbers.
    Feature scores and CART (:mod:`govsim.analysis.induction`, seeded by ``seed``) read
    the same scenarios.
    """
    interest = np.asarray(interest, dtype=bool)
    if not 0 < interest.sum() < len(interest):
        raise ValueError("scenario discovery needs scenarios of interest and others")
    names = list(x.columns)
    with quiet_workbench():
        from ema_workbench.analysis import prim

        box = prim.Prim(x.reset_index(drop=True).astype(float), interest.astype(int)).find_box()
        candidate = _choose(_trajectory(box), min_density)
        chosen, drops = _drop_insignificant(box, candidate, names)
    trajectory = _trajectory(box)
    lims, qps = box.box_lims[chosen], box.p_values[chosen]
    rows = []
    for name in _restricted(box, chosen, names):
        qp = [np.nan if q == -1 else float(q) for q in qps.get(name, [-1, -1])]
        rows.append(
            {
                "uncertainty": name,
                "low": float(lims[name].iloc[0]),
                "high": float(lims[name].iloc[1]),
                "qp_low": qp[0],
                "qp_high": qp[1],
            }
        )
    limits = pd.DataFrame(rows, columns=["uncertainty", "low", "high", "qp_low", "qp_high"])
    point = trajectory.iloc[chosen]
    return Discovery(
        int(interest.sum()),
        len(interest),
        limits,
        float(point["coverage"]),
        float(point["density"]),
        float(point["mass"]),
        trajectory,
        chosen,
        candidate,
        _boxes(box, names, candidate, chosen, drops),
        pd.DataFrame(drops, columns=["uncertainty", "qp", "box"]),
        feature_scores(x, interest, seed),
        cart_boxes(x, interest, seed),
    )
