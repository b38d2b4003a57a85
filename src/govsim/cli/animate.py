"""``govsim animate``: the command line of :func:`govsim.workshop.animate.animate_designs`."""

from __future__ import annotations

import argparse
from pathlib import Path

from govsim.cli.arguments import ArgumentParser, integer_at_least

__all__ = ["animate_command"]


def animate_command(argv: list[str]) -> None:
    """Animate a design against its comparison, configured like the app."""
    from govsim.report.display import LANGUAGES
    from govsim.workshop import animate  # matplotlib and the model load when it runs
    from govsim.workshop.settings import CITIES

    parser = ArgumentParser(
        prog="govsim animate",
        description=animate.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--days",
        type=integer_at_least(1),
        default=120,
        help="days simulated, one frame each (default: %(default)s)",
    )
    parser.add_argument(
        "--fps",
        type=integer_at_least(1),
        default=animate.FPS,
        help="frames (days) per second, at most 100 (default: %(default)s)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of titles, legends and names (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=animate.DEFAULT_OUT,
        help="the GIF written, a name ending in .gif (default: %(default)s)",
    )
    parser.add_argument(
        "--city",
        choices=CITIES,
        default="workshop",
        help="the city, as in the workshop app (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=integer_at_least(0),
        default=0,
        help="the seed of both designs' common random numbers (default: %(default)s)",
    )
    parser.add_argument(
        "overrides",
        nargs="*",
        help="after --: mechanism=[...] the design and reference=[...] its "
        "comparison (default: the app's whistle with assessment against "
        "baseline routing)",
    )
    args = parser.parse_args(argv)
    gif = animate.animate_designs(
        args.overrides, args.days, args.fps, args.lang, args.out, args.city, args.seed
    )
    print(f"wrote {gif}")
