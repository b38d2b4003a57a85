"""Browser-side charts of a workshop session: ECharts options built from its series (图表).

The browser draws them (ECharts, served locally by solara-assets), so a day costs a few
kilobytes of data instead of re-rendered images. Every chart has a title, axis names with
units, and legends in the session's language; shares are shown as percentages. Running
totals (shares of every case so far) stand beside the same measures over the last days
(:mod:`govsim.workshop.recent`), where a lever's effect shows; every chart marks the days a
lever was moved (a dotted line labelled with the lever's new value).
"""

from __future__ import annotations

from typing import Any

from govsim.city.levels import Level
from govsim.model.model import GovernanceModel
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.report.display import name
from govsim.report.names import design_name, level_name, node_name
from govsim.report.phrases import say
from govsim.workshop.recent import CLOSED, RATIOS, WINDOW, window_share, window_sum
from govsim.workshop.session import Design, Session
from govsim.workshop.settings import LIVE_LEVERS
from govsim.workshop.views import LEVEL_ROWS, load_colour, tree_layout

__all__ = [
    "CHARTS",
    "SMALL_CHARTS",
    "lever_marks",
    "line_chart",
    "network_chart",
    "series_values",
    "small_chart",
]

CHARTS: dict[str, tuple[str, ...]] = {
    "chart_kpi": (HEADLINE, HANDLED),
    "chart_recent": ("recent_settled", "recent_handled"),
    "chart_rates": ("response_rate", "resolution_rate", "satisfaction_rate"),
    "chart_open": ("backlog", "department_backlog"),
}
"""Each chart's title phrase and its series."""

COLOURS = ("#2b6cb0", "#dd6b20", "#2f855a", "#805ad5", "#c53030", "#718096")
DASHES = ("solid", "dashed")

SMALL_FONT = 11
"""The smallest chart text at 1280×720, in pixels: 16.5 px at 1920×1080 as the page grows."""


def _percent(values: list[float]) -> list[float | None]:
    return [None if v != v else round(100.0 * v, 2) for v in values]


def series_values(design: Design, metric: str) -> list[float | None]:
    """A series as drawn, one value a day: shares in percent, a recent measure over its window."""
    if metric in RATIOS:
        values = window_share(design.history, metric).tolist()
        return (
            _percent(values)
            if RATIOS[metric].percent
            else [None if v != v else round(v, 2) for v in values]
        )
    values = design.history[metric]
    return values if metric in COUNT_SERIES else _percent(values)


COUNT_SERIES = frozenset({"backlog", "department_backlog"})
"""Running series drawn as counts (the others are shares)."""


LEGEND_NAMES = {
    HEADLINE: "legend_settled",
    "recent_settled": "legend_settled",
    HANDLED: "legend_handled",
    "recent_handled": "legend_handled",
}
"""The attributions' names in their charts' legends: the title says where, and over which
days, so the legend fits a quarter of a 1280×720 screen."""


def series_name(metric: str, lang: str) -> str:
    """A series' name in the legend (a recent measure says its window)."""
    if metric in LEGEND_NAMES:
        return say(LEGEND_NAMES[metric], lang)
    return say(metric, lang, days=WINDOW) if metric in RATIOS else name(metric, lang)


def lever_marks(session: Session, lang: str, labelled: bool = True) -> dict[str, Any]:
    """ECharts' markLine for the days a lever was moved: a dotted line, the lever's new value.

    The line stands on the day the lever was moved, as the exported schedule has it; the
    change acts from the next day's point on. A small chart (``labelled`` False) keeps the
    line and leaves the label to its tooltip.
    """
    labels = {lv.key: lv.zh if lang == "zh" else lv.en for lv in LIVE_LEVERS}
    moves: dict[int, list[str]] = {}
    for day, key, value in session.lever_log:
        moves.setdefault(day, []).append(f"{labels[key].split('(')[0].strip()} {value:g}")
    return {
        "symbol": "none",
        "silent": True,
        "animation": False,
        "lineStyle": {"color": "#444", "type": "dotted", "width": 1.5},
        "label": {"show": labelled, "fontSize": SMALL_FONT, "position": "insideEndTop"},
        "data": [
            {"xAxis": day, "name": "; ".join(texts), "label": {"formatter": "; ".join(texts)}}
            for day, texts in sorted(moves.items())
        ],
    }


