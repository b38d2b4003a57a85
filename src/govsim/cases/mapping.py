"""The mapping of a case log (字段映射): which column holds each field, and what its values mean.

A mapping is a YAML file::

    id: 事件编号            # the column of each field (required: id, created, unit)
    created: 上报时间
    closed: 办结时间
    category: 二级分类
    unit: 镇街名称
    handler: 办结职能科室/部门
    status: 事件状态
    channel: 网格类型
    severity: 事件级别
    dispatched: 最后派发时间      # optional: when the case was last dispatched to its handler
    accepted: 最后受理时间        # optional: when the handler accepted it
    time_format: "%Y-%m-%d %H:%M"   # optional; else ISO 8601 or pandas' own parsing
    timezone: Asia/Shanghai         # the zone of the log's wall-clock times (default)
    max_gap_days: 7                 # days without a case that separate a log's periods
    max_closure_days: 365           # the longest report-to-closure time believed
    unit_level: street              # the level of the unit column
    categories: {消费纠纷: consumer_dispute}     # log value -> case type
    units: {高桥镇: street/0}                     # log value -> the city's unit
    handlers: {综合治理办: street}                # log value -> level or department
    statuses: {归档: closed, 受理: open}          # log value -> open / closed
    channels: {城市网格: patrol}                  # log value -> govsim channel
    handler_rules:                                # patterns for handlers not named above
      - {pattern: 警务协同, to: grid}               # a regular expression -> level or department

Every key is checked: an unknown key is refused with the nearest one, a value map must
map text to allowed values, a ``time_format`` must be a format Python can read and name
the year, a ``timezone`` must be a zone of the IANA database, a ``handler_rules`` pattern
a regular expression (:mod:`govsim.cases.handlers` applies the rules). What each map leaves out is
listed by the check (:mod:`govsim.cases.check`).

The file is read as written (:class:`MappingLoader`): every key and value is text, so a
log value ``yes``, ``null``, ``010`` or ``2025-01-01`` maps as that text, not as a truth
value, nothing, 8 or a date; only a plain whole number (``sheet: 1``) is a number. A key
given twice in one map is refused with its lines (YAML would keep the last silently).
"""

from __future__ import annotations

import contextlib
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govsim.city.levels import Level
from govsim.config.errors import PathError
from govsim.model.ledger import Channel

__all__ = [
    "CHANNELS",
    "FIELDS",
    "HANDLER_LEVELS",
    "MAX_CLOSURE_DAYS",
    "MAX_GAP_DAYS",
    "REQUIRED",
    "RULES",
    "STATUSES",
    "TIMEZONE",
    "UNIT_LEVELS",
    "VALUE_MAPS",
    "CaseLogMapping",
    "KeyTwiceError",
    "MappingLoader",
    "load_mapping",
    "parse_mapping",
]

FIELDS = (
    "id",
    "created",
    "closed",
    "category",
    "unit",
    "handler",
    "status",
    "channel",
    "severity",
    "satisfaction",
    "reopened",
    "dispatched",
    "accepted",
)
"""govsim's fields of a case, each read from the column the mapping names."""

REQUIRED = ("id", "created", "unit")
"""Fields every mapping must name: without them a row is not a case of a place and time."""

UNIT_LEVELS = ("grid", "community", "street", "district")
"""Levels of the places where cases arise (网格、社区、街道/乡镇、区县)."""

HANDLER_LEVELS = tuple(level.name.lower() for level in Level)
"""Levels a case can be handled at (``grid`` ... ``above``); a handler maps to one of them
or to a department of the city."""

STATUSES = ("open", "closed")
"""What a status maps to."""

CHANNELS = tuple(c.name.lower() for c in Channel if c != Channel.NONE)
"""govsim's channels by which a case becomes known (``patrol``, ``hotline``, ...)."""

VALUE_MAPS = ("categories", "units", "handlers", "statuses", "channels")
"""Value maps: the log's value → govsim's (case type, unit, level or department, status,
channel)."""

