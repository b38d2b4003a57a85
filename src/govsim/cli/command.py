"""The ``govsim`` command: a Hydra application that runs one experiment per job.

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
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import hydra
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from govsim.cli.errors import report
from govsim.composition.command_line import hydra_arguments
from govsim.composition.compose import CONF_DIR, register_configs, to_experiment
from govsim.composition.hydra_help import one_repository
from govsim.composition.hydra_mode import composed_once
from govsim.composition.overrides import check_overrides
from govsim.config.errors import ArgumentError, PathError
from govsim.experiments.sweep import register_resolvers

__all__ = ["COMMANDS", "main"]


_failed: list[BaseException] = []
"""The error that ended a single run, carried past Hydra to :func:`govsim.cli.errors.report`
(Hydra would print a line of its own for an error raised through it)."""


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    task = list(hydra_cfg.overrides.task)
    if hydra_cfg.mode == RunMode.MULTIRUN:
        from govsim.cli.job import sweep_job  # the model, tables and figures: only to run

        sweep_job(cfg, out, task)
        return
    with contextlib.suppress(OSError):
        out.rmdir()  # made empty by Hydra; the results arrive whole, by rename
    try:
        experiment = to_experiment(cfg, task)  # a bad request is refused before they load
        from govsim.cli.job import single_run

        single_run(experiment, out, task)
    except BaseException as error:  # reported by govsim.cli.errors, after Hydra returns
        _failed.append(error)


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
        raise ArgumentError("command line", problem, "govsim [-m] [--cfg job] KEY=VALUE ... "
                            "(see govsim --help), or a subcommand: " + ", ".join(COMMANDS))

    parser.error = refuse  # type: ignore[method-assign,assignment]
    parsed = parser.parse_intermixed_args(args)
    options = list(args)
    for override in parsed.overrides:
        options.remove(override)
    return [*options, *check_overrides(parsed.overrides)], parsed.help or parsed.hydra_help


@contextlib.contextmanager
def _hydra_command_line(args: list[str]) -> Iterator[None]:
    """Hydra reads ``sys.argv`` and reports errors itself unless HYDRA_FULL_ERROR is set."""
    saved_argv, saved_full = sys.argv, os.environ.get("HYDRA_FULL_ERROR")
    sys.argv = ["govsim", *args]
    os.environ["HYDRA_FULL_ERROR"] = "1"  # let errors reach govsim.cli.errors
    try:
        yield
    finally:
        sys.argv = saved_argv
        if saved_full is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = saved_full
        GlobalHydra.instance().clear()


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
    _failed.clear()
    with (_hydra_command_line(checked), composed_once(checked),
          one_repository() if helping else contextlib.nullcontext()):
        try:
            _app()
        except OSError as error:  # Hydra could not make the run's or the sweep's folder
            if error.filename is None:
                raise
            raise PathError(error.filename, f"cannot be created ({error.strerror})",
                            "a folder govsim can write, as hydra.run.dir or "
                            "hydra.sweep.dir") from error
    if _failed:
        raise _failed.pop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``govsim`` console script; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    split = args.index("--") if "--" in args else len(args)
    debug = "--debug" in args[:split]
    args = [a for i, a in enumerate(args) if i >= split or a != "--debug"]
    return report(lambda: _dispatch(args), debug)
