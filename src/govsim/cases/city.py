r"""The city a log is checked against (``--city``): its units, case types and departments.

``--city`` is a city of ``conf/city`` by name (``workshop``) or a city YAML file, composed
exactly as ``city=`` takes it (its ``defaults`` may extend a city of ``conf/city``).
A city's units are named as in the per-unit results (``name`` in ``units.parquet``): a
city's own names (``govsim city import``), or ``street/0``, ``community/5`` ... for an
archetype; case types and departments by their keys.

A city file govsim writes (:func:`city_yaml`) holds every name as the same text when it is
read back: a name YAML or OmegaConf would read as another type (``yes``, ``null``, ``~``,
``1e3``) is quoted, and ``${`` is escaped (``\\${``) so that no name is interpolated.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from govsim.city.build import build_city
from govsim.composition.compose import compose
from govsim.composition.omegaconf_yaml import read_as_omegaconf_reads
from govsim.config.schema import CityConfig
from govsim.files import write_text

__all__ = [
    "CityReference",
    "check_city",
    "city_reference",
    "city_yaml",
    "literal",
    "load_city",
    "write_city",
]

_INTERPOLATION = re.compile(r"(\\*)\$\{")
"""``${`` and the backslashes before it: OmegaConf reads ``\\${`` as a literal ``${`` and
each ``\\\\`` before it as one backslash."""


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
    units = {
        "grid": names.grid_names,
        "community": names.community_names,
        "street": names.street_names,
        "district": names.district_names,
    }
    return CityReference(
        name=config.name,
        units=units,
        case_types=city.case_type_names,
        departments=city.department_names,
    )


def check_city(text: str, name: str) -> None:
    """Compose and validate a city YAML's text as ``city=`` would take it, or raise."""
    with tempfile.TemporaryDirectory() as folder:
        trial = write_text(Path(folder) / name, text)
        compose([f"city={trial}", "days=2", "horizon_days=0"])


def write_city(path: Path, text: str) -> Path:
    """Write a city YAML only once it composes and validates (:func:`check_city`)."""
    check_city(text, Path(path).name)
    return write_text(path, text)


def literal(text: str) -> str:
    """``text`` escaped so that OmegaConf reads it back as ``text``, never interpolated."""
    return _INTERPOLATION.sub(lambda found: found.group(1) * 2 + "\\${", text)


def _literal_values(value: Any) -> Any:
    """Every string value (not key) escaped by :func:`literal`; tuples as lists."""
    if isinstance(value, dict):
        return {key: _literal_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_literal_values(item) for item in value]
    return literal(value) if isinstance(value, str) else value


class _CityDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string PyYAML or OmegaConf would read as another type.

    OmegaConf's loader reads ``1e3`` as a number, PyYAML's ``2025-01-01`` as a date.
    """


read_as_omegaconf_reads(_CityDumper)


def city_yaml(values: dict[str, Any], header: str = "") -> str:
    """A city file's text: ``header`` as comments, then ``values``.

    The ``defaults`` list is written as given; every other string reads back as itself.
    """
    comments = "".join(f"# {' '.join(line.split())}\n" for line in header.splitlines())
    body = {
        key: item if key == "defaults" else _literal_values(item) for key, item in values.items()
    }
    return comments + yaml.dump(
        body,
        Dumper=_CityDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=None,
    )
