"""``govsim compare PATH``: a comparison report of a run folder or a whole sweep.

An executive summary, then for every scenario and setting each key measure's mean with
its 95% interval per design; paired differences against the reference design (runs paired
by seed and replication share common random numbers); per-street results; the time
series with bands; and where resolved cases were resolved. Written in English or Chinese
(``--lang``) as ``report.html`` (self-contained), ``report.xlsx`` (one sheet per table),
``report.pdf`` and ``report.md`` with PNG figures, into ``PATH/report/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from govsim.experiments.collect import collect
from govsim.experiments.files import write_text
from govsim.experiments.sweep import read_status
from govsim.report.content import report_content
from govsim.report.display import LANGUAGES, check_language
from govsim.report.html import render_html
from govsim.report.markdown import render_markdown
from govsim.report.pdf import write_pdf
from govsim.report.workbook import write_workbook

UNITS = "units.parquet"

__all__ = ["build_report", "load", "load_units", "main"]


def load(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs and wide daily tables from a run folder or a sweep folder."""
    path = Path(path)
    if (path / "runs.parquet").is_file() and (path / "daily.parquet").is_file():
        return pd.read_parquet(path / "runs.parquet"), pd.read_parquet(path / "daily.parquet")
    runs, long = collect(path)
    runs = runs[runs["status"] == "done"]
    index = ["run", "scenario", "mechanism", "arm", "seed", "replication", "day"]
    daily = long.pivot_table(index=index, columns="metric", values="value").reset_index()
    return runs, daily


def load_units(path: Path) -> pd.DataFrame:
    """The per-unit results of a run folder, or of the finished runs of a sweep."""
    path = Path(path)
    folders = [path] if (path / UNITS).is_file() else [
        p.parent for p in sorted(path.rglob(UNITS))
        if read_status(p.parent).get("status") == "done"]
    tables = [pd.read_parquet(folder / UNITS) for folder in folders]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def build_report(runs: pd.DataFrame, daily: pd.DataFrame, out: Path,
                 reference: str = "baseline", metrics: list[str] | None = None,
                 lang: str = "en", units: pd.DataFrame | None = None) -> Path:
    """Write report.md, report.html, report.xlsx, report.pdf and figures into ``out``.

    Returns the path of ``report.html``.
    """
    out = Path(out)
    report = report_content(runs, daily, out, check_language(lang), reference, units, metrics)
    html = render_html(report)
    write_text(out / "report.md", render_markdown(report))
    write_workbook(report, out / "report.xlsx")
    write_pdf(html, out / "report.pdf", lang)
    return write_text(out / "report.html", html)


def main(argv: list[str]) -> None:
    """Build the report of a run or sweep folder."""
    parser = argparse.ArgumentParser(prog="govsim compare", description=__doc__)
    parser.add_argument("path", type=Path, help="a run folder or a sweep folder")
    parser.add_argument("--reference", default="baseline", help="mechanism to compare against")
    parser.add_argument("--out", type=Path, help="output folder (default PATH/report)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report")
    args = parser.parse_args(argv)
    runs, daily = load(args.path)
    report = build_report(runs, daily, args.out or args.path / "report", args.reference,
                          lang=args.lang, units=load_units(args.path))
    print(f"wrote {report}")
