"""``govsim cases ACTION``: the actions' command lines, each run by :mod:`govsim.cases`.

``check`` and ``simulate`` are read here (run by :mod:`govsim.cases.log_check` and
:mod:`govsim.cases.simulated_log`), ``fit``, ``validate`` and ``reform`` in
:mod:`govsim.cli.cases_fit`, :mod:`govsim.cli.cases_validate` and
:mod:`govsim.cli.cases_reform`, imported when they run. ``govsim cases --help`` prints
:data:`HELP`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from govsim.cli.arguments import ArgumentParser
from govsim.config.errors import ArgumentError

__all__ = ["ACTIONS", "HELP", "cases_command"]


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


def reform_command(argv: list[str]) -> None:
    """``govsim cases reform`` (:mod:`govsim.cli.cases_reform`)."""
    from govsim.cli.cases_reform import reform_command as reform

    reform(argv)


ACTIONS: dict[str, Callable[[list[str]], None]] = {
    "check": check_command,
    "fit": fit_command,
    "validate": validate_command,
    "reform": reform_command,
    "simulate": simulate_command,
}

HELP = """\
govsim cases ACTION ...: case logs (工单台账) read, fitted to a city, judged, and reformed.

  check     LOG --mapping MAP [--city CITY]
            check every row of a log; the kept cases and the rejected rows with their reason
  fit       LOG --mapping MAP --city CITY --until DATE --out FITTED.yaml
            fit a city to what the log knew by DATE (and 100 draws of its demand's parameters)
  validate  LOG --mapping MAP --city FITTED.yaml --from DATE [-- mechanism=baseline]
            run it over the held-out days from DATE and judge it: verdict PASS or FAIL
  reform    --city FITTED.yaml --validation DIR [--mechanism whistle] [--points K]
            [--replications R] [--days D] [--warmup W] [--seed S]
            a mechanism against baseline routing on the fitted city, paired, with noise,
            parameter and total intervals, beside the validation's verdict
  simulate  [-- OVERRIDES]
            one run's cases written as a log

govsim cases ACTION --help says more; docs/cases.md walks through them."""


def cases_command(argv: list[str]) -> None:
    """Run ``govsim cases ACTION ...``."""
    allowed = "govsim cases {" + ",".join(ACTIONS) + "} ... (see govsim cases ACTION --help)"
    if not argv or argv[0] in ("-h", "--help"):
        if argv:
            print(HELP)
            return
        raise ArgumentError("cases", "no action given", allowed)
    action, rest = argv[0], argv[1:]
    if action not in ACTIONS:
        raise ArgumentError("cases", f"unknown action {action!r}", allowed)
    ACTIONS[action](rest)
