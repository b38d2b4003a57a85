"""``govsim animate``: a 1920×1080 clip for slides, a design beside its comparison (推演动画).

    govsim animate --days 120 --lang zh --out results/whistle.gif -- mechanism=[whistle]

One frame per day, 10 frames per second unless ``--fps`` says otherwise. Each side is
one design on the same residents and cases (common random numbers): its governance
network coloured by load, with the day's whistles (orange lines from the departments to
the street) and escalations (red rings on the street); below, the share settled at or
below the street beside the share handled there by the street's own staff, for both
designs. Titles, legends and names in English or Chinese.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.ticker import FuncFormatter
from PIL import Image

from govsim.city.levels import Level
from govsim.composition.overrides import parse
from govsim.config.errors import ArgumentError
from govsim.files import require_writable, write_atomic
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.report.display import name
from govsim.report.fonts import use_language
from govsim.report.names import city_name, design_name, level_name, node_name
from govsim.report.phrases import say
from govsim.workshop.session import Design, Session
from govsim.workshop.settings import Settings
from govsim.workshop.views import LEVEL_ROWS, load_colour, station_load, tree_layout

__all__ = ["DEFAULT_OUT", "FPS", "animate", "animate_designs"]

FPS = 10
"""Frames (days) per second."""
DEFAULT_OUT = Path("results") / "animation.gif"
"""Where ``govsim animate`` writes its GIF unless told."""

SIZE = (19.2, 10.8)
DPI = 100
"""1920 × 1080 pixels."""


class _Network:
    """One design's network on an axes, updated in place each day."""

    def __init__(self, ax: Axes, design: Design, lang: str) -> None:
        model = design.model
        self.design = design
        pos = tree_layout(model)
        self.nodes = list(pos)
        self.pos = pos
        graph = model.city.graph
        labels = {k: v.label_zh for k, v in model.city.config.departments.items()}
        edges = [
            (pos[u], pos[v])
            for u, v, d in graph.edges(data=True)
            if d["relation"] == "hierarchy" and u in pos and v in pos
        ]
        ax.add_collection(LineCollection(edges, colors="#cccccc", linewidths=0.6, zorder=1))
        self.whistles = LineCollection([], colors="#dd6b20", linewidths=3, zorder=2)
        ax.add_collection(self.whistles)
        kinds = [graph.nodes[n]["kind"] for n in self.nodes]
        sizes = [{"department": 260, "street": 700, "community": 140, "grid": 40}[k] for k in kinds]
        xs, ys = zip(*pos.values(), strict=True)
        self.dots = ax.scatter(
            xs, ys, s=sizes, c=["#fff7bc"] * len(xs), edgecolors="#666666", linewidths=0.5, zorder=3
        )
        self.streets = [n for n in self.nodes if n.startswith("street/")]
        self.rings = ax.scatter(
            [pos[n][0] for n in self.streets],
            [pos[n][1] for n in self.streets],
            s=1300,
            facecolors="none",
            edgecolors="#c53030",
            linewidths=4,
            zorder=4,
        )
        for node, kind in zip(self.nodes, kinds, strict=True):
            if kind in ("department", "street"):
                x, y = pos[node]
                ax.annotate(
                    node_name(node, lang, labels),
                    (x, y),
                    xytext=(0, 14) if kind == "department" else (22, 0),
                    textcoords="offset points",
                    fontsize=13,
                    ha="center" if kind == "department" else "left",
                    va="center",
                    rotation=20 if kind == "department" else 0,
                )
        for row, kind in enumerate(LEVEL_ROWS):
            ax.text(
                -60,
                100 * row,
                level_name(Level[kind.upper()], lang),
                ha="right",
                va="center",
                fontsize=14,
                color="#555555",
            )
        ax.set_xlim(-230, 1060)
        ax.set_ylim(340, -60)
        ax.set_axis_off()
        ax.set_title(design_name(design.label, lang), fontsize=20)
        graph_edges = [
            (u, v)
            for u, v, d in graph.edges(data=True)
            if d["relation"] == "jurisdiction" and u in pos and v in pos
        ]
        self.jurisdiction = graph_edges

    def update(self) -> None:
        model = self.design.model
        self.dots.set_facecolors([load_colour(v) for v in station_load(model, self.nodes)])
        whistled = {f"street/{e.street}" for e in self.design.today if e.kind == "whistle"}
        self.whistles.set_segments(
            [(self.pos[u], self.pos[v]) for u, v in self.jurisdiction if v in whistled]
        )
        petitioned = {f"street/{e.street}" for e in self.design.today if e.kind == "petition"}
        self.rings.set_alpha(None)
        self.rings.set_edgecolors(["#c53030" if n in petitioned else "none" for n in self.streets])


