"""``govsim uncertainty``: the command line of :mod:`govsim.analysis.uncertainty`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser

__all__ = ["uncertainty_command"]


def uncertainty_command(argv: list[str]) -> None:
    """Report the uncertainty of a design sweep's results and write it."""
    from govsim.analysis import uncertainty  # pandas loads when the command runs
    from govsim.outcomes.measures import HEADLINE

    parser = ArgumentParser(
        prog="govsim uncertainty",
        description=(
            "Intervals of a design sweep's paired effect and level that carry parameter "
            "uncertainty and replicate noise, reported apart (see docs/experiments.md)."
        ),
    )
    parser.add_argument("sweep", type=Path, help="a design sweep folder (hydra/sweeper=design)")
    parser.add_argument("--metric", default=HEADLINE)
    args = parser.parse_args(argv)
    print(uncertainty.write_uncertainty(args.sweep, args.metric))
