"""Sweeps that check every job before launching any.

A sweep composes each of its jobs once, as Hydra's sweepers do anyway to check that a
batch composes (jobs that choose the same config groups share one Hydra composition:
:class:`Compositions`), and :class:`CheckedSweep` runs govsim's checks on that composition
(:func:`~govsim.experiments.compose.to_experiment`: known keys, value contracts, memory).
One bad job stops the whole sweep before any job has started, with a one-line message
naming the job; a job that fails while running is recorded and the sweep goes on
(``govsim.cli``). Once every job is checked, the sweep records each job's folder in
``sweep.json`` (so ``govsim collect`` can tell which never started) and, when the sweep
will take long, says how long it expects to take.

The default sweeper (``hydra/sweeper=govsim``, in ``hydra_plugins.govsim_sweeper``) is
Hydra's basic sweeper with these checks; the design sweeper
(:mod:`govsim.experiments.design`) checks its jobs the same way. Each job is composed
once: the checked jobs (:class:`~govsim.experiments.sweep.Job`) are handed to a launcher
that takes them (``hydra/launcher=govsim``, :meth:`CheckedSweep.hand_over`), which runs
them without composing again.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.plugins import Plugins
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf, open_dict

from govsim.config.errors import RequestError
from govsim.experiments.arms import arms
from govsim.experiments.budget import LARGE_SECONDS, describe_seconds, seconds
from govsim.experiments.compose import to_experiment
from govsim.experiments.overrides import COMPOSITION_ERRORS, check_overrides, translate
from govsim.experiments.sweep import Job, write_manifest

__all__ = ["CheckedSweep", "Compositions", "LaunchingSweep"]


class Compositions:
    """A sweep's jobs composed as Hydra composes them, once per choice of config groups.

    Hydra composes a job by building its defaults list from the config-group overrides
    (``city=workshop``, ``mechanism=[whistle,hotline]``), merging those configs, then
    applying the other overrides (``seed=3``, ``city.street_staff=4``) to the result
    (``ConfigLoaderImpl._load_configuration_impl``). Jobs that choose the same groups share
    the first two steps: this composes them once and makes each job from a copy, applying
    its value overrides and setting its ``hydra.overrides.task`` and
    ``hydra.job.override_dirname`` as Hydra does. A job that overrides Hydra's own
    settings or uses a package (``group@package=``) is composed by Hydra in full.
    """

    def __init__(self, master: DictConfig, hydra_context: HydraContext) -> None:
        self.master, self.loader = master, hydra_context.config_loader
        self.parser = OverridesParser.create(config_loader=self.loader)
        self.groups: dict[tuple[str, ...], DictConfig] = {}

    def _full(self, job: list[str]) -> DictConfig:
        return self.loader.load_sweep_config(self.master, job)

    def compose(self, job: list[str]) -> DictConfig:
        """The job's configuration, as ``load_sweep_config`` would make it."""
        parsed = self.parser.parse_overrides(job)
        if any(o.is_hydra_override() or o.package is not None for o in parsed):
            return self._full(job)
        repository = self.loader.repository  # type: ignore[attr-defined]
        values = [o for o in parsed if isinstance(o.value(), dict)
                  or not repository.group_exists(o.key_or_group)]
        groups = tuple(o.input_line for o in parsed if o not in values)
        if groups not in self.groups:
            self.groups[groups] = self._full(list(groups))
        cfg = copy.deepcopy(self.groups[groups])
        ConfigLoaderImpl._apply_overrides_to_config(values, cfg)
        naming = cfg.hydra.job.config.override_dirname
        with open_dict(cfg.hydra):
            cfg.hydra.overrides.task = [o.input_line for o in parsed]
            cfg.hydra.job.override_dirname = get_overrides_dirname(
                overrides=parsed, kv_sep=naming.kv_sep, item_sep=naming.item_sep,
                exclude_keys=naming.exclude_keys)
        OmegaConf.copy_cache(from_config=self.master, to_config=cfg)
        return cfg


class CheckedSweep:
    """Checks every job of a sweep as govsim would run it, before any job is launched."""

    config: DictConfig | None
    hydra_context: HydraContext | None
    launcher: Any
    _compositions: Compositions | None = None

    def _compose(self, job: list[str]) -> DictConfig:
        assert self.config is not None and self.hydra_context is not None
        if self._compositions is None:
            self._compositions = Compositions(self.config, self.hydra_context)
        try:
            return self._compositions.compose(job)
        except COMPOSITION_ERRORS as error:
            raise translate(error) from error

    def check_jobs(self, jobs: Sequence[Sequence[str]]) -> None:
        """Compose and check every job; record their folders; announce a long sweep."""
        assert self.config is not None
        runs: list[dict[str, Any]] = []
        checked: dict[tuple[str, ...], tuple[DictConfig, Job]] = {}
        sweep_dir = Path(self.config.hydra.sweep.dir)
        expected = 0.0
        for k, job in enumerate(jobs):
            try:
                overrides = check_overrides(list(job))
                cfg = self._compose(overrides)
                experiment = to_experiment(cfg, overrides)
            except RequestError as error:
                raise RequestError(f"sweep job {k + 1} of {len(jobs)} ({' '.join(job)}): "
                                   f"{error}") from error
            subdir = str(OmegaConf.select(cfg, "hydra.sweep.subdir"))
            runs.append({"run": subdir, "overrides": list(job)})
            checked[tuple(job)] = (cfg, Job.of(sweep_dir / subdir, experiment, job))
            expected += seconds(experiment, experiment.replications * len(arms(experiment)))
        write_manifest(sweep_dir, runs)
        self.hand_over(checked)
        if expected >= LARGE_SECONDS:
            print(f"govsim: {len(jobs)} jobs: about {describe_seconds(expected)} of runs on "
                  "this machine (divided among the launcher's workers)", file=sys.stderr)

    def hand_over(self, checked: dict[tuple[str, ...], tuple[DictConfig, Job]]) -> None:
        """Give the composed, checked jobs to a launcher that takes them (by overrides)."""
        take = getattr(getattr(self, "launcher", None), "take_checked_jobs", None)
        if take is not None:
            take(checked)


class LaunchingSweep(CheckedSweep):
    """A sweeper of govsim's own that samples its jobs and launches them, checked, at once.

    The design and exploratory sweepers subclass it with Hydra's ``Sweeper``; it sets up the
    configured launcher as Hydra's sweepers do.
    """

    def __init__(self) -> None:
        super().__init__()
        self.config: DictConfig | None = None
        self.launcher: Any = None
        self.hydra_context: HydraContext | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction,
              config: DictConfig) -> None:
        """Instantiate the launcher."""
        self.hydra_context = hydra_context
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)