def animate(session: Session, days: int, path: Path, lang: str = "en", fps: int = FPS) -> Path:
    """Run ``session`` for ``days`` days and write one GIF frame per day at ``fps``."""
    use_language(lang)
    fig = plt.figure(figsize=SIZE, dpi=DPI)
    grid = fig.add_gridspec(
        2,
        len(session.designs),
        height_ratios=(3, 2),
        hspace=0.25,
        left=0.04,
        right=0.98,
        top=0.88,
        bottom=0.07,
    )
    networks = [
        _Network(fig.add_subplot(grid[0, k]), d, lang) for k, d in enumerate(session.designs)
    ]
    ax = fig.add_subplot(grid[1, :])
    lines = []
    for d, design in enumerate(session.designs):
        # The headline is drawn broad and translucent, the street's own share narrow on
        # top: where a design's two shares agree, both lines stay visible.
        for metric, colour, width in ((HEADLINE, "#2b6cb0", 6.0), (HANDLED, "#dd6b20", 2.0)):
            (line,) = ax.plot(
                [],
                [],
                color=colour,
                linestyle=("-", "--")[d % 2],
                linewidth=width,
                alpha=0.5 if metric == HEADLINE else 1.0,
                label=f"{name(metric, lang)} · {design_name(design.label, lang)}",
            )
            lines.append((design, metric, line))
    ax.set_xlim(0, days)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f}%"))
    ax.set_xlabel(say("day_axis", lang), fontsize=14)
    ax.set_ylabel("%", fontsize=14)
    ax.tick_params(labelsize=12)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=12, loc="lower right", ncol=2)
    city = session.config.city
    heading = fig.suptitle("", fontsize=24)
    fig.text(0.5, 0.905, say("network_legend", lang), ha="center", fontsize=13, color="#555555")

    dynamic = [heading, *(line for _, _, line in lines)]
    for network in networks:
        dynamic += [network.whistles, network.dots, network.rings]
    for artist in dynamic:
        artist.set_animated(True)
    canvas = fig.canvas
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    frames: list[Image.Image] = []
    palette: Image.Image | None = None
    try:
        for _ in range(days):
            session.step()
            for network in networks:
                network.update()
            for design, metric, line in lines:
                values = design.history[metric]
                line.set_data(range(1, len(values) + 1), values)
            heading.set_text(
                f"{city_name(city.name, lang, city.label_zh)} · "
                f"{say('day_n', lang, day=session.day)}"
            )
            canvas.restore_region(background)
            for artist in dynamic:
                fig.draw_artist(artist)
            image = Image.frombuffer(
                "RGBA", canvas.get_width_height(), canvas.buffer_rgba()
            ).convert("RGB")
            if palette is None:
                palette = _palette(image)
            frames.append(image.quantize(palette=palette, dither=Image.Dither.NONE))
    finally:
        plt.close(fig)
    return write_atomic(
        Path(path),
        lambda tmp: frames[0].save(
            tmp,
            format="GIF",
            save_all=True,
            append_images=frames[1:],
            duration=1000 // fps,
            loop=0,
            optimize=False,
        ),
    )


def _palette(first: Image.Image) -> Image.Image:
    """A GIF palette from the first frame and every colour a later frame can show."""
    swatch = first.copy()
    colours = [load_colour(load / 10) for load in range(31)] + ["#dd6b20", "#c53030"]
    for k, colour in enumerate(colours):
        swatch.paste(colour, (8 * k, 0, 8 * k + 8, 8))
    return swatch.quantize(colors=255, method=Image.Quantize.FASTOCTREE)


DESIGN_KEYS = ("mechanism", "reference")
"""The overrides animate takes: the design and its comparison."""

SET_BY_OPTIONS = {"days": "--days", "horizon_days": "--days", "seed": "--seed", "city": "--city"}
"""Keys animate sets from its options, refused among the overrides."""


def _designs(overrides: list[str]) -> dict[str, tuple[str, ...] | None]:
    """``mechanism=[...]`` and ``reference=[...]`` from the overrides; anything else refused."""
    designs: dict[str, tuple[str, ...] | None] = {}
    for override in parse(overrides):
        key = override.key_or_group
        if key in SET_BY_OPTIONS:
            raise ArgumentError(
                "animate",
                f"{override.input_line!r} among the overrides",
                f"{SET_BY_OPTIONS[key]} instead",
            )
        if key not in DESIGN_KEYS:
            raise ArgumentError(
                "animate",
                f"{override.input_line!r} among the overrides",
                "mechanism=[...] and reference=[...] (animate runs the workshop's designs)",
            )
        value = override.value()
        designs[key] = (
            None if value is None else tuple([value] if isinstance(value, str) else map(str, value))
        )
    return designs


def animate_designs(
    overrides: list[str],
    days: int = 120,
    fps: int = FPS,
    lang: str = "en",
    out: Path = DEFAULT_OUT,
    city: str = "workshop",
    seed: int = 0,
) -> Path:
    """Animate a design against its comparison, configured like the app, into ``out``.

    ``overrides`` are ``mechanism=[...]`` (the design) and ``reference=[...]`` (its
    comparison); without them, the app's. Returns the GIF's path.
    """
    if fps > 100:
        raise ArgumentError("animate", f"--fps {fps}", "an integer in [1, 100]")
    if out.suffix.lower() != ".gif":
        raise ArgumentError("animate", f"--out {str(out)!r}", "a file name ending in .gif")
    designs = _designs(overrides)
    require_writable(out.parent, "--out")
    settings = Settings(city=city, seed=seed, days=days)
    if designs.get("mechanism"):
        settings.design = designs["mechanism"]
    if "reference" in designs:
        settings.comparison = designs["reference"]
    return animate(Session(settings), settings.days, out, lang, fps)
