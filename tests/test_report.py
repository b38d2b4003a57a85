"""Comparison reports for decision-makers: HTML, Excel and PDF in English and Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import govsim
from govsim.outcomes.metrics import KEY_METRICS
from govsim.report.compare import build_report
from govsim.report.display import (
    MEASURES,
    format_difference,
    format_interval,
    format_value,
    name,
)
from govsim.report.names import design_name, scenario_name
from govsim.report.phrases import PHRASES, say

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def result():
    return govsim.run("city=workshop", "days=60", "horizon_days=10", "replications=3")


@pytest.fixture(scope="module", params=["en", "zh"])
def report(request, result, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"report_{request.param}")
    build_report(result.runs, result.daily, out, lang=request.param, units=result.units)
    return request.param, out


def _visible_text(html: str) -> str:
    body = re.sub(r"<style.*?</style>|<img[^>]*>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_html_is_self_contained_and_reads_as_words(report) -> None:
    lang, out = report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and 'src="http' not in html
    text = _visible_text(html)
    assert not SNAKE.findall(text) and "docs/" not in text
    assert not re.search(r"\bnan\b", text, re.I)
    assert name("share_arisen_settled_at_or_below_street", lang) in text
    assert name("share_arisen_handled_at_or_below_street", lang) in text
    for rate in ("response_rate", "resolution_rate", "satisfaction_rate"):
        assert name(rate, lang) in text
    assert ("higher is better" if lang == "en" else "越高越好") in text
    assert re.search(r"\d+\.\d%", text)
    summary = text.index("Executive summary" if lang == "en" else "摘要")
    assert summary < text.index(name("resolution_days_mean", lang))
    assert ("Street 2" if lang == "en" else "街道2") in text
    if lang == "zh":
        assert len(CJK.findall(text)) > 200


def test_workbook_has_one_sheet_per_table_in_words(report) -> None:
    lang, out = report
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert len(sheets) >= 6
    for title, sheet in sheets.items():
        sheet = sheet.astype(object).fillna("")  # empty cells
        cells = " ".join(map(str, [*sheet.columns, *sheet.to_numpy().ravel()]))
        assert not SNAKE.findall(cells)
        assert "nan" not in cells.lower()
        assert not re.match(r"\d", title) and title == title.strip()
    measures = sheets[say("sheet_measures", lang)]
    assert len(measures) == len(KEY_METRICS) * 2


def test_workbook_summary_first_numbers_as_numbers_headers_frozen(report) -> None:
    lang, out = report
    book = load_workbook(out / "report.xlsx")
    assert book.sheetnames[0] == say("sheet_summary", lang)
    assert book.sheetnames[-1] == say("sheet_caveats", lang)
    for title in (
        say(f"sheet_{k}", lang) for k in ("summary", "measures", "differences", "streets", "levels")
    ):
        sheet = book[title]
        assert sheet.freeze_panes == "A2"
        numbers = [
            c
            for row in sheet.iter_rows(min_row=2)
            for c in row
            if c.data_type == "n" and c.value is not None
        ]
        assert numbers, title
        assert all(c.number_format != "General" for c in numbers)
    shares = [
        c
        for row in book[say("sheet_levels", lang)].iter_rows(min_row=2)
        for c in row
        if c.data_type == "n"
    ]
    assert all(0.0 <= c.value <= 1.0 and c.number_format == "0.0%" for c in shares)
    caveats = " ".join(
        str(c.value) for row in book[say("sheet_caveats", lang)].iter_rows() for c in row
    )
    assert say("caveat_0", lang) in caveats


def _first_page(text: str, lang: str) -> str:
    start = text.index(say("summary", lang))
    return text[start : text.index(say("table_measures", lang), start)]


@pytest.mark.parametrize("form", ["report.html", "report.md"])
def test_first_page_says_days_cost_and_who_does_the_work_in_order(report, form) -> None:
    lang, out = report
    text = (out / form).read_text(encoding="utf-8")
    page = _first_page(_visible_text(text) if form.endswith("html") else text, lang)
    order = [
        say("lead_residents", lang),
        say("first_resolution_days_mean", lang, change="").strip(),
        say("lead_cost", lang),
        "人·天/件" if lang == "zh" else "staff days per case",
        say("lead_work", lang),
        say("lead_sure", lang),
        say("lead_caveat", lang),
    ]
    places = [page.index(words) for words in order]
    assert places == sorted(places)
    work = page[page.index(say("lead_work", lang)) : page.index(say("lead_sure", lang))]
    assert name("share_arisen_handled_at_or_below_street", lang) in page
    assert (
        "department staff still do the work" if lang == "en" else "工作仍由部门人员承担"
    ) in work
    assert "docs/" not in page and say("glossary_variance_left_term", lang) not in page


def test_no_signed_zero_and_counts_as_whole_numbers(report) -> None:
    _, out = report
    for form in ("report.html", "report.md"):
        text = (out / form).read_text(encoding="utf-8")
        assert "±" not in text
        assert not re.search(r"[−+-]\d+\.0 \[", text.replace("天", "d"))
        assert not re.search(r"[−+]\d+\.\d+ (件|cases)\b", text)


def test_pdf_embeds_the_fonts_of_its_text(report) -> None:
    lang, out = report
    reader = PdfReader(out / "report.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert name("share_arisen_handled_at_or_below_street", lang).split("(")[0] in text
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            embedded = any(
                k in descendant["/FontDescriptor"]
                for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts and all(fonts.values())
    if lang == "zh":
        assert len(CJK.findall(text)) > 200
        assert any("WenQuanYi" in f or "CJK" in f for f in fonts)


def test_formats_for_people() -> None:
    headline = "share_arisen_settled_at_or_below_street"
    assert format_value(headline, 0.9234) == "92.3%"
    assert format_value("backlog_end", 12345.4) == "12,345"
    assert format_value("resolution_days_mean", float("nan")) == "–"
    assert format_difference(headline, 0.181, "zh") == "+18.1 个百分点"
    assert format_difference("resolution_days_mean", -1.64) == "−1.6 days"
    assert format_difference("resolution_days_mean", -1.64, "zh") == "−1.6 天"
    assert format_difference("backlog_end", -12.0) == "−12 cases"
    assert format_difference("staff_days_per_arisen_case", 0.04, "zh") == "+0.04 人·天/件"
    assert (
        format_interval("backlog_end", -12.0, -15.2, -8.7, difference=True) == "−12 [−15, −9] cases"
    )
    assert format_interval(headline, 0.0001, -0.0002, 0.0003, "zh", difference=True) == "无差异"
    assert format_interval(headline, 0.9, 0.88, 0.92) == "90.0% [88.0%, 92.0%]"


def test_every_key_metric_and_phrase_has_both_languages() -> None:
    assert set(KEY_METRICS) <= set(MEASURES)
    for m in MEASURES.values():
        assert m.en and CJK.search(m.zh)
    for en, zh in PHRASES.values():
        assert en and zh
        assert sorted(re.findall(r"{\w+}", en)) == sorted(re.findall(r"{\w+}", zh))


def test_names_are_words() -> None:
    assert design_name("mediation_ladder+whistle", "en") == "street whistle + mediation ladder"
    assert CJK.search(design_name("smart_dispatch", "zh"))
    assert not SNAKE.findall(scenario_name("beijing_2018_street_whistle", "en"))
    assert CJK.search(scenario_name("beijing_2018_street_whistle", "zh"))
