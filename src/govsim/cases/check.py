"""Checking every row of a case log (逐行校验): kept cases, and rejected rows with a reason.

Each row is kept or rejected; nothing is dropped silently (kept + rejected = rows read).
A rejected row carries its first reason in :data:`REASONS` order as ``reason`` and every
reason it has as ``reasons``. The reasons:

- ``missing id`` / ``duplicate id`` (the first row with an id is kept, later ones rejected);
- ``missing created`` / ``bad created time`` / ``bad closed time`` (not a time under
  ``time_format``, or else not ISO 8601 nor a date pandas can read) / ``closed before
  created``;
- ``closed status without a closed time``: the status says closed but the closing time is
  empty, so the case's duration is unknown;
- ``missing unit`` / ``unit not mapped`` (``units:`` given but silent on the value) /
  ``unknown unit`` (not a unit of ``--city`` at ``unit_level``);
- ``missing category`` (when a case type is needed: ``categories:`` or ``--city`` given) /
  ``category not mapped`` / ``unknown category`` (not a case type of ``--city``);
- ``bad satisfaction`` (not a number) / ``bad reopened`` (not a count nor yes/no).

A row whose status says open but that has a closing time (a case reopened after a
closure) is kept with a **warning**: its status stays open and its closing time is kept.
A status that ``statuses:`` leaves out (or, without the map, other than open/closed) is
derived from the closing time; handlers and channels the maps leave out keep the log's
own value. Every value of the category, unit, handler, status, channel and severity
columns is listed with its count and what it maps to (:func:`value_lists`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govsim.cases.city import CityReference
from govsim.cases.mapping import FIELDS, HANDLER_LEVELS, CaseLogMapping
from govsim.cases.read import CaseLog
from govsim.config.errors import PathError

__all__ = ["LISTED", "REASONS", "WARNINGS", "CheckResult", "check_against_city", "check_log",
           "parse_times", "value_lists"]

REASONS = ("missing id", "duplicate id", "missing created", "bad created time",
           "bad closed time", "closed before created", "closed status without a closed time",
           "missing unit", "unit not mapped", "unknown unit", "missing category",
           "category not mapped", "unknown category", "bad satisfaction", "bad reopened")
"""Why a row is rejected, in the order they are checked."""

WARNINGS = ("open status with a closed time",)
"""What is noted on a kept row."""

LISTED = {"category": "categories", "unit": "units", "handler": "handlers",
          "status": "statuses", "channel": "channels", "severity": None}
"""Fields whose values are listed, with the value map that translates them."""

_YES = {"1", "true", "yes", "y", "是", "已重开"}
_NO = {"0", "false", "no", "n", "否", "未重开"}
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking a log."""

    rows_read: int
    kept: pd.DataFrame
    """One row per kept case: ``row`` and govsim's fields (parsed times, mapped values)."""
    rejected: pd.DataFrame
    """The rejected rows as the file has them, with ``row``, ``reason`` and ``reasons``."""
    values: pd.DataFrame
    """``field``, ``value``, ``rows``, ``maps_to`` (empty: the map leaves it out) and
    ``has_map`` (whether the mapping has a value map for the field)."""

    def reason_counts(self) -> pd.Series:
        """Rows rejected per reason (each row under its first reason), in check order."""
        counts = self.rejected["reason"].value_counts()
        return pd.Series({r: int(counts.get(r, 0)) for r in REASONS if counts.get(r, 0)},
                         dtype="int64")

    def warning_counts(self) -> pd.Series:
        """Kept rows per warning."""
        counts = self.kept["warning"].value_counts()
        return pd.Series({w: int(counts.get(w, 0)) for w in WARNINGS if counts.get(w, 0)},
                         dtype="int64")


def _one_time(text: str) -> pd.Timestamp:
    if not _YEAR.search(text):
        return pd.NaT
    try:
        value = pd.Timestamp(text)
    except (ValueError, OverflowError, TypeError):
        return pd.NaT
    return value.tz_localize(None) if value.tzinfo is not None else value


def parse_times(text: pd.Series, time_format: str | None = None) -> pd.Series:
    """Times from text: by ``time_format`` when given, else ISO 8601 or pandas' own reading.

    Empty text and text that is not a time both give NaT (the caller tells them apart).
    Times with a UTC offset keep their wall-clock time.
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    present = text[text != ""]
    if present.empty:
        return out
    if time_format is not None:
        parsed = pd.to_datetime(present, format=time_format, errors="coerce")
        out[present.index] = parsed.astype("datetime64[ns]")
        return out
    try:
        parsed = pd.to_datetime(present, format="ISO8601", errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        out[present.index] = parsed.astype("datetime64[ns]")
    except (ValueError, TypeError):  # mixed offsets: read one by one below
        pass
    rest = out.index.isin(present.index) & out.isna().to_numpy()
    if rest.any():
        out[rest] = [_one_time(t) for t in text[rest]]
    return out


def _mapped(values: pd.Series, table: dict[str, str] | None) -> pd.Series:
    return values if table is None else values.map(table)


def check_against_city(mapping: CaseLogMapping, city: CityReference) -> None:
    """Refuse a mapping whose maps point outside the city (a fault of the mapping, not rows)."""
    wanted = {"categories": city.case_types, "units": city.units[mapping.unit_level],
              "handlers": (*HANDLER_LEVELS, *city.departments)}
    for name, allowed in wanted.items():
        for log_value, target in (mapping.value_map(name) or {}).items():
            if target not in allowed:
                shown = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
                raise PathError(mapping.source, f"{name}.{log_value}: {target!r} is not in "
                                f"city {city.name}", f"one of {shown}")


def _status(fields: pd.DataFrame, mapping: CaseLogMapping,
            has_closed: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each row's status and whether the log said it (rather than it being derived)."""
    derived = pd.Series(np.where(has_closed, "closed", "open"), index=fields.index)
    if "status" not in fields:
        return derived, pd.Series(False, index=fields.index)
    raw = fields["status"]
    if mapping.statuses is not None:
        said = raw.map(mapping.statuses)
    else:
        said = raw.str.lower().where(raw.str.lower().isin(["open", "closed"]))
    return said.fillna(derived), said.notna()