OPTIONS = (
    "time_format",
    "timezone",
    "unit_level",
    "encoding",
    "sheet",
    "max_gap_days",
    "max_closure_days",
)
"""Other keys: how to parse times and their zone, the unit column's level, a CSV's text
encoding, an Excel sheet, and the bounds of a plausible row (:mod:`govsim.cases.check`)."""

TIMEZONE = "Asia/Shanghai"
"""The zone of a log's times unless ``timezone`` says otherwise (China Standard Time)."""

MAX_GAP_DAYS = 7
"""Days in a row without a case that part a log into periods, unless ``max_gap_days``."""

MAX_CLOSURE_DAYS = 365
"""The longest time from report to closure believed, unless ``max_closure_days``."""

_FORMAT_EXAMPLE = "a strftime format naming the year, such as '%Y-%m-%d %H:%M'"
_YEAR_DIRECTIVE = re.compile(r"%[-#]?[YyGcx]")
_DAY_DIRECTIVE = re.compile(r"%[-#]?[djcx]")

RULES = "handler_rules"
"""The key of the mapping's own rules for handlers (a list of ``{pattern: REGEX, to: ...}``)."""

KEYS = (*FIELDS, *OPTIONS, *VALUE_MAPS, RULES)

_ALLOWED = (
    "fields "
    + ", ".join(FIELDS)
    + " (column names; required: "
    + ", ".join(REQUIRED)
    + "), "
    + ", ".join(OPTIONS)
    + ", maps "
    + ", ".join(VALUE_MAPS)
    + " and "
    + RULES
)


@dataclass(frozen=True)
class CaseLogMapping:
    """A checked mapping: the column of each field, options and value maps."""

    columns: dict[str, str]
    """govsim field → the log's column (only the fields the mapping names)."""
    unit_level: str = "street"
    time_format: str | None = None
    timezone: str = TIMEZONE
    max_gap_days: float = MAX_GAP_DAYS
    max_closure_days: float = MAX_CLOSURE_DAYS
    encoding: str = "utf-8-sig"
    sheet: str | int = 0
    categories: dict[str, str] | None = None
    units: dict[str, str] | None = None
    handlers: dict[str, str] | None = None
    statuses: dict[str, str] | None = None
    channels: dict[str, str] | None = None
    handler_rules: tuple[tuple[str, str], ...] | None = None
    """(pattern, level or department) for handlers ``handlers`` does not name, in order."""
    source: Path = field(default=Path("mapping"))
    """The file the mapping came from (named in messages)."""

    def value_map(self, name: str) -> dict[str, str] | None:
        """One value map by its key (``categories`` ...), or None when not given."""
        return getattr(self, name)


def _refuse(source: Path, problem: str, allowed: str) -> PathError:
    return PathError(source, problem, allowed)


