"""``govsim validate``: the command line of :func:`govsim.validation.report.validate`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser, integer_at_least

__all__ = ["validate_command"]


def validate_command(argv: list[str]) -> None:
    """Run the checks and write the report."""
    from govsim.validation import report  # the model loads when the checks run

    parser = ArgumentParser(prog="govsim validate", description=report.__doc__)
    parser.add_argument(
        "--out",
        type=Path,
        help="the report's file (default results/validation/DATE/TIME-XXXXXX/validation.md)",
    )
    parser.add_argument("--only", help="run only the checks whose name contains this text")
    parser.add_argument("--skip-queueing", action="store_true")
    parser.add_argument("--field-replications", type=integer_at_least(2), default=10)
    args = parser.parse_args(argv)
    out = report.validate(args.out, args.only, args.skip_queueing, args.field_replications)
    print(f"wrote {out}")
