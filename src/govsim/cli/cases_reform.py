"""``govsim cases reform``: the command line of :mod:`govsim.cases.reform`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser, integer_at_least, integer_between
from govsim.cli.cases_validate import MAX_WARMUP

__all__ = ["reform_command"]


def reform_command(argv: list[str]) -> None:
    """``govsim cases reform``."""
    from govsim.cases import reform  # pandas loads when it runs

    parser = ArgumentParser(prog="govsim cases reform", description=reform.__doc__)
    parser.add_argument(
        "--city", required=True, help="the fitted city (FITTED.yaml, its draws beside it)"
    )
    parser.add_argument(
        "--validation",
        type=Path,
        required=True,
        help="the folder govsim cases validate wrote for the city (its verdict.csv)",
    )
    parser.add_argument(
        "--mechanism",
        default="whistle",
        help="the mechanism(s) compared with baseline routing, comma-separated (default whistle)",
    )
    parser.add_argument(
        "--points",
        type=integer_at_least(1),
        help=f"parameter points: the first K rows of FITTED.draws.csv (default {reform.POINTS}, "
        "or 1, the point estimates, without draws)",
    )
    parser.add_argument(
        "--replications",
        type=integer_at_least(2),
        default=10,
        help="paired replications at each point (default 10)",
    )
    parser.add_argument(
        "--days",
        type=integer_at_least(1),
        default=120,
        help="days of the reform from the city's day 0; the cases of the first days − "
        "horizon_days count (default 120)",
    )
    parser.add_argument(
        "--warmup",
        type=integer_between(0, MAX_WARMUP),
        default=28,
        help="days run before the city's day 0 under baseline routing (default 28)",
    )
    parser.add_argument(
        "--seed", type=integer_at_least(0), default=0, help="the runs' seed (default 0)"
    )
    parser.add_argument(
        "--point-estimates",
        dest="draws",
        action="store_false",
        help="run the fitted city's point estimates only, as one point",
    )
    parser.add_argument("--out", type=Path, help="a new folder")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides (after --)")
    args = parser.parse_intermixed_args(argv)
    reform.reform(reform.ReformRequest(**vars(args)))
