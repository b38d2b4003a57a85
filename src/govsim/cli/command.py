"""The ``govsim`` command: a Hydra application that runs one experiment per job.

``govsim`` alone runs the main job (the default city, street whistle against baseline
routing, 10 paired replications of a year). Every Hydra override works, e.g.
``govsim mechanism=whistle seed=3 days=180`` or
``govsim -m mechanism=baseline,whistle seed='range(4)'``. Subcommands (``govsim NAME``)
are listed in :data:`COMMANDS`.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from govsim.config.schema import ExperimentConfig
from govsim.config.validate import ConfigError
from govsim.experiments.compose import CONF_DIR, config_yaml, register_configs, to_experiment
from govsim.experiments.files import write_parquet, write_text
from govsim.experiments.run import RunResult, arms, run_experiment
from govsim.experiments.sweep import is_complete, read_status, register_resolvers, write_status
from govsim.mechanisms import REGISTRY
from govsim.report.figures import plot_run
from govsim.report.tables import metric_legend, summary_table

__all__ = ["COMMANDS", "main", "run_job"]


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def run_job(experiment: ExperimentConfig, out: Path) -> RunResult:
    """Run one experiment and write its results into ``out``."""
    total = experiment.replications * len(arms(experiment))
    console = Console(stderr=True)
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console,
                  disable=not experiment.progress) as progress:
        task = progress.add_task(f"{experiment.scenario}: runs", total=total)
        result = run_experiment(experiment, on_run=lambda: progress.advance(task))
    table, markdown = summary_table(result.runs)
    stdout = Console()
    if not stdout.is_terminal:
        stdout = Console(width=160)
    stdout.print(table)
    write_text(out / "config.yaml", config_yaml(experiment))
    write_parquet(out / "runs.parquet", result.runs)
    write_parquet(out / "daily.parquet", result.daily)
    write_parquet(out / "units.parquet", result.units)
    plot_run(result, out / "comparison.png")
    write_text(out / "summary.md", f"# {experiment.scenario}\n\n{markdown}\n{metric_legend()}\n")
    stdout.print(f"results: {out}")
    return result


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    try:
        experiment = to_experiment(cfg, list(hydra_cfg.overrides.task))
    except ConfigError as error:
        _remove_if_empty(out)
        print(f"govsim: {error}", file=sys.stderr)
        sys.exit(2)
    composed = config_yaml(experiment)
    if is_complete(out, composed):
        write_status(out, "done", read_status(out).get("started", time.time()),
                     outcome="skipped")
        print(f"skipped (already done): {out}")
        return
    started = time.time()
    try:
        run_job(experiment, out)
    except Exception as error:
        if hydra_cfg.mode != RunMode.MULTIRUN:
            _remove_if_empty(out)
            raise
        write_text(out / "config.yaml", composed)
        write_status(out, "failed", started, error=f"{type(error).__name__}: {error}")
        print(f"govsim: run failed ({type(error).__name__}: {error}): {out}", file=sys.stderr)
        return
    except BaseException:
        _remove_if_empty(out)
        raise
    write_status(out, "done", started, outcome="ran",
                 overrides=list(hydra_cfg.overrides.task))


def _first_comment(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not line.startswith("# @package"):
            return line.lstrip("# ").strip()
    return ""


def list_options(argv: list[str] | None = None) -> None:
    """Print the mechanisms, cities and scenario presets one can select."""
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
    """``govsim app [--port N]``: the workshop app on localhost, with no network needed."""
    import argparse
    import os

    parser = argparse.ArgumentParser(prog="govsim app", description=app_command.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
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


def main() -> None:
    """Entry point of the ``govsim`` console script."""
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
        module, function = COMMANDS[sys.argv[1]].split(":")
        getattr(importlib.import_module(module), function)(sys.argv[2:])
        return
    register_configs()
    register_resolvers()
    _app()
