"""Reading a case log (CSV or Excel) with its mapping, every cell as text.

Nothing is parsed here: cells stay text, so the check (:mod:`govsim.cases.check`) can
name each bad value. An Excel cell holding a date and time is written as text in the
mapping's ``time_format`` (else ISO 8601), a whole number stored as 123.0 as ``123``.
A column the mapping names but the file lacks is refused in one line naming the mapping
key, the column and the file's columns.
"""

from __future__ import annotations

import datetime
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govsim.cases.mapping import CaseLogMapping
from govsim.config.errors import PathError

__all__ = ["CSV_SUFFIXES", "EXCEL_SUFFIXES", "CaseLog", "read_log", "read_table"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ALLOWED = "a case log as .csv or .xlsx, as LOG"


@dataclass(frozen=True)
class CaseLog:
    """A log as read: the file's own table and govsim's fields taken from it (text)."""

    path: Path
    original: pd.DataFrame
    """Every column of the file, as text (empty cells: empty strings)."""
    fields: pd.DataFrame
    """``row`` (the row in the file, the header being row 1) and each mapped field."""


def _excel_text(cell: object, time_format: str | None) -> str:
    """An Excel cell as the text an export would show: times in the mapping's format."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.strftime(time_format or "%Y-%m-%d %H:%M:%S")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a number stored as 123.0: an id or a count
    return str(cell)


def _require_header_width(path: Path, encoding: str, separator: str, allowed: str) -> None:
    """Refuse rows holding more fields than the header, unless the extra ones are empty.

    An export that ends every row in a separator (a trailing comma) has one empty field more
    than its header: it is read as the header says. A row with text beyond the header's
    columns cannot be placed, so the table is refused naming the first such row.
    """
    import csv

    with path.open(encoding=encoding, newline="") as handle:
        rows = csv.reader(handle, delimiter=separator)
        width = len(next(rows, []))
        for number, row in enumerate(rows, start=2):
            if any(cell.strip() for cell in row[width:]):
                raise PathError(
                    path, f"row {number} has {len(row)} fields, the header {width}", allowed
                )


def read_table(
    path: Path,
    *,
    encoding: str = "utf-8-sig",
    sheet: int | str = 0,
    time_format: str | None = None,
    allowed: str = _ALLOWED,
    source: Path | None = None,
    encoding_option: str = "encoding:",
) -> pd.DataFrame:
    """A CSV or Excel table as text cells (empty: ""), or a one-line :class:`PathError`.

    ``source`` is the file that named ``encoding`` and ``sheet`` (a mapping), if any;
    ``encoding_option`` how the caller names the encoding (a mapping's ``encoding:`` key, a
    command's ``--encoding``), so a message suggests what the caller can set.
    """
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                table = pd.read_csv(
                    path,
                    dtype=str,
                    keep_default_na=False,
                    encoding=encoding,
                    index_col=False,  # a trailing comma never shifts columns
                    sep="\t" if suffix == ".tsv" else ",",
                )
            if caught:
                _require_header_width(path, encoding, "\t" if suffix == ".tsv" else ",", allowed)
            return table
        except UnicodeDecodeError:
            raise PathError(
                path,
                f"is not text in {encoding}",
                f"the table's encoding, e.g. {encoding_option} gb18030",
            ) from None
        except LookupError:
            raise PathError(
                source or path,
                f"{encoding_option} {encoding!r} is not a known text encoding",
                "e.g. utf-8, utf-8-sig or gb18030",
            ) from None
        except pd.errors.EmptyDataError:
            raise PathError(path, "is empty", allowed) from None
        except pd.errors.ParserError as error:
            problem = " ".join(str(error).split())
            raise PathError(path, f"is not a readable CSV table ({problem})", allowed) from None
    if suffix in EXCEL_SUFFIXES:
        try:
            book = pd.ExcelFile(path)
        except Exception as error:  # not a workbook, or openpyxl's errors for a damaged one
            problem = " ".join(str(error).split())[:120]
            raise PathError(
                path,
                f"is not a readable Excel workbook ({type(error).__name__}: {problem})",
                allowed,
            ) from None
        with book:
            try:
                table = pd.read_excel(book, sheet_name=sheet, dtype=object)
            except (ValueError, IndexError) as error:  # a sheet it does not have
                problem = " ".join(str(error).split())
                raise PathError(
                    path,
                    f"has no sheet {sheet!r} ({problem})",
                    "sheet: a sheet's name or index in the mapping"
                    if source
                    else "a workbook whose first sheet holds the table",
                ) from None
        return table.map(lambda cell: _excel_text(cell, time_format))
    raise PathError(path, f"has the suffix {suffix or '(none)'!r}", allowed)


def read_log(path: Path | str, mapping: CaseLogMapping) -> CaseLog:
    """Read a log; refuse a column the mapping names that the file lacks."""
    path = Path(path)
    if not path.is_file():
        raise PathError(path, "is not a file" if path.exists() else "does not exist", _ALLOWED)
    table = read_table(
        path,
        encoding=mapping.encoding,
        sheet=mapping.sheet,
        time_format=mapping.time_format,
        source=mapping.source,
    )
    table.columns = [str(c).strip() for c in table.columns]
    for name, column in mapping.columns.items():
        if column not in table.columns:
            raise PathError(
                path,
                f"has no column {column!r} (mapping key {name}: in {mapping.source})",
                "a column of the file: " + ", ".join(table.columns),
            )
    fields = pd.DataFrame({"row": range(2, len(table) + 2)}, index=table.index)
    for name, column in mapping.columns.items():
        fields[name] = table[column].astype(str).str.strip()
    return CaseLog(path=path, original=table, fields=fields.reset_index(drop=True))
