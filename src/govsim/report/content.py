"""What a comparison report says, before it is written as HTML, Excel, PDF or Markdown (报告内容).

:func:`report_content` turns runs (and their daily series and per-unit results) into a
:class:`Report`: an executive summary first — what was compared, the answer in one
sentence with its interval, the assumptions it rests on — then for each setting the
measures in plain words with their direction, the differences against the reference
design, per-street results where the city has several streets, the resolution levels,
figures, the definitions and the caveats. Every number is formatted for people by
:mod:`govsim.report.display`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govsim.city.levels import Level
from govsim.experiments.pairing import PAIRED_ON, Setting, paired, settings
from govsim.experiments.stats import mean_ci
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.outcomes.metrics import KEY_METRICS
from govsim.report.display import (
    bounds,
    describe,
    direction,
    format_interval,
    format_value,
    name,
    unit,
)
from govsim.report.figures import PANELS, phases, plot_comparison
from govsim.report.levels import plot_levels
from govsim.report.names import city_name, design_name, scenario_name, street_name, words
from govsim.report.phrases import say

__all__ = ["LEVEL_MEASURES", "STREET_MEASURES", "Report", "Section", "Table", "compared_measures",
           "report_content"]

STREET_MEASURES = ["cases_arisen", "resolution_rate", HEADLINE, HANDLED, "satisfaction_rate"]
"""The per-street results shown (``units.parquet``)."""

RATES = ["response_rate", "resolution_rate", "satisfaction_rate"]
"""The three rates (响应率、解决率、满意率) of the summary."""

LEVEL_MEASURES = [f"resolved_share_{lv.name.lower()}" for lv in Level]
"""Where resolved cases were resolved (the levels table and figure)."""


def compared_measures(metrics: list[str] | None = None) -> list[str]:
    """Every measure a report averages over runs: ``metrics`` (default the key ones), levels."""
    return list(dict.fromkeys([*(metrics or KEY_METRICS), *LEVEL_MEASURES]))


@dataclass
class Table:
    """A table for people: formatted cells, headers in words."""

    title: str
    frame: pd.DataFrame


@dataclass
class Section:
    """One setting compared (a scenario and the values of any varied parameters)."""

    title: str
    summary: str
    tables: list[Table] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)


@dataclass
class Report:
    """A comparison report in one language."""

    lang: str
    title: str
    compared: str
    answers: list[str]
    assumptions: list[str]
    sections: list[Section]
    definitions: Table
    caveats: list[str]
    notes: list[str] = field(default_factory=list)
    """Paragraphs for the top of the report, e.g. the runs a partial sweep lacks."""

    def tables(self) -> list[Table]:
        """Every table, in the order of the report."""
        return [t for s in self.sections for t in s.tables] + [self.definitions]


def _city(runs: pd.DataFrame, lang: str) -> str:
    if "city.name" not in runs:
        return ""
    first = runs.iloc[0]
    return city_name(str(first["city.name"]), lang, first.get("city.label_zh"))


def _setting_title(setting: Setting, lang: str) -> str:
    """The setting's scenario and the values that tell it from the others, in words."""
    parts = []
    for column, value in setting.values.items():
        if column == "scenario":
            parts.append(scenario_name(str(value), lang))
        else:
            parts.append(f"{words(column.replace('.', ' '))} = {setting.text(column)}")
    return ", ".join(parts)


