"""Fonts for figures and documents: a Chinese (CJK) font, or an error, never boxes (字体).

``make setup`` installs WenQuanYi Micro Hei (``fonts-wqy-microhei``) on Debian; any font
of :data:`CJK_FAMILIES` found by matplotlib will do.
"""

from __future__ import annotations

from functools import cache

import matplotlib
from matplotlib import font_manager

from govsim.report.display import check_language

__all__ = ["CJK_FAMILIES", "MissingFontError", "cjk_family", "css_families", "use_language"]

CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
)
"""Chinese fonts looked for, in order of preference."""


class MissingFontError(RuntimeError):
    """No Chinese font is installed: Chinese text would show as boxes."""


@cache
def cjk_family() -> str:
    """The first installed font of :data:`CJK_FAMILIES`, or :class:`MissingFontError`."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    font_manager.fontManager.__init__()  # fonts installed since matplotlib's cache was built
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    raise MissingFontError(
        "no Chinese font found (one of " + ", ".join(CJK_FAMILIES) + "): Chinese text would "
        "show as boxes. Install one, e.g. `make setup` (Debian: apt-get install "
        "fonts-wqy-microhei)"
    )


def use_language(lang: str) -> None:
    """Set matplotlib's fonts for text in ``lang`` (Chinese needs a CJK font)."""
    if check_language(lang) == "zh":
        matplotlib.rcParams["font.sans-serif"] = [cjk_family(), "DejaVu Sans"]
    else:
        matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False


def css_families(lang: str) -> str:
    """A CSS font-family list for documents in ``lang``."""
    chinese = ", ".join(f"'{f}'" for f in CJK_FAMILIES)
    if check_language(lang) == "zh":
        return f"'{cjk_family()}', {chinese}, sans-serif"
    return f"'DejaVu Sans', Arial, {chinese}, sans-serif"
