"""An ECharts figure that fills its box and grows with the screen (图表容器).

Solara's ``FigureEcharts`` sets a new option as soon as it arrives, but ECharts itself
loads asynchronously after the figure is mounted: an option that arrives in between
(fast play, or a figure mounted anew on a restart or after the summary) meets no chart
yet and the browser reports "Cannot read properties of undefined (reading 'setOption')".
This figure keeps the latest option until the chart exists, disposes of the chart when
the figure goes, and follows its box's size.

It is drawn as on a 1280×720 projector and magnified with the page: the chart lays out in
its box divided by the page's scale (the page's font size over :data:`BASE_FONT_PX`), is
scaled up by CSS, and renders at the magnified pixel ratio, so text, margins and lines
grow together and stay sharp at 1920×1080 and 2560×1440.
"""

from __future__ import annotations

from typing import Any

import solara
import traitlets
from solara.components.echarts import EchartsWidget

__all__ = ["BASE_FONT_PX", "figure"]

BASE_FONT_PX = 14
"""The page's font size at 1280×720: the scale at which a chart is drawn as designed."""


class ScaledEcharts(EchartsWidget):
    """Solara's ECharts widget with a template that waits for the chart and scales it."""

    template_file = (__file__, "figure.vue")
    base_font_px = traitlets.Float(BASE_FONT_PX).tag(sync=True)


def figure(option: dict[str, Any], kind: str) -> solara.Element:
    """A chart filling its box; ``kind`` is its CSS class (``govsim-<kind>``)."""
    return ScaledEcharts.element(
        option=option,
        responsive=True,
        base_font_px=BASE_FONT_PX,
        attributes={"class": f"govsim-figure govsim-{kind}"},
    )
