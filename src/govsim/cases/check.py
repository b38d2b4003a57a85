"""Checking every row of a case log (逐行校验): kept cases, and rejected rows with a reason.

Each row is kept or rejected; nothing is dropped silently (kept + rejected = rows read).
A rejected row carries its first reason in :data:`REASONS` order as ``reason`` and every
reason it has as ``reasons``. The reasons:

- ``missing id`` / ``duplicate id`` (the first row with an id is kept, later ones rejected);
- ``missing created`` / ``bad created time`` / ``bad closed time`` / ``bad dispatched
  time`` / ``bad accepted time`` (not a time under ``time_format``, or else not ISO 8601
  nor a date pandas can read) / ``closed before created``. The dispatch (派发) and
  acceptance (受理) times are optional and may be empty; their order against the report
  and the closure is not checked (:mod:`govsim.cases.handling` leaves an interval out
  that runs backwards);
- ``created in the future`` / ``closed in the future`` (after the time of the check, in the
  mapping's ``timezone``) / ``closed too long after created`` (more than
  ``max_closure_days``);
- ``closed status without a closed time``: the status says closed but the closing time is
  empty, so the case's duration is unknown;
- ``missing unit`` / ``unit not mapped`` (``units:`` given but silent on the value) /
  ``unknown unit`` (not a unit of ``--city`` at ``unit_level``);
- ``missing category`` (when a case type is needed: ``categories:`` or ``--city`` given) /
  ``category not mapped`` / ``unknown category`` (not a case type of ``--city``);
- ``bad satisfaction`` (not a number) / ``bad reopened`` (not a count nor yes/no).

A row whose status says open but that has a closing time (a case reopened after a
closure) is kept with a **warning**: its status stays open and its closing time is kept.
A row created outside the log's period (:func:`log_period`: the run of days with cases,
no more than ``max_gap_days`` without one in a row, that holds the most cases) is kept
with a warning too, and the fit leaves it out (:meth:`CheckResult.in_period`): one
mis-dated row does not stretch the days a log covers.

Times are read one way (:func:`parse_times`): a column of day/month/year dates whose
order the dates do not settle is refused, never guessed row by row; times with a UTC
offset are converted to the wall clock of the mapping's ``timezone``.
A status that ``statuses:`` leaves out (or, without the map, other than open/closed) is
derived from the closing time; a handler ``handlers:`` leaves out maps by rules
(:mod:`govsim.cases.handlers`: …社区 → community, …街道… → street, 司法所 → justice);
handlers no rule matches and channels the map leaves out keep the log's own value.
Every value of the category, unit, handler, status, channel and severity columns is listed
with its count and what it maps to (:func:`value_lists`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from govsim.cases.city import CityReference
from govsim.cases.handlers import with_handler_rules
from govsim.cases.mapping import FIELDS, HANDLER_LEVELS, RULES, TIMEZONE, CaseLogMapping
from govsim.cases.read import CaseLog
from govsim.config.errors import PathError

__all__ = [
    "LISTED",
    "REASONS",
    "WARNINGS",
    "CheckResult",
    "LogPeriod",
    "check_against_city",
    "check_log",
    "day_first",
    "log_period",
    "parse_times",
    "value_lists",
]

REASONS = (
    "missing id",
    "duplicate id",
    "missing created",
    "bad created time",
    "bad closed time",
    "bad dispatched time",
    "bad accepted time",
    "closed before created",
    "created in the future",
    "closed in the future",
    "closed too long after created",
    "closed status without a closed time",
    "missing unit",
    "unit not mapped",
    "unknown unit",
    "missing category",
    "category not mapped",
    "unknown category",
    "bad satisfaction",
    "bad reopened",
)
"""Why a row is rejected, in the order they are checked."""

WARNINGS = ("open status with a closed time", "created outside the log's period")
"""What is noted on a kept row (several joined by ``; ``)."""

OUTSIDE = WARNINGS[1]
"""The warning of a row the fit leaves out."""

LISTED = {
    "category": "categories",
    "unit": "units",
    "handler": "handlers",
    "status": "statuses",
    "channel": "channels",
    "severity": None,
}
"""Fields whose values are listed, with the value map that translates them."""

_YES = {"1", "true", "yes", "y", "是", "已重开"}
_NO = {"0", "false", "no", "n", "否", "未重开"}
_YEAR = re.compile(r"\d{4}")
_OFFSET = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
"""A time of day followed by a UTC offset (``Z``, ``+08:00``, ``+0800``, ``-05``)."""
_NO_DAY = r"^\s*\d{4}(?:\s*[-/.年]\s*\d{1,2}\s*月?)?\s*$"
"""A year, or a year and month, alone: no day, so no time to read (``2025``, ``2025-05``)."""
_DAY_MONTH = r"^(\d{1,2})([/.\-])(\d{1,2})[/.\-]\d{2,4}(?!\d)"
"""A date written with the day and the month first (in either order) and the year last."""


@dataclass(frozen=True)
class LogPeriod:
    """The days a log covers: its densest run of days with cases, and the rows outside it."""

    first: date
    last: date
    outside: int
    """Kept rows created outside the period (kept with a warning, not fitted)."""
    max_gap_days: float

    def covers(self, day: date) -> bool:
        """Whether ``day`` lies within the period."""
        return self.first <= day <= self.last

    def describe(self) -> str:
        """The period and why, in one phrase (``span 2025-05-01 … 2025-05-21 (...)``)."""
        span = f"span {self.first} … {self.last}"
        if not self.outside:
            return f"{span} (every kept row in it)"
        rows = "row" if self.outside == 1 else "rows"
        return (
            f"{span} (densest period; {self.outside:,} {rows} outside it, not fitted; more "
            f"than {self.max_gap_days:g} days without a case part periods)"
        )


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
    period: LogPeriod | None = None
    """The days the log covers (None: no row kept)."""

    def in_period(self) -> pd.DataFrame:
        """The kept cases created within the log's period: what a fit may use."""
        outside = self.kept["warning"].str.contains(OUTSIDE, regex=False)
        return self.kept[~outside].reset_index(drop=True)

    def reason_counts(self) -> pd.Series:
        """Rows rejected per reason (each row under its first reason), in check order."""
        counts = self.rejected["reason"].value_counts()
        return pd.Series(
            {r: int(counts.get(r, 0)) for r in REASONS if counts.get(r, 0)}, dtype="int64"
        )

    def warning_counts(self) -> pd.Series:
        """Kept rows per warning."""
        counts = {w: int(self.kept["warning"].str.contains(w, regex=False).sum()) for w in WARNINGS}
        return pd.Series({w: n for w, n in counts.items() if n}, dtype="int64")


