"""What a comparison report says, before it is written as HTML, Excel, PDF or Markdown (报告内容).

:func:`report_content` turns runs (and their daily series and per-unit results) into a
:class:`Report`: a first page (:mod:`govsim.report.first_page`: residents, cost, who does
the work, how sure, the caveat that matters), then for each setting the measures in plain
words with their direction, the differences against the reference design, per-street
results where the city has several streets, the resolution levels, figures, the
definitions, a glossary of the statistical terms, the caveats and the assumptions. Every
number is formatted for people by :mod:`govsim.report.display`; every table also carries
its figures as numbers with spreadsheet formats for the workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govsim.analysis.pairing import PAIRED_ON, Setting, paired, settings
from govsim.analysis.stats import mean_ci
from govsim.city.levels import Level
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.outcomes.metrics import KEY_METRICS
from govsim.report.display import (
    bounds,
    describe,
    difference_unit,
    difference_value,
    direction,
    format_interval,
    format_value,
    name,
    number_format,
    unit,
)
from govsim.report.figures import PANELS, phases, plot_comparison
from govsim.report.first_page import COST, GLOSSARY, RESIDENTS, Point, first_page
from govsim.report.levels import plot_levels
from govsim.report.names import city_name, design_name, scenario_name, street_name, words
from govsim.report.phrases import say

__all__ = [
    "LEVEL_MEASURES",
    "STREET_MEASURES",
    "Answer",
    "Number",
    "Report",
    "Section",
    "Table",
    "compared_measures",
    "report_content",
]

STREET_MEASURES = ["cases_arisen", "resolution_rate", HEADLINE, HANDLED, "satisfaction_rate"]
"""The per-street results shown (``units.parquet``)."""

RATES = ["response_rate", "resolution_rate", "satisfaction_rate"]
"""The three rates (响应率、解决率、满意率) of the summary."""

LEVEL_MEASURES = [f"resolved_share_{lv.name.lower()}" for lv in Level]
"""Where resolved cases were resolved (the levels table and figure)."""


def compared_measures(metrics: list[str] | None = None) -> list[str]:
    """Every measure a report averages over runs: ``metrics`` (default the key ones), levels."""
    return list(dict.fromkeys([*(metrics or KEY_METRICS), *LEVEL_MEASURES]))


@dataclass(frozen=True)
class Number:
    """A number for a spreadsheet, with its number format (``0.0%``, ``#,##0``)."""

    value: float
    format: str


@dataclass
class Table:
    """A table for people: formatted cells, headers in words.

    ``rows`` are the same figures for a spreadsheet, one value a cell (mean, interval ends
    and unit apart) and every figure a :class:`Number`; ``sheet`` is the sheet's short name.
    """

    title: str
    frame: pd.DataFrame
    sheet: str = ""
    rows: list[dict[str, object]] = field(default_factory=list)

    def sheet_rows(self) -> list[dict[str, object]]:
        """The rows of this table's sheet: its numeric rows, or its text."""
        return self.rows or self.frame.to_dict("records")


@dataclass
class Answer:
    """The first page's points for one setting; ``heading`` names it where there are several."""

    heading: str
    points: list[Point]


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
    answers: list[Answer]
    assumptions: list[str]
    sections: list[Section]
    definitions: Table
    glossary: Table
    caveats: list[str]
    summary: Table | None = None
    """The first page's figures, for the summary sheet (None without a reference)."""
    notes: list[str] = field(default_factory=list)
    """Paragraphs for the top of the report, e.g. the runs a partial sweep lacks."""

    def tables(self) -> list[Table]:
        """Every table, in the order of the report."""
        return [t for s in self.sections for t in s.tables] + [self.definitions, self.glossary]


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


def _number(value: float, fmt: str) -> Number | str:
    """A spreadsheet cell: the number, or empty where it is undefined."""
    return Number(float(value), fmt) if pd.notna(value) and abs(value) != float("inf") else ""


def _measures_table(group: pd.DataFrame, metrics: list[str], lang: str) -> Table:
    designs = list(dict.fromkeys(group["mechanism"]))
    rows, cells = [], []
    for metric in metrics:
        about = {
            say("col_measure", lang): name(metric, lang),
            say("col_better", lang): direction(metric, lang),
            say("col_unit", lang): unit(metric, lang),
        }
        row = dict(about)
        for design in designs:
            values = group.loc[group["mechanism"] == design, metric]
            mean, low, high = _interval(metric, values)
            text = format_interval(metric, mean, low, high, lang)
            runs = int(values.notna().sum())
            row[design_name(design, lang)] = _of_fewer(text, runs, len(values), lang)
            fmt = number_format(metric)
            cells.append(
                {
                    **about,
                    say("col_design", lang): design_name(design, lang),
                    say("col_mean", lang): _number(mean, fmt),
                    say("col_low", lang): _number(low, fmt),
                    say("col_high", lang): _number(high, fmt),
                    say("col_runs", lang): Number(runs, "0"),
                }
            )
        rows.append(row)
    return Table(
        say("table_measures", lang), pd.DataFrame(rows), say("sheet_measures", lang), cells
    )


def _difference_cells(d, lang: str) -> dict[str, object]:
    """A paired difference as spreadsheet cells, in the unit it is shown in."""
    fmt = number_format(d.metric, difference=True)
    return {
        say("col_comparison", lang): say(
            "minus", lang, a=design_name(d.mechanism, lang), b=design_name(d.reference, lang)
        ),
        say("col_measure", lang): name(d.metric, lang),
        say("col_unit", lang): difference_unit(d.metric, lang).strip(),
        say("col_better", lang): direction(d.metric, lang),
        say("col_change", lang): _number(difference_value(d.metric, d.difference), fmt),
        say("col_low", lang): _number(difference_value(d.metric, d.ci_low), fmt),
        say("col_high", lang): _number(difference_value(d.metric, d.ci_high), fmt),
    }


def _differences_table(diffs: pd.DataFrame, lang: str) -> Table:
    rows = [
        {
            say("col_comparison", lang): say(
                "minus", lang, a=design_name(d.mechanism, lang), b=design_name(d.reference, lang)
            ),
            say("col_measure", lang): name(d.metric, lang),
            say("col_better", lang): direction(d.metric, lang),
            say("col_difference", lang): _of_fewer(
                format_interval(d.metric, d.difference, d.ci_low, d.ci_high, lang, difference=True),
                d.pairs,
                d.paired,
                lang,
            ),
            say("col_variance_left", lang): format_value(HEADLINE, d.variance_ratio, lang),
        }
        for d in diffs.itertuples()
    ]
    cells = [
        {
            **_difference_cells(d, lang),
            say("col_runs", lang): Number(d.pairs, "0"),
            say("col_variance_left", lang): _number(d.variance_ratio, "0.0%"),
        }
        for d in diffs.itertuples()
    ]
    return Table(
        say("table_differences", lang), pd.DataFrame(rows), say("sheet_differences", lang), cells
    )


def _summary_table(diffs: pd.DataFrame, group: pd.DataFrame, lang: str, heading: str) -> Table:
    """The first page's figures of the setting ``heading``, each against the reference."""
    shown = [*RESIDENTS, COST, HEADLINE, HANDLED]
    cells = []
    for d in diffs[diffs["metric"].isin(shown)].itertuples():
        means = [
            group.loc[group["mechanism"] == m, d.metric].mean() for m in (d.reference, d.mechanism)
        ]
        fmt = number_format(d.metric)
        cells.append(
            {
                **_difference_cells(d, lang),
                say("col_reference_value", lang): _number(means[0], fmt),
                say("col_design_value", lang): _number(means[1], fmt),
            }
        )
    cells.sort(key=lambda c: [name(m, lang) for m in shown].index(c[say("col_measure", lang)]))
    return Table(heading, pd.DataFrame(), say("sheet_summary", lang), cells)


def _streets_table(units: pd.DataFrame, lang: str) -> Table | None:
    streets = units[units["level"] == "street"]
    if streets["unit"].nunique() < 2:
        return None
    rows, cells = [], []
    for (design, unit_name), g in streets.groupby(["mechanism", "unit"], sort=False):
        row = {
            say("col_design", lang): design_name(design, lang),
            say("col_street", lang): street_name(int(str(unit_name).split("/")[-1]), lang),
        }
        for metric in STREET_MEASURES:
            row[name(metric, lang)] = format_value(metric, float(g[metric].mean()), lang)
        rows.append(row)
        cells.append(
            {
                **row,
                **{name(m, lang): _number(g[m].mean(), number_format(m)) for m in STREET_MEASURES},
            }
        )
    return Table(say("table_streets", lang), pd.DataFrame(rows), say("sheet_streets", lang), cells)


def _levels_table(group: pd.DataFrame, lang: str) -> Table:
    rows, cells = [], []
    for design, g in group.groupby("mechanism", sort=False):
        row = {say("col_design", lang): design_name(design, lang)}
        cell = dict(row)
        for column in LEVEL_MEASURES:
            text = format_value(column, float(g[column].mean()), lang)
            row[name(column, lang)] = _of_fewer(text, int(g[column].notna().sum()), len(g), lang)
            cell[name(column, lang)] = _number(g[column].mean(), number_format(column))
        rows.append(row)
        cells.append(cell)
    return Table(say("table_levels", lang), pd.DataFrame(rows), say("sheet_levels", lang), cells)


def _difference(row) -> str:
    """A paired difference with its interval."""
    return format_interval(
        row.metric, row.difference, row.ci_low, row.ci_high, row.lang, difference=True
    )


def _answer(diffs: pd.DataFrame, lang: str) -> str:
    """The answer in one sentence: the headline and its other attribution, with intervals."""
    by_metric = {r.metric: r for r in diffs.assign(lang=lang).itertuples()}
    head = by_metric[HEADLINE]
    rates = "; ".join(
        f"{name(m, lang)} {_difference(by_metric[m])}" for m in RATES if m in by_metric
    )
    return say(
        "answer",
        lang,
        design=design_name(head.mechanism, lang),
        reference=design_name(head.reference, lang),
        headline=_difference(head),
        handled=_difference(by_metric[HANDLED]),
        rates=rates,
    )


def _values_sentence(group: pd.DataFrame, lang: str) -> str:
    design = group["mechanism"].iloc[0]
    parts = [
        f"{name(m, lang)} {format_interval(m, *_interval(m, group[m]), lang)}"
        for m in (HEADLINE, HANDLED, *RATES)
    ]
    return say("values", lang, design=design_name(design, lang), values="; ".join(parts))


def _answer_points(diffs: pd.DataFrame, group: pd.DataFrame, lang: str) -> list[Point]:
    """The first page's points of one setting; its measures alone where nothing is paired."""
    if diffs.empty:
        return [Point(say("the_answer", lang), _values_sentence(group, lang))]
    return first_page(diffs, group, lang)


def _glossary(lang: str) -> Table:
    """The statistical terms of the report in plain words."""
    return Table(
        say("glossary", lang),
        pd.DataFrame(
            [
                {
                    say("col_term", lang): say(f"glossary_{t}_term", lang),
                    say("col_meaning", lang): say(f"glossary_{t}", lang),
                }
                for t in GLOSSARY
            ]
        ),
        say("sheet_glossary", lang),
    )


def report_content(
    runs: pd.DataFrame,
    daily: pd.DataFrame,
    out: Path,
    lang: str = "en",
    reference: str = "baseline",
    units: pd.DataFrame | None = None,
    metrics: list[str] | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """The report of ``runs``; its figures are written into ``out``.

    ``notes`` are paragraphs for the top of the report (e.g. the runs a partial sweep lacks).
    """
    metrics = metrics or KEY_METRICS
    found = settings(runs)
    city = _city(runs, lang)
    sections, answers, summaries = [], [], []
    for n, setting in enumerate(found):
        group = setting.runs
        heading = _setting_title(setting, lang)
        diffs = paired(group, reference, metrics)
        summary = _answer(diffs, lang) if not diffs.empty else _values_sentence(group, lang)
        several = len(found) > 1 or len(setting.values) > 1
        answers.append(Answer(heading if several else "", _answer_points(diffs, group, lang)))
        section = Section(heading, summary, [_measures_table(group, metrics, lang)])
        if not diffs.empty:
            section.tables.append(_differences_table(diffs, lang))
            summaries.append(_summary_table(diffs, group, lang, heading))
        if units is not None and not units.empty:
            streets = _streets_table(_of_runs(units, group), lang)
            if streets is not None:
                section.tables.append(streets)
        section.tables.append(_levels_table(group, lang))
        series = _of_runs(daily, group)
        if not series.empty and set(PANELS) <= set(series.columns):
            first = group.iloc[0]
            section.figures.append(
                plot_comparison(
                    series,
                    out / f"timeseries_{n}.png",
                    lang,
                    city=first.get("city.name"),
                    city_label_zh=first.get("city.label_zh"),
                    marks=phases(first.to_dict()),
                    warmup=int(first.get("warmup_days", 0) or 0),
                )
            )
        section.figures.append(plot_levels(group, out / f"levels_{n}.png", lang))
        sections.append(section)
    designs = say("versus", lang).join(
        design_name(d, lang) for d in dict.fromkeys(runs["mechanism"])
    )
    replications = min(len(g) for s in found for _, g in s.runs.groupby("mechanism"))
    compared = say(
        "compared",
        lang,
        designs=designs,
        city=city or "–",
        replications=int(replications),
        days=format_value("cases_arisen", float(runs["days"].max()), lang)
        if "days" in runs
        else "–",
    )
    if len(sections) > 1:
        compared += " " + say("compared_settings", lang, settings=len(sections))
    definitions = Table(
        say("table_definitions", lang),
        pd.DataFrame(
            [
                {
                    say("col_measure", lang): name(m, lang),
                    say("col_meaning", lang): describe(m, lang),
                    say("col_better", lang): direction(m, lang),
                    say("col_unit", lang): unit(m, lang),
                }
                for m in metrics
            ]
        ),
        say("sheet_definitions", lang),
    )
    summary_rows = [row for t in summaries for row in t.rows]
    if len(found) > 1 or any(len(f.values) > 1 for f in found):
        summary_rows = [
            {say("col_setting", lang): t.title, **row} for t in summaries for row in t.rows
        ]
    title = say("report_title", lang, city=city or "govsim", designs=designs)
    return Report(
        lang=lang,
        title=title[:1].upper() + title[1:],
        compared=compared,
        answers=answers,
        assumptions=[say(f"assumption_{k}", lang) for k in range(4)],
        sections=sections,
        definitions=definitions,
        glossary=_glossary(lang),
        caveats=[say(f"caveat_{k}", lang) for k in range(3)],
        summary=Table(
            say("summary", lang), pd.DataFrame(), say("sheet_summary", lang), summary_rows
        )
        if summaries
        else None,
        notes=list(notes),
    )
