"""The city a log is checked against (``--city``): its units, case types and departments.

``--city`` is a city of ``conf/city`` by name (``workshop``) or a city YAML file, composed
exactly as ``city=`` takes it (its ``defaults`` may extend a city of ``conf/city``).
A city's units are named as in the per-unit results (``name`` in ``units.parquet``): a
city's own names (``govsim city import``), or ``street/0``, ``community/5`` ... for an
archetype; case types and departments by their keys.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from govsim.city.build import build_city
from govsim.config.schema import CityConfig
from govsim.experiments.compose import compose
from govsim.experiments.files import write_text

__all__ = ["CityReference", "check_city", "city_reference", "load_city", "write_city"]


@dataclass(frozen=True)
class CityReference:
    """What a log's values are checked against."""

    name: str
    units: dict[str, tuple[str, ...]]
    """Level (``grid``, ``community``, ``street``, ``district``) → its units' names."""
    case_types: tuple[str, ...]
    departments: tuple[str, ...]


def load_city(spec: str) -> CityConfig:
    """The configuration of a city given by name or as a YAML file (as ``city=`` takes it)."""
    return compose([f"city={spec}"]).city


def city_reference(config: CityConfig) -> CityReference:
    """The units at every level, the case types and the departments of a city."""
    city = build_city(config)
    names = city.units
    units = {"grid": names.grid_names, "community": names.community_names,
             "street": names.street_names, "district": names.district_names}
    return CityReference(name=config.name, units=units, case_types=city.case_type_names,
                         departments=city.department_names)


def check_city(text: str, name: str) -> None:
    """Compose and validate a city YAML's text as ``city=`` would take it, or raise."""
    with tempfile.TemporaryDirectory() as folder:
        trial = write_text(Path(folder) / name, text)
        compose([f"city={trial}", "days=2", "horizon_days=0"])


def write_city(path: Path, text: str) -> Path:
    """Write a city YAML only once it composes and validates (:func:`check_city`)."""
    check_city(text, Path(path).name)
    return write_text(path, text)
