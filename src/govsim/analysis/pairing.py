"""Settings and pairs: which runs of a runs table a comparison may put side by side.

A difference between designs means something only between runs that differ in the
designs alone. :func:`settings` splits a runs table on every configuration value that
varies (:mod:`govsim.experiments.columns`: the scenario, the city with its departments and
case types, days, ...), with two exceptions:

- **the arms' own mechanism keys** (``mechanism.whistle.*`` of a whistle run, nothing of a
  baseline run): they are the difference being measured. A key that takes several values
  within one design (a sweep of ``mechanism.whistle.compliance``) makes settings of its
  own, one per value, each holding the runs of the other designs too (their runs do not
  depend on it);
- **seed and replication**: within a setting, runs are paired on both (common random
  numbers).

The values that decide which runs an experiment makes (``reference``, ``replications``)
do not split settings either: they change no run. A run recorded twice (the same
configuration and the same results: the reference arm of every job of a sweep) counts
once. Two runs of one design in one setting with the same seed and replication that
still differ (made by another govsim version, or read from a table that lacks
configuration columns) are never pooled: :class:`PairingError` says what differs.
:func:`paired` gives each design's paired differences with the reference in a setting,
:func:`describe` says in one line what was paired.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import product
from numbers import Number, Real
from typing import Any

import numpy as np
import pandas as pd

from govsim.analysis.stats import paired_differences
from govsim.config.errors import PairingError
from govsim.experiments.columns import (
    LAYOUT,
    configuration_columns,
    metric_columns,
    varying_parameters,
)

__all__ = [
    "PAIRED_ON",
    "Setting",
    "describe",
    "paired",
    "require_defined",
    "require_distinct_designs",
    "settings",
    "short_texts",
    "undefined",
]

PAIRED_ON = ["seed", "replication"]
"""Runs of two designs are paired when they share these (common random numbers)."""

SHOWN_FIRST = ("scenario", "city.name")
"""Values that name a setting before any other that tells settings apart."""

MECHANISM = "mechanism."

INCIDENTAL = ("sweep", "run", "wall_seconds", "run_wall_seconds", "compile_seconds")
"""Columns in which two records of the same run may differ."""


@dataclass
class Setting:
    """One setting of a comparison: the runs whose configurations differ in the design only."""

    values: dict[str, Any]
    """The values that tell this setting from the others (the scenario first), by column."""
    runs: pd.DataFrame
    """Its runs: each design once per seed and replication."""
    texts: dict[str, str] = field(default_factory=dict)
    """Its values as shown, by column: real numbers in short form (:func:`short_texts`)."""

    def text(self, column: str) -> str:
        """The value of ``column`` as shown (``0.28`` for 0.2837462918374652)."""
        return self.texts.get(column, str(self.values[column]))

    def label(self, columns: list[str] | None = None) -> str:
        """``column=value`` of ``columns`` (default: every value), joined by commas."""
        return ", ".join(f"{c}={self.text(c)}" for c in columns or self.values)


SHORTEST = 2
"""Real numbers are shown to this many significant digits, more where two would look alike."""


def _number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def short_texts(values: list[Any]) -> list[str]:
    """``values`` as shown: numbers short, other values as they are.

    When some are not whole, numbers take the fewest significant digits (at least
    :data:`SHORTEST`) that keep distinct values distinct (an ensemble's parameter sets drawn
    by a sampler: ``0.28`` for 0.2837462918374652, ``0.284`` and ``0.285`` for two close
    ones); whole numbers are shown without a decimal point (``14`` for 14.0).
    """
    numbers = sorted({float(v) for v in values if _number(v)})
    if all(v.is_integer() for v in numbers):
        return [str(int(v)) if _number(v) else str(v) for v in values]
    digits = next(
        (d for d in range(SHORTEST, 18) if len({f"{v:.{d}g}" for v in numbers}) == len(numbers)), 17
    )
    return [f"{float(v):.{digits}g}" if _number(v) else str(v) for v in values]


def _distinct(runs: pd.DataFrame) -> pd.DataFrame:
    """Each run once: a run recorded twice (same configuration and results) is dropped."""
    same = [c for c in configuration_columns(runs) if c not in LAYOUT]
    same += ["mechanism", *PAIRED_ON, *metric_columns(runs)]
    return runs.drop_duplicates(subset=list(dict.fromkeys(same)))


def _swept_by(group: pd.DataFrame) -> dict[str, set[str]]:
    """Mechanism keys that take several values within one design, and those designs."""
    keys = [c for c in group.columns if str(c).startswith(MECHANISM)]
    if not keys:
        return {}
    counts = group.groupby("mechanism", sort=False)[keys].nunique(dropna=False)
    return {key: set(counts.index[counts[key] > 1]) for key in keys if (counts[key] > 1).any()}


def _levels(group: pd.DataFrame, swept: dict[str, set[str]]) -> list[tuple]:
    """The combinations of the swept mechanism keys' values that make settings."""
    keys = list(swept)
    values = {k: list(dict.fromkeys(group.loc[group["mechanism"].isin(swept[k]), k])) for k in keys}
    levels: dict[tuple, None] = {}
    for design, row in zip(group["mechanism"], group[keys].itertuples(index=False), strict=True):
        own = [design in swept[k] for k in keys]
        if any(own):
            options = [
                [v] if mine else values[k] for k, v, mine in zip(keys, row, own, strict=True)
            ]
            levels.update(dict.fromkeys(product(*options)))
    return list(levels)


