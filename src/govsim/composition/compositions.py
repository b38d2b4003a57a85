"""Configurations composed once per choice of config groups: a sweep's jobs, the API's runs.

Hydra composes a configuration by building its defaults list from the config-group
overrides (``city=workshop``, ``mechanism=[whistle,hotline]``), merging those configs,
then applying the other overrides (``seed=3``, ``city.street_staff=4``) to the result
(``ConfigLoaderImpl._load_configuration_impl``). Configurations that choose the same
groups share the first two steps: :class:`Compositions` composes them once and applies
each one's value overrides. A sweep's checks use one per sweep
(:mod:`govsim.experiments.sweep_checks`); :func:`compose_in_process` keeps one for the process,
so that :func:`govsim.run` and :func:`govsim.compose` called again (a notebook, the app,
a script's loop) do not compose the whole configuration each time. Both give what
Hydra's own composition gives (``tests/test_batch.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from hydra import initialize_config_dir
from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.types import Override, OverrideType
from hydra.types import HydraContext, RunMode
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from govsim.composition.compose import (
    CONF_DIR,
    HYDRA_LOCK,
    compose,
    conf_files,
    register_configs,
    to_experiment,
)
from govsim.composition.overrides import COMPOSITION_ERRORS, check_overrides, parse, translate
from govsim.config.schema import ExperimentConfig

__all__ = ["Compositions", "compose_in_process"]


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
            if (
                override.type != OverrideType.CHANGE
                or isinstance(override.value(), dict)
                or found is _ABSENT
                or isinstance(found, dict)
            ):
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
        values = [
            o
            for o in parsed
            if isinstance(o.value(), dict) or not repository.group_exists(o.key_or_group)
        ]
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
                overrides=parsed,
                kv_sep=naming.kv_sep,
                item_sep=naming.item_sep,
                exclude_keys=naming.exclude_keys,
            )

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

    def experiment(self, job: list[str]) -> ExperimentConfig:
        """The job's checked experiment alone (no folder: outside a sweep)."""
        split = self._split(parse(job))
        if split is not None and split[0].changes_only_values(split[1]):
            return to_experiment(split[0].apply(split[1])[1], job)
        return to_experiment(self.compose(job), job)


def _conf_state() -> tuple[tuple[str, int, int], ...]:
    """Every file of ``conf/`` (scenario presets included) with its change time and size."""
    return tuple(
        (str(p), (stat := p.stat()).st_mtime_ns, stat.st_size) for p in conf_files(CONF_DIR)
    )


class _Process:
    """The process's :class:`Compositions`, made again when a file of ``conf/`` changes.

    One thread at a time composes through it (under :data:`HYDRA_LOCK`): a composition
    changes its group's working copy in place. It keeps at most :data:`GROUPS_KEPT` choices
    of config groups; beyond, it starts afresh.
    """

    def __init__(self) -> None:
        self.state: tuple[tuple[str, int, int], ...] | None = None
        self.compositions: Compositions | None = None

    def get(self) -> Compositions:
        state = _conf_state()
        if self.compositions is None or state != self.state:
            register_configs()
            with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
                hydra = GlobalHydra.instance().hydra
                assert hydra is not None
                master = hydra.compose_config("config", [], run_mode=RunMode.MULTIRUN)
                context = HydraContext(config_loader=hydra.config_loader, callbacks=None)  # type: ignore[arg-type]
            self.compositions, self.state = Compositions(master, context), state
        if len(self.compositions.groups) >= GROUPS_KEPT:
            self.compositions.groups.clear()
        return self.compositions


GROUPS_KEPT = 32
"""Choices of config groups the process keeps composed (each holds about a megabyte)."""

_process = _Process()


def compose_in_process(overrides: Sequence[str] = ()) -> ExperimentConfig:
    """What :func:`~govsim.composition.compose.compose` gives, composed faster.

    Composed once per choice of config groups in this process (see the module).

    Overrides of Hydra's own settings (``hydra.searchpath=...``) are composed by Hydra in
    full, as :func:`~govsim.composition.compose.compose` does, and so are a sweep's values
    (``seed=1,2``, ``range(3)``), which Hydra refuses outside a sweep.
    """
    checked = check_overrides(overrides)
    if any(o.is_hydra_override() or o.is_sweep_override() for o in parse(checked)):
        return compose(overrides)  # Hydra's settings, or a sweep's values: Hydra's answer
    with HYDRA_LOCK:
        try:
            return _process.get().experiment(checked)
        except COMPOSITION_ERRORS as error:
            raise translate(error) from error
