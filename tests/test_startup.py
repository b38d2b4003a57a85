"""The command starts light: what ``govsim --help``, ``list`` or a refused request loads.

Speed itself is measured by ``benchmarks/startup.py``; these tests check, without timing,
that the heavy libraries stay out of the commands that do not need them, in a fresh
process (this one has imported everything already).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.hydra import Hydra

import govsim
import govsim.composition.command_line as command_line
from conftest import govsim_in_process
from govsim.cli.command import COMMANDS
from govsim.composition.hydra_mode import mode_may_be_set

HEAVY = (
    "scipy",
    "matplotlib",
    "pandas",
    "pyarrow",
    "mesa",
    "numpy",
    "networkx",
    "PIL",
    "weasyprint",
    "openpyxl",
    "solara",
    "SALib",
    "optuna",
    "ema_workbench",
    "sklearn",
    "numba",
)
"""Libraries a run, a report or the app needs, and nothing before them."""

STAGES = {
    "import": None,
    "help": ["--help"],
    "list": ["list"],
    "refused": ["city=workshop", "days=30", "horizon_days=40"],
}
"""What the fresh process does, one after the other: import the CLI, then run commands."""

_PROBE = """
import json, sys
from govsim.cli import main
loaded = {}
for stage, argv in json.loads(sys.argv[1]).items():
    status = None if argv is None else main(argv)
    loaded[stage] = {"status": status, "modules": sorted(sys.modules)}
print(json.dumps(loaded))
"""


def _fresh() -> dict[str, str]:
    """The environment of a fresh process that imports this checkout's govsim."""
    src = str(Path(govsim.__file__).resolve().parents[1])
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    }


@pytest.fixture(scope="module")
def loaded() -> dict[str, dict]:
    """For each stage, its exit status and every module loaded by its end."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(STAGES)],
        env=_fresh(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def _top_level(modules: list[str]) -> set[str]:
    return {m.partition(".")[0] for m in modules}


@pytest.mark.parametrize("stage", list(STAGES))
def test_no_heavy_library_is_loaded(loaded: dict[str, dict], stage: str) -> None:
    assert sorted(_top_level(loaded[stage]["modules"]) & set(HEAVY)) == []


def test_the_commands_themselves_ran(loaded: dict[str, dict]) -> None:
    assert loaded["help"]["status"] == 0 and loaded["list"]["status"] == 0
    assert loaded["refused"]["status"] == 2


def test_a_subcommand_loads_no_other_subcommand_and_no_job(loaded: dict[str, dict]) -> None:
    modules = set(loaded["list"]["modules"])
    others = {target.partition(":")[0] for name, target in COMMANDS.items() if name != "list"}
    assert sorted(modules & (others | {"govsim.cli.job"})) == []
    assert "govsim.cli.listing" in modules


def test_every_subcommands_module_is_light() -> None:
    """A subcommand's module in ``govsim.cli`` holds its command line only: importing it
    (as dispatching does) loads none of the libraries its work needs."""
    modules = sorted({target.partition(":")[0] for target in COMMANDS.values()})
    probe = (
        "import importlib, json, sys\n"
        f"for module in {modules!r}: importlib.import_module(module)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=_fresh()
    )
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert sorted(_top_level(loaded) & set(HEAVY)) == []


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (["--help"], "mechanism: assessment, baseline"),
        (["--help", "city=workshop"], "scenario: beijing_2018_street_whistle"),
        (["--hydra-help"], "hydra/sweeper: basic, design, explore, govsim"),
    ],
)
def test_help_is_hydras_own_text(capsys, monkeypatch, args: list[str], listed: str) -> None:
    listing = ConfigLoaderImpl.get_group_options
    status, fast, _ = govsim_in_process(capsys, *args)
    assert status == 0 and ConfigLoaderImpl.get_group_options is listing
    monkeypatch.setattr(command_line, "one_repository", contextlib.nullcontext)
    status, hydras, _ = govsim_in_process(capsys, *args)
    assert status == 0 and fast == hydras and listed in fast


def test_a_single_run_is_composed_once(capsys, monkeypatch, tmp_path: Path) -> None:
    """Hydra composes a run once to read its mode and once to run it; govsim skips the
    first unless the command line sets the mode. Either way the run is the same."""
    composed: list[object] = []
    compose_config = Hydra.compose_config

    def counted(self: Hydra, *args: object, **kwargs: object) -> object:
        composed.append(kwargs.get("run_mode"))
        return compose_config(self, *args, **kwargs)

    monkeypatch.setattr(Hydra, "compose_config", counted)
    get_mode = Hydra.get_mode
    runs = {}
    for mode in ([], ["hydra.mode=RUN"]):
        composed.clear()
        out = tmp_path / str(len(mode))
        status, _, err = govsim_in_process(
            capsys,
            "city=workshop",
            "days=5",
            "horizon_days=2",
            "replications=1",
            "reference=null",
            f"hydra.run.dir={out}",
            *mode,
        )
        assert status == 0, err
        assert len(composed) == 1 + len(mode) and Hydra.get_mode is get_mode
        runs[len(mode)] = ((out / "config.yaml").read_text(), (out / "summary.md").read_text())
    assert runs[0] == runs[1]


@pytest.mark.parametrize(
    ("args", "may"),
    [
        (["seed=3", "hydra.run.dir=out", "hydra.job.name=x", "city=workshop"], False),
        (["hydra.mode=RUN"], True),
        (["+hydra={mode:MULTIRUN}"], True),
        (["++hydra.mode=MULTIRUN"], True),
        (["hydra.searchpath=[file:///elsewhere]"], True),
        (["--config-dir", "/elsewhere"], True),
        (["-cd=/elsewhere"], True),
        (["-cn", "other"], True),
    ],
)
def test_the_mode_is_read_by_hydra_when_the_command_line_may_set_it(
    args: list[str], may: bool
) -> None:
    assert mode_may_be_set(args) is may


def test_a_preset_that_sets_the_mode_is_obeyed(tmp_path: Path) -> None:
    """A scenario preset setting ``hydra.mode`` (here from a config folder of the user's
    own) decides the mode as Hydra decides it: this one makes the run a sweep (in a process
    of its own: Hydra's sweep sets up logging for the process)."""
    extra = tmp_path / "conf"
    (extra / "scenario").mkdir(parents=True)
    (extra / "scenario" / "sweepy.yaml").write_text(
        "# @package _global_\nhydra:\n  mode: MULTIRUN\n", encoding="utf-8"
    )
    assert mode_may_be_set([]) is False and mode_may_be_set([], extra) is True
    sweep = tmp_path / "sweep"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "govsim",
            "--config-dir",
            str(extra),
            "scenario=sweepy",
            "city=workshop",
            "days=5",
            "horizon_days=2",
            "replications=1",
            "reference=null",
            f"hydra.sweep.dir={sweep}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (sweep / "sweep.json").exists() and len(list(sweep.glob("run-*"))) == 1
