"""``govsim sensitivity``: the command line of :mod:`govsim.analysis.sensitivity`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser, integer_at_least

__all__ = ["sensitivity_command"]


def sensitivity_command(argv: list[str]) -> None:
    """Analyse a design sweep and write the results."""
    from govsim.analysis import sensitivity  # SALib and pandas load when it runs
    from govsim.analysis.effects import OF
    from govsim.analysis.noise_floor import BOOTSTRAP_DRAWS
    from govsim.outcomes.measures import HEADLINE

    parser = ArgumentParser(prog="govsim sensitivity", description=sensitivity.__doc__)
    parser.add_argument("sweep", type=Path)
    parser.add_argument("--metric", default=HEADLINE)
    parser.add_argument(
        "--of",
        choices=OF,
        default="level",
        help="the treatment's level (default) or the paired effect",
    )
    parser.add_argument(
        "--bootstrap",
        type=integer_at_least(0),
        default=BOOTSTRAP_DRAWS,
        metavar="DRAWS",
        help="bootstrap draws over replications (0: none)",
    )
    args = parser.parse_args(argv)
    print(sensitivity.write_sensitivity(args.sweep, args.metric, args.of, args.bootstrap))
