"""The verdict of a held-out validation (验证结论): declared thresholds, pass or fail.

:mod:`govsim.cases.holdout` measures how the simulated period compares with the log's;
this module says whether that is good enough, against thresholds declared here
(:data:`THRESHOLDS`), each with its measure and the reason for its value. A measure the
period cannot judge (a weekday profile of less than a week, rank correlations over fewer
than :data:`FEWEST_UNITS` units) is *not judged* and counts neither way. The verdict is
PASS when every judged measure passes.

The thresholds are defaults for a district log of hundreds of cases a week; each can be
changed by name (:func:`parse_threshold`, ``govsim cases validate --threshold NAME=VALUE``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

__all__ = [
    "BAND",
    "FEWEST_RUNS",
    "FEWEST_UNITS",
    "THRESHOLDS",
    "Threshold",
    "band_rank",
    "daily_band",
    "judge",
    "parse_threshold",
    "verdict_line",
    "with_thresholds",
]

BAND = 0.90
"""The simulated daily band's coverage: how often a right model's day falls in it."""

FEWEST_RUNS = math.ceil(2.0 / (1.0 - BAND) - 1e-9) - 1
"""The fewest runs whose band reaches :data:`BAND` (19 for 90%)."""

FEWEST_UNITS = 5
"""Rank correlations over fewer units are not judged (ρ takes too few values to mean much:
over 4 units only 0.8 and 1 reach 0.6)."""

PASS, FAIL, NOT_JUDGED = "pass", "fail", "not judged"


@dataclass(frozen=True)
class Threshold:
    """One measure of the verdict, its threshold and why it is set there."""

    name: str
    """Its name on the command line (``--threshold NAME=VALUE``)."""
    measure: str
    """What is measured, in words."""
    value: float
    """The threshold."""
    at_most: bool
    """True: the measure passes at or below the value; False: at or above it."""
    low: float
    """The least value the threshold may take."""
    high: float
    """The greatest value the threshold may take."""
    why: str
    """Why the threshold is set where it is."""

    def text(self) -> str:
        """``≤ 0.1``, ``≥ 0.85``."""
        return f"{'≤' if self.at_most else '≥'} {self.value:g}"

    def passes(self, value: float) -> bool:
        """Whether ``value`` meets the threshold."""
        return value <= self.value if self.at_most else value >= self.value


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        "ks",
        "KS distance of closure times",
        0.10,
        True,
        0.0,
        1.0,
        "the largest gap between the two cumulative distributions of closure times, "
        "at most 10 percentage points: with hundreds of closed cases sampling noise "
        "alone gives about half of it (1.36·√(1/n + 1/m) ≈ 0.056 at n = 700), so a "
        "failure is a misfit, not noise; below some 200 closed cases noise nears it",
    ),
    Threshold(
        "within_1",
        "closed within 1 day: |simulated − log|",
        0.05,
        True,
        0.0,
        1.0,
        "five percentage points, a small share of the cases closed the same day; the "
        "binomial noise of a share of 700 cases is 0.02 at most",
    ),
    Threshold(
        "within_3",
        "closed within 3 days: |simulated − log|",
        0.05,
        True,
        0.0,
        1.0,
        "as within 1 day: the cases a town settles in its working week",
    ),
    Threshold(
        "within_7",
        "closed within 7 days: |simulated − log|",
        0.05,
        True,
        0.0,
        1.0,
        "as within 1 day: the tail routed on to departments and escalated",
    ),
    Threshold(
        "daily_band",
        "share of days with the log's count in the simulated 90% band (from 19 runs)",
        0.85,
        False,
        0.0,
        1.0,
        "the band runs from each day's k-th smallest to its k-th largest count over "
        "the R pooled runs, k = ⌊0.05 (R + 1)⌋, so that a right model's day, one more "
        "draw of the same, falls in it with probability (R + 1 − 2k) / (R + 1) ≥ 0.90 "
        "(a prediction interval by order statistics; the runs' 5th to 95th "
        "percentiles would hold 81% at 20 runs); 0.85 is 6 of 7 days (a right model "
        "meets it 85% of the time over one week). Fewer than 19 runs cannot give 90%: "
        "their band is the runs' range, of (R − 1) / (R + 1), and the note says so",
    ),
    Threshold(
        "unit_volumes",
        "Spearman ρ of the units' cases per day",
        0.6,
        False,
        -1.0,
        1.0,
        "the towns ranked alike by volume, busiest to quietest: 0.6 is the usual "
        "mark of a strong rank correlation, and a unit's volume is mostly its size, "
        "which the fit reads from the log",
    ),
    Threshold(
        "unit_closure",
        "Spearman ρ of the units' median closure days",
        0.6,
        False,
        -1.0,
        1.0,
        "the towns ranked alike by how fast they close cases (0.6 as for "
        "volumes); units with no closed case on either side left out",
    ),
    Threshold(
        "weekday",
        "weekday profile: largest |simulated − log| share of a weekday",
        0.05,
        True,
        0.0,
        1.0,
        "a weekday holds 1/7 ≈ 0.14 of a week's cases on average; 0.05 is a third of "
        "that, so a profile without the working week fails (Haishu: 0.24 of the "
        "week on a Monday, 0.05 on a Saturday) while the noise of some 700 cases "
        "(0.014 a share) passes; judged on a period of a week or more",
    ),
)
"""The verdict's measures with their default thresholds, in the verdict table's order."""


def allowed_names() -> str:
    """The names a threshold may be given by."""
    return ", ".join(t.name for t in THRESHOLDS)


def parse_threshold(text: str) -> tuple[str, float]:
    """``NAME=VALUE`` → (name, value), refused when the name or value is not allowed."""
    name, sep, value = text.partition("=")
    known = {t.name: t for t in THRESHOLDS}
    if not sep or name not in known:
        raise ValueError(
            f"--threshold {text!r} (allowed: NAME=VALUE, NAME one of {allowed_names()})"
        )
    threshold = known[name]
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not threshold.low <= number <= threshold.high:
        raise ValueError(
            f"--threshold {text!r} (allowed: {name} from {threshold.low:g} to {threshold.high:g})"
        )
    return name, number


def with_thresholds(changes: list[tuple[str, float]]) -> tuple[Threshold, ...]:
    """The declared thresholds with ``changes`` (name, value) made, the last one winning."""
    values = dict(changes)
    return tuple(replace(t, value=values[t.name]) if t.name in values else t for t in THRESHOLDS)


def band_rank(runs: int) -> tuple[int, float]:
    """The rank k of the band's ends among ``runs`` runs and the band's coverage.

    For R exchangeable runs and one more draw of the same (a right model's day), the new
    draw lies between the k-th smallest and the k-th largest of the runs with probability
    (R + 1 − 2k) / (R + 1) (at least that with ties; Wilks 1941): the largest k with
    coverage ≥ :data:`BAND`, and k = 1 (the range) when no k reaches it.
    """
    k = max(math.floor(round((1.0 - BAND) / 2.0 * (runs + 1), 9)), 1)
    return k, max(runs + 1 - 2 * k, 0) / (runs + 1)


def daily_band(per_day: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Each day's simulated band over the runs (rows) of ``per_day``, and its coverage.

    The ends are each day's k-th smallest and k-th largest count (:func:`band_rank`).
    """
    runs = per_day.shape[0]
    k, coverage = band_rank(runs)
    ordered = np.sort(per_day, axis=0)
    return ordered[k - 1].astype(float), ordered[runs - k].astype(float), coverage


def _weekday_shares(cases: pd.DataFrame) -> np.ndarray:
    counts = np.bincount(cases["created"].dt.day_of_week.to_numpy(), minlength=7).astype(float)
    return counts / counts.sum() if counts.sum() else counts


def _spearman(units: pd.DataFrame, column: str, fill: float | None) -> tuple[float, int]:
    """Spearman's ρ of ``column`` between the log and the simulation, and the units used.

    A unit missing on one side counts ``fill`` there (None: the unit is left out); judged
    only when at least :data:`FEWEST_UNITS` units have cases on both sides.
    """
    from scipy.stats import spearmanr

    pair = units[[f"{column}_log", f"{column}_simulated"]]
    both = int(units[["cases_per_day_log", "cases_per_day_simulated"]].notna().all(axis=1).sum())
    pair = pair.fillna(fill) if fill is not None else pair.dropna()
    if both < FEWEST_UNITS or len(pair) < FEWEST_UNITS or pair.nunique().min() < 2:
        return math.nan, len(pair)
    return float(spearmanr(pair.iloc[:, 0], pair.iloc[:, 1]).statistic), len(pair)


def judge(
    comparison: pd.DataFrame,
    daily: pd.DataFrame,
    units: pd.DataFrame,
    log: pd.DataFrame,
    simulated: pd.DataFrame,
    days: int,
    thresholds: tuple[Threshold, ...] = THRESHOLDS,
) -> pd.DataFrame:
    """The verdict table: one row per measure (see :data:`THRESHOLDS`).

    Each row holds the log's and the simulated value where a measure has them, the value
    judged, the threshold and the result (pass, fail or not judged) with a note.

    ``comparison`` is :func:`govsim.cases.holdout.compare`'s table, ``daily`` has one row a
    day with ``log``, ``simulated_mean``, ``simulated_low`` and ``simulated_high`` (the 90%
    band, :func:`daily_band`; with ``band_coverage``, the band's own, noted when below
    :data:`BAND`), ``units`` is :func:`govsim.cases.holdout.per_unit`'s table;
    ``log`` and ``simulated`` are the period's cases (:func:`govsim.cases.holdout.period`).
    """
    values = comparison.set_index("measure")
    inside = (daily["simulated_low"] <= daily["log"]) & (daily["log"] <= daily["simulated_high"])
    band_note = f"{int(inside.sum())} of {len(daily)} days"
    coverage = float(daily["band_coverage"].iloc[0]) if "band_coverage" in daily else BAND
    if coverage < BAND - 1e-9:
        band_note += f"; a band of {coverage:.0%}: {FEWEST_RUNS} runs or more give {BAND:.0%}"
    rows: dict[str, tuple[float, float, float, str]] = {
        "ks": (math.nan, math.nan, float(values.loc["ks_distance_closure_days", "simulated"]), ""),
        "daily_band": (
            float(daily["log"].mean()),
            float(daily["simulated_mean"].mean()),
            float(inside.mean()),
            band_note,
        ),
    }
    for t in (1, 3, 7):
        row = values.loc[f"closed_within_{t}_days"]
        rows[f"within_{t}"] = (
            float(row["log"]),
            float(row["simulated"]),
            abs(float(row["simulated"]) - float(row["log"])),
            "",
        )
    for name, column, fill in (
        ("unit_volumes", "cases_per_day", 0.0),
        ("unit_closure", "median_closure_days", None),
    ):
        rho, n = _spearman(units, column, fill)
        note = (
            f"{n} units"
            if math.isfinite(rho)
            else f"{n} units (judged on {FEWEST_UNITS} or more with cases on both sides)"
        )
        rows[name] = (math.nan, math.nan, rho, note)
    if days >= 7 and len(log) and len(simulated):
        real, sim = _weekday_shares(log), _weekday_shares(simulated)
        k = int(np.argmax(np.abs(sim - real)))
        day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[k]
        rows["weekday"] = (
            float(real[k]),
            float(sim[k]),
            float(np.abs(sim - real).max()),
            f"largest on {day}",
        )
    else:
        rows["weekday"] = (math.nan, math.nan, math.nan, f"{days} days (a week or more)")
    table = []
    for threshold in thresholds:
        real_value, sim_value, value, note = rows[threshold.name]
        result = (
            NOT_JUDGED if not math.isfinite(value) else PASS if threshold.passes(value) else FAIL
        )
        table.append(
            {
                "measure": threshold.name,
                "log": real_value,
                "simulated": sim_value,
                "value": value,
                "threshold": threshold.text(),
                "result": result,
                "note": note,
            }
        )
    return pd.DataFrame(table)


def verdict_line(table: pd.DataFrame) -> str:
    """``verdict: PASS (6 of 6 measures passed)`` or ``verdict: FAIL (failed: ks, ...)``."""
    judged = table[table["result"] != NOT_JUDGED]
    passed = int((judged["result"] == PASS).sum())
    failed = judged.loc[judged["result"] == FAIL, "measure"].tolist()
    skipped = table.loc[table["result"] == NOT_JUDGED, "measure"].tolist()
    tail = f"; not judged: {', '.join(skipped)}" if skipped else ""
    if not len(judged):
        return f"verdict: NONE (no measure could be judged{tail})"
    if failed:
        return (
            f"verdict: FAIL (failed: {', '.join(failed)}; {passed} of {len(judged)} "
            f"measures passed{tail})"
        )
    return f"verdict: PASS ({passed} of {len(judged)} measures passed{tail})"
