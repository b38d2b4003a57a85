"""``govsim calibrate``: the command line of :func:`govsim.analysis.calibrate.calibrate`."""

from __future__ import annotations

import argparse
from pathlib import Path

from govsim.cli.arguments import ArgumentParser, integer_at_least, parse_param, parse_target

__all__ = ["calibrate_command"]


def calibrate_command(argv: list[str]) -> None:
    """Calibrate and write the results."""
    from govsim.analysis import calibrate  # the model loads when the study runs

    parser = ArgumentParser(
        prog="govsim calibrate",
        description=calibrate.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--target", type=parse_target, action="append", required=True)
    parser.add_argument("--param", type=parse_param, action="append", required=True)
    parser.add_argument("--trials", type=integer_at_least(1), default=30)
    parser.add_argument("--replications", type=integer_at_least(1), default=3)
    parser.add_argument("--seed", type=integer_at_least(0), default=0)
    parser.add_argument(
        "--out", type=Path, help="a new folder (default results/calibration/DATE/TIME-XXXXXX)"
    )
    parser.add_argument("overrides", nargs="*", help="Hydra overrides (after --)")
    args = parser.parse_args(argv)
    text, out = calibrate.calibrate(
        dict(args.target),
        args.param,
        args.overrides,
        args.trials,
        args.replications,
        args.seed,
        args.out,
    )
    print(text)
    print(f"results: {out}")
