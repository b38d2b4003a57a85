"""A report as one self-contained HTML page, figures embedded (HTML 报告)."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

import pandas as pd

from govsim.report.content import Answer, Report, Table
from govsim.report.fonts import css_families
from govsim.report.phrases import say

__all__ = ["render_html"]

STYLE = """
body {{ font-family: {fonts}; max-width: 1100px; margin: 2em auto; color: #222;
        line-height: 1.45; }}
h1 {{ font-size: 1.6em; }} h2 {{ font-size: 1.3em; margin-top: 1.6em; }}
h3 {{ font-size: 1.05em; }}
.summary {{ background: #f3f6fa; border-left: 4px solid #2b6cb0; padding: 0.4em 1.2em; }}
.summary dt {{ font-weight: bold; margin-top: 0.4em; }} .summary dd {{ margin-left: 0; }}
.after-summary {{ break-before: page; }}
table {{ border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.85em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; }}
td {{ font-variant-numeric: tabular-nums; }}
th {{ background: #eef2f7; }}
img {{ max-width: 100%; }}
@page {{ size: A4 landscape; margin: 1.2cm; }}
@media print {{ h1 {{ margin: 0 0 0.3em; }} .summary {{ font-size: 0.92em; }}
               .summary h2 {{ margin: 0.2em 0; }} }}
"""


def _table(table: Table) -> str:
    frame: pd.DataFrame = table.frame
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<h3>{escape(table.title)}</h3><table><tr>{head}</tr>{rows}</table>"


def _figure(path: Path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<p><img alt="" src="data:image/png;base64,{data}"></p>'


def _items(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _points(answer: Answer) -> str:
    heading = f"<h3>{escape(answer.heading)}</h3>" if answer.heading else ""
    return (
        heading
        + "<dl>"
        + "".join(f"<dt>{escape(p.lead)}</dt><dd>{escape(p.text)}</dd>" for p in answer.points)
        + "</dl>"
    )


def render_html(report: Report) -> str:
    """The report as an HTML page that needs no other file."""
    lang = report.lang
    parts = [
        f"<h1>{escape(report.title)}</h1>",
        *(f'<p class="note">{escape(note)}</p>' for note in report.notes),
        '<div class="summary">',
        f"<h2>{say('summary', lang)}</h2>",
        f"<p>{escape(report.compared)}</p>",
        *(_points(a) for a in report.answers),
        "</div>",
    ]
    for k, section in enumerate(report.sections):
        after = ' class="after-summary"' if k == 0 else ""
        parts.append(f"<h2{after}>{escape(section.title)}</h2><p>{escape(section.summary)}</p>")
        parts += [_table(t) for t in section.tables]
        parts += [_figure(f) for f in section.figures]
    parts += [
        f"<h2>{say('definitions', lang)}</h2>",
        _table(report.definitions),
        f"<h2>{say('glossary', lang)}</h2>",
        _table(report.glossary),
        f"<h2>{say('caveats', lang)}</h2>",
        _items(report.caveats),
        f"<h2>{say('assumptions', lang)}</h2>",
        _items(report.assumptions),
    ]
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f"<title>{escape(report.title)}</title>"
        f"<style>{STYLE.format(fonts=css_families(lang))}</style></head>"
        f"<body>{''.join(parts)}</body></html>\n"
    )
