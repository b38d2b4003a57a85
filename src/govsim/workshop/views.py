"""Matplotlib views of a running model: the governance network and live charts.

Used by the workshop app (:mod:`govsim.app`) and by ``govsim animate``.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from govsim.model.model import GovernanceModel

__all__ = ["charts_figure", "draw_network", "layout", "network_figure", "station_load"]


@lru_cache(maxsize=8)
def layout(city_name: str, graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Layered positions: departments, streets, communities, grids (no spring layout)."""
    layer = {"department": 0, "street": 1, "community": 2, "grid": 3}
    nodes = [n for n, d in graph.nodes(data=True) if d["kind"] in layer]
    sub = graph.subgraph(nodes).copy()
    nx.set_node_attributes(sub, {n: layer[graph.nodes[n]["kind"]] for n in nodes}, "layer")
    pos = nx.multipartite_layout(sub, subset_key="layer", align="horizontal")
    return {n: (float(x), -float(y)) for n, (x, y) in pos.items()}


def station_load(model: GovernanceModel, nodes: list[str]) -> list[float]:
    """Jobs held per staff member at the service point of each node (capped at 3)."""
    index = {node: s for s, node in enumerate(model.city.station_node)}
    stations = model.stations
    return [min(3.0, stations.held[index[n]] / max(1, stations.servers[index[n]]))
            for n in nodes]


def draw_network(ax: Axes, model: GovernanceModel) -> tuple[PathCollection, list[str]]:
    """Draw the network on ``ax``; return the node collection and its node order."""
    graph = model.city.graph
    pos = layout(model.city.config.name, graph)
    stations = set(model.city.station_node)
    nodes = [n for n in pos if n in stations]
    edges = [(u, v) for u, v, d in graph.edges(data=True)
             if d["relation"] == "hierarchy" and u in pos and v in pos]
    nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, alpha=0.15, arrows=False)
    sizes = [{"department": 160, "street": 200, "community": 70, "grid": 25}[
        graph.nodes[n]["kind"]] for n in nodes]
    drawn = nx.draw_networkx_nodes(graph, pos, nodelist=nodes, node_size=sizes, ax=ax,
                                   node_color=station_load(model, nodes), cmap="YlOrRd",
                                   vmin=0.0, vmax=3.0, edgecolors="grey", linewidths=0.3)
    ax.set_axis_off()
    return drawn, nodes


def network_figure(model: GovernanceModel) -> Figure:
    """The governance network with each service point coloured by its load."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    drawn, _ = draw_network(ax, model)
    fig.colorbar(drawn, ax=ax, fraction=0.03, pad=0.01, label="jobs per staff")
    fig.tight_layout()
    return fig


def charts_figure(model: GovernanceModel) -> Figure:
    """Live charts of the headline share, backlogs and satisfaction (numbered as in the text)."""
    data = model.datacollector.get_model_vars_dataframe()
    fig, axes = plt.subplots(1, 3, figsize=(10, 2.6))
    if not data.empty:
        axes[0].plot(data["day"], data["share_arisen_settled_at_or_below_street"],
                     label="settled (venue)")
        axes[0].plot(data["day"], data["share_arisen_handled_at_or_below_street"],
                     label="handled (no staff above)")
        axes[0].legend(fontsize=7)
        axes[0].set_ylim(0, 1.02)
        axes[1].plot(data["day"], data["backlog"], label="all")
        axes[1].plot(data["day"], data["department_backlog"], label="departments")
        axes[1].legend(fontsize=7)
        axes[2].plot(data["day"], data["satisfaction_rate"])
        axes[2].set_ylim(0, 1.02)
    for ax, number in zip(axes, ("1", "2", "3"), strict=True):
        ax.set_title(number, fontsize=9)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