def _reopened(text: pd.Series) -> pd.Series:
    lower = text.str.lower()
    number = pd.to_numeric(text.where(text != ""), errors="coerce")
    number = number.where(number >= 0)
    words = pd.Series(np.select([lower.isin(_YES), lower.isin(_NO)], [1.0, 0.0], np.nan),
                      index=text.index)
    return number.fillna(words)


def check_log(log: CaseLog, mapping: CaseLogMapping,
              city: CityReference | None = None) -> CheckResult:
    """Check every row of a log; return the kept cases and the rejected rows."""
    if city is not None:
        check_against_city(mapping, city)
    f = log.fields
    blank = pd.Series("", index=f.index)
    text = {name: f.get(name, blank) for name in FIELDS}
    created = parse_times(text["created"], mapping.time_format)
    closed = parse_times(text["closed"], mapping.time_format)
    has_closed = closed.notna()
    status, said = _status(f, mapping, has_closed)
    unit = _mapped(text["unit"], mapping.units)
    category = _mapped(text["category"], mapping.categories)
    needs_type = "category" in f and (mapping.categories is not None or city is not None)
    satisfaction = pd.to_numeric(text["satisfaction"].where(text["satisfaction"] != ""),
                                 errors="coerce")
    reopened = _reopened(text["reopened"])
    present = {name: text[name] != "" for name in FIELDS}
    checks = {
        "missing id": ~present["id"],
        "duplicate id": present["id"] & text["id"].duplicated(keep="first"),
        "missing created": ~present["created"],
        "bad created time": present["created"] & created.isna(),
        "bad closed time": present["closed"] & ~has_closed,
        "closed before created": has_closed & created.notna() & (closed < created),
        "closed status without a closed time": said & (status == "closed") & ~present["closed"],
        "missing unit": ~present["unit"],
        "unit not mapped": present["unit"] & unit.isna(),
        "unknown unit": (present["unit"] & unit.notna()
                         & ~unit.isin(city.units[mapping.unit_level]) if city is not None
                         else pd.Series(False, index=f.index)),
        "missing category": ~present["category"] if needs_type else pd.Series(
            False, index=f.index),
        "category not mapped": (present["category"] & category.isna()
                                if mapping.categories is not None
                                else pd.Series(False, index=f.index)),
        "unknown category": (present["category"] & ~category.isin(city.case_types)
                             if city is not None and mapping.categories is None
                             and "category" in f else pd.Series(False, index=f.index)),
        "bad satisfaction": present["satisfaction"] & satisfaction.isna(),
        "bad reopened": present["reopened"] & reopened.isna(),
    }
    assert tuple(checks) == REASONS
    failed = pd.DataFrame(checks)
    bad = failed.any(axis=1).to_numpy()
    joined = np.full(len(f), "", dtype=object)
    first = np.full(len(f), "", dtype=object)
    for name in reversed(REASONS):
        hit = failed[name].to_numpy()
        joined = np.where(hit, np.where(joined == "", name, name + "; " + joined), joined)
        first = np.where(hit, name, first)
    reasons = pd.Series(joined, index=f.index)
    first = pd.Series(first, index=f.index)

    def column(name: str, values: pd.Series) -> pd.Series:
        return values if name in f else pd.Series(pd.NA, index=f.index, dtype="object")

    kept = pd.DataFrame({
        "row": f["row"], "id": text["id"], "created": created,
        "closed": closed, "status": status,
        "category": column("category", category.where(present["category"])),
        "unit": unit,
        "handler": column("handler", _mapped(text["handler"], mapping.handlers).fillna(
            text["handler"]).where(present["handler"])),
        "channel": column("channel", _mapped(text["channel"], mapping.channels).fillna(
            text["channel"]).where(present["channel"])),
        "severity": column("severity", text["severity"].where(present["severity"])),
        "satisfaction": satisfaction,
        "reopened": reopened.astype("Int64") if "reopened" in f else pd.Series(
            pd.NA, index=f.index, dtype="Int64"),
        "warning": np.where(said & (status == "open") & has_closed,
                            WARNINGS[0], ""),
    })[~bad].reset_index(drop=True)
    rejected = log.original[bad].copy()
    rejected.insert(0, "row", f["row"][bad])
    rejected["reason"] = first[bad]
    rejected["reasons"] = reasons[bad]
    return CheckResult(rows_read=len(f), kept=kept, rejected=rejected.reset_index(drop=True),
                       values=value_lists(log, mapping))


def value_lists(log: CaseLog, mapping: CaseLogMapping) -> pd.DataFrame:
    """Every value of the listed columns over all rows read, its count and what it maps to."""
    rows = []
    for name, map_name in LISTED.items():
        if name not in log.fields:
            continue
        table = mapping.value_map(map_name) if map_name else None
        for value, count in log.fields[name].value_counts().items():
            rows.append({"field": name, "value": value, "rows": int(count),
                         "maps_to": (table or {}).get(value, ""), "has_map": table is not None})
    return pd.DataFrame(rows, columns=["field", "value", "rows", "maps_to", "has_map"])
