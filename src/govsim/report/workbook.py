"""A report as an Excel workbook, one sheet a table (Excel 报告).

The summary sheet comes first: the first page's figures (each design against the
reference, with its 95% interval) and below them the first page's points in words. Then one
sheet per table, named in words (``各项指标``, ``差值 2`` for a second setting), and the
caveats and assumptions on their own sheet. Every figure is a number with a number format
(shares as fractions shown as ``0.0%``, differences of shares in percentage points, counts
as whole numbers); header rows are frozen.
"""

from __future__ import annotations

import re
from pathlib import Path

from govsim.files import write_atomic
from govsim.report.content import Number, Report, Table
from govsim.report.phrases import say

__all__ = ["sheet_names", "write_workbook"]


def sheet_names(names: list[str]) -> list[str]:
    """Unique sheet names of at most 31 characters: a repeated name is numbered (``差值 2``)."""
    seen: dict[str, int] = {}
    unique = []
    for raw in names:
        base = re.sub(r"[\[\]:*?/\\]", " ", raw).strip()[:27] or "Sheet"
        seen[base] = seen.get(base, 0) + 1
        unique.append(base if seen[base] == 1 else f"{base} {seen[base]}")
    return unique


def _write_rows(sheet, rows: list[dict[str, object]], first_row: int = 1) -> int:
    """Write a header and ``rows`` from ``first_row``; return the next free row."""
    from openpyxl.styles import Font

    columns = list(dict.fromkeys(c for row in rows for c in row))
    for k, column in enumerate(columns, start=1):
        sheet.cell(first_row, k, str(column)).font = Font(bold=True)
    for r, row in enumerate(rows, start=first_row + 1):
        for k, column in enumerate(columns, start=1):
            value = row.get(column, "")
            cell = sheet.cell(r, k)
            if isinstance(value, Number):
                cell.value, cell.number_format = value.value, value.format
            else:
                cell.value = "" if value is None else str(value)
    return first_row + len(rows) + 2


def _fit_columns(sheet) -> None:
    from openpyxl.utils import get_column_letter

    for k, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        width = max((len(str(v)) for v in column if v is not None), default=8)
        sheet.column_dimensions[get_column_letter(k)].width = min(60, 2 + 1.4 * width)


def _sheets(report: Report) -> list[tuple[str, list[dict[str, object]]]]:
    """Each sheet's name and rows after the summary, in the order of the report."""
    tables: list[Table] = report.tables()
    lang = report.lang
    caveats = [
        {say("col_point", lang): say("caveats", lang), say("col_text", lang): c}
        for c in report.caveats
    ]
    caveats += [
        {say("col_point", lang): say("assumptions", lang), say("col_text", lang): a}
        for a in report.assumptions
    ]
    return [
        *((t.sheet or t.title, t.sheet_rows()) for t in tables),
        (say("sheet_caveats", lang), caveats),
    ]


def write_workbook(report: Report, path: Path) -> Path:
    """Write the summary and every table of ``report`` into an .xlsx file, atomically."""
    from openpyxl import Workbook  # openpyxl only to write a workbook

    lang = report.lang
    points = [
        {
            say("col_point", lang): p.lead,
            say("col_text", lang): f"{a.heading}: {p.text}" if a.heading else p.text,
        }
        for a in report.answers
        for p in a.points
    ]
    sheets = _sheets(report)
    names = sheet_names([say("sheet_summary", lang), *(n for n, _ in sheets)])

    def write(tmp: Path) -> None:
        book = Workbook()
        summary = book.active
        summary.title = names[0]
        below = _write_rows(summary, report.summary.rows) if report.summary else 1
        _write_rows(summary, points, below)
        summary.freeze_panes = "A2"
        _fit_columns(summary)
        for sheet_name, (_, rows) in zip(names[1:], sheets, strict=True):
            sheet = book.create_sheet(sheet_name)
            _write_rows(sheet, rows)
            sheet.freeze_panes = "A2"
            _fit_columns(sheet)
        book.save(tmp)

    return write_atomic(Path(path), write)
