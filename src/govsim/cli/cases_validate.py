"""``govsim cases validate``: the command line of :mod:`govsim.cases.log_validation`."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from govsim.cli.arguments import (
    ArgumentParser,
    integer_at_least,
    integer_between,
    parse_param,
    refusing,
)

__all__ = ["validate_command"]

MAX_WARMUP = 3650
"""The longest warm-up, in days (ten years)."""


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"--accept {text!r} (allowed: a share in (0, 1])")
    return value


def validate_command(argv: list[str]) -> None:
    """``govsim cases validate``."""
    from govsim.cases import log_validation as validate  # pandas loads when it runs
    from govsim.cases.verdict import parse_threshold

    parser = ArgumentParser(prog="govsim cases validate", description=validate.__doc__)
    parser.add_argument("log", type=Path)
    parser.add_argument("--mapping", type=Path, required=True)
    parser.add_argument("--city", required=True, help="the city to run (a name or a YAML)")
    parser.add_argument(
        "--from", dest="start", required=True, help="the first day of the held-out period"
    )
    parser.add_argument(
        "--replications",
        type=integer_at_least(1),
        default=None,
        help="runs of the held-out period of each accepted parameter set (default: 20 "
        "runs in all, spread over the sets; 19 or more give the daily band its 90%%)",
    )
    parser.add_argument(
        "--param",
        type=parse_param,
        action="append",
        default=[],
        help="calibrate KEY within LOW:HIGH first (repeatable)",
    )
    parser.add_argument(
        "--warmup",
        type=integer_between(0, MAX_WARMUP),
        default=28,
        help="days the city runs before its day 0, so that the cases not yet known or "
        "still open carry into it (default 28)",
    )
    parser.add_argument("--trials", type=integer_at_least(1), default=30)
    parser.add_argument("--trial-replications", type=integer_at_least(1), default=2)
    parser.add_argument(
        "--accept",
        type=_share,
        default=0.2,
        help="share of the best trials kept as the ensemble (at least two)",
    )
    parser.add_argument(
        "--seed", type=integer_at_least(0), default=0, help="seed of the calibration's sampler"
    )
    parser.add_argument(
        "--threshold",
        type=refusing(parse_threshold),
        action="append",
        default=[],
        help="change a threshold of the verdict, NAME=VALUE (repeatable)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="end with status 1 when the verdict is FAIL"
    )
    parser.add_argument(
        "--point-estimates",
        dest="draws",
        action="store_false",
        help="run the fitted city's point estimates only, not the parameter draws beside it",
    )
    parser.add_argument("--out", type=Path, help="a new folder")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides (after --)")
    args = parser.parse_intermixed_args(argv)  # the log first, overrides after --
    args.start = parser.day(args.start, "--from")
    validate.validate_log(validate.ValidationRequest(**vars(args)))