def _members(group: pd.DataFrame, swept: dict[str, set[str]], level: tuple) -> pd.Series:
    """The runs at one level of the swept keys, with the runs of designs that sweep none."""
    inside = pd.Series(True, index=group.index)
    for (key, designs), value in zip(swept.items(), level, strict=True):
        inside &= ~group["mechanism"].isin(designs) | (group[key] == value)
    return inside


def _split(runs: pd.DataFrame) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    """The runs of each setting with the value of every column split on."""
    shared = [
        "scenario",
        *(c for c in varying_parameters(runs) if not c.startswith(MECHANISM) and c not in LAYOUT),
    ]
    parts = []
    for key, group in runs.groupby(shared, sort=False, dropna=False):
        values = dict(zip(shared, key, strict=True))
        swept = _swept_by(group)
        if not swept:
            parts.append((values, group))
            continue
        for level in _levels(group, swept):
            parts.append(
                (
                    {**values, **dict(zip(swept, level, strict=True))},
                    group[_members(group, swept, level)],
                )
            )
    return parts


def _order(values: dict[str, Any]) -> tuple:
    """A sort key of a setting's values: numbers by size, then text, missing values last."""
    key = []
    for value in values.values():
        if isinstance(value, Number) and not pd.isna(value):
            key.append((0, float(value), ""))
        else:
            key.append((2, 0.0, "") if pd.isna(value) else (1, 0.0, str(value)))
    return tuple(key)


def _telling(keys: pd.DataFrame) -> list[str]:
    """The columns that tell settings apart, few and named first where they can be."""
    order = [*(c for c in SHOWN_FIRST if c in keys), *(c for c in keys if c not in SHOWN_FIRST)]
    shown = ["scenario"]
    for column in order:
        if column not in shown and (
            len(keys.drop_duplicates([*shown, column])) > len(keys.drop_duplicates(shown))
        ):
            shown.append(column)
    return shown


def _differences(twins: pd.DataFrame) -> str:
    """What runs that should be alike differ in, in words (run folders and times aside)."""
    differ = [
        c for c in twins.columns if c not in INCIDENTAL and twins[c].nunique(dropna=False) > 1
    ]
    metrics = [c for c in metric_columns(twins) if c in differ]
    named = [
        f"{c} (the configuration that ran)" if c == "config" else str(c)
        for c in differ
        if c not in metrics
    ]
    if metrics:
        more = ", ..." if len(metrics) > 3 else ""
        named.append(f"their results ({', '.join(metrics[:3])}{more})")
    return ", ".join(named) or "nothing recorded"


