"""The ``govsim`` command: a Hydra application that runs one experiment per job.

The application itself is the adapter's
(:func:`govsim.composition.command_line.run_application`); this module dispatches the
command line and runs each of its jobs.

``govsim`` alone runs the main job (the default city, street whistle against baseline
routing, 10 paired replications of a year). Every Hydra override works, e.g.
``govsim mechanism=whistle seed=3 days=180`` or
``govsim -m mechanism=baseline,whistle seed='range(4)'``. Subcommands (``govsim NAME``)
are listed in :data:`COMMANDS`. Whatever runs, it ends as :mod:`govsim.cli.errors` says:
exit status 0, 1 or 2 and, on error, one line on stderr.

A sweep (``govsim -m ...``) is :func:`govsim.experiments.multirun.multirun`, the path of
:func:`govsim.sweep`: govsim's launcher runs the jobs in batches; a job run by another
launcher (``hydra/launcher=joblib``) and a single run are :mod:`govsim.cli.job`, a thin
layer over :mod:`govsim.experiments.job`. This module starts fast: it imports only what
dispatching and composing need, so ``govsim --help``, ``govsim list`` and the other
subcommands load neither the model nor the plotting, and a subcommand's module is
imported only when it runs.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from pathlib import Path

from omegaconf import DictConfig

from govsim.cli.errors import report
from govsim.composition.command_line import hydra_arguments, run_application
from govsim.composition.compose import register_configs, to_experiment
from govsim.composition.overrides import check_overrides
from govsim.config.errors import ArgumentError
from govsim.experiments.sweep import register_resolvers

__all__ = ["COMMANDS", "main"]


def _job(cfg: DictConfig, out: Path, task: list[str], in_sweep: bool) -> None:
    """One job of the Hydra application: a single run, or a job of another launcher's sweep."""
    if in_sweep:
        from govsim.cli.job import sweep_job  # the model, tables and figures: only to run

        sweep_job(cfg, out, task)
        return
    with contextlib.suppress(OSError):
        out.rmdir()  # made empty by Hydra; the results arrive whole, by rename
    experiment = to_experiment(cfg, task)  # a bad request is refused before they load
    from govsim.cli.job import single_run

    single_run(experiment, out, task)


COMMANDS: dict[str, str] = {
    "list": "govsim.cli.listing:list_options",
    "app": "govsim.cli.serve:app_command",
    "validate": "govsim.cli.validate:validate_command",
    "collect": "govsim.cli.collect:collect_command",
    "compare": "govsim.cli.compare:compare_command",
    "sensitivity": "govsim.cli.sensitivity:sensitivity_command",
    "uncertainty": "govsim.cli.uncertainty:uncertainty_command",
    "robustness": "govsim.cli.robustness:robustness_command",
    "calibrate": "govsim.cli.calibrate:calibrate_command",
    "animate": "govsim.cli.animate:animate_command",
    "city": "govsim.cli.city:city_command",
    "cases": "govsim.cli.cases:cases_command",
    "map": "govsim.cli.unit_map:map_command",
}
"""Subcommands (``govsim NAME ...``) and the function that runs each, imported on use;
anything else on the command line goes to Hydra."""


def _checked_argv(args: list[str]) -> tuple[list[str], bool]:
    """Hydra's command line, options first, with every override checked.

    Also whether it asks for help (``--help`` or ``--hydra-help``).
    """
    parser = hydra_arguments()

    def refuse(problem: str) -> None:
        raise ArgumentError(
            "command line",
            problem,
            "govsim [-m] [--cfg job] KEY=VALUE ... "
            "(see govsim --help), or a subcommand: " + ", ".join(COMMANDS),
        )

    parser.error = refuse  # type: ignore[method-assign,assignment]
    parsed = parser.parse_intermixed_args(args)
    options = list(args)
    for override in parsed.overrides:
        options.remove(override)
    return [*options, *check_overrides(parsed.overrides)], parsed.help or parsed.hydra_help


def _sweep(overrides: list[str]) -> None:
    """``govsim -m OVERRIDES``: the sweep :func:`govsim.sweep` runs."""
    from govsim.experiments.multirun import multirun
    from govsim.report.run_files import write_run_report

    multirun(overrides, write_run_report)


def _dispatch(args: list[str]) -> None:
    if args and args[0] in COMMANDS:
        module, function = COMMANDS[args[0]].split(":")
        getattr(importlib.import_module(module), function)(args[1:])
        return
    register_configs()
    register_resolvers()
    checked, helping = _checked_argv(args)
    options = [a for a in checked if a.startswith("-")]
    if options in (["-m"], ["--multirun"]) and checked[0] == options[0]:
        _sweep(checked[1:])
        return
    run_application(checked, _job, helping)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``govsim`` console script; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    split = args.index("--") if "--" in args else len(args)
    debug = "--debug" in args[:split]
    args = [a for i, a in enumerate(args) if i >= split or a != "--debug"]
    return report(lambda: _dispatch(args), debug)
