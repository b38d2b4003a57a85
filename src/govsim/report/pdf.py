"""A report as PDF, from its HTML page (WeasyPrint; fonts embedded) (PDF 报告).

WeasyPrint needs Pango (``make setup`` installs it on Debian) and, for Chinese, a CJK font
(:mod:`govsim.report.fonts`): a missing font is an error, never boxes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from govsim.files import write_atomic
from govsim.report.fonts import cjk_family

__all__ = ["write_pdf"]


def write_pdf(html: str, path: Path, lang: str) -> Path:
    """Write the PDF of an HTML page, atomically."""
    if lang == "zh":
        cjk_family()
    from weasyprint import HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    return write_atomic(Path(path), lambda tmp: HTML(string=html).write_pdf(tmp))
