"""``govsim cases fit``: the command line of :func:`govsim.cases.log_fit.fit_log`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser

__all__ = ["fit_command"]


def fit_command(argv: list[str]) -> None:
    """``govsim cases fit``."""
    from govsim.cases import log_fit as fit  # pandas loads when the command runs

    parser = ArgumentParser(prog="govsim cases fit", description=fit.__doc__)
    parser.add_argument("log", type=Path)
    parser.add_argument("--mapping", type=Path, required=True)
    parser.add_argument("--city", required=True, help="the city to fit (a name or a YAML)")
    parser.add_argument("--until", required=True, help="the last day whose knowledge is used")
    parser.add_argument("--out", type=Path, required=True, help="the fitted city's YAML")
    parser.add_argument("--report", type=Path, help="a new folder for the report")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    parser.add_argument(
        "--min-cases",
        type=int,
        default=None,
        help="cases a category needs to be a case type of its own "
        "(default 30; rarer ones pool into 'other')",
    )
    parser.add_argument(
        "--handling-shape",
        action="store_true",
        help="write each level's fitted Weibull handling-time shape and mean into the city "
        "(default: exponential handling with the mean median / ln 2; the shapes are reported)",
    )
    args = parser.parse_args(argv)
    until = parser.day(args.until, "--until")
    if args.min_cases is not None and args.min_cases < 1:
        parser.refuse(
            f"--min-cases {args.min_cases} is not a number of cases",
            "a whole number of cases, 1 or more",
        )
    fit.fit_log(
        fit.FitRequest(
            args.log,
            args.mapping,
            args.city,
            until,
            args.out,
            args.report,
            args.seed,
            args.min_cases,
            args.handling_shape,
        )
    )