def day_first(text: pd.Series) -> bool | None:
    """Whether the column's day/month/year dates put the day first (None: it has none).

    The order must be settled by the dates themselves: every such date fits one order only
    (a first number over 12 is a day, a second over 12 a day too) and all fit the same. A
    column where some date fits either order, or some fit only one and others only the
    other, raises ValueError with the counts: it is never guessed row by row.
    """
    parts = text.str.extract(_DAY_MONTH).dropna()
    if parts.empty:
        return None
    a, b = parts[0].astype(int), parts[2].astype(int)
    fits_day = a.between(1, 31) & b.between(1, 12)
    fits_month = a.between(1, 12) & b.between(1, 31)
    either = int((fits_day & fits_month).sum())
    only_day, only_month = int((fits_day & ~fits_month).sum()), int((fits_month & ~fits_day).sum())
    if either or (only_day and only_month):
        sep = parts[1].iloc[0]
        raise ValueError(
            f"day/month order is ambiguous: of {len(parts):,} rows, {only_day:,} "
            f"read only day-first, {only_month:,} only month-first, {either:,} "
            f"either way; set time_format, e.g. %d{sep}%m{sep}%Y %H:%M"
        )
    return only_day > 0


def _wall_clock(parsed: pd.Series, timezone: str) -> pd.Series:
    """Times as the wall clock of ``timezone``: aware ones converted, naive ones as they are."""
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(timezone).dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _one_time(text: str, dayfirst: bool, timezone: str) -> pd.Timestamp:
    """One time in pandas' own reading (a four-digit year needed), at ``timezone``'s clock."""
    if not _YEAR.search(text):
        return pd.NaT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the order is settled already
            value = pd.to_datetime(text, dayfirst=dayfirst)
    except (ValueError, OverflowError, TypeError):
        return pd.NaT
    return value.tz_convert(timezone).tz_localize(None) if value.tzinfo is not None else value


def _iso_times(present: pd.Series, timezone: str) -> pd.Series:
    """ISO 8601 times (NaT where not): those with a UTC offset converted to ``timezone``."""
    offset = present.str.contains(_OFFSET, regex=True)
    out = pd.Series(pd.NaT, index=present.index, dtype="datetime64[ns]")
    for rows, aware in ((present[~offset], False), (present[offset], True)):
        if rows.empty:
            continue
        try:
            parsed = pd.to_datetime(rows, format="ISO8601", errors="coerce", utc=aware)
        except (ValueError, TypeError):  # odd text: read one by one by the caller
            continue
        out[rows.index] = _wall_clock(parsed, timezone)
    return out


