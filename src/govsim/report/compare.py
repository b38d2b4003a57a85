"""``govsim compare PATH``: a comparison report of a run folder or a whole sweep.

A first page a leader reads (residents, cost, who does the work, how sure, the caveat
that matters), then for every setting each key measure's mean with its 95%
interval per design; paired differences against the reference design (runs paired by seed
and replication share common random numbers); per-street results; the time series with
bands; and where resolved cases were resolved. A setting is one value of everything that
varies between the runs other than the designs' own mechanisms (the scenario, the city's
values with its departments and case types, days, ...; :mod:`govsim.analysis.pairing`):
runs of unlike settings are never pooled or paired. The command prints what it paired.
Written in English or Chinese (``--lang``) as ``report.html`` (self-contained),
``report.xlsx`` (a summary sheet, then one sheet per table), ``report.pdf`` and
``report.md`` with PNG figures, into ``PATH/report/``.

A sweep whose runs are not all done is refused, naming them, unless ``--allow-partial``
is given (the report then says which runs it lacks). Runs in which a compared measure is
NaN or inf (undefined: no case arose to measure) are refused too, naming the measures and
the runs, unless ``--allow-missing`` is given: each measure is then averaged over the runs
that have it, and the report says over how many (``n = 3 of 5``) wherever it is fewer.
``--reference`` must be one of the designs present; without it, ``baseline`` is the
reference if it ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from govsim.analysis.pairing import (
    describe,
    require_defined,
    require_distinct_designs,
    settings,
)
from govsim.config.errors import ArgumentError, IncompleteResultsError, PathError
from govsim.experiments.collect import (
    collect,
    read_runs_table,
    read_table,
    require_folder,
    require_whole,
)
from govsim.experiments.sweep import read_status, sweep_state
from govsim.files import require_writable, write_text
from govsim.report.content import compared_measures, report_content
from govsim.report.display import check_language
from govsim.report.html import render_html
from govsim.report.markdown import render_markdown
from govsim.report.pdf import write_pdf
from govsim.report.phrases import say
from govsim.report.workbook import write_workbook

UNITS = "units.parquet"

__all__ = ["build_report", "compare", "leave_out_undefined", "load", "load_units"]


def load(path: Path, allow_partial: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs and wide daily tables from a finished run folder or a sweep folder."""
    path = require_folder(path)
    if (path / "runs.parquet").is_file():
        status = read_status(path).get("status", "unknown")
        if status != "done":
            raise IncompleteResultsError(
                path, f"is a run that did not finish (status: {status})", "a finished run folder"
            )
        return read_runs_table(path / "runs.parquet"), read_table(path / "daily.parquet")
    require_whole(sweep_state(path), allow_partial)
    runs, long = collect(path)
    runs = runs[runs["status"] == "done"]
    if long.empty:
        raise PathError(path, "holds no finished run", "a sweep with finished runs")
    index = ["run", "scenario", "mechanism", "arm", "seed", "replication", "day"]
    daily = long.pivot_table(index=index, columns="metric", values="value").reset_index()
    return runs, daily


def load_units(path: Path) -> pd.DataFrame:
    """The per-unit results of a run folder, or of the finished runs of a sweep.

    A sweep's rows name the ``run`` folder they come from, as ``govsim collect`` does.
    """
    path = Path(path)
    if (path / UNITS).is_file():
        return read_table(path / UNITS)
    tables = [
        read_table(p).assign(run=p.parent.relative_to(path).as_posix())
        for p in sorted(path.rglob(UNITS))
        if read_status(p.parent).get("status") == "done"
    ]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def leave_out_undefined(runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """The runs with every NaN or inf of ``metrics`` as NaN: left out of the means."""
    present = [m for m in metrics if m in runs]
    values = runs[present].apply(pd.to_numeric, errors="coerce").astype(float)
    return runs.assign(**values.where(np.isfinite(values)))


def build_report(
    runs: pd.DataFrame,
    daily: pd.DataFrame,
    out: Path,
    reference: str = "baseline",
    metrics: list[str] | None = None,
    lang: str = "en",
    units: pd.DataFrame | None = None,
    notes: Sequence[str] = (),
) -> Path:
    """Write report.md, report.html, report.xlsx, report.pdf and figures into ``out``.

    ``notes`` are paragraphs for the top of the report (e.g. the runs a partial sweep
    lacks). Returns the path of ``report.html``.
    """
    out = Path(out)
    lang = check_language(lang)
    if reference not in set(runs["mechanism"]):
        notes = [*notes, say("no_reference", lang, reference=reference)]
    report = report_content(runs, daily, out, lang, reference, units, metrics, notes)
    html = render_html(report)
    write_text(out / "report.md", render_markdown(report))
    write_workbook(report, out / "report.xlsx")
    write_pdf(html, out / "report.pdf", lang)
    return write_text(out / "report.html", html)


def compare(
    path: Path,
    reference: str | None = None,
    out: Path | None = None,
    lang: str = "en",
    allow_partial: bool = False,
    allow_missing: bool = False,
) -> tuple[str, Path]:
    """The report of a run or sweep folder (``govsim compare``), into ``out``.

    ``out`` defaults to ``PATH/report``. Returns what was paired and the path of
    ``report.html``.
    """
    runs, daily = load(path, allow_partial)
    require_distinct_designs(runs)
    if allow_missing:
        runs = leave_out_undefined(runs, compared_measures())
    else:
        require_defined(runs, compared_measures())
    present = sorted(runs["mechanism"].unique())
    if reference is not None and reference not in present:
        raise ArgumentError(
            "compare",
            f"--reference {reference!r} did not run",
            "one of the designs present: " + ", ".join(present),
        )
    state = sweep_state(path)
    notes = (
        []
        if state.whole or (path / "runs.parquet").is_file()
        else [say("partial", lang, state=state.describe())]
    )
    out = require_writable(out or path / "report", "--out")
    reference = reference or "baseline"
    pairing = describe(settings(runs), reference)
    report = build_report(
        runs, daily, out, reference, lang=lang, units=load_units(path), notes=notes
    )
    return pairing, report
