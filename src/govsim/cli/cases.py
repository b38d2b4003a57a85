"""``govsim cases ACTION``: the actions' command lines, each run by :mod:`govsim.cases`.

``check`` and ``simulate`` are read here (run by :mod:`govsim.cases.log_check` and
:mod:`govsim.cases.simulated_log`), ``fit`` and
``validate`` in :mod:`govsim.cli.cases_fit` and :mod:`govsim.cli.cases_validate`, imported
when they run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from govsim.cli.arguments import ArgumentParser
from govsim.config.errors import ArgumentError

__all__ = ["ACTIONS", "cases_command"]


def check_command(argv: list[str]) -> None:
    """``govsim cases check``."""
    parser = ArgumentParser(
        prog="govsim cases check", description="Check every row of a case log read with a mapping."
    )
    parser.add_argument("log", type=Path, help="the case log (.csv or .xlsx)")
    parser.add_argument("--mapping", type=Path, required=True, help="the mapping (YAML)")
    parser.add_argument(
        "--city",
        help="a city of conf/city or a city YAML file to check units and categories against",
    )
    parser.add_argument(
        "--out", type=Path, help="a new folder (default results/cases/DATE/TIME-XXXXXX)"
    )
    args = parser.parse_args(argv)
    from govsim.cases.log_check import check_cases

    check_cases(args.log, args.mapping, args.city, args.out)


def simulate_command(argv: list[str]) -> None:
    """``govsim cases simulate``."""
    parser = ArgumentParser(
        prog="govsim cases simulate",
        description="Run one replication and write its cases as a log.",
    )
    parser.add_argument(
        "--out", type=Path, help="a new folder (default results/cases/DATE/TIME-XXXXXX)"
    )
    parser.add_argument(
        "--unit-level", default="street", choices=["grid", "community", "street", "district"]
    )
    parser.add_argument("overrides", nargs="*", help="Hydra overrides (after --)")
    args = parser.parse_args(argv)
    from govsim.cases.simulated_log import simulate_cases

    simulate_cases(args.overrides, args.out, args.unit_level)


def fit_command(argv: list[str]) -> None:
    """``govsim cases fit`` (:mod:`govsim.cli.cases_fit`)."""
    from govsim.cli.cases_fit import fit_command as fit

    fit(argv)


def validate_command(argv: list[str]) -> None:
    """``govsim cases validate`` (:mod:`govsim.cli.cases_validate`)."""
    from govsim.cli.cases_validate import validate_command as validate

    validate(argv)


ACTIONS: dict[str, Callable[[list[str]], None]] = {
    "check": check_command,
    "fit": fit_command,
    "simulate": simulate_command,
    "validate": validate_command,
}


def cases_command(argv: list[str]) -> None:
    """Run ``govsim cases ACTION ...``."""
    allowed = "govsim cases {" + ",".join(ACTIONS) + "} ... (see govsim cases ACTION --help)"
    if not argv or argv[0] in ("-h", "--help"):
        if argv:
            from govsim.cases import command

            print(command.__doc__)
            return
        raise ArgumentError("cases", "no action given", allowed)
    action, rest = argv[0], argv[1:]
    if action not in ACTIONS:
        raise ArgumentError("cases", f"unknown action {action!r}", allowed)
    ACTIONS[action](rest)
