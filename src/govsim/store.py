"""Register the structured configs (schemas) of every Hydra group in the ConfigStore."""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from govsim.config import CityConfig, ExperimentConfig
from govsim.mechanisms import REGISTRY

__all__ = ["register_configs"]


def register_configs() -> None:
    """Store the schemas that ``conf/`` YAML files extend (``*_schema`` in their defaults)."""
    cs = ConfigStore.instance()
    cs.store(name="experiment_schema", node=ExperimentConfig)
    cs.store(group="city", name="city_schema", node=CityConfig)
    for name, mechanism in REGISTRY.items():
        cs.store(group="mechanism", name=f"{name}_schema", node=mechanism.config_class,
                 package=f"mechanism.{name}")
