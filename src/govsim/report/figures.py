"""Figures: designs compared over time, for a meeting (对比图).

Each panel is one measure with its name, axis labels and unit, the mean of the
replications and a 95% band kept within the measure's bounds (shares in 0–100%, counts
at or above zero). The title names the city, the scenario and the designs in the chosen
language. Where a design is rolled out in stages, each phase is marked, the time axis is
in years for runs over a year, and shares are per period (the cases that arose in each
month or quarter) rather than over every case so far, which would hide a later phase
behind the earlier ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from govsim.analysis.stats import t_quantile
from govsim.experiments.run import RunResult
from govsim.files import save_figure
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.report.display import Kind, bounds, measure, name, unit
from govsim.report.fonts import use_language
from govsim.report.names import city_name, design_name, mechanism_name, scenario_name
from govsim.report.phrases import say

__all__ = [
    "PANELS",
    "Phase",
    "band",
    "per_period",
    "phases",
    "plot_comparison",
    "plot_run",
    "title",
]

PANELS = [
    HEADLINE,
    HANDLED,
    "backlog",
    "resolution_rate",
    "satisfaction_rate",
    "department_backlog",
]
"""The daily series of a comparison figure, in panel order."""

YEAR = 365


@dataclass(frozen=True)
class Phase:
    """The day a mechanism of a staged roll-out starts."""

    day: int
    mechanism: str


def phases(params: Mapping[str, object]) -> list[Phase]:
    """The phases of a run's parameters (``mechanism.NAME.start_day`` and ``ramp_days``).

    Empty unless some mechanism starts after day 0 or ramps up: a design switched on at
    once has no phases.
    """
    found = []
    for key, value in params.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "mechanism" and parts[2] == "start_day":
            ramp = params.get(f"mechanism.{parts[1]}.ramp_days", 0)
            if pd.notna(value) and (int(value) > 0 or (pd.notna(ramp) and int(ramp) > 0)):
                found.append(Phase(int(value), parts[1]))
    return sorted(found, key=lambda p: (p.day, p.mechanism))


def band(values: pd.DataFrame, column: str, metric: str, by: str = "day") -> pd.DataFrame:
    """Mean and 95% interval of ``column`` over replications per ``by``, within bounds."""
    stats = values.groupby(by)[column].agg(["mean", "std", "count"])
    half = t_quantile(stats["count"]) * stats["std"] / np.sqrt(stats["count"])
    low, high = bounds(metric)
    return pd.DataFrame(
        {
            by: stats.index,
            "mean": stats["mean"],
            "low": (stats["mean"] - half).clip(low, high),
            "high": (stats["mean"] + half).clip(low, high),
        }
    )


def per_period(daily: pd.DataFrame, column: str, period: int) -> pd.DataFrame:
    """A share over the cases that arose in each period of ``period`` days, per run.

    The daily share is over the cases arisen so far, so share × cases arisen counts them;
    the change of that count over a period divided by the cases arisen in it is the
    period's share. Rows: run keys, ``day`` (the period's last day) and ``column``.
    """
    keys = [k for k in ("mechanism", "seed", "replication") if k in daily]
    ends = daily[daily["day"] % period == 0]
    counted = ends.assign(_n=ends[column] * ends["cases_arisen"]).sort_values([*keys, "day"])
    grouped = counted.groupby(keys, sort=False)
    arisen = grouped["cases_arisen"].diff().fillna(counted["cases_arisen"])
    part = grouped["_n"].diff().fillna(counted["_n"])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(arisen > 0, part / arisen, np.nan)
    return counted[[*keys, "day"]].assign(**{column: share})


def title(
    daily: pd.DataFrame, lang: str, city: str | None = None, city_label_zh: str | None = None
) -> str:
    """City · scenario: the designs compared, in ``lang``."""
    scenarios = dict.fromkeys(daily["scenario"]) if "scenario" in daily else {}
    designs = [design_name(d, lang) for d in dict.fromkeys(daily["mechanism"])]
    parts = [
        city_name(city, lang, city_label_zh) if city else None,
        *(scenario_name(s, lang) for s in scenarios if s != "default"),
    ]
    head = " · ".join(p for p in parts if p)
    versus = say("versus", lang).join(designs)
    return f"{head}: {versus}" if head else versus


def _time_axis(ax: Axes, days: int, lang: str) -> float:
    """Label the time axis in days or, beyond a year, in years; return the day scale."""
    if days > YEAR + 35:
        ax.set_xlabel(say("year", lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return 1.0 / YEAR
    ax.set_xlabel(say("day_axis", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return 1.0


def _value_axis(ax: Axes, metric: str, lang: str) -> None:
    ax.set_ylabel(unit(metric, lang))
    if measure(metric).kind is Kind.SHARE:
        ax.set_ylim(0.0, 1.0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f}%"))
    else:
        ax.set_ylim(bottom=0.0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _mark_phases(ax: Axes, marks: Sequence[Phase], scale: float, lang: str) -> None:
    for k, phase in enumerate(marks):
        ax.axvline(phase.day * scale, color="0.4", linestyle="--", linewidth=0.8)
        ax.annotate(
            mechanism_name(phase.mechanism, lang),
            (phase.day * scale, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -10 - 10 * (k % 3)),
            textcoords="offset points",
            fontsize=7,
            color="0.3",
        )


def _shade_uncounted(ax: Axes, first_day: int, warmup: int, scale: float, lang: str) -> None:
    """Shade the days before the reform and the warm-up: their cases are not counted."""
    if first_day < 0:
        ax.axvspan(
            first_day * scale, 0, color="0.75", alpha=0.5, linewidth=0, label=say("prereform", lang)
        )
    if warmup > 0:
        ax.axvspan(
            0, warmup * scale, color="0.88", alpha=0.6, linewidth=0, label=say("warmup", lang)
        )


def _margins(width: float, height: float) -> dict[str, float]:
    """Room around and between the panels, in inches made fractions of the figure.

    Fixed room for the two-line title, the panels' titles, the axes' labels and tick labels
    (up to nine characters, "1,000,000"), instead of measuring every text (matplotlib's
    ``tight_layout``, a tenth of a second of a 0.4-second figure).
    """
    return {
        "left": 0.95 / width,
        "right": 1 - 0.15 / width,
        "bottom": 0.55 / height,
        "top": 1 - 0.85 / height,
        "wspace": 0.3,
        "hspace": 0.38,
    }


def plot_comparison(
    daily: pd.DataFrame,
    path: Path,
    lang: str = "en",
    *,
    city: str | None = None,
    city_label_zh: str | None = None,
    marks: Iterable[Phase] = (),
    panels: Sequence[str] = PANELS,
    warmup: int = 0,
) -> Path:
    """Plot each panel per design over time and write a PNG atomically.

    ``marks`` are the phases of a staged roll-out: with any, shares are per period. The
    days before the reform (negative days) and the first ``warmup`` days of the reform,
    whose cases are not counted, are shaded and labelled, so a series settling at the start
    does not read as a slow roll-out.
    """
    use_language(lang)
    marks = list(marks)
    days = int(daily["day"].max())
    period = 91 if days > 2 * YEAR else 30
    columns = 3 if len(panels) > 4 else 2
    rows = -(-len(panels) // columns)
    width, height = 5.2 * columns, 3.6 * rows + 0.8
    fig, axes = plt.subplots(rows, columns, figsize=(width, height), squeeze=False)
    fig.subplots_adjust(**_margins(width, height))
    for ax, metric in zip(axes.flat, panels, strict=False):
        scale = _time_axis(ax, days, lang)
        periodic = bool(marks) and measure(metric).kind is Kind.SHARE
        for design, group in daily.groupby("mechanism", sort=False):
            values = per_period(group, metric, period) if periodic else group
            b = band(values, metric, metric)
            (line,) = ax.plot(b["day"] * scale, b["mean"], label=design_name(design, lang))
            ax.fill_between(
                b["day"] * scale,
                b["low"],
                b["high"],
                alpha=0.2,
                color=line.get_color(),
                linewidth=0,
            )
        label = name(metric, lang)
        if periodic:
            label += say("per_period", lang, days=period)
        ax.set_title(label, fontsize=10)
        _value_axis(ax, metric, lang)
        _mark_phases(ax, marks, scale, lang)
        _shade_uncounted(ax, int(daily["day"].min()), warmup, scale, lang)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8, loc="best")
    n = daily["replication"].nunique() * (daily["seed"].nunique() if "seed" in daily else 1)
    fig.suptitle(
        f"{title(daily, lang, city, city_label_zh)}\n{say('band_note', lang, n=n)}", fontsize=11
    )
    return save_figure(fig, path, laid_out=True)


def plot_run(result: RunResult, path: Path, lang: str = "en") -> Path:
    """The comparison figure of one experiment's arms (``comparison.png``)."""
    city = result.config.city
    return plot_comparison(
        result.daily,
        path,
        lang,
        city=city.name,
        city_label_zh=city.label_zh,
        marks=phases(result.runs.iloc[0].to_dict()),
    )
