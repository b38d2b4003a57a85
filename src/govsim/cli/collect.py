"""``govsim collect``: the command line of :func:`govsim.experiments.collect.write_collected`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser

__all__ = ["collect_command"]


def collect_command(argv: list[str]) -> None:
    """Collect a sweep folder and write the two tables."""
    from govsim.experiments import collect  # pandas loads when the command runs

    parser = ArgumentParser(prog="govsim collect", description=collect.__doc__)
    parser.add_argument("sweep", type=Path, help="a sweep folder (hydra.sweep.dir)")
    parser.add_argument("--out", type=Path, help="output folder (default SWEEP/collected)")
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        help="collect what is done even if runs failed or are missing",
    )
    args = parser.parse_args(argv)
    print(collect.write_collected(args.sweep, args.out, args.allow_partial))
