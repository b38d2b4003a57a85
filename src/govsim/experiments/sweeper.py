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
from hydra.core.override_parser.types import Override, OverrideType
from hydra.core.plugins import Plugins
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from govsim.config.errors import RequestError
from govsim.config.schema import ExperimentConfig
from govsim.experiments.arms import arms
from govsim.experiments.budget import LARGE_SECONDS, describe_seconds, seconds
from govsim.experiments.compose import to_experiment
from govsim.experiments.overrides import COMPOSITION_ERRORS, check_overrides, parse, translate
from govsim.experiments.sweep import Job, write_manifest

__all__ = ["CheckedSweep", "Compositions", "LaunchingSweep"]


_ABSENT = object()


def _raw(tree: Any, key: str) -> Any:
    """The value at a dotted key of a plain container (``_ABSENT`` if there is none)."""
    for part in key.split("."):
        if isinstance(tree, dict) and part in tree:
            tree = tree[part]
        elif isinstance(tree, list) and part.isdigit() and int(part) < len(tree):
            tree = tree[int(part)]
        else:
            return _ABSENT
    return tree


class _Group:
    """One choice of config groups, composed once, and its jobs made from it in place.

    A job that only changes existing values (``seed=3``, ``city.street_staff=4``, a list)
    is made by undoing the previous job's changes on a working copy of the composition
    (setting those keys back to their composed, unresolved values) and applying its own as
    Hydra applies them: no copy of the whole configuration per job. A working copy without
    Hydra's settings gives the experiment, one with them the job's folder.
    """

    def __init__(self, cfg: DictConfig, master: DictConfig) -> None:
        self.cfg, self.master = cfg, master
        self.raw = OmegaConf.to_container(cfg, resolve=False)
        self.working: tuple[DictConfig, DictConfig] | None = None
        self.changed: set[str] = set()

    def changes_only_values(self, values: Sequence[Override]) -> bool:
        """Whether every override sets an existing value that is not a mapping."""
        for override in values:
            found = _raw(self.raw, override.key_or_group)
            if (override.type != OverrideType.CHANGE or isinstance(override.value(), dict)
                    or found is _ABSENT or isinstance(found, dict)):
                return False
        return True

    def _copies(self) -> tuple[DictConfig, DictConfig]:
        if self.working is None:
            full = copy.deepcopy(self.cfg)
            plain = copy.deepcopy(self.cfg)
            with read_write(plain), open_dict(plain):
                del plain["hydra"]
            for cfg in (full, plain):
                OmegaConf.copy_cache(from_config=self.master, to_config=cfg)
            self.working, self.changed = (full, plain), set()
        return self.working

    def apply(self, values: Sequence[Override]) -> tuple[DictConfig, DictConfig]:
        """The working copies (with Hydra's settings, without) holding these values."""
        copies = self._copies()
        keys = {override.key_or_group for override in values}
        try:
            for cfg in copies:
                for key in self.changed - keys:
                    OmegaConf.update(cfg, key, _raw(self.raw, key), merge=False)
                ConfigLoaderImpl._apply_overrides_to_config(list(values), cfg)
        except BaseException:
            self.working = None  # half changed: the next job starts from a fresh copy
            raise
        self.changed = keys
        return copies


class Compositions:
    """A sweep's jobs composed as Hydra composes them, once per choice of config groups.

    Hydra composes a job by building its defaults list from the config-group overrides
    (``city=workshop``, ``mechanism=[whistle,hotline]``), merging those configs, then
    applying the other overrides (``seed=3``, ``city.street_staff=4``) to the result
    (``ConfigLoaderImpl._load_configuration_impl``). Jobs that choose the same groups share
    the first two steps: this composes them once (:class:`_Group`) and applies each job's
    value overrides, setting its ``hydra.overrides.task`` and ``hydra.job.override_dirname``
    as Hydra does. A job that overrides Hydra's own settings or uses a package
    (``group@package=``) is composed by Hydra in full; one that adds, deletes or merges
    keys is made from a copy of its group's composition.
    """

    def __init__(self, master: DictConfig, hydra_context: HydraContext) -> None:
        self.master, self.loader = master, hydra_context.config_loader
        self.groups: dict[tuple[str, ...], _Group] = {}

    def _full(self, job: list[str]) -> DictConfig:
        return self.loader.load_sweep_config(self.master, job)

    def _split(self, parsed: list[Override]) -> tuple[_Group, list[Override]] | None:
        """The job's group composition and its value overrides (None: compose in full)."""
        if any(o.is_hydra_override() or o.package is not None for o in parsed):
            return None
        repository = self.loader.repository  # type: ignore[attr-defined]
        values = [o for o in parsed if isinstance(o.value(), dict)
                  or not repository.group_exists(o.key_or_group)]
        groups = tuple(o.input_line for o in parsed if o not in values)
        if groups not in self.groups:
            self.groups[groups] = _Group(self._full(list(groups)), self.master)
        return self.groups[groups], values

    def _name(self, cfg: DictConfig, parsed: list[Override]) -> None:
        """Set the job's overrides and folder name in its Hydra settings, as Hydra does."""
        naming = cfg.hydra.job.config.override_dirname
        with open_dict(cfg.hydra):
            cfg.hydra.overrides.task = [o.input_line for o in parsed]
            cfg.hydra.job.override_dirname = get_overrides_dirname(
                overrides=parsed, kv_sep=naming.kv_sep, item_sep=naming.item_sep,
                exclude_keys=naming.exclude_keys)

    def compose(self, job: list[str]) -> DictConfig:
        """The job's configuration, as ``load_sweep_config`` would make it (its own copy)."""
        parsed = parse(job)
        split = self._split(parsed)
        if split is None:
            return self._full(job)
        group, values = split
        if group.changes_only_values(values):
            cfg = copy.deepcopy(group.apply(values)[0])
        else:
            cfg = copy.deepcopy(group.cfg)
            ConfigLoaderImpl._apply_overrides_to_config(values, cfg)
            OmegaConf.copy_cache(from_config=self.master, to_config=cfg)
        self._name(cfg, parsed)
        return cfg

    def checked(self, job: list[str]) -> tuple[DictConfig, ExperimentConfig, str]:
        """The job checked: a configuration with Hydra's settings, its experiment, its folder.

        The configuration is the job's own, or, for a job that changes only values, its
        group's composition (what the launcher hands back to Hydra; the job's values are in
        its experiment and its ``config.yaml``).
        """
        parsed = parse(job)
        split = self._split(parsed)
        if split is not None and split[0].changes_only_values(split[1]):
            group, values = split
            full, plain = group.apply(values)
            self._name(full, parsed)
            return group.cfg, to_experiment(plain, job), str(full.hydra.sweep.subdir)
        cfg = self.compose(job)
        return cfg, to_experiment(cfg, job), str(OmegaConf.select(cfg, "hydra.sweep.subdir"))


class CheckedSweep:
    """Checks every job of a sweep as govsim would run it, before any job is launched."""

    config: DictConfig | None
    hydra_context: HydraContext | None
    launcher: Any
    _compositions: Compositions | None = None

    def _check(self, job: list[str]) -> tuple[DictConfig, ExperimentConfig, str]:
        assert self.config is not None and self.hydra_context is not None
        if self._compositions is None:
            self._compositions = Compositions(self.config, self.hydra_context)
        try:
            return self._compositions.checked(job)
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
                cfg, experiment, subdir = self._check(check_overrides(list(job)))
            except RequestError as error:
                raise RequestError(f"sweep job {k + 1} of {len(jobs)} ({' '.join(job)}): "
                                   f"{error}") from error
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
