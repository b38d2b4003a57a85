"""A sweep launched through Hydra: its multirun, sweeper and launcher behind one call.

:func:`launch` composes ``conf/`` in multirun mode with the user's overrides (checked
first); the configured sweeper expands them with Hydra's grammar
(``mechanism=baseline,whistle seed='range(3)'``) and checks every job, and the configured
launcher runs them. govsim's own launcher (``hydra/launcher=govsim``) runs the jobs its
sweeper checked; any other launcher (``hydra/launcher=joblib``) calls a task per job,
which :func:`launch` hands the job's validated experiment, its overrides and its folder.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from govsim.composition.compose import CONF_DIR, HYDRA_LOCK, register_configs, to_experiment
from govsim.composition.overrides import COMPOSITION_ERRORS, check_overrides, translate
from govsim.config.errors import PathError
from govsim.config.schema import ExperimentConfig

__all__ = ["JobTask", "launch"]

JobTask = Callable[[ExperimentConfig, list[str], Path], None]
"""One job: its validated experiment, its overrides and its folder."""


def _job(cfg: DictConfig, task: JobTask) -> None:
    """Hydra's task function: the job as Hydra composed it, handed to ``task``."""
    hydra_cfg = HydraConfig.get()
    overrides = list(hydra_cfg.overrides.task)
    task(to_experiment(cfg, overrides), overrides, Path(hydra_cfg.runtime.output_dir))


def _sweep_folder(returns: Any) -> Path | None:
    for batch in returns or []:
        for job in batch:
            found = (
                None
                if job.hydra_cfg is None
                # Hydra's own {hydra: ...}, or its part
                else (
                    OmegaConf.select(job.hydra_cfg, "hydra.sweep.dir")
                    or OmegaConf.select(job.hydra_cfg, "sweep.dir")
                )
            )
            if found:
                return Path(str(found))
    return None


def launch(overrides: Sequence[str], task: JobTask) -> Path | None:
    """Run the sweep of ``overrides``; return its folder (None: no jobs).

    ``task`` must be picklable for launchers that run jobs in other processes.
    """
    register_configs()
    checked = check_overrides(overrides)
    try:
        with (
            HYDRA_LOCK,
            initialize_config_dir(config_dir=str(CONF_DIR), job_name="govsim", version_base="1.3"),
        ):
            returns = GlobalHydra.instance().hydra.multirun(
                config_name="config",
                task_function=functools.partial(_job, task=task),
                overrides=[*checked, "hydra.mode=MULTIRUN"],
            )
    except COMPOSITION_ERRORS as error:
        raise translate(error) from error
    except OSError as error:  # the sweep's folder could not be made
        if error.filename is None:
            raise
        raise PathError(
            error.filename,
            f"cannot be created ({error.strerror})",
            "a folder govsim can write, as hydra.sweep.dir",
        ) from error
    return _sweep_folder(returns)