def _require_alike(values: dict[str, Any], runs: pd.DataFrame) -> None:
    """Refuse two runs of one design in one setting with the same seed and replication."""
    key = ["mechanism", *PAIRED_ON]
    twins = runs[runs.duplicated(key, keep=False)]
    if twins.empty:
        return
    first = twins.iloc[0]
    twins = twins[(twins[key] == first[key]).all(axis=1)]
    folders = list(map(str, twins["run"])) if "run" in twins else []
    more = f", +{len(folders) - 3} more" if len(folders) > 3 else ""
    named = f" ({', '.join(folders[:3])}{more})" if folders else ""
    raise PairingError(
        f"{len(twins)} runs{named} of {first['mechanism']} with seed {first['seed']} and "
        f"replication {first['replication']} in the setting "
        f"{', '.join(f'{c}={v}' for c, v in values.items())} agree on every recorded "
        f"configuration value but differ in {_differences(twins)}",
        "runs whose configuration columns are complete (run them again with this govsim)",
    )


def settings(runs: pd.DataFrame) -> list[Setting]:
    """The settings of a runs table (see the module), ordered by their values."""
    parts = sorted(_split(_distinct(runs)), key=lambda part: _order(part[0]))
    keys = pd.DataFrame([values for values, _ in parts])
    shown = _telling(keys)
    for values, group in parts:
        _require_alike(values, group)
    found = [
        Setting({c: values[c] for c in shown if c in values}, group) for values, group in parts
    ]
    for column in shown:
        having = [s for s in found if column in s.values]
        for setting, text in zip(
            having, short_texts([s.values[column] for s in having]), strict=True
        ):
            setting.texts[column] = text
    return found


def paired(runs: pd.DataFrame, reference: str, metrics: list[str]) -> pd.DataFrame:
    """Each design of one setting against ``reference``, paired by seed and replication."""
    ref = runs[runs["mechanism"] == reference]
    rows = []
    for design, group in runs[runs["mechanism"] != reference].groupby("mechanism", sort=False):
        both = pd.concat([group.assign(arm="treatment"), ref.assign(arm="reference")])
        both["replication"] = both["seed"].astype(str) + ":" + both["replication"].astype(str)
        rows.append(paired_differences(both, metrics).assign(mechanism=design, reference=reference))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _pairs(found: list[Setting], reference: str) -> dict[str, tuple[set, set]]:
    """Per design, its runs paired with a run of ``reference`` and those left unpaired.

    A run shared by several settings (a design that does not sweep a key others sweep)
    counts once.
    """
    pairs: dict[str, tuple[set, set]] = {}
    for setting in found:
        runs = setting.runs
        ref = pd.MultiIndex.from_frame(runs.loc[runs["mechanism"] == reference, PAIRED_ON])
        for design, rows in runs[runs["mechanism"] != reference].groupby("mechanism", sort=False):
            matched = pd.MultiIndex.from_frame(rows[PAIRED_ON]).isin(ref)
            with_partner, without = pairs.setdefault(design, (set(), set()))
            with_partner.update(rows.index[matched])
            without.update(rows.index[~matched])
    return {d: (paired_runs, alone - paired_runs) for d, (paired_runs, alone) in pairs.items()}


