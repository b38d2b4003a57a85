"""``govsim robustness``: the command line of :func:`govsim.report.robustness.write_robustness`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser

__all__ = ["robustness_command"]


def robustness_command(argv: list[str]) -> None:
    """Analyse an exploratory sweep and write the results."""
    from govsim.analysis.robustness import DIRECTIONS  # the analysis loads when it runs
    from govsim.outcomes.measures import HEADLINE
    from govsim.report import robustness

    parser = ArgumentParser(prog="govsim robustness", description=robustness.__doc__)
    parser.add_argument("sweep", type=Path, help="an exploratory sweep folder")
    parser.add_argument(
        "--metric", default=HEADLINE, help=f"a metric of the runs (default {HEADLINE})"
    )
    parser.add_argument(
        "--direction",
        choices=DIRECTIONS,
        help="max: higher is better; min: lower is better (default: the measure's own)",
    )
    parser.add_argument(
        "--threshold", type=float, help="the outcome a policy must reach to satisfice"
    )
    parser.add_argument(
        "--policy",
        help="the policy whose failures PRIM explains (default: the one of least maximum regret)",
    )
    parser.add_argument(
        "--density",
        type=float,
        default=0.8,
        help="PRIM: the least density of the box reported (default 0.8)",
    )
    args = parser.parse_args(argv)
    print(
        robustness.write_robustness(
            args.sweep, args.metric, args.direction, args.threshold, args.policy, args.density
        )
    )
