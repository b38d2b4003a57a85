"""The first page of a report, as a leader reads it (首页:领导阅读的结论).

Five points in a fixed order, each a few plain sentences with units: what the design does
to residents (days to resolution, cases going above the street, satisfaction), what it
costs (staff time per case), who really does the work (the venue and the staff: cases may
close *at* the street while department staff still do the work), how sure the figures are
(the 95% intervals in words) and the one caveat that matters (the parameters await
calibration). No file paths and no statistical terms beyond "95% interval"; the glossary
(:data:`GLOSSARY`) explains the rest. Where reported and true resolution are equal, the
residents' point says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.report.display import (
    NO_DIFFERENCE,
    difference_unit,
    format_difference,
    format_value,
    name,
)
from govsim.report.names import design_name
from govsim.report.phrases import say

__all__ = ["GLOSSARY", "Point", "first_page", "reported_equals_true"]

RESIDENTS = ("resolution_days_mean", "escalated_per_1000_cases", "satisfaction_rate")
"""What a design does to residents, in the order said."""

COST = "staff_days_per_arisen_case"
"""What a design costs: staff time per case."""

GLOSSARY = ("interval", "paired", "setting", "variance_left", "window")
"""The statistical terms the glossary explains (phrases ``glossary_<term>``)."""


SPACE = {"en": " ", "zh": ""}
"""Between two sentences: a space in English, none after a Chinese full stop."""


@dataclass(frozen=True)
class Point:
    """One point of the first page: a short lead ("Cost") and its sentences."""

    lead: str
    text: str


def reported_equals_true(group: pd.DataFrame) -> bool:
    """Whether reported and true resolution are equal in every run of ``group``."""
    if not {"resolution_rate", "true_resolution_rate"} <= set(group.columns):
        return False
    gap = (group["resolution_rate"] - group["true_resolution_rate"]).abs()
    return bool(gap.notna().all() and (gap < 1e-12).all())


def _interval(row, lang: str) -> str:
    """The 95% interval of a difference in words: its two ends and whether it is clear."""
    if not (pd.notna(row.ci_low) and pd.notna(row.ci_high)):
        return ""
    ends = [format_difference(row.metric, v, lang) for v in (row.ci_low, row.ci_high)]
    ends = [
        "0" if e == NO_DIFFERENCE[lang] else e.removesuffix(difference_unit(row.metric, lang))
        for e in ends
    ]
    key = "interval_clear" if _clear(row) else "interval_unclear"
    return say(key, lang, low=ends[0], high=ends[1])


def _clear(row) -> bool:
    """Whether a difference's 95% interval lies wholly on one side of zero."""
    return bool(pd.notna(row.ci_low) and (row.ci_low > 0 or row.ci_high < 0))


def _change(row, lang: str) -> str:
    """``+1.2 days (95% interval ...)``, or ``no difference``."""
    text = format_difference(row.metric, row.difference, lang)
    if text == NO_DIFFERENCE[lang]:
        return text
    return text + _interval(row, lang)


def _residents(by: dict, group: pd.DataFrame, lang: str) -> str:
    parts = [say(f"first_{m}", lang, change=_change(by[m], lang)) for m in RESIDENTS if m in by]
    text = say("sentence_join", lang).join(parts) + say("full_stop", lang)
    if reported_equals_true(group):
        text += SPACE[lang] + say("reported_equals_true", lang)
    return text


def _means(
    group: pd.DataFrame, metric: str, design: str, reference: str, lang: str
) -> tuple[str, str]:
    values = [float(group.loc[group["mechanism"] == d, metric].mean()) for d in (reference, design)]
    return tuple(format_value(metric, v, lang) for v in values)


def _cost(by: dict, group: pd.DataFrame, lang: str) -> str:
    row = by[COST]
    before, after = _means(group, COST, row.mechanism, row.reference, lang)
    return say("first_cost", lang, change=_change(row, lang), before=before, after=after)


def _work(by: dict, group: pd.DataFrame, lang: str) -> str:
    settled, handled = by[HEADLINE], by[HANDLED]
    s0, s1 = _means(group, HEADLINE, settled.mechanism, settled.reference, lang)
    h0, h1 = _means(group, HANDLED, handled.mechanism, handled.reference, lang)
    text = say(
        "first_work",
        lang,
        settled=_change(settled, lang),
        s0=s0,
        s1=s1,
        handled=_change(handled, lang),
        h0=h0,
        h1=h1,
    )
    moved = settled.difference - handled.difference
    if moved > 0.0005:  # more cases close at the street than the street's staff handle
        text += SPACE[lang] + say(
            "first_work_departments", lang, gap=format_difference(HEADLINE, moved, lang).lstrip("+")
        )
    return text


def _sure(by: dict, pairs: int, lang: str) -> str:
    """How many runs, and which of the page's differences are not clear of zero."""
    shown = [m for m in (*RESIDENTS, COST, HEADLINE, HANDLED) if m in by]
    unclear = [name(m, lang) for m in shown if not _clear(by[m])]
    if not unclear:
        key = "first_all_clear"
    elif len(unclear) == len(shown):
        key = "first_none_clear"
    else:
        key = "first_unclear"
    return (
        say("first_sure", lang, n=pairs)
        + SPACE[lang]
        + say(key, lang, measures=say("list_join", lang).join(unclear))
    )


def first_page(diffs: pd.DataFrame, group: pd.DataFrame, lang: str) -> list[Point]:
    """The first page's points for each design against the reference in ``diffs``.

    ``diffs`` are the paired differences of one setting (:func:`paired`), ``group`` its
    runs. Points whose measures were not compared are left out.
    """
    points = []
    for design, rows in diffs.groupby("mechanism", sort=False):
        by = {r.metric: r for r in rows.itertuples()}
        reference = rows["reference"].iloc[0]
        heading = say(
            "first_against",
            lang,
            design=design_name(design, lang),
            reference=design_name(reference, lang),
        )
        if any(m in by for m in RESIDENTS):
            points.append(
                Point(say("lead_residents", lang), f"{heading}{_residents(by, group, lang)}")
            )
        if COST in by:
            points.append(Point(say("lead_cost", lang), _cost(by, group, lang)))
        if HEADLINE in by and HANDLED in by:
            points.append(Point(say("lead_work", lang), _work(by, group, lang)))
        pairs = int(rows["pairs"].min()) if "pairs" in rows else len(group)
        points.append(Point(say("lead_sure", lang), _sure(by, pairs, lang)))
    points.append(Point(say("lead_caveat", lang), say("first_caveat", lang)))
    return points
