"""Hydra's command line: its own parser of flags (``-m``, ``--cfg``, ...) and its application.

``govsim`` with overrides and Hydra's flags is a Hydra application (``@hydra.main`` over
``conf/``): :func:`run_application` runs it on a command line, handing each of its jobs to
a task of the CLI's, and :func:`hydra_arguments` is the parser Hydra reads it with. Hydra
reads ``sys.argv`` and reports errors itself; here it is given the command line and lets
errors reach the CLI, which reports them in one line.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import hydra
from hydra._internal.utils import get_args_parser
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from govsim.composition.compose import CONF_DIR
from govsim.composition.hydra_help import one_repository
from govsim.composition.hydra_mode import composed_once
from govsim.config.errors import PathError

__all__ = ["AppTask", "hydra_arguments", "run_application"]

AppTask = Callable[[DictConfig, Path, list[str], bool], None]
"""One job of the application: its composition, its folder, its overrides and whether it is
one job of a sweep (``-m``) rather than a single run."""


def hydra_arguments() -> argparse.ArgumentParser:
    """A fresh parser of the command line as ``@hydra.main`` reads it."""
    return get_args_parser()


@contextlib.contextmanager
def _hydra_command_line(args: list[str]) -> Iterator[None]:
    """Hydra reads ``sys.argv`` and reports errors itself unless HYDRA_FULL_ERROR is set."""
    saved_argv, saved_full = sys.argv, os.environ.get("HYDRA_FULL_ERROR")
    sys.argv = ["govsim", *args]
    os.environ["HYDRA_FULL_ERROR"] = "1"  # let errors reach the CLI
    try:
        yield
    finally:
        sys.argv = saved_argv
        if saved_full is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = saved_full
        GlobalHydra.instance().clear()


def run_application(args: list[str], task: AppTask, helping: bool = False) -> None:
    """Run Hydra's application on the command line ``args`` (checked), each job by ``task``.

    A single run is composed once (:func:`~govsim.composition.hydra_mode.composed_once`);
    ``helping`` (``--help``, ``--hydra-help``) writes the help fast
    (:func:`~govsim.composition.hydra_help.one_repository`). An error of a single run is
    raised here after Hydra returns (Hydra would print a line of its own for an error
    raised through it), as is a run's or sweep's folder that cannot be made.
    """
    failed: list[BaseException] = []

    @hydra.main(version_base="1.3", config_path=str(CONF_DIR), config_name="config")
    def command(cfg: DictConfig) -> None:
        hydra_cfg = HydraConfig.get()
        out = Path(hydra_cfg.runtime.output_dir)
        overrides = list(hydra_cfg.overrides.task)
        if hydra_cfg.mode == RunMode.MULTIRUN:
            task(cfg, out, overrides, True)
            return
        try:
            task(cfg, out, overrides, False)
        except BaseException as error:  # raised after Hydra returns
            failed.append(error)

    with (
        _hydra_command_line(args),
        composed_once(args),
        one_repository() if helping else contextlib.nullcontext(),
    ):
        try:
            command()
        except OSError as error:  # Hydra could not make the run's or the sweep's folder
            if error.filename is None:
                raise
            raise PathError(
                error.filename,
                f"cannot be created ({error.strerror})",
                "a folder govsim can write, as hydra.run.dir or hydra.sweep.dir",
            ) from error
    if failed:
        raise failed.pop()
