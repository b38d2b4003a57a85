"""The user's overrides, checked before Hydra composes them, and Hydra's errors in govsim's words.

**Every key known.** :func:`check_overrides` refuses an override (``+`` or not) of a key
that govsim's schema does not define, naming the nearest valid key. The schema is open on
purpose in three places only: Hydra's own keys (``hydra.*``, sweeper parameters
included), new departments of a city (``+city.departments.NAME=...``) and new case types
(``+city.case_types.NAME=...``), whose fields are checked like any other.

**One line.** :func:`translate` turns the exceptions of Hydra's composition (a missing
option, a value of the wrong type, an unparsable override, a malformed YAML file) into a
:class:`~govsim.config.errors.RequestError` whose message names the key and what is allowed
— never Hydra's advice to add a ``+``.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import Field, fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import ChoiceSweep, Override, OverrideType
from hydra.errors import HydraException, MissingConfigException
from omegaconf.errors import OmegaConfBaseException

from govsim.composition.city_paths import is_city_path, search_path, stage
from govsim.config.errors import PathError, RequestError
from govsim.config.schema import ExperimentConfig
from govsim.config.validate import ConfigError, allowed
from govsim.mechanisms import REGISTRY

__all__ = [
    "COMPOSITION_ERRORS",
    "GROUPS",
    "check_key",
    "check_overrides",
    "flatten_params",
    "parse",
    "range_overrides",
    "translate",
    "typed_ranges",
]

GROUPS = ("city", "mechanism", "scenario")
"""govsim's config groups: ``city=NAME`` chooses a YAML file rather than setting a key."""


class _Mechanisms:
    """The ``mechanism`` section: one entry per registered mechanism, each with its schema."""


class _Closed:
    """A mapping whose keys are fixed by its field's contract (``keys`` in the metadata)."""

    def __init__(self, keys: Sequence[str], value: Any) -> None:
        self.keys, self.value = tuple(keys), value


def _children(node: Any) -> dict[str, Any] | None:
    """The keys under a schema node and their types (None: any name is allowed)."""
    if node is _Mechanisms:
        return {name: m.config_class for name, m in REGISTRY.items()}
    if isinstance(node, _Closed):
        return dict.fromkeys(node.keys, node.value)
    if is_dataclass(node):
        hints = get_type_hints(node)
        children = {
            f.name: _Closed(f.metadata["keys"], get_args(hints[f.name])[1])
            if "keys" in f.metadata
            else hints[f.name]
            for f in fields(node)
        }
        if node is ExperimentConfig:
            children["mechanism"] = _Mechanisms
        return children
    if get_origin(node) is dict:
        return None
    return {}


def _field(parent: Any, name: str) -> Field | None:
    if is_dataclass(parent):
        return next((f for f in fields(parent) if f.name == name), None)
    return None


def _keys(node: Any = ExperimentConfig, prefix: str = "") -> list[str]:
    """Every key of the schema, ``NAME`` standing for an entry of an open mapping."""
    children = _children(node)
    if children is None:
        return _keys(get_args(node)[1], f"{prefix}.NAME")
    if not children:
        return [prefix]
    return [
        key
        for name, child in children.items()
        for key in _keys(child, f"{prefix}.{name}" if prefix else name)
    ]


def _nearest(part: str, options: Sequence[str]) -> str | None:
    found = difflib.get_close_matches(part, options, n=1, cutoff=0.6)
    return found[0] if found else None


def _unknown(key: str, value: Any, where: str, part: str, children: Sequence[str]) -> ConfigError:
    prefix = f"{where}." if where else ""
    nearest = _nearest(part, children)
    if nearest is not None:
        guess = f"{prefix}{nearest}{key[len(prefix) + len(part) :]}"
    else:  # a key given at the wrong level: look for its last part anywhere
        everywhere = _keys()
        ends = _nearest(key.rsplit(".", 1)[-1], [k.rsplit(".", 1)[-1] for k in everywhere])
        guess = next((k for k in everywhere if k.endswith(f".{ends}")), None) if ends else None
    hint = f"; did you mean {guess}?" if guess else ""
    return ConfigError(
        key,
        value,
        ", ".join(children),
        message=(
            f"invalid configuration: unknown key {key!r}{hint} (allowed "
            f"{'under ' + where if where else 'at the top'}: {', '.join(children)})"
        ),
    )


