"""A report's tables as an Excel workbook, one sheet each (Excel 报告)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from govsim.experiments.files import write_atomic
from govsim.report.content import Report

__all__ = ["sheet_names", "write_workbook"]


def sheet_names(titles: list[str]) -> list[str]:
    """Unique sheet names: numbered, at most 31 characters, no brackets, colons or slashes."""
    return [re.sub(r"[\[\]:*?/\\]", " ", f"{k + 1} {t}")[:31] for k, t in enumerate(titles)]


def write_workbook(report: Report, path: Path) -> Path:
    """Write every table of ``report`` into an .xlsx file, atomically."""
    from openpyxl.utils import get_column_letter  # openpyxl only to write a workbook

    tables = report.tables()

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for table, sheet in zip(tables, sheet_names([t.title for t in tables]), strict=True):
                table.frame.to_excel(writer, sheet_name=sheet, index=False)
                columns = writer.sheets[sheet].column_dimensions
                for k, column in enumerate(table.frame.columns):
                    width = max([len(str(column)), *(len(str(v)) for v in table.frame[column])])
                    columns[get_column_letter(k + 1)].width = min(60, 2 + 1.6 * width)

    return write_atomic(Path(path), write)
