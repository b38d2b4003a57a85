"""The city a log is checked against (``--city``): its units, case types and departments.

``--city`` is a city of ``conf/city`` by name (``workshop``) or a city YAML file, composed
exactly as ``city=NAME`` would be (its ``defaults`` may extend a city of ``conf/city``).
A city's units are named as in the per-unit results (``units.parquet``): ``street/0``,
``community/5``, ``grid/17``, ``district/0``; case types and departments by their keys.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from govsim.city.build import build_city
from govsim.config.errors import PathError
from govsim.config.schema import CityConfig
from govsim.experiments.compose import CONF_DIR, compose

__all__ = ["CityReference", "city_reference", "load_city"]


@dataclass(frozen=True)
class CityReference:
    """What a log's values are checked against."""

    name: str
    units: dict[str, tuple[str, ...]]
    """Level (``grid``, ``community``, ``street``, ``district``) → its units' names."""
    case_types: tuple[str, ...]
    departments: tuple[str, ...]


def _cities() -> list[str]:
    return sorted(p.stem for p in (CONF_DIR / "city").glob("*.yaml"))


def load_city(spec: str) -> CityConfig:
    """The configuration of a city given by name or as a YAML file."""
    path = Path(spec)
    if spec in _cities():
        return compose([f"city={spec}"]).city
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise PathError(path, "is neither a city of conf/city nor a YAML file",
                        "--city " + ", ".join(_cities()) + " or a city YAML file")
    if not path.is_file():
        raise PathError(path, "does not exist", "--city as a city YAML file or one of "
                        + ", ".join(_cities()))
    with tempfile.TemporaryDirectory(prefix="govsim-city-") as folder:
        group = Path(folder) / "city"
        group.mkdir()
        name = f"log_city_{path.stem.replace('.', '_')}"
        shutil.copyfile(path, group / f"{name}.yaml")
        return compose([f"city={name}", f"hydra.searchpath=[file://{folder}]"]).city


def city_reference(config: CityConfig) -> CityReference:
    """The units at every level, the case types and the departments of a city."""
    city = build_city(config)
    units: dict[str, list[str]] = {"grid": [], "community": [], "street": [], "district": []}
    for node, kind in city.graph.nodes(data="kind"):
        if kind in units:
            units[kind].append(node)
    return CityReference(name=config.name, units={k: tuple(v) for k, v in units.items()},
                         case_types=city.case_type_names, departments=city.department_names)