def _text(source: Path, key: str, value: Any, allowed: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise _refuse(source, f"{key}: {value!r} is not a column name or text", allowed)
    return str(value)


def _time_format(source: Path, value: Any) -> str:
    """A ``time_format`` Python reads (a time written in it reads back) that names the year."""
    from datetime import UTC, datetime, timedelta, timezone

    text = _text(source, "time_format", value, _FORMAT_EXAMPLE)
    if "%" not in text:
        raise _refuse(source, f"time_format: {text!r} has no % directive", _FORMAT_EXAMPLE)
    # Written with an offset (China's, then UTC's name), so %z and %Z read back too.
    samples = [
        datetime(2025, 5, 1, 10, 30, tzinfo=zone) for zone in (timezone(timedelta(hours=8)), UTC)
    ]
    problems = []
    for sample in samples:
        try:
            datetime.strptime(sample.strftime(text), text)
            break
        except ValueError as error:
            problems.append(error)
    else:
        raise _refuse(
            source,
            f"time_format: {text!r} is not a format times can be read in ({problems[0]})",
            _FORMAT_EXAMPLE,
        )
    if not _YEAR_DIRECTIVE.search(text):
        raise _refuse(
            source,
            f"time_format: {text!r} has no year (%Y or %y): every time would fall in 1900",
            _FORMAT_EXAMPLE,
        )
    if not _DAY_DIRECTIVE.search(text):
        raise _refuse(
            source,
            f"time_format: {text!r} has no day (%d or %j): every time "
            "would fall on the first of its month",
            _FORMAT_EXAMPLE,
        )
    return text


def _timezone(source: Path, value: Any) -> str:
    """A zone of the IANA database (``Asia/Shanghai``), checked with :mod:`zoneinfo`."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text = _text(source, "timezone", value, "a zone such as Asia/Shanghai")
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise _refuse(
            source,
            f"timezone: {text!r} is not a known time zone",
            "a zone of the IANA database, such as Asia/Shanghai",
        ) from None
    return text


def _days(source: Path, key: str, value: Any, default: float) -> float:
    """A positive number of days for ``key`` (the default when the key is absent)."""
    if value is None:
        return default
    if isinstance(value, str):  # the file is read as written: 1.5 is text until here
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e5:
        raise _refuse(
            source,
            f"{key}: {value!r} is not a number of days",
            f"a number of days above 0 (default {default:g})",
        )
    return value


def _value_map(source: Path, key: str, value: Any, targets: tuple[str, ...] | None) -> dict:
    allowed = "log value: " + " / ".join(targets) if targets else "log value: govsim value (text)"
    if not isinstance(value, dict) or not value:
        raise _refuse(source, f"{key}: {value!r} is not a map of values", allowed)
    mapped: dict[str, str] = {}
    for log_value, target in value.items():
        name = _text(source, f"{key}.{log_value}", target, allowed)
        if targets is not None and name not in targets:
            near = difflib.get_close_matches(name, targets, n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]}?" if near else ""
            raise _refuse(
                source,
                f"{key}.{log_value}: {name!r} is not allowed{hint}",
                "one of " + ", ".join(targets),
            )
        mapped[str(log_value)] = name
    return mapped


def _rules(source: Path, value: Any) -> tuple[tuple[str, str], ...]:
    """``handler_rules``: a list of ``{pattern: REGEX, to: LEVEL_OR_DEPARTMENT}``."""
    allowed = (
        f"{RULES}: a list of {{pattern: REGEX, to: LEVEL}} (a level "
        + " / ".join(HANDLER_LEVELS)
        + ", or a department of the city)"
    )
    if not isinstance(value, list) or not value:
        raise _refuse(source, f"{RULES}: {value!r} is not a list of rules", allowed)
    rules = []
    for k, rule in enumerate(value):
        if not isinstance(rule, dict) or set(rule) != {"pattern", "to"}:
            raise _refuse(
                source, f"{RULES}[{k}]: {rule!r} is not {{pattern: ..., to: ...}}", allowed
            )
        pattern = _text(source, f"{RULES}[{k}].pattern", rule["pattern"], allowed)
        try:
            re.compile(pattern)
        except re.error as error:
            raise _refuse(
                source,
                f"{RULES}[{k}].pattern: {pattern!r} is not a regular expression ({error})",
                allowed,
            ) from None
        rules.append((pattern, _text(source, f"{RULES}[{k}].to", rule["to"], allowed)))
    return tuple(rules)


def parse_mapping(raw: Any, source: Path | str = "mapping") -> CaseLogMapping:
    """Check a mapping given as a dictionary (as read from YAML) and return it."""
    source = Path(source)
    if not isinstance(raw, dict):
        raise _refuse(source, "is not a YAML mapping of keys to columns", _ALLOWED)
    for key in raw:
        if key not in KEYS:
            near = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]}?" if near else ""
            raise _refuse(source, f"unknown key {key!r}{hint}", _ALLOWED)
    missing = [f for f in REQUIRED if f not in raw]
    if missing:
        raise _refuse(
            source,
            "no column named for " + ", ".join(missing),
            "a mapping with at least " + ", ".join(REQUIRED),
        )
    columns = {f: _text(source, f, raw[f], "a column of the log") for f in FIELDS if f in raw}
    unit_level = str(raw.get("unit_level", "street"))
    if unit_level not in UNIT_LEVELS:
        raise _refuse(
            source,
            f"unit_level: {raw.get('unit_level')!r} is not a level of a city",
            "one of " + ", ".join(UNIT_LEVELS),
        )
    time_format = raw.get("time_format")
    if time_format is not None:
        time_format = _time_format(source, time_format)
    timezone = _timezone(source, raw.get("timezone", TIMEZONE))
    max_gap = _days(source, "max_gap_days", raw.get("max_gap_days"), MAX_GAP_DAYS)
    max_closure = _days(source, "max_closure_days", raw.get("max_closure_days"), MAX_CLOSURE_DAYS)
    encoding = _text(
        source,
        "encoding",
        raw.get("encoding", "utf-8-sig"),
        "a text encoding such as utf-8 or gb18030",
    )
    sheet = raw.get("sheet", 0)
    sheet = (
        sheet
        if isinstance(sheet, int) and not isinstance(sheet, bool)
        else _text(source, "sheet", sheet, "an Excel sheet's name or its index from 0")
    )
    targets: dict[str, tuple[str, ...] | None] = {
        "categories": None,
        "units": None,
        "handlers": None,
        "statuses": STATUSES,
        "channels": CHANNELS,
    }
    maps = {
        name: _value_map(source, name, raw[name], targets[name])
        for name in VALUE_MAPS
        if name in raw
    }
    needs = {
        "categories": "category",
        "units": "unit",
        "handlers": "handler",
        "statuses": "status",
        "channels": "channel",
    }
    rules = _rules(source, raw[RULES]) if RULES in raw else None
    if rules is not None and "handler" not in columns:
        raise _refuse(
            source,
            f"{RULES} given but no column named for handler",
            f"handler: COLUMN beside {RULES}",
        )
    for name in maps:
        if needs[name] not in columns:
            raise _refuse(
                source,
                f"{name} given but no column named for {needs[name]}",
                f"{needs[name]}: COLUMN beside {name}",
            )
    return CaseLogMapping(
        columns=columns,
        unit_level=unit_level,
        time_format=time_format,
        timezone=timezone,
        max_gap_days=max_gap,
        max_closure_days=max_closure,
        encoding=encoding,
        sheet=sheet,
        source=source,
        handler_rules=rules,
        **maps,
    )


class KeyTwiceError(yaml.YAMLError):
    """A key given twice in one YAML map: the message names it and both its lines."""


class MappingLoader(yaml.SafeLoader):
    """YAML as written: every scalar is text but a plain whole number; no key twice in a map."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """The map, once no two of its keys are the same text."""
        lines: dict[str, int] = {}
        for key_node, _ in node.value:
            key = str(self.construct_object(key_node, deep=True))
            line = key_node.start_mark.line + 1
            if key in lines:
                raise KeyTwiceError(f"key {key!r} given twice (lines {lines[key]} and {line})")
            lines[key] = line
        return super().construct_mapping(node, deep=deep)


MappingLoader.yaml_implicit_resolvers = {}
MappingLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:0|-?[1-9][0-9]*)$"), list("-0123456789")
)


def load_mapping(path: Path | str) -> CaseLogMapping:
    """Read and check a mapping file (YAML)."""
    path = Path(path)
    if not path.is_file():
        raise PathError(
            path,
            "is not a file" if path.exists() else "does not exist",
            "a mapping file (YAML), as --mapping",
        )
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=MappingLoader)
    except KeyTwiceError as error:
        raise PathError(
            path, str(error), "each key once in a map (YAML would keep the last silently)"
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problem = " ".join(str(error).split())
        raise PathError(
            path, f"is not readable YAML ({problem})", "a mapping file in YAML (UTF-8)"
        ) from None
    return parse_mapping(raw, path)
