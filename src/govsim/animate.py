"""``govsim animate``: a GIF of a run for slides (matplotlib animation).

    govsim animate --days 120 --out results/workshop.gif -- city=workshop mechanism=whistle

Each frame is one day: the governance network coloured by the load of each service point,
and the share of cases resolved at or below the street so far.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation, PillowWriter

from govsim.cli import compose
from govsim.model import GovernanceModel
from govsim.results import write_atomic
from govsim.views import draw_network, station_load

__all__ = ["animate", "main"]


def animate(model: GovernanceModel, days: int, path: Path, fps: int = 8) -> Path:
    """Run ``model`` for ``days`` days and write one GIF frame per day."""
    fig, (net_ax, share_ax) = plt.subplots(1, 2, figsize=(11, 4.2),
                                           gridspec_kw={"width_ratios": [3, 2]})
    nodes_drawn, nodes = draw_network(net_ax, model)
    fig.colorbar(nodes_drawn, ax=net_ax, fraction=0.03, pad=0.01, label="jobs per staff")
    line, = share_ax.plot([], [])
    share_ax.set_xlim(0, days)
    share_ax.set_ylim(0, 1.02)
    share_ax.set_xlabel("day")
    share_ax.set_title("share resolved at or below the street")
    share_ax.grid(alpha=0.3)
    xs: list[int] = []
    ys: list[float] = []

    def frame(_: int) -> tuple:
        model.step()
        c = model.flow.counters
        xs.append(model.day)
        ys.append(c.resolved_at_or_below_street / c.resolved if c.resolved else float("nan"))
        line.set_data(xs, ys)
        nodes_drawn.set_array(station_load(model, nodes))
        net_ax.set_title(f"{model.city.config.name}, {model.mechanism_label}: day {model.day}")
        return nodes_drawn, line

    fig.tight_layout()
    animation = FuncAnimation(fig, frame, frames=days, init_func=lambda: (nodes_drawn, line),
                              blit=False, repeat=False)
    try:
        return write_atomic(Path(path), lambda tmp: animation.save(
            tmp, writer=PillowWriter(fps=fps), dpi=80))
    finally:
        plt.close(fig)


def main(argv: list[str]) -> None:
    """Animate a run configured by Hydra overrides."""
    parser = argparse.ArgumentParser(prog="govsim animate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--fps", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path("results") / "animation.gif")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides (after --)")
    args = parser.parse_args(argv)
    overrides = ["city=workshop", *args.overrides, "reference=null", f"days={max(args.days, 1)}"]
    model = GovernanceModel(compose(overrides))
    print(f"wrote {animate(model, args.days, args.out, args.fps)}")