def _of_runs(table: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """The rows of a daily or per-unit table that belong to ``runs``.

    Rows are matched by run folder (where there is one), design, seed and replication.
    """
    keys = [c for c in ("run", "scenario", "mechanism", *PAIRED_ON) if c in table and c in runs]
    return table.merge(runs[keys].drop_duplicates())


def _interval(metric: str, values: pd.Series) -> tuple[float, float, float]:
    """Mean and 95% interval of replications, kept within the measure's bounds."""
    mean, low, high = mean_ci(values.to_numpy())
    lo, hi = bounds(metric)
    return mean, min(max(low, lo), hi), min(max(high, lo), hi)


def _of_fewer(text: str, n: int, of: int, lang: str) -> str:
    """A mean's text with how many runs or pairs it is over, when fewer than all of them."""
    return text if n >= of else f"{text} ({say('n_of', lang, n=n, of=of)})"


def _measures_table(group: pd.DataFrame, metrics: list[str], lang: str) -> Table:
    designs = list(dict.fromkeys(group["mechanism"]))
    rows = []
    for metric in metrics:
        row = {say("col_measure", lang): name(metric, lang),
               say("col_better", lang): direction(metric, lang),
               say("col_unit", lang): unit(metric, lang)}
        for design in designs:
            values = group.loc[group["mechanism"] == design, metric]
            text = format_interval(metric, *_interval(metric, values), lang)
            row[design_name(design, lang)] = _of_fewer(text, int(values.notna().sum()),
                                                        len(values), lang)
        rows.append(row)
    return Table(say("table_measures", lang), pd.DataFrame(rows))


def _differences_table(diffs: pd.DataFrame, lang: str) -> Table:
    rows = [{say("col_comparison", lang): say("minus", lang, a=design_name(d.mechanism, lang),
                                             b=design_name(d.reference, lang)),
             say("col_measure", lang): name(d.metric, lang),
             say("col_better", lang): direction(d.metric, lang),
             say("col_difference", lang): _of_fewer(
                 format_interval(d.metric, d.difference, d.ci_low, d.ci_high, lang,
                                 difference=True), d.pairs, d.paired, lang),
             say("col_variance_left", lang): format_value(HEADLINE, d.variance_ratio, lang)}
            for d in diffs.itertuples()]
    return Table(say("table_differences", lang), pd.DataFrame(rows))


def _streets_table(units: pd.DataFrame, lang: str) -> Table | None:
    streets = units[units["level"] == "street"]
    if streets["unit"].nunique() < 2:
        return None
    rows = []
    for (design, unit_name), g in streets.groupby(["mechanism", "unit"], sort=False):
        row = {say("col_design", lang): design_name(design, lang),
               say("col_street", lang): street_name(int(str(unit_name).split("/")[-1]), lang)}
        for metric in STREET_MEASURES:
            row[name(metric, lang)] = format_value(metric, float(g[metric].mean()), lang)
        rows.append(row)
    return Table(say("table_streets", lang), pd.DataFrame(rows))


def _levels_table(group: pd.DataFrame, lang: str) -> Table:
    rows = []
    for design, g in group.groupby("mechanism", sort=False):
        row = {say("col_design", lang): design_name(design, lang)}
        for column in LEVEL_MEASURES:
            text = format_value(column, float(g[column].mean()), lang)
            row[name(column, lang)] = _of_fewer(text, int(g[column].notna().sum()), len(g),
                                                lang)
        rows.append(row)
    return Table(say("table_levels", lang), pd.DataFrame(rows))


def _difference(row) -> str:
    """A paired difference with its interval."""
    return format_interval(row.metric, row.difference, row.ci_low, row.ci_high, row.lang,
                           difference=True)


def _answer(diffs: pd.DataFrame, lang: str) -> str:
    """The answer in one sentence: the headline and its other attribution, with intervals."""
    by_metric = {r.metric: r for r in diffs.assign(lang=lang).itertuples()}
    head = by_metric[HEADLINE]
    rates = "; ".join(f"{name(m, lang)} {_difference(by_metric[m])}"
                      for m in RATES if m in by_metric)
    return say("answer", lang, design=design_name(head.mechanism, lang),
               reference=design_name(head.reference, lang), headline=_difference(head),
               handled=_difference(by_metric[HANDLED]), rates=rates)


def _values_sentence(group: pd.DataFrame, lang: str) -> str:
    design = group["mechanism"].iloc[0]
    parts = [f"{name(m, lang)} {format_interval(m, *_interval(m, group[m]), lang)}"
             for m in (HEADLINE, HANDLED, *RATES)]
    return say("values", lang, design=design_name(design, lang), values="; ".join(parts))


def report_content(runs: pd.DataFrame, daily: pd.DataFrame, out: Path, lang: str = "en",
                   reference: str = "baseline", units: pd.DataFrame | None = None,
                   metrics: list[str] | None = None, notes: Sequence[str] = ()) -> Report:
    """The report of ``runs``; its figures are written into ``out``.

    ``notes`` are paragraphs for the top of the report (e.g. the runs a partial sweep lacks).
    """
    metrics = metrics or KEY_METRICS
    found = settings(runs)
    city = _city(runs, lang)
    sections, answers = [], []
    for n, setting in enumerate(found):
        group = setting.runs
        heading = _setting_title(setting, lang)
        diffs = paired(group, reference, metrics)
        summary = _answer(diffs, lang) if not diffs.empty else _values_sentence(group, lang)
        answers.append(f"{heading}: {summary}" if len(found) > 1 or len(setting.values) > 1
                       else summary)
        section = Section(heading, summary, [_measures_table(group, metrics, lang)])
        if not diffs.empty:
            section.tables.append(_differences_table(diffs, lang))
        if units is not None and not units.empty:
            streets = _streets_table(_of_runs(units, group), lang)
            if streets is not None:
                section.tables.append(streets)
        section.tables.append(_levels_table(group, lang))
        series = _of_runs(daily, group)
        if not series.empty and set(PANELS) <= set(series.columns):
            first = group.iloc[0]
            section.figures.append(plot_comparison(
                series, out / f"timeseries_{n}.png", lang, city=first.get("city.name"),
                city_label_zh=first.get("city.label_zh"), marks=phases(first.to_dict())))
        section.figures.append(plot_levels(group, out / f"levels_{n}.png", lang))
        sections.append(section)
    designs = [design_name(d, lang) for d in dict.fromkeys(runs["mechanism"])]
    replications = min(len(g) for s in found for _, g in s.runs.groupby("mechanism"))
    compared = say("compared", lang, designs=say("versus", lang).join(designs),
                   city=city or "–", settings=len(sections), replications=int(replications),
                   days=format_value("cases_arisen", float(runs["days"].max()), lang)
                   if "days" in runs else "–")
    definitions = Table(say("table_definitions", lang), pd.DataFrame(
        [{say("col_measure", lang): name(m, lang), say("col_meaning", lang): describe(m, lang),
          say("col_better", lang): direction(m, lang), say("col_unit", lang): unit(m, lang)}
         for m in metrics]))
    return Report(lang=lang, title=say("report_title", lang, city=city or "govsim"),
                  compared=compared, answers=answers,
                  assumptions=[say(f"assumption_{k}", lang) for k in range(4)],
                  sections=sections, definitions=definitions,
                  caveats=[say(f"caveat_{k}", lang) for k in range(3)], notes=list(notes))
