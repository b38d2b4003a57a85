"""A report as Markdown, beside its figures (Markdown 报告)."""

from __future__ import annotations

from govsim.report.content import Answer, Report, Table
from govsim.report.phrases import say

__all__ = ["render_markdown"]


def _table(table: Table) -> list[str]:
    frame = table.frame
    lines = [
        f"### {table.title}",
        "",
        "| " + " | ".join(map(str, frame.columns)) + " |",
        "|" + "---|" * len(frame.columns),
    ]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return [*lines, ""]


def _points(answer: Answer) -> list[str]:
    heading = [f"### {answer.heading}", ""] if answer.heading else []
    return [*heading, *(f"**{p.lead}.** {p.text}\n" for p in answer.points)]


def render_markdown(report: Report) -> str:
    """The report as Markdown; figures are linked by file name."""
    lang = report.lang
    lines = [
        f"# {report.title}",
        "",
        *(f"{note}\n" for note in report.notes),
        f"## {say('summary', lang)}",
        "",
        report.compared,
        "",
        *(line for a in report.answers for line in _points(a)),
    ]
    for section in report.sections:
        lines += [f"## {section.title}", "", section.summary, ""]
        for table in section.tables:
            lines += _table(table)
        lines += [f"![{say('figures', lang)}]({f.name})\n" for f in section.figures]
    lines += [
        f"## {say('definitions', lang)}",
        "",
        *_table(report.definitions),
        f"## {say('glossary', lang)}",
        "",
        *_table(report.glossary),
        f"## {say('caveats', lang)}",
        "",
        *(f"- {c}" for c in report.caveats),
        "",
        f"## {say('assumptions', lang)}",
        "",
        *(f"- {a}" for a in report.assumptions),
    ]
    return "\n".join(lines) + "\n"
