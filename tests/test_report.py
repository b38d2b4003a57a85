"""Comparison reports for decision-makers: HTML, Excel and PDF in English and Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
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
from govsim.report.phrases import PHRASES

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
    assert not SNAKE.findall(text.replace("docs/ODD.md", "").replace("docs/mechanisms.md", ""))
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
    _, out = report
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert len(sheets) >= 4
    for sheet in sheets.values():
        cells = " ".join(map(str, [*sheet.columns, *sheet.to_numpy().ravel()]))
        assert not SNAKE.findall(cells)
        assert "nan" not in cells.lower()
    first = next(iter(sheets.values()))
    assert len(first) == len(KEY_METRICS)


def test_pdf_embeds_the_fonts_of_its_text(report) -> None:
    lang, out = report
    reader = PdfReader(out / "report.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert name("share_arisen_handled_at_or_below_street", lang).split("(")[0] in text
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            embedded = any(k in descendant["/FontDescriptor"] for k in
                           ("/FontFile", "/FontFile2", "/FontFile3"))
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
    assert format_difference("resolution_days_mean", -1.64) == "−1.6"
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
