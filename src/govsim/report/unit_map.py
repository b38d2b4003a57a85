"""``govsim map RUN --geometry UNITS.geojson --key PROPERTY``: a map of results per unit.

Joins a run's per-unit results (``units.parquet``: streets and communities carry the
measures of the cases that arose in them) with boundaries given as GeoJSON (polygons or
multipolygons, one feature per unit), by a property of each feature naming its unit: the
unit's full name as the city gives it (``海曙区/鼓楼街道`` for a city of its own,
``street/3`` for an archetype) or, where it is unique, the last part of it (``鼓楼街道``).
Colours the units by a measure (default the headline share), the mean over the treatment
arm's replications, and writes ``map_LEVEL_MEASURE.png`` into the run folder (or
``--out``). Units without a boundary, and boundaries without a unit, are named on the
command line, never dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from govsim.config.errors import ArgumentError, PathError
from govsim.experiments.collect import read_table, require_folder
from govsim.files import require_writable
from govsim.outcomes.measures import HEADLINE

__all__ = ["LEVELS", "UnitMap", "draw_map", "match_units", "read_boundaries"]

LEVELS = ("street", "community")


def read_boundaries(path: Path, key: str) -> dict[str, list[list[list[float]]]]:
    """Each feature's name (property ``key``) → its outer rings, or a :class:`PathError`."""
    try:
        features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    except FileNotFoundError:
        raise PathError(path, "does not exist", "a GeoJSON file of the units' boundaries") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PathError(
            path,
            f"cannot be read as GeoJSON ({type(error).__name__})",
            "a GeoJSON FeatureCollection",
        ) from None
    rings: dict[str, list[list[list[float]]]] = {}
    for k, feature in enumerate(features):
        properties = feature.get("properties") or {}
        if key not in properties:
            raise PathError(
                path,
                f"feature {k} has no property {key!r} (it has: "
                f"{', '.join(map(str, properties)) or 'none'})",
                "--key naming a property every feature has",
            )
        geometry = feature.get("geometry") or {}
        kind, coordinates = geometry.get("type"), geometry.get("coordinates")
        polygons = (
            [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
        )
        if polygons is None:
            raise PathError(
                path,
                f"feature {k} ({properties[key]}) is a {kind}",
                "Polygon or MultiPolygon features",
            )
        rings.setdefault(str(properties[key]), []).extend(polygon[0] for polygon in polygons)
    return rings


def match_units(names: list[str], boundaries: dict[str, Any]) -> dict[str, str]:
    """Unit name → boundary name: by full name, else by the last part where it is unique."""
    last = pd.Series([n.rsplit("/", 1)[-1] for n in names])
    unique = set(last[~last.duplicated(keep=False)])
    matched = {}
    for name in names:
        short = name.rsplit("/", 1)[-1]
        if name in boundaries:
            matched[name] = name
        elif short in unique and short in boundaries:
            matched[name] = short
    return matched


def _values(run: Path, level: str, measure: str) -> pd.Series:
    units = read_table(require_folder(run) / "units.parquet")
    units = units[(units["level"] == level) & (units["arm"] == "treatment")]
    if measure not in units:
        numeric = [c for c in units.select_dtypes("number") if units[c].notna().any()]
        raise ArgumentError(
            "map",
            f"--measure {measure!r} is not a measure of the {level}s",
            "one of " + ", ".join(numeric),
        )
    return units.groupby("name", sort=False)[measure].mean()


@dataclass(frozen=True)
class UnitMap:
    """A map drawn: its figure and which units and boundaries it could not join."""

    path: Path
    level: str
    drawn: int
    units: int
    missing: list[str]
    """Units without a boundary, in the run's order."""
    unused: list[str]
    """Boundaries of no unit, drawn grey, sorted."""

    def describe(self) -> str:
        """What was drawn, what was not, and where (``govsim map`` prints it)."""
        lines = [f"{self.drawn} of {self.units} {self.level}s drawn"]
        if self.missing:
            lines.append(
                f"  without a boundary: {', '.join(self.missing[:8])}"
                + (f" and {len(self.missing) - 8} more" if len(self.missing) > 8 else "")
            )
        if self.unused:
            lines.append(f"  boundaries of no {self.level} (grey): {', '.join(self.unused[:8])}")
        lines.append(f"map: {self.path}")
        return "\n".join(lines)


def draw_map(
    run: Path,
    geometry: Path,
    key: str,
    level: str = "street",
    measure: str = HEADLINE,
    out: Path | None = None,
) -> UnitMap:
    """Draw a run's results per unit on a map, into ``out`` (default: in the run folder)."""
    if out is not None:
        require_writable(out.parent, "--out")
    values = _values(run, level, measure)
    boundaries = read_boundaries(geometry, key)
    matched = match_units(list(values.index), boundaries)
    if not matched:
        raise PathError(
            geometry,
            f"names none of the run's {level}s by "
            f"{key!r} (e.g. {', '.join(list(values.index)[:3])})",
            "a property holding the units' names",
        )
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    from govsim.files import save_figure
    from govsim.report.fonts import use_language

    use_language("zh")
    fig, ax = plt.subplots(figsize=(8, 7))
    shapes, colours = [], []
    for unit, boundary in matched.items():
        for ring in boundaries[boundary]:
            shapes.append(ring)
            colours.append(values[unit])
        xs, ys = zip(*boundaries[boundary][0], strict=True)
        ax.text(
            sum(xs) / len(xs),
            sum(ys) / len(ys),
            unit.rsplit("/", 1)[-1],
            ha="center",
            va="center",
            fontsize=8,
            color="black",
        )
    drawn = PolyCollection(shapes, array=colours, cmap="viridis", edgecolor="white")
    ax.add_collection(drawn)
    unused = set(boundaries) - set(matched.values())
    if unused:
        ax.add_collection(
            PolyCollection(
                [r for b in unused for r in boundaries[b]], facecolor="lightgrey", edgecolor="white"
            )
        )
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.colorbar(drawn, ax=ax, shrink=0.7, label=measure)
    out = out or run / f"map_{level}_{measure}.png"
    save_figure(fig, out)
    return UnitMap(
        out,
        level,
        len(matched),
        len(values),
        [u for u in values.index if u not in matched],
        sorted(unused),
    )
