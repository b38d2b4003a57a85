"""``govsim animate``: a GIF of a run for slides (matplotlib animation).

    govsim animate --days 120 --out results/workshop.gif -- city=workshop mechanism=whistle

Each frame is one day: the governance network coloured by the load of each service point,
and the shares of the cases so far settled at or below the street and handled there
without staff from above.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation, PillowWriter

from govsim.config.arguments import ArgumentParser, integer_at_least
from govsim.experiments.compose import compose
from govsim.experiments.files import require_writable, write_atomic
from govsim.experiments.overrides import parse
from govsim.model.model import GovernanceModel
from govsim.outcomes.daily import running_tally
from govsim.workshop.views import draw_network, station_load

__all__ = ["animate", "main"]


def animate(model: GovernanceModel, days: int, path: Path, fps: int = 8) -> Path:
    """Run ``model`` for ``days`` days and write one GIF frame per day."""
    fig, (net_ax, share_ax) = plt.subplots(1, 2, figsize=(11, 4.2),
                                           gridspec_kw={"width_ratios": [3, 2]})
    nodes_drawn, nodes = draw_network(net_ax, model)
    fig.colorbar(nodes_drawn, ax=net_ax, fraction=0.03, pad=0.01, label="jobs per staff")
    line, = share_ax.plot([], [], label="settled at or below the street (venue)")
    handled_line, = share_ax.plot([], [], label="handled without staff from above")
    share_ax.legend(fontsize=7, loc="lower right")
    share_ax.set_xlim(0, days)
    share_ax.set_ylim(0, 1.02)
    share_ax.set_xlabel("day")
    share_ax.set_title("share of the cases so far")
    share_ax.grid(alpha=0.3)
    xs: list[int] = []
    ys: list[float] = []
    handled: list[float] = []

    def frame(_: int) -> tuple:
        model.step()
        xs.append(model.day)
        tally = running_tally(model)
        ys.append(tally.share_arisen_settled_at_or_below_street)
        handled.append(tally.share_arisen_handled_at_or_below_street)
        line.set_data(xs, ys)
        handled_line.set_data(xs, handled)
        nodes_drawn.set_array(station_load(model, nodes))
        net_ax.set_title(f"{model.city.config.name}, {model.mechanism_label}: day {model.day}")
        return nodes_drawn, line, handled_line

    fig.tight_layout()
    animation = FuncAnimation(fig, frame, frames=days, init_func=lambda: (nodes_drawn, line),
                              blit=False, repeat=False)
    try:
        return write_atomic(Path(path), lambda tmp: animation.save(
            tmp, writer=PillowWriter(fps=fps), dpi=80))
    finally:
        plt.close(fig)


SET_BY_OPTIONS = {"days": "--days", "horizon_days": "--days", "reference": None}
"""Keys animate sets itself (from its options), refused among the overrides."""


def main(argv: list[str]) -> None:
    """Animate a run configured by Hydra overrides."""
    parser = ArgumentParser(prog="govsim animate", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=integer_at_least(1), default=120)
    parser.add_argument("--fps", type=integer_at_least(1), default=8)
    parser.add_argument("--out", type=Path, default=Path("results") / "animation.gif")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides (after --)")
    args = parser.parse_args(argv)
    if args.fps > 100:
        parser.refuse(f"--fps {args.fps}", "an integer in [1, 100]")
    if args.out.suffix.lower() != ".gif":
        parser.refuse(f"--out {str(args.out)!r}", "a file name ending in .gif")
    for override in parse(args.overrides):
        if override.key_or_group in SET_BY_OPTIONS:
            option = SET_BY_OPTIONS[override.key_or_group]
            parser.refuse(f"{override.input_line!r} among the overrides",
                          f"{option} instead" if option else "overrides other than "
                          f"{override.key_or_group} (animate runs one arm)")
    require_writable(args.out.parent, "--out")
    overrides = ["city=workshop", "reference=null", "horizon_days=0", f"days={args.days}",
                 *args.overrides]
    model = GovernanceModel(compose(overrides))
    print(f"wrote {animate(model, args.days, args.out, args.fps)}")