def parse_times(
    text: pd.Series, time_format: str | None = None, timezone: str = TIMEZONE
) -> pd.Series:
    """Times from text: by ``time_format`` when given, else ISO 8601 or pandas' own reading.

    Empty text and text that is not a time both give NaT (the caller tells them apart).
    Times with a UTC offset are converted to the wall clock of ``timezone``; times without
    one are taken as that clock already. Without ``time_format``, day/month/year dates are
    read in the order the column's dates settle (:func:`day_first`; ValueError if they do
    not).
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    present = text[text != ""]
    if present.empty:
        return out
    if time_format is not None:
        parsed = pd.to_datetime(
            present, format=time_format, errors="coerce", utc="%z" in time_format
        )
        out[present.index] = _wall_clock(parsed, timezone)
        return out
    present = present[~present.str.match(_NO_DAY)]  # no day named: not a time (NaT)
    if present.empty:
        return out
    out[present.index] = _iso_times(present, timezone)
    rest = present[out[present.index].isna().to_numpy()]
    if not rest.empty:
        first = bool(day_first(rest))
        out[rest.index] = [_one_time(t, first, timezone) for t in rest]
    return out


def log_period(created: pd.Series, max_gap_days: float) -> tuple[date, date]:
    """The first and last day of the densest period of ``created`` (at least one time).

    Periods are runs of days with cases parted by more than ``max_gap_days`` days in a row
    without one; the densest holds the most cases (the earliest of equals).
    """
    days = created.dt.normalize().value_counts().sort_index()
    quiet = np.diff(days.index.to_numpy()) / np.timedelta64(1, "D") - 1
    period = np.concatenate([[0], np.cumsum(quiet > max_gap_days)])
    cases = days.groupby(period).sum()
    chosen = days.index[period == cases.idxmax()]
    return chosen[0].date(), chosen[-1].date()


def _mapped(values: pd.Series, table: dict[str, str] | None) -> pd.Series:
    return values if table is None else values.map(table)


def check_against_city(mapping: CaseLogMapping, city: CityReference) -> None:
    """Refuse a mapping whose maps point outside the city (a fault of the mapping, not rows)."""
    wanted = {
        "categories": city.case_types,
        "units": city.units[mapping.unit_level],
        "handlers": (*HANDLER_LEVELS, *city.departments),
    }
    for name, allowed in wanted.items():
        for log_value, target in (mapping.value_map(name) or {}).items():
            if target not in allowed:
                shown = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
                raise PathError(
                    mapping.source,
                    f"{name}.{log_value}: {target!r} is not in city {city.name}",
                    f"one of {shown}",
                )
    for k, (_, target) in enumerate(mapping.handler_rules or ()):
        if target not in wanted["handlers"]:
            raise PathError(
                mapping.source,
                f"{RULES}[{k}].to: {target!r} is not a level nor a department of city {city.name}",
                "one of " + ", ".join(wanted["handlers"]),
            )


def _status(
    fields: pd.DataFrame, mapping: CaseLogMapping, has_closed: pd.Series
) -> tuple[pd.Series, pd.Series]:
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
    words = pd.Series(
        np.select([lower.isin(_YES), lower.isin(_NO)], [1.0, 0.0], np.nan), index=text.index
    )
    return number.fillna(words)


def _column_times(log: CaseLog, mapping: CaseLogMapping, name: str, text: pd.Series) -> pd.Series:
    """One time column parsed, or a one-line refusal naming it if it cannot be read one way."""
    try:
        return parse_times(text, mapping.time_format, mapping.timezone)
    except ValueError as error:
        raise PathError(
            log.path,
            f"{name}: {error}",
            f"time_format in {mapping.source} saying how the log writes its times",
        ) from None


def _warnings(flags: dict[str, pd.Series]) -> np.ndarray:
    """Each row's warnings joined by ``; `` in :data:`WARNINGS` order (empty: none)."""
    joined = np.full(len(next(iter(flags.values()))), "", dtype=object)
    for name in WARNINGS:
        hit = flags[name].to_numpy()
        joined = np.where(hit, np.where(joined == "", name, joined + "; " + name), joined)
    return joined


