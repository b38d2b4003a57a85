"""The ``govsim`` command: a Hydra application that runs one experiment per job.

``govsim`` alone runs the main job (the default city, street whistle against baseline
routing, 10 paired replications of a year). Every Hydra override works, e.g.
``govsim mechanism=whistle seed=3 days=180`` or
``govsim -m mechanism=baseline,whistle seed='range(4)'``. Subcommands (``govsim NAME``)
are listed in :data:`COMMANDS`. Whatever runs, it ends as :mod:`govsim.cli.errors` says:
exit status 0, 1 or 2 and, on error, one line on stderr.

A single run's results appear whole: they are written into a temporary folder beside
``hydra.run.dir`` and renamed to it when every file is written. A sweep's jobs write into
their own folders (named by their overrides, for resuming), each under a lock.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import hydra
from hydra._internal.utils import get_args_parser
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig
from rich.console import Console
from rich.table import Table

from govsim.cli.errors import report
from govsim.config.arguments import ArgumentParser, integer_at_least
from govsim.config.errors import ArgumentError, PathError
from govsim.config.schema import ExperimentConfig
from govsim.experiments.budget import LARGE_SECONDS, describe_seconds, run_seconds
from govsim.experiments.compose import CONF_DIR, config_yaml, register_configs, to_experiment
from govsim.experiments.files import atomic_folder, require_writable, write_parquet, write_text
from govsim.experiments.overrides import check_overrides
from govsim.experiments.progress import progress
from govsim.experiments.run import RunResult, arms, run_experiment
from govsim.experiments.sweep import (
    is_complete,
    job_lock,
    read_status,
    register_resolvers,
    write_status,
)
from govsim.mechanisms import REGISTRY
from govsim.report.figures import plot_run
from govsim.report.tables import metric_legend, summary_table

__all__ = ["COMMANDS", "main", "run_job"]


def _announce(experiment: ExperimentConfig, runs: int) -> None:
    """Say how long a large experiment will take, before it starts."""
    each = run_seconds(experiment)
    if each * runs >= LARGE_SECONDS:
        print(f"govsim: {runs} runs of about {describe_seconds(each)} each: about "
              f"{describe_seconds(each * runs)} on this machine", file=sys.stderr, flush=True)


def run_job(experiment: ExperimentConfig, out: Path) -> tuple[RunResult, Table]:
    """Run one experiment, write its results into ``out``; return them and their table."""
    total = experiment.replications * len(arms(experiment))
    _announce(experiment, total)
    with progress(f"{experiment.scenario}: runs", total, experiment.progress) as advance:
        result = run_experiment(experiment, on_run=advance)
    table, markdown = summary_table(result.runs)
    write_text(out / "config.yaml", config_yaml(experiment))
    write_parquet(out / "runs.parquet", result.runs)
    write_parquet(out / "daily.parquet", result.daily)
    write_parquet(out / "units.parquet", result.units)
    plot_run(result, out / "comparison.png")
    write_text(out / "summary.md", f"# {experiment.scenario}\n\n{markdown}\n{metric_legend()}\n")
    return result, table


def _print_table(table: Table) -> None:
    stdout = Console()
    if not stdout.is_terminal:
        stdout = Console(width=160)
    stdout.print(table)


def _single_run(experiment: ExperimentConfig, out: Path, task: list[str]) -> None:
    """One run: skipped if ``out`` holds it already; else written whole, by rename."""
    if is_complete(out, config_yaml(experiment)):
        print(f"skipped (already done): {out}")
        return
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PathError(out, "holds other results", "a new or empty folder as hydra.run.dir")
    require_writable(out.parent, "hydra.run.dir")
    started = time.time()
    with atomic_folder(out) as partial:
        _, table = run_job(experiment, partial)
        write_status(partial, "done", started, outcome="ran", overrides=task)
    _print_table(table)
    print(f"results: {out}")


def _sweep_job(cfg: DictConfig, out: Path, task: list[str]) -> None:
    """One job of a sweep: a failure is recorded in its folder and the sweep goes on."""
    lock = job_lock(out)
    if lock is None:
        print(f"govsim: skipped (another process is running this job): {out}", file=sys.stderr)
        return
    with lock:
        started = time.time()
        try:
            experiment = to_experiment(cfg, task)
            composed = config_yaml(experiment)
            if is_complete(out, composed):
                write_status(out, "done", read_status(out).get("started", started),
                             outcome="skipped")
                print(f"skipped (already done): {out}")
                return
            write_text(out / "config.yaml", composed)
            write_status(out, "running", started, pid=os.getpid())
            run_job(experiment, out)
        except Exception as error:
            write_status(out, "failed", started, error=f"{type(error).__name__}: {error}")
            print(f"govsim: run failed ({type(error).__name__}: {error}): {out}",
                  file=sys.stderr)
            return
        write_status(out, "done", started, outcome="ran", overrides=task)
        print(f"results: {out}")


_failed: list[BaseException] = []
"""The error that ended a single run, carried past Hydra to :func:`govsim.cli.errors.report`
(Hydra would print a line of its own for an error raised through it)."""


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    task = list(hydra_cfg.overrides.task)
    if hydra_cfg.mode == RunMode.MULTIRUN:
        _sweep_job(cfg, out, task)
        return
    with contextlib.suppress(OSError):
        out.rmdir()  # made empty by Hydra; the results arrive whole, by rename
    try:
        _single_run(to_experiment(cfg, task), out, task)
    except BaseException as error:  # reported by govsim.cli.errors, after Hydra returns
        _failed.append(error)


def _first_comment(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not line.startswith("# @package"):
            return line.lstrip("# ").strip()
    return ""


def list_options(argv: list[str]) -> None:
    """``govsim list``: the mechanisms, cities and scenario presets one can select."""
    ArgumentParser(prog="govsim list", description=list_options.__doc__).parse_args(argv)
    console = Console()
    table = Table(title="mechanisms (mechanism=NAME or mechanism=[A,B])")
    for column in ("name", "中文", "source"):
        table.add_column(column)
    for name, mechanism in REGISTRY.items():
        table.add_row(name, mechanism.label_zh, mechanism.source)
    console.print(table)
    for group, title in (("city", "cities (city=NAME)"), ("scenario", "scenarios (scenario=NAME)")):
        table = Table(title=title)
        table.add_column("name")
        table.add_column("description")
        for path in sorted((CONF_DIR / group).glob("*.yaml")):
            table.add_row(path.stem, _first_comment(path))
        console.print(table)


def app_command(argv: list[str]) -> None:
    """``govsim app [--host H] [--port N]``: the workshop app on localhost, no network needed."""
    parser = ArgumentParser(prog="govsim app", description=app_command.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=integer_at_least(1), default=8765)
    args = parser.parse_args(argv)
    if args.port > 65535:
        parser.refuse(f"--port {args.port}", "a port in [1, 65535]")
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_THEME_SHOW_BANNER": "False", "SOLARA_THEME_TITLE": "govsim 市域社会治理推演"}
    solara = Path(sys.executable).with_name("solara")
    print(f"govsim workshop app: starting (about 25 s); then open http://{args.host}:{args.port}/"
          "  (Ctrl-C to stop)")
    sys.stdout.flush()
    os.execve(str(solara), [str(solara), "run", "govsim.workshop.app:page", "--host", args.host,
                            "--port", str(args.port), "--production", "--no-open",
                            "--no-check-version"], env)


COMMANDS: dict[str, str] = {
    "list": "govsim.cli.command:list_options",
    "app": "govsim.cli.command:app_command",
    "validate": "govsim.validation.report:main",
    "collect": "govsim.experiments.collect:main",
    "compare": "govsim.report.compare:main",
    "sensitivity": "govsim.experiments.sensitivity:main",
    "calibrate": "govsim.experiments.calibrate:main",
    "animate": "govsim.workshop.animate:main",
}
"""Subcommands (``govsim NAME ...``) and the function that runs each, imported on use;
anything else on the command line goes to Hydra."""


def _checked_argv(args: list[str]) -> list[str]:
    """Hydra's command line, options first, with every override checked."""
    parser = get_args_parser()

    def refuse(problem: str) -> None:
        raise ArgumentError("command line", problem, "govsim [-m] [--cfg job] KEY=VALUE ... "
                            "(see govsim --help), or a subcommand: " + ", ".join(COMMANDS))

    parser.error = refuse  # type: ignore[method-assign,assignment]
    overrides = parser.parse_intermixed_args(args).overrides
    options = list(args)
    for override in overrides:
        options.remove(override)
    return [*options, *check_overrides(overrides)]


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


def _dispatch(args: list[str]) -> None:
    if args and args[0] in COMMANDS:
        module, function = COMMANDS[args[0]].split(":")
        getattr(importlib.import_module(module), function)(args[1:])
        return
    register_configs()
    register_resolvers()
    checked = _checked_argv(args)
    _failed.clear()
    with _hydra_command_line(checked):
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