def check_key(key: str, value: Any = None) -> Field | None:
    """Refuse a key govsim does not define; return the contract of the field it names."""
    node: Any = ExperimentConfig
    parent: Any = None
    parts = key.split(".")
    for i, part in enumerate(parts):
        children = _children(node)
        if children is None:  # an open mapping: new departments and case types
            node, parent = get_args(node)[1], None
            continue
        where = ".".join(parts[:i])
        if part not in children:
            if not children:
                raise ConfigError(
                    key,
                    value,
                    f"{where}=VALUE",
                    message=(
                        f"invalid configuration: {key!r}: {where} takes a value and has no keys "
                        f"(allowed: {where}=VALUE)"
                    ),
                )
            raise _unknown(key, value, where, part, list(children))
        parent, node = node, children[part]
    return _field(parent, parts[-1])


def flatten_params(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested keys (as dotted overrides or nested YAML make them) as {dotted.key: value}."""
    flat: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten_params(dict(value), name))
        else:
            flat[name] = value
    return flat


@functools.cache
def _parser() -> OverridesParser:
    return OverridesParser.create()


@functools.lru_cache(maxsize=8192)
def _parse_one(text: str) -> Override:
    """One override parsed, kept: a sweep's jobs repeat most of theirs.

    Nothing changes a parsed override, so the same one can be handed out again.
    """
    return _parser().parse_override(text)


def typed_ranges(
    params: Sequence[tuple[str, float, float, bool]],
) -> list[tuple[str, float, float, bool]]:
    """Calibrated ranges searched over integers where the key takes integers (staff).

    Whatever the range's ends look like (``0:2`` for a delay in days is a range of reals);
    a key govsim does not define is refused, naming the nearest ones.
    """
    checked = []
    for key, low, high, _ in params:
        field = check_key(key)
        kind = field.metadata.get("kind") if field is not None else None
        checked.append((key, low, high, kind == "integer"))
    return checked


def range_overrides(
    params: Sequence[tuple[str, float, float, bool]], values: Mapping[str, float]
) -> list[str]:
    """Hydra overrides setting calibrated keys to values (integer keys rounded)."""
    return [
        f"{key}={round(values[key]) if integer else float(values[key])!r}"
        for key, _, _, integer in params
    ]


def parse(overrides: Sequence[str]) -> list[Override]:
    """Parse Hydra overrides (one-line :class:`ConfigError` if one does not parse)."""
    parsed = []
    for text in overrides:
        try:
            parsed.append(_parse_one(text))
        except HydraException as error:
            problem = str(error).splitlines()[0]
            raise ConfigError(
                text,
                None,
                "KEY=VALUE",
                message=(
                    f"invalid configuration: cannot read the override {text!r}: {problem} "
                    "(allowed: KEY=VALUE in Hydra's override syntax)"
                ),
            ) from None
    return parsed


def _is_hydra(key: str) -> bool:
    return key == "hydra" or key.startswith(("hydra.", "hydra/"))


def _new_entry(override: Override) -> str | None:
    """``+city.departments.NAME={...}`` as ``++city.departments={NAME: {...}}``.

    A new department or case type is added whole; OmegaConf can add it to the typed
    mapping only by merging, so the override is rewritten into the merging form.
    """
    parts = override.key_or_group.split(".")
    if (
        override.type not in (OverrideType.ADD, OverrideType.FORCE_ADD)
        or len(parts) != 3
        or parts[0] != "city"
        or parts[1] not in ("departments", "case_types")
    ):
        return None
    value = override.input_line.split("=", 1)[1]
    return f"++city.{parts[1]}={{{parts[2]}:{value}}}"


def check_overrides(overrides: Sequence[str]) -> list[str]:
    """Refuse any override of a key govsim does not define; return them as Hydra takes them.

    New departments and case types (``+city.departments.NAME={...}``) come back in the
    form Hydra can add; every other override comes back as it was given.
    """
    checked = []
    staged = False
    for text, override in zip(overrides, parse(overrides), strict=True):
        key = override.key_or_group
        if not (_is_hydra(key) or override.package is not None or key in GROUPS):
            value = None if override.is_sweep_override() else override.get_value_element_as_str()
            check_key(key, value)
        city_files = _city_files(override)
        staged = staged or city_files is not None
        checked.append(city_files or _new_entry(override) or text)
    return _with_staged_cities(checked) if staged else checked


def _city_files(override: Override) -> str | None:
    """``city=PATH`` (or a sweep of paths and names) as ``city=NAME`` of staged copies."""
    if override.key_or_group != "city" or override.package is not None:
        return None
    if override.is_sweep_override():
        if not isinstance(override.value(), ChoiceSweep):
            return None
        values = [str(v) for v in override.value().list]
    else:
        values = [override.get_value_element_as_str()]
    if not any(is_city_path(v) for v in values):
        return None
    names = [stage(v) if is_city_path(v) else v for v in values]
    return "city=" + ",".join(names)


def _with_staged_cities(checked: list[str]) -> list[str]:
    """Put the staged cities on Hydra's search path (beside any search path given)."""
    entry = search_path()
    for k, text in enumerate(checked):
        override = parse([text])[0]
        if override.key_or_group == "hydra.searchpath" and override.type == OverrideType.CHANGE:
            given = (
                [str(v) for v in override.value()]
                if isinstance(override.value(), list)
                else [str(override.value())]
            )
            checked[k] = "hydra.searchpath=[" + ",".join([*given, entry]) + "]"
            return checked
    return [*checked, f"hydra.searchpath=[{entry}]"]


_ADVICE = (
    "To append to your config use",
    "Either remove + prefix",
    "Or add a second +",
    "See https://",
    "Set the environment variable HYDRA_FULL_ERROR",
)
_FULL_KEY = re.compile(r"full_key: (\S+)")
_MERGING = re.compile(r"Error merging override (\S+?)=(.*)$", re.MULTILINE)
_TAKEN = re.compile(r"An item is already at '(\S+)'")


def _lines(error: BaseException) -> list[str]:
    lines: list[str] = []
    while error is not None:
        lines += [line.strip() for line in str(error).splitlines()]
        error = error.__cause__  # type: ignore[assignment]
    return [line for line in lines if line and not line.startswith(_ADVICE)]


def _missing_option(error: MissingConfigException) -> RequestError:
    group, _, name = (error.missing_cfg_file or "").rpartition("/")
    options = ", ".join(error.options or []) or "(none found)"
    return ConfigError(
        group or "config",
        name,
        "one of " + options,
        message=(
            f"invalid configuration: {group or 'config'}={name}: no such option "
            f"(allowed: {options})"
        ),
    )


def _yaml_error(error: yaml.YAMLError) -> RequestError:
    mark = getattr(error, "problem_mark", None)
    where = f"{mark.name}, line {mark.line + 1}" if mark is not None else "a YAML file"
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return PathError(where, f"malformed YAML: {problem}", "valid YAML")


def translate(error: BaseException) -> RequestError:
    """A one-line :class:`RequestError` for an exception of Hydra's composition."""
    if isinstance(error, RequestError):
        return error
    if isinstance(error, MissingConfigException) and error.missing_cfg_file:
        return _missing_option(error)
    if isinstance(error, yaml.YAMLError):
        return _yaml_error(error)
    lines = _lines(error)
    text = "\n".join(lines)
    if (taken := _TAKEN.search(text)) is not None:
        key = taken.group(1)
        return ConfigError(
            key,
            None,
            f"{key}=VALUE",
            message=(
                f"invalid configuration: +{key}: {key} is already a key (allowed: {key}=VALUE, "
                "without +)"
            ),
        )
    merging = _MERGING.search(text)
    full_key = _FULL_KEY.search(text)
    key = merging.group(1).lstrip("+~") if merging else full_key.group(1) if full_key else None
    context = next((line.split(":")[0] for line in lines if line.startswith("In '")), "")
    if key is not None and not _is_hydra(key):
        try:
            contract = check_key(key)
        except ConfigError as unknown:
            where = f"in {context.removeprefix('In ')}: " if context else ""
            return ConfigError(
                unknown.key,
                unknown.value,
                unknown.allowed,
                message=(
                    str(unknown).replace(
                        "invalid configuration: ", f"invalid configuration: {where}"
                    )
                ),
            )
        if merging is not None and contract is not None and allowed(contract):
            return ConfigError(key, merging.group(2), allowed(contract))
    detail = "; ".join(
        line
        for line in lines
        if not line.startswith(
            ("full_key:", "object_type=", "reference_type=", "Config search path", "provider=")
        )
    )
    return ConfigError("config", None, "", message=f"invalid configuration: {detail}")


COMPOSITION_ERRORS = (HydraException, OmegaConfBaseException, yaml.YAMLError)
"""What Hydra's composition raises for a bad request (see :func:`translate`)."""