def check_log(
    log: CaseLog,
    mapping: CaseLogMapping,
    city: CityReference | None = None,
    now: pd.Timestamp | None = None,
) -> CheckResult:
    """Check every row of a log; return the kept cases and the rejected rows.

    ``now`` (a wall-clock time of the mapping's ``timezone``; default the time of the
    check) is when the future starts.
    """
    if city is not None:
        check_against_city(mapping, city)
    if "handler" in log.fields:  # handlers the mapping does not name, by rules
        mapping = with_handler_rules(
            mapping, log.fields["handler"].unique(), city.departments if city is not None else None
        )
    if now is None:
        now = pd.Timestamp.now(tz=mapping.timezone).tz_localize(None)
    f = log.fields
    blank = pd.Series("", index=f.index)
    text = {name: f.get(name, blank) for name in FIELDS}
    created = _column_times(log, mapping, "created", text["created"])
    closed = _column_times(log, mapping, "closed", text["closed"])
    dispatched = _column_times(log, mapping, "dispatched", text["dispatched"])
    accepted = _column_times(log, mapping, "accepted", text["accepted"])
    has_closed = closed.notna()
    status, said = _status(f, mapping, has_closed)
    unit = _mapped(text["unit"], mapping.units)
    category = _mapped(text["category"], mapping.categories)
    needs_type = "category" in f and (mapping.categories is not None or city is not None)
    satisfaction = pd.to_numeric(
        text["satisfaction"].where(text["satisfaction"] != ""), errors="coerce"
    )
    reopened = _reopened(text["reopened"])
    present = {name: text[name] != "" for name in FIELDS}
    checks = {
        "missing id": ~present["id"],
        "duplicate id": present["id"] & text["id"].duplicated(keep="first"),
        "missing created": ~present["created"],
        "bad created time": present["created"] & created.isna(),
        "bad closed time": present["closed"] & ~has_closed,
        "bad dispatched time": present["dispatched"] & dispatched.isna(),
        "bad accepted time": present["accepted"] & accepted.isna(),
        "closed before created": has_closed & created.notna() & (closed < created),
        "created in the future": created > now,
        "closed in the future": closed > now,
        "closed too long after created": (closed - created)
        > pd.Timedelta(days=mapping.max_closure_days),
        "closed status without a closed time": said & (status == "closed") & ~present["closed"],
        "missing unit": ~present["unit"],
        "unit not mapped": present["unit"] & unit.isna(),
        "unknown unit": (
            present["unit"] & unit.notna() & ~unit.isin(city.units[mapping.unit_level])
            if city is not None
            else pd.Series(False, index=f.index)
        ),
        "missing category": ~present["category"] if needs_type else pd.Series(False, index=f.index),
        "category not mapped": (
            present["category"] & category.isna()
            if mapping.categories is not None
            else pd.Series(False, index=f.index)
        ),
        "unknown category": (
            present["category"] & ~category.isin(city.case_types)
            if city is not None and mapping.categories is None and "category" in f
            else pd.Series(False, index=f.index)
        ),
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
    span = log_period(created[~bad], mapping.max_gap_days) if (~bad).any() else None
    outside = (
        pd.Series(False, index=f.index)
        if span is None
        else ~bad & ~created.dt.normalize().between(*map(pd.Timestamp, span))
    )
    warned = _warnings({WARNINGS[0]: said & (status == "open") & has_closed, OUTSIDE: outside})

    def column(name: str, values: pd.Series) -> pd.Series:
        return values if name in f else pd.Series(pd.NA, index=f.index, dtype="object")

    kept = pd.DataFrame(
        {
            "row": f["row"],
            "id": text["id"],
            "created": created,
            "closed": closed,
            "status": status,
            "category": column("category", category.where(present["category"])),
            "unit": unit,
            "handler": column(
                "handler",
                _mapped(text["handler"], mapping.handlers)
                .fillna(text["handler"])
                .where(present["handler"]),
            ),
            "channel": column(
                "channel",
                _mapped(text["channel"], mapping.channels)
                .fillna(text["channel"])
                .where(present["channel"]),
            ),
            "severity": column("severity", text["severity"].where(present["severity"])),
            "satisfaction": satisfaction,
            "reopened": reopened.astype("Int64")
            if "reopened" in f
            else pd.Series(pd.NA, index=f.index, dtype="Int64"),
            "dispatched": dispatched,
            "accepted": accepted,
            "warning": warned,
        }
    )[~bad].reset_index(drop=True)
    rejected = log.original[bad].copy()
    rejected.insert(0, "row", f["row"][bad])
    rejected["reason"] = first[bad]
    rejected["reasons"] = reasons[bad]
    period = (
        None
        if span is None
        else LogPeriod(*span, outside=int(outside.sum()), max_gap_days=mapping.max_gap_days)
    )
    return CheckResult(
        rows_read=len(f),
        kept=kept,
        rejected=rejected.reset_index(drop=True),
        values=value_lists(log, mapping),
        period=period,
    )


def value_lists(log: CaseLog, mapping: CaseLogMapping) -> pd.DataFrame:
    """Every value of the listed columns over all rows read, its count and what it maps to."""
    rows = []
    for name, map_name in LISTED.items():
        if name not in log.fields:
            continue
        table = mapping.value_map(map_name) if map_name else None
        for value, count in log.fields[name].value_counts().items():
            rows.append(
                {
                    "field": name,
                    "value": value,
                    "rows": int(count),
                    "maps_to": (table or {}).get(value, ""),
                    "has_map": table is not None,
                }
            )
    return pd.DataFrame(rows, columns=["field", "value", "rows", "maps_to", "has_map"])
