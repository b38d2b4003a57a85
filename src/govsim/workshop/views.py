"""The governance network of a running model, laid out and coloured (治理网络视图).

Used by the app's network chart and by the animation.
"""

from __future__ import annotations

import numpy as np

from govsim.model.model import GovernanceModel

__all__ = ["LEVEL_ROWS", "load_colour", "station_load", "tree_layout"]

LEVEL_ROWS = ("department", "street", "community", "grid")
"""The network's rows, from the top."""

MAX_ROW = 240
"""A row with more nodes than this (the grids and communities of a big city) is left out:
nobody can read it from the back of the room."""


def tree_layout(model: GovernanceModel) -> dict[str, tuple[float, float]]:
    """Positions of the network's nodes: x in [0, 1000], one row of 100 per level.

    Grids evenly in a row, each community above its grids, each street above its
    communities; departments evenly across the top.
    """
    city = model.city
    x_grid = np.arange(city.n_grids) / max(1, city.n_grids - 1)
    x_community = [
        float(x_grid[city.grid_community == c].mean()) for c in range(city.n_communities)
    ]
    x_street = [
        float(
            sum(x_community[c] for c in range(city.n_communities) if city.community_street[c] == s)
            / max(1, int((city.community_street == s).sum()))
        )
        for s in range(city.n_streets)
    ]
    pos = {f"grid/{g}": (float(x), 3.0) for g, x in enumerate(x_grid)}
    pos.update({f"community/{c}": (x, 2.0) for c, x in enumerate(x_community)})
    pos.update({f"street/{s}": (x, 1.0) for s, x in enumerate(x_street)})
    departments = [n for n in city.station_node if n.startswith("department/")]
    pos.update({n: (k / max(1, len(departments) - 1), 0.0) for k, n in enumerate(departments)})
    shown = {kind for kind in LEVEL_ROWS if sum(n.startswith(f"{kind}/") for n in pos) <= MAX_ROW}
    return {n: (1000.0 * x, 100.0 * y) for n, (x, y) in pos.items() if n.split("/")[0] in shown}


def station_load(model: GovernanceModel, nodes: list[str]) -> list[float]:
    """Jobs held per staff member at the service point of each node."""
    index = {node: s for s, node in enumerate(model.city.station_node)}
    stations = model.stations
    return [stations.held[index[n]] / max(1, stations.servers[index[n]]) for n in nodes]


def load_colour(load: float) -> str:
    """Pale for idle, red for three or more jobs per staff member."""
    t = min(1.0, load / 3.0)
    start, end = (255, 247, 188), (189, 0, 38)
    r, g, b = (round(a + (z - a) * t) for a, z in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