def line_chart(session: Session, chart: str, lang: str) -> dict[str, Any]:
    """One line per series and design (designs told apart by dashes), levers marked."""
    metrics = CHARTS[chart]
    share = not set(metrics) <= COUNT_SERIES
    series = []
    for d, design in enumerate(session.designs):
        for k, metric in enumerate(metrics):
            series.append(
                {
                    "name": series_name(metric, lang),
                    "type": "line",
                    "showSymbol": False,
                    "animation": False,
                    "data": [[day + 1, v] for day, v in enumerate(series_values(design, metric))],
                    "lineStyle": {"color": COLOURS[k], "type": DASHES[d % 2], "width": 2},
                    "itemStyle": {"color": COLOURS[k]},
                }
            )
    series[0]["markLine"] = lever_marks(session, lang)
    return {
        "animation": False,
        "aria": {"enabled": True},
        "title": {
            "text": say(chart, lang, days=WINDOW),
            "left": "center",
            "textStyle": {"fontSize": 14},
            "subtext": _dashes(session, lang),
            "itemGap": 2,
            "subtextStyle": {"fontSize": SMALL_FONT},
        },
        "tooltip": {"trigger": "axis"},
        # a legend row per series at most, below the axis labels; the axis name at its end
        "legend": {
            "bottom": 0,
            "textStyle": {"fontSize": SMALL_FONT},
            "itemWidth": 18,
            "itemGap": 10,
        },
        "grid": {
            "left": 8,
            "right": 32,
            "top": 48,
            "bottom": 24 * len(metrics) + 2,
            "containLabel": True,
        },
        "xAxis": {
            "type": "value",
            "name": say("day_axis", lang),
            "nameLocation": "end",
            "nameGap": 6,
            "min": 0,
            "minInterval": 1,
            "max": max(session.settings.days, session.day),
        },
        # a short chart (1280×720) leaves out the labels that would touch
        "yAxis": {
            "type": "value",
            "min": 0,
            **({"max": 100} if share else {"minInterval": 1}),
            "axisLabel": {"formatter": "{value}%" if share else "{value}", "hideOverlap": True},
        },
        "series": series,
    }


def _dashes(session: Session, lang: str) -> str:
    """Which line is which design: solid the design, dashed the comparison (named above)."""
    return say("dashes", lang) if len(session.designs) > 1 else ""


def _node_tooltip(model: GovernanceModel, station: int, label: str, lang: str) -> str:
    stations = model.stations
    held, busy = stations.held[station], stations.busy[station]
    return say(
        "node_tooltip",
        lang,
        name=label,
        staff=stations.servers[station],
        held=held,
        waiting=max(0, held - busy),
    )


