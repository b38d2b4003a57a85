"""Browser-side charts of a workshop session: ECharts options built from its series (图表).

The browser draws them (ECharts, served locally by solara-assets), so a day costs a few
kilobytes of data instead of re-rendered images. Every chart has a title, axis names with
units, and legends in the session's language; shares are shown as percentages.
"""

from __future__ import annotations

from typing import Any

from govsim.city.levels import Level
from govsim.model.model import GovernanceModel
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.report.display import name
from govsim.report.names import design_name, level_name, node_name
from govsim.report.phrases import say
from govsim.workshop.session import Design, Session
from govsim.workshop.views import LEVEL_ROWS, load_colour, tree_layout

__all__ = ["CHARTS", "line_chart", "network_chart"]

CHARTS: dict[str, tuple[str, ...]] = {
    "chart_kpi": (HEADLINE, HANDLED),
    "chart_rates": ("response_rate", "resolution_rate", "satisfaction_rate"),
    "chart_open": ("backlog", "department_backlog"),
}
"""Each chart's title phrase and its series."""

COLOURS = ("#2b6cb0", "#dd6b20", "#2f855a", "#805ad5", "#c53030", "#718096")
DASHES = ("solid", "dashed")


def _percent(values: list[float]) -> list[float | None]:
    return [None if v != v else round(100.0 * v, 2) for v in values]


def line_chart(session: Session, chart: str, lang: str) -> dict[str, Any]:
    """One line per series and design (designs told apart by dashes)."""
    metrics = CHARTS[chart]
    share = metrics[0] != "backlog"
    series = []
    for d, design in enumerate(session.designs):
        for k, metric in enumerate(metrics):
            values = design.history[metric]
            series.append({
                "name": name(metric, lang),
                "type": "line", "showSymbol": False, "animation": False,
                "data": [[day + 1, v] for day, v in
                         enumerate(_percent(values) if share else values)],
                "lineStyle": {"color": COLOURS[k], "type": DASHES[d % 2], "width": 2},
                "itemStyle": {"color": COLOURS[k]}})
    return {
        "animation": False, "aria": {"enabled": True},
        "title": {"text": say(chart, lang), "left": "center", "textStyle": {"fontSize": 14},
                  "subtext": _dashes(session, lang), "itemGap": 2,
                  "subtextStyle": {"fontSize": 11}},
        "tooltip": {"trigger": "axis"},
        # a legend row per series at most, below the axis labels; the axis name at its end
        "legend": {"bottom": 0, "textStyle": {"fontSize": 11}, "itemWidth": 18, "itemGap": 10},
        "grid": {"left": 8, "right": 32, "top": 48, "bottom": 24 * len(metrics) + 2,
                 "containLabel": True},
        "xAxis": {"type": "value", "name": say("day_axis", lang), "nameLocation": "end",
                  "nameGap": 6, "min": 0, "minInterval": 1, "max": max(session.settings.days,
                                                                         session.day)},
        "yAxis": {"type": "value", "min": 0, **({"max": 100} if share else {"minInterval": 1}),
                  "axisLabel": {"formatter": "{value}%" if share else "{value}"}},
        "series": series,
    }


def _dashes(session: Session, lang: str) -> str:
    """Which line is which design: solid for the design, dashed for the comparison."""
    return say("dashes", lang, design=design_name(session.designs[0].label, lang),
               comparison=design_name(session.designs[1].label, lang)
               ) if len(session.designs) > 1 else ""


def _node_tooltip(model: GovernanceModel, station: int, label: str, lang: str) -> str:
    stations = model.stations
    held, busy = stations.held[station], stations.busy[station]
    return say("node_tooltip", lang, name=label, staff=stations.servers[station], held=held,
               waiting=max(0, held - busy))


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
    for node, (x, y) in pos.items():
        kind = graph.nodes[node]["kind"]
        station = station_of[node]
        load = model.stations.held[station] / max(1, model.stations.servers[station])
        label = node_name(node, lang, departments)
        alert = kind == "street" and graph.nodes[node]["index"] in petitioned
        nodes.append({
            # names repeat across districts (each has its departments); ids do not
            "id": str(node), "name": label, "value": [x, int(y // 100)],
            "symbolSize": {"department": 16, "street": 26, "community": 12, "grid": 7}[kind],
            "itemStyle": {"color": load_colour(load),
                          "borderColor": "#c53030" if alert else "#666",
                          "borderWidth": 4 if alert else 0.5},
            "label": {"show": kind in ("department", "street"),
                      "position": "top" if kind == "department" else "right",
                      "rotate": 20 if kind == "department" else 0, "fontSize": 11,
                      "formatter": label + (" ⚠" if alert else "")},
            "tooltip": {"formatter": _node_tooltip(model, station, label, lang)}})
    links = []
    for u, v, data in graph.edges(data=True):
        if u in pos and v in pos and data["relation"] == "hierarchy":
            links.append({"source": index[u], "target": index[v],
                          "lineStyle": {"color": "#bbb", "width": 0.6}})
        elif data["relation"] == "jurisdiction" and graph.nodes[v]["index"] in whistled:
            links.append({"source": index[u], "target": index[v],
                          "lineStyle": {"color": "#dd6b20", "width": 2.5}})
    return {
        "animation": False, "aria": {"enabled": True},
        # the page shows the design's name above the chart, wrapped to its width
        "title": {"text": design_name(design.label, lang), "show": False},
        "tooltip": {},
        "grid": {"left": 78, "right": 24, "top": 52, "bottom": 10},
        "xAxis": {"type": "value", "show": False, "min": -30, "max": 1030},
        "yAxis": {"type": "category", "inverse": True, "boundaryGap": False,
                  "data": [level_name(Level[k.upper()], lang) for k in LEVEL_ROWS],
                  "axisLine": {"show": False}, "axisTick": {"show": False},
                  "axisLabel": {"fontSize": 11, "color": "#555"}},
        "series": [{"type": "graph", "coordinateSystem": "cartesian2d", "data": nodes,
                    "links": links, "emphasis": {"focus": "adjacency"}}],
    }
