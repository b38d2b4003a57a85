"""Composing a configuration: Hydra overrides → a validated experiment.

The CLI composes through ``@hydra.main``, sweeps through their sweeper's compositions,
the Python API and the workshop app through the process's compositions
(:mod:`govsim.composition.compositions`, which give what :func:`compose` gives), and
everything else (calibration, validation, the tests) through :func:`compose`. All end in
:func:`to_experiment`, which applies the rules every run obeys:

- **the user's choice of mechanisms wins**: a scenario preset may set parameters of its
  own mechanisms, but an explicit ``mechanism=`` replaces its list, and the settings of
  mechanisms that do not run are dropped (a user's own setting of a mechanism that does
  not run is an error);
- mechanisms are held in registry order (the order of a list changes nothing);
- ``reference`` is a list of names (a single name is accepted), whose parameters are the
  mechanisms' YAML defaults (``conf/mechanism/``);
- every key is one govsim defines and every value is checked against its contract
  (:mod:`govsim.composition.overrides`, :func:`govsim.config.validate`), and the run
  must fit in the machine's memory (:func:`govsim.composition.budget.check_memory`);
- whatever goes wrong in composing is a one-line :class:`~govsim.config.ConfigError`.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, ListConfig, OmegaConf, open_dict, read_write
from omegaconf.errors import MissingMandatoryValue

from govsim.composition.budget import check_memory
from govsim.composition.omegaconf_yaml import quote_as_omegaconf
from govsim.composition.overrides import COMPOSITION_ERRORS, check_overrides, translate
from govsim.config.schema import CityConfig, ExperimentConfig
from govsim.config.validate import ConfigError, validate
from govsim.mechanisms import REGISTRY, canonical
from govsim.model.schedule import check_schedule

__all__ = [
    "CONF_DIR",
    "HYDRA_LOCK",
    "compose",
    "conf_files",
    "config_yaml",
    "mechanism_defaults",
    "register_configs",
    "to_experiment",
]


def _conf_dir() -> Path:
    packaged = Path(__file__).resolve().parents[1] / "conf"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "conf"


CONF_DIR = _conf_dir()
"""The Hydra configuration directory (``conf/`` of the checkout, or the installed copy)."""


def conf_files(conf: Path = CONF_DIR) -> list[Path]:
    """Every file of a configuration folder, in order.

    Linked folders are followed: ``conf/scenario`` is ``scenarios/``.
    """
    walked = os.walk(conf, followlinks=True)
    return sorted(Path(folder) / name for folder, _, names in walked for name in names)


HYDRA_LOCK = threading.RLock()
"""Held while Hydra's global state is set up to compose: one thread at a time (the
workshop app serves each browser in a thread)."""


def register_configs() -> None:
    """Store the schemas that ``conf/`` YAML files extend (``/*_schema`` in their defaults).

    They are stored outside the ``city`` and ``mechanism`` groups, so they are never among
    the choices (``city=city_schema`` is not a city).
    """
    cs = ConfigStore.instance()
    cs.store(name="experiment_schema", node=ExperimentConfig)
    cs.store(name="city_schema", node=CityConfig, package="city")
    for name, mechanism in REGISTRY.items():
        cs.store(name=f"{name}_schema", node=mechanism.config_class, package=f"mechanism.{name}")


def mechanism_defaults(name: str) -> Any:
    """A mechanism's parameters as its YAML (``conf/mechanism/NAME.yaml``) sets them."""
    values = OmegaConf.load(CONF_DIR / "mechanism" / f"{name}.yaml")
    values.pop("defaults", None)
    merged = OmegaConf.merge(OmegaConf.structured(REGISTRY[name].config_class), values)
    return OmegaConf.to_object(merged)


def _names(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | ListConfig):
        return [str(v) for v in value]
    raise ConfigError("reference", value, "a mechanism name, a list of names, or null")


def _set_by_user(name: str, task: Sequence[str]) -> bool:
    prefix = f"mechanism.{name}"
    return any(o.lstrip("+~").split("=", 1)[0].startswith(prefix) for o in task)


def to_experiment(cfg: DictConfig, task: Sequence[str] = ()) -> ExperimentConfig:
    """Turn a composed Hydra config into a validated :class:`ExperimentConfig`.

    ``task`` holds the user's overrides (to tell their settings from a preset's).
    """
    plain = cfg
    if "hydra" in cfg:  # a sweep's job as its sweeper composed it
        plain = copy.deepcopy(cfg)
        with read_write(plain), open_dict(plain):
            del plain["hydra"]
    try:
        experiment = OmegaConf.to_object(plain)
    except MissingMandatoryValue as error:
        raise ConfigError(error.full_key or "?", "???", "a value (it is missing)") from None
    assert isinstance(experiment, ExperimentConfig)
    running = {}
    for name, params in experiment.mechanism.items():
        if name not in REGISTRY:
            raise ConfigError("mechanism", name, "one of " + ", ".join(REGISTRY))
        if is_dataclass(params):
            running[name] = params
        elif not isinstance(params, dict):
            raise ConfigError(
                f"mechanism.{name}",
                params,
                f"settings of {name} as "
                f"mechanism.{name}.KEY=VALUE, or mechanism=[...,{name}] to run it",
            )
        elif _set_by_user(name, task):
            runs = ", ".join(canonical(running)) or "none"
            raise ConfigError(
                f"mechanism.{name}",
                dict(params),
                f"settings of a mechanism that runs ({runs}); add {name} to "
                "mechanism=[...] to run it",
            )
    experiment.mechanism = {name: running[name] for name in canonical(running)}
    experiment.reference = _names(experiment.reference)
    validate(experiment, REGISTRY)
    check_schedule(experiment)
    check_memory(experiment)
    return experiment


def _plain(value: Any) -> Any:
    """A configuration value as OmegaConf's containers hold it: dicts, lists, scalars."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.name
    return value


class _Dumper(getattr(yaml, "CDumper", yaml.Dumper)):  # type: ignore[misc]
    """OmegaConf's YAML dumper on libyaml's emitter: the same text, several times faster.

    OmegaConf's dumper quotes strings that would read back as other types; libyaml is used
    when PyYAML has it.
    """


quote_as_omegaconf(_Dumper)


def config_yaml(experiment: ExperimentConfig) -> str:
    """The configuration that ran, as YAML: the text of ``OmegaConf.to_yaml`` of it.

    Written directly (a sweep writes one per job): the same dump of the same plain values,
    without building an OmegaConf object first (``tests/test_batch.py`` checks they agree).
    """
    return yaml.dump(
        _plain(experiment),
        default_flow_style=False,
        allow_unicode=True,
        sort_keys=False,
        Dumper=_Dumper,
    )


def compose(overrides: Sequence[str] = ()) -> ExperimentConfig:
    """Compose and validate a configuration from Hydra overrides, as ``govsim`` would."""
    register_configs()
    checked = check_overrides(overrides)
    try:
        with HYDRA_LOCK, initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            cfg = hydra_compose("config", overrides=checked)
        return to_experiment(cfg, list(overrides))
    except COMPOSITION_ERRORS as error:  # an interpolation fails when values are read, too
        raise translate(error) from error
