r"""Linked (zipped) sweeps: keys that move together, value *i* of each at once.

A sweep crosses every swept key with every other (``a=1,2 b=x,y`` makes four jobs). A
*linked group* sweeps several keys side by side instead: the group
``{city.street_staff: [4, 8, 12], city.grid_workers_per_grid: [1, 2, 3]}`` makes three
settings (4 with 1, 8 with 2, 12 with 3), crossed with everything else that is swept as
usual. Groups are named, under the sweeper's ``linked`` option, on the command line::

    govsim -m mechanism=baseline,whistle \
        '+hydra.sweeper.linked.staff={city.street_staff:[4,8],city.grid_workers_per_grid:[1,2]}'

or in a scenario preset (``hydra: {sweeper: {linked: {staff: {...}}}}``). Several groups
are crossed with one another. A group is refused, with one line naming it, if its lists
differ in length, if one of its keys is unknown or appears in another group or on the
command line, or if a value is not a list.

:func:`linked_groups` checks the groups; :func:`link` crosses a sweep's jobs with them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from omegaconf import DictConfig, ListConfig, OmegaConf

from govsim.composition.overrides import check_overrides, flatten_params
from govsim.config.validate import ConfigError

__all__ = ["LINKED", "LinkedGroup", "link", "linked_groups", "override_value"]

LINKED = "hydra.sweeper.linked"
"""Where the linked groups of a sweep are declared."""

_PLAIN = re.compile(r"[A-Za-z_][\w\-/.]*")
_WORDS = ("true", "false", "null", "nan", "inf")

SHAPE = (
    "a mapping of keys to lists of equal length, e.g. "
    "{city.street_staff:[4,8],city.grid_workers_per_grid:[1,2]}"
)


@dataclass(frozen=True)
class LinkedGroup:
    """One linked group: its keys and, per position, the overrides that run together."""

    name: str
    keys: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    """``rows[i]`` holds ``key=value_i`` for every key of the group."""


def override_value(value: Any) -> str:
    """``value`` written in Hydra's override syntax (strings quoted where they must be)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k}:{override_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(override_value(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _WORDS:
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _plain(node: Any) -> Any:
    if isinstance(node, DictConfig | ListConfig):
        return OmegaConf.to_container(node, resolve=True)
    return node


def _key(override: str) -> str:
    return override.split("=", 1)[0].lstrip("+~")


def _group(name: str, spec: Any, taken: dict[str, str]) -> LinkedGroup:
    where = f"{LINKED}.{name}"
    if not isinstance(spec, Mapping) or not spec:
        raise ConfigError(where, spec, SHAPE)
    leaves = flatten_params(dict(spec))
    for key, values in leaves.items():
        if not isinstance(values, list | tuple) or not values:
            raise ConfigError(
                f"{where}.{key}", values, "a non-empty list of values, one per linked setting"
            )
    lengths = {key: len(values) for key, values in leaves.items()}
    if len(set(lengths.values())) > 1:
        counts = ", ".join(f"{key} has {n}" for key, n in lengths.items())
        raise ConfigError(
            where,
            None,
            "",
            message=(
                f"invalid configuration: {where}: lists of different lengths ({counts}) (allowed: "
                "lists of equal length: value i of every key runs together)"
            ),
        )
    for key in leaves:
        if key in taken:
            raise ConfigError(
                where,
                None,
                "",
                message=(
                    f"invalid configuration: {where}: {key} is also set {taken[key]} (allowed: "
                    "each key in one place, in one linked group or on the command line)"
                ),
            )
        taken[key] = f"in {where}"
    n = next(iter(lengths.values()))
    rows = tuple(
        tuple(f"{key}={override_value(values[i])}" for key, values in leaves.items())
        for i in range(n)
    )
    try:
        for row in rows:
            check_overrides(list(row))
    except ConfigError as error:
        raise ConfigError(
            error.key,
            error.value,
            error.allowed,
            message=str(error).replace(
                "invalid configuration: ", f"invalid configuration: {where}: ", 1
            ),
        ) from None
    return LinkedGroup(name, tuple(leaves), rows)


def linked_groups(linked: Any, given: Iterable[str] = ()) -> list[LinkedGroup]:
    """Check the linked groups of a sweep (``hydra.sweeper.linked``).

    ``given`` are the sweep's other overrides (``key=value`` or ``key=a,b``): a key set
    there cannot also be linked.
    """
    linked = _plain(linked)
    if not linked:
        return []
    if not isinstance(linked, Mapping):
        raise ConfigError(
            LINKED, linked, "named groups, each " + SHAPE + f", as +{LINKED}.NAME={{...}}"
        )
    taken = {_key(o): "on the command line" for o in given}
    return [_group(str(name), spec, taken) for name, spec in linked.items()]


def link(jobs: Sequence[Sequence[str]], groups: Sequence[LinkedGroup]) -> list[list[str]]:
    """Every job crossed with every combination of the groups' settings."""
    combos = list(product(*(group.rows for group in groups)))
    return [[*job, *(o for row in combo for o in row)] for job in jobs for combo in combos]
