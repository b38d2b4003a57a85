"""The ``govsim`` command: a Hydra application that runs one experiment per job.

``govsim`` alone runs the main job (the default city, street whistle against baseline
routing, 10 paired replications of a year). Every Hydra override works, e.g.
``govsim mechanism=whistle seed=3 days=180`` or
``govsim -m mechanism=baseline,whistle seed='range(4)'``.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import time
from pathlib import Path

import hydra
from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from govsim.compare import paired_differences, summarise
from govsim.config import ConfigError, ExperimentConfig, validate
from govsim.experiment import ExperimentResult, arms, run_experiment
from govsim.figures import plot_comparison
from govsim.mechanisms import REGISTRY
from govsim.metrics import KEY_METRICS, METRICS
from govsim.results import write_parquet, write_text
from govsim.store import register_configs
from govsim.sweep import is_complete, read_status, register_resolvers, write_status

__all__ = ["CONF_DIR", "compose", "main", "to_experiment"]

def _conf_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "conf"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "conf"


CONF_DIR = _conf_dir()
"""The Hydra configuration directory (``conf/`` of the checkout, or the installed copy)."""


def to_experiment(cfg: DictConfig) -> ExperimentConfig:
    """Turn a composed Hydra config into a validated :class:`ExperimentConfig`."""
    plain = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "hydra"]) if "hydra" in cfg else cfg
    experiment = OmegaConf.to_object(plain)
    assert isinstance(experiment, ExperimentConfig)
    validate(experiment, REGISTRY)
    return experiment


def compose(overrides: list[str]) -> ExperimentConfig:
    """Compose and validate a configuration from Hydra overrides, as ``govsim`` would."""
    register_configs()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return to_experiment(hydra_compose("config", overrides=list(overrides)))


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _fmt(mean: float, low: float, high: float) -> str:
    if mean != mean:  # nan
        return "–"
    digits = 3 if abs(mean) < 10 else 1
    if low != low:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def summary_table(result: ExperimentResult) -> tuple[Table, str]:
    """The comparison as a rich table and as Markdown."""
    summary = summarise(result.runs, KEY_METRICS)
    diffs = paired_differences(result.runs, KEY_METRICS).set_index("metric")
    labels = list(dict.fromkeys(summary["mechanism"]))
    n = result.runs["replication"].nunique()
    table = Table(title=f"govsim: mean [95% CI] over {n} paired replications")
    headers = ["metric", *labels] + ([f"{labels[0]} − {labels[1]}"] if len(labels) > 1 else [])
    for h in headers:
        table.add_column(h, justify="left" if h == "metric" else "right")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for metric in KEY_METRICS:
        cells = [metric]
        for label in labels:
            row = summary[(summary["mechanism"] == label) & (summary["metric"] == metric)].iloc[0]
            cells.append(_fmt(row["mean"], row["ci_low"], row["ci_high"]))
        if len(labels) > 1:
            d = diffs.loc[metric]
            cells.append(_fmt(d["difference"], d["ci_low"], d["ci_high"]))
        table.add_row(*cells)
        lines.append("| " + " | ".join(cells) + " |")
    return table, "\n".join(lines) + "\n"


def _composed(cfg: DictConfig) -> str:
    return OmegaConf.to_yaml(OmegaConf.masked_copy(cfg, [k for k in cfg if k != "hydra"]))


def run_job(experiment: ExperimentConfig, composed: str, out: Path) -> ExperimentResult:
    """Run one experiment and write its results into ``out``."""
    total = experiment.replications * len(arms(experiment))
    console = Console(stderr=True)
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console,
                  disable=not experiment.progress) as progress:
        task = progress.add_task(f"{experiment.scenario}: runs", total=total)
        result = run_experiment(experiment, on_run=lambda: progress.advance(task))
    table, markdown = summary_table(result)
    stdout = Console()
    if not stdout.is_terminal:
        stdout = Console(width=160)
    stdout.print(table)
    write_text(out / "config.yaml", composed)
    write_parquet(out / "runs.parquet", result.runs)
    write_parquet(out / "daily.parquet", result.daily)
    plot_comparison(result.daily, out / "comparison.png")
    legend = "\n".join(f"- `{k}`: {v}" for k, v in METRICS.items() if k in KEY_METRICS)
    write_text(out / "summary.md", f"# {experiment.scenario}\n\n{markdown}\n{legend}\n")
    stdout.print(f"results: {out}")
    return result


@hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    composed = _composed(cfg)
    try:
        experiment = to_experiment(cfg)
    except ConfigError as error:
        _remove_if_empty(out)
        print(f"govsim: {error}", file=sys.stderr)
        sys.exit(2)
    if is_complete(out, composed):
        write_status(out, "done", read_status(out).get("started", time.time()),
                     outcome="skipped")
        print(f"skipped (already done): {out}")
        return
    started = time.time()
    try:
        run_job(experiment, composed, out)
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
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    solara = Path(sys.executable).with_name("solara")
    print(f"govsim workshop app: http://{args.host}:{args.port}/  (Ctrl-C to stop)")
    sys.stdout.flush()
    os.execve(str(solara), [str(solara), "run", "govsim.app:page", "--host", args.host,
                            "--port", str(args.port), "--production", "--no-open"], env)


COMMANDS: dict[str, str] = {
    "list": "govsim.cli:list_options",
    "app": "govsim.cli:app_command",
    "validate": "govsim.validation_report:main",
    "collect": "govsim.collect:main",
    "compare": "govsim.report:main",
    "sensitivity": "govsim.sensitivity:main",
    "calibrate": "govsim.calibrate:main",
    "animate": "govsim.animate:main",
}
"""Subcommands (``govsim NAME ...``) and the function that runs each, imported on use;
anything else on the command line goes to Hydra."""


def main() -> None:
    """Entry point of the ``govsim`` console script."""
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
        module, function = COMMANDS[sys.argv[1]].split(":")
        getattr(importlib.import_module(module), function)(sys.argv[2:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--info":
        list_options()
        return
    register_configs()
    register_resolvers()
    _app()
