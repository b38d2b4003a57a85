"""``govsim compare``: the command line of :func:`govsim.report.compare.compare`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser

__all__ = ["compare_command"]


def compare_command(argv: list[str]) -> None:
    """Build the report of a run or sweep folder."""
    from govsim.report import compare  # pandas and the report load when the command runs
    from govsim.report.display import LANGUAGES

    parser = ArgumentParser(prog="govsim compare", description=compare.__doc__)
    parser.add_argument("path", type=Path, help="a run folder or a sweep folder")
    parser.add_argument(
        "--reference", help="design to compare against (default baseline, if it ran)"
    )
    parser.add_argument("--out", type=Path, help="output folder (default PATH/report)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report")
    parser.add_argument(
        "--allow-partial", action="store_true", help="report a sweep whose runs are not all done"
    )
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="average each measure over the runs in which it is defined "
        "(not NaN or inf), saying over how many",
    )
    args = parser.parse_args(argv)
    pairing, report = compare.compare(
        args.path, args.reference, args.out, args.lang, args.allow_partial, args.allow_missing
    )
    print(pairing)
    print(f"wrote {report}")
