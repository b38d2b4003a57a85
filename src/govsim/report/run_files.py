"""The report files of a run folder: ``summary.md`` and, when asked, ``comparison.png``.

:func:`write_run_report` is the :data:`govsim.experiments.job.RunReport` that the
``govsim`` command, its sweeps and :func:`govsim.sweep` pass to the run-folder writers.
Plotting is imported only when a figure is drawn, so a sweep's workers load no matplotlib.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from govsim.files import write_text
from govsim.report.tables import metric_legend, summary_table

if TYPE_CHECKING:
    from govsim.experiments.run import RunResult

__all__ = ["write_run_report"]


def write_run_report(result: RunResult, out: Path, figures: bool) -> None:
    """Write ``summary.md`` (the printed table) and, if ``figures``, ``comparison.png``."""
    _, markdown = summary_table(result.runs)
    if figures:
        from govsim.report.figures import plot_run

        plot_run(result, out / "comparison.png")
    write_text(out / "summary.md", f"# {result.config.scenario}\n\n{markdown}\n{metric_legend()}\n")