def describe(found: list[Setting], reference: str, most: int = 12) -> str:
    """What a comparison paired, in one line: runs per design, the settings by their values."""
    if not any((s.runs["mechanism"] == reference).any() for s in found):
        return f"nothing paired: the reference {reference} did not run"
    pairs = _pairs(found, reference)
    runs = " and ".join(f"{len(p)} runs of {d}" for d, (p, _) in pairs.items() if p) or "no runs"
    columns = [
        c
        for c in dict.fromkeys(k for s in found for k in s.values)
        if len({str(s.values.get(c)) for s in found}) > 1
    ]
    labels = [s.label([c for c in columns if c in s.values] or None) for s in found[:most]]
    more = f"; and {len(found) - most} more" if len(found) > most else ""
    line = (
        f"paired {runs} with {reference} by seed and replication in {len(found)} "
        f"setting{'s' if len(found) != 1 else ''}: {'; '.join(labels)}{more}"
    )
    unpaired = [f"{len(alone)} runs of {d}" for d, (_, alone) in pairs.items() if alone]
    if unpaired:
        line += (
            f" (not paired, no {reference} run with their seed and replication: "
            f"{', '.join(unpaired)})"
        )
    return line


def undefined(runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """The runs whose value of a metric is NaN or inf: one row per run and metric.

    Columns: the run folder (where recorded), design, seed, replication and ``metric``.
    """
    present = [m for m in metrics if m in runs]
    values = runs[present].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    rows, columns = np.nonzero(~np.isfinite(values))
    keys = [c for c in ("run", "mechanism", *PAIRED_ON) if c in runs]
    table = runs.iloc[rows][keys].reset_index(drop=True)
    return table.assign(metric=[present[k] for k in columns])


def _named(items: list, most: int = 4) -> str:
    """The first few items joined by commas, with how many more there are."""
    more = f", +{len(items) - most} more" if len(items) > most else ""
    return ", ".join(map(str, items[:most])) + more


def require_distinct_designs(runs: pd.DataFrame) -> None:
    """Refuse runs whose two arms ran one design's mechanisms (with other parameters).

    A comparison pairs designs by their mechanisms: a treatment of ``whistle`` at other
    parameters against a reference of ``whistle`` at its defaults would pair with itself
    and show nothing. The run's own summary shows their paired difference.
    """
    shared = runs.groupby("mechanism")["arm"].nunique()
    both = sorted(shared[shared > 1].index)
    if both:
        raise PairingError(
            f"{_named(both)} ran as both the treatment and the reference arm (the same "
            "mechanisms at other parameters), so the designs cannot be told apart by name",
            "the run's own summary table and summary.md, which give the arms' paired "
            "difference; or a sweep over the parameter (e.g. "
            "mechanism.whistle.compliance=0.5,0.8) compared level by level",
        )


def require_defined(runs: pd.DataFrame, metrics: list[str]) -> None:
    """Refuse runs in which a compared metric is NaN or inf, naming the metrics and runs.

    A mean over the runs that have a value would quietly average fewer replications than
    were paired (a measure of cases in a run where none arose is undefined).
    """
    missing = undefined(runs, metrics)
    if missing.empty:
        return
    if (
        "horizon_days" in runs
        and (pd.to_numeric(runs["horizon_days"]) == 0).any()
        and (missing["metric"] == "resolution_days_mean").any()
    ):
        raise PairingError(
            "resolution_days_mean is undefined in runs with horizon_days=0: the restricted "
            "mean follows every counted case horizon_days days, and these follow none",
            "runs with horizon_days > 0, or --allow-missing to leave the measure out of "
            "those runs (the report gives its n)",
        )
    identity = [c for c in missing.columns if c != "metric"]
    which = missing.drop_duplicates(identity)
    named = [
        " ".join(f"{c}={v}" for c, v in zip(identity, row, strict=True))
        for row in which[identity].itertuples(index=False)
    ]
    raise PairingError(
        f"{_named(list(dict.fromkeys(missing['metric'])))} NaN or inf (undefined) in "
        f"{len(which)} of {len(runs.drop_duplicates(identity))} runs: {_named(named, 3)}",
        "runs in which every compared measure is defined, or --allow-missing to average "
        "each measure over the runs that have it (the report gives its n)",
    )