def network_chart(session: Session, design: Design, lang: str) -> dict[str, Any]:
    """The governance network of one design: load, names, levels, today's events."""
    model = design.model
    city = model.city
    graph = city.graph
    pos = tree_layout(model)
    station_of = {node: s for s, node in enumerate(city.station_node)}
    departments = {k: v.label_zh for k, v in city.config.departments.items()}
    whistled = {e.street for e in design.today if e.kind == "whistle"}
    petitioned = {e.street for e in design.today if e.kind == "petition"}
    nodes = []
    index = {node: k for k, node in enumerate(pos)}
    sides = _label_sides(graph, pos)
    for node, (x, y) in pos.items():
        kind = graph.nodes[node]["kind"]
        station = station_of[node]
        load = model.stations.held[station] / max(1, model.stations.servers[station])
        label = node_name(node, lang, departments)
        alert = kind == "street" and graph.nodes[node]["index"] in petitioned
        nodes.append(
            {
                # names repeat across districts (each has its departments); ids do not
                "id": str(node),
                "name": label,
                "value": [x, int(y // 100)],
                "symbolSize": {"department": 16, "street": 26, "community": 12, "grid": 7}[kind],
                "itemStyle": {
                    "color": load_colour(load),
                    "borderColor": "#c53030" if alert else "#666",
                    "borderWidth": 4 if alert else 0.5,
                },
                "label": {
                    "show": kind in ("department", "street"),
                    "position": sides.get(node, "right"),
                    "fontSize": SMALL_FONT,
                    "formatter": label + (" ⚠" if alert else ""),
                },
                "tooltip": {"formatter": _node_tooltip(model, station, label, lang)},
            }
        )
    links = []
    for u, v, data in graph.edges(data=True):
        if u in pos and v in pos and data["relation"] == "hierarchy":
            links.append(
                {
                    "source": index[u],
                    "target": index[v],
                    "lineStyle": {"color": "#bbb", "width": 0.6},
                }
            )
        elif data["relation"] == "jurisdiction" and graph.nodes[v]["index"] in whistled:
            links.append(
                {
                    "source": index[u],
                    "target": index[v],
                    "lineStyle": {"color": "#dd6b20", "width": 2.5},
                }
            )
    return {
        "animation": False,
        "aria": {"enabled": True},
        # the page shows the design's name above the chart, wrapped to its width
        "title": {"text": design_name(design.label, lang), "show": False},
        "tooltip": {},
        "grid": {"left": 78, "right": 24, "top": 52, "bottom": 10},
        "xAxis": {"type": "value", "show": False, "min": -30, "max": 1030},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "boundaryGap": False,
            "data": [level_name(Level[k.upper()], lang) for k in LEVEL_ROWS],
            "axisLine": {"show": False},
            "axisTick": {"show": False},
            "axisLabel": {"fontSize": SMALL_FONT, "color": "#555"},
        },
        # a label that would still touch another is left to the node's tooltip
        "series": [
            {
                "type": "graph",
                "coordinateSystem": "cartesian2d",
                "data": nodes,
                "links": links,
                "emphasis": {"focus": "adjacency"},
                "labelLayout": {"hideOverlap": True},
            }
        ],
    }


def _label_sides(graph, pos: dict) -> dict:
    """Where each named node's name stands.

    Departments alternately above and below their row, left to right, so a name has two
    neighbours' room; streets to the right of their node.
    """
    departments = sorted(
        (n for n in pos if graph.nodes[n]["kind"] == "department"), key=lambda n: pos[n][0]
    )
    sides = {n: "right" for n in pos if graph.nodes[n]["kind"] == "street"}
    sides.update({n: ("top", "bottom")[k % 2] for k, n in enumerate(departments)})
    return sides


SMALL_CHARTS: dict[str, tuple[str, ...]] = {
    "recent_whistle_answers": ("recent_whistle_answers",),
    "recent_discovery_days": ("recent_discovery_days",),
    "recent_patrol_found": ("recent_patrol_found",),
    "recent_petitions": ("day_petitions",),
    "recent_closures": CLOSED,
}
"""Each small chart's series: a recent measure, or day counts summed over the window."""


def small_chart(session: Session, chart: str, lang: str) -> dict[str, Any]:
    """A small chart of the last days, levers marked.

    Both designs where it has one series (dashed the comparison); the design alone where it
    has several (closures by level).
    """
    metrics = SMALL_CHARTS[chart]
    # its title is the counter's, above it on the page
    designs = session.designs if len(metrics) == 1 else session.designs[:1]
    levels = say("closure_levels", lang).split("|")
    series = []
    for d, design in enumerate(designs):
        for k, metric in enumerate(metrics):
            values = (
                series_values(design, metric)
                if metric in RATIOS
                else window_sum(design.history[metric]).tolist()
            )
            series.append(
                {
                    "name": levels[k] if len(metrics) > 1 else design_name(design.label, lang),
                    "type": "line",
                    "showSymbol": False,
                    "animation": False,
                    "data": [[day + 1, v] for day, v in enumerate(values)],
                    "lineStyle": {"color": COLOURS[k], "type": DASHES[d % 2], "width": 1.5},
                    "itemStyle": {"color": COLOURS[k]},
                }
            )
    series[0]["markLine"] = lever_marks(session, lang, labelled=False)
    percent = metrics[0] in RATIOS and RATIOS[metrics[0]].percent
    return {
        "animation": False,
        "aria": {"enabled": True},
        "tooltip": {"trigger": "axis"},
        # labels as large as the page's smallest (11 px at 1280×720), inside the chart
        "grid": {"left": 2, "right": 10, "top": 7, "bottom": 0, "containLabel": True},
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": max(session.settings.days, session.day),
            "axisLabel": {"fontSize": SMALL_FONT, "margin": 3},
            "splitLine": {"show": False},
        },
        "yAxis": {
            "type": "value",
            "min": 0,
            **({"max": 100} if percent else {}),
            "splitNumber": 1,
            "axisLabel": {"fontSize": SMALL_FONT, "margin": 3},
        },
        "series": series,
    }
