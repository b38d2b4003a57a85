"""``govsim city import UNITS --out CITY.yaml``: a city of its own from a table of its units.

UNITS is a table (CSV or Excel) with one row per grid (网格): its community (社区/村),
street or township (街道/乡镇) and district (区县), its residents and, if the city keeps
them, its staff. Columns (English names, or the Chinese headers in :data:`ALIASES`, or any
header mapped with ``--columns grid=网格名称,street=镇街名称``):

- ``grid``, ``community``, ``street``, ``district``: unit names (a community's name need
  only be unique within its street, a street's within its district, a grid's within its
  community: the city keys each unit by its path, ``district/street/community/grid``, so a
  name holding ``/`` is refused). Names are kept as written, spaces around them dropped:
  ``${...}`` is never interpolated, ``yes`` or ``1e3`` stays text;
- ``residents``: residents of the grid (a whole number ≥ 1);
- optional ``grid_workers`` (of the grid), ``mediators`` (of the community, the same on
  each of its rows), ``street_staff`` (of the street office) and ``above_staff`` (of the
  district's petition office and courts).

``--departments DEPTS`` adds a table of department staff per district (columns
``district``, ``department`` — a department of the base city — and ``staff``; one row per
district and department). Staff not
given unit by unit come from the base city (``--base``, default ``district``), as do all
behavioural values. The result is a city YAML that runs as it is: ``govsim city=CITY.yaml``.
CSV tables are read as UTF-8 unless ``--encoding`` names another (``--encoding gb18030``).
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govsim.cases.city import city_yaml, write_city
from govsim.cases.read import read_table
from govsim.config.errors import ArgumentError, PathError
from govsim.files import require_writable

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ALIASES", "FIELDS", "import_city", "import_units"]

LEVELS = ("district", "street", "community", "grid")
"""Columns naming a unit, from the top: a unit's key is their path (``district/street/...``)."""
SEPARATOR = "/"
"""What joins the names of a unit's path."""
REQUIRED = ("grid", "community", "street", "district", "residents")
OPTIONAL = ("grid_workers", "mediators", "street_staff", "above_staff")
FIELDS = (*REQUIRED, *OPTIONAL)
"""Every column the table may have, by govsim's name for it."""
ALIASES: dict[str, tuple[str, ...]] = {
    "grid": ("网格", "网格名称"),
    "community": ("社区", "村社", "村社名称", "社区名称"),
    "street": ("街道", "镇街", "镇街名称", "街道名称", "乡镇"),
    "district": ("区县", "区县名称", "区"),
    "residents": ("人口", "常住人口", "居民"),
    "grid_workers": ("网格员", "网格员人数"),
    "mediators": ("调解员", "调解员人数"),
    "street_staff": ("街道人员", "街道工作人员"),
    "above_staff": ("信访人员",),
}
"""Chinese headers read as each column, beside its English name."""


def _read(path: Path, encoding: str) -> pd.DataFrame:
    if not path.is_file():
        raise PathError(path, "is not a file", "a CSV or Excel table")
    return read_table(
        path,
        encoding=encoding,
        encoding_option="--encoding",
        allowed=f"a CSV ({encoding}) or Excel table",
    )


def _columns(
    table: pd.DataFrame,
    path: Path,
    mapping: dict[str, str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> pd.DataFrame:
    """The table with govsim's column names (from ``mapping``, English names or aliases)."""
    found: dict[str, str] = {}
    for field in (*required, *optional):
        names = (mapping[field],) if field in mapping else (field, *ALIASES.get(field, ()))
        column = next((n for n in names if n in table.columns), None)
        if column is None and field in required:
            raise PathError(
                path,
                f"has no column {' or '.join(names)} for {field!r} (its "
                f"columns: {', '.join(map(str, table.columns))})",
                "the column named, or --columns FIELD=COLUMN",
            )
        if column is not None:
            found[field] = column
    return table[list(found.values())].rename(columns={v: k for k, v in found.items()})


def _whole(table: pd.DataFrame, column: str, path: Path, low: int) -> list[int]:
    import pandas as pd

    values = pd.to_numeric(table[column], errors="coerce")
    bad = table.index[values.isna() | (values < low) | (values % 1 != 0)]
    if len(bad):
        row = int(bad[0])
        raise PathError(
            path,
            f"row {row + 2}: {column}={table.at[row, column]!r}",
            f"a whole number >= {low} in every row",
        )
    return [int(v) for v in values]


def _per_unit(table: pd.DataFrame, key: str, column: str, path: Path) -> list[int]:
    """One value per unit ``key`` (in order of first appearance), the same on all its rows."""
    if column not in table:
        return []
    values = dict.fromkeys(table[key])
    numbers = _whole(table, column, path, 1)
    for unit, value in zip(table[key], numbers, strict=True):
        if values[unit] is not None and values[unit] != value:
            raise PathError(
                path, f"{column} differs between rows of {unit}", f"one {column} per unit"
            )
        values[unit] = value
    return [int(v) for v in values.values()]


def _twice(keys: pd.Series) -> tuple[int, int] | None:
    """The table rows (the header being row 1) of the first key given twice, if any."""
    repeated = keys[keys.duplicated()]
    if repeated.empty:
        return None
    again = repeated.index[0]
    first = keys.index[keys == repeated.iloc[0]][0]
    return int(first) + 2, int(again) + 2


def _departments(
    path: Path, districts: list[str], known: list[str], encoding: str
) -> dict[str, list[int]]:
    table = _columns(_read(path, encoding), path, {}, ("district", "department", "staff"), ())
    for column in ("district", "department"):
        table[column] = table[column].str.strip()
    twice = _twice(table["district"] + SEPARATOR + table["department"])
    if twice:
        row = twice[1] - 2
        raise PathError(
            path,
            f"rows {twice[0]} and {twice[1]} both give "
            f"{table.at[row, 'department']!r} of {table.at[row, 'district']!r}",
            "one row per district and department",
        )
    staff = dict(
        zip(
            zip(table["district"], table["department"], strict=True),
            _whole(table, "staff", path, 1),
            strict=True,
        )
    )
    result: dict[str, list[int]] = {}
    for district, department in staff:
        if department not in known:
            raise PathError(
                path,
                f"department {department!r} is not a department of the base city",
                "one of " + ", ".join(known),
            )
        if district not in districts:
            raise PathError(
                path,
                f"district {district!r} is not in the units table",
                "one of " + ", ".join(districts),
            )
    for department in sorted({d for _, d in staff}):
        missing = [d for d in districts if (d, department) not in staff]
        if missing:
            raise PathError(
                path,
                f"{department} has no staff for {missing[0]}",
                "a row for every district of each department listed",
            )
        result[department] = [staff[d, department] for d in districts]
    return result


def _names(table: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """A column of unit names as written, spaces around them dropped.

    A row without a name, or a name holding the separator of a unit's path, is refused.
    """
    names = table[column].fillna("").astype(str).str.strip()
    empty = names.index[names == ""]
    if len(empty):
        raise PathError(path, f"row {int(empty[0]) + 2} has no {column}", "a name in every row")
    joined = names.index[names.str.contains(SEPARATOR, regex=False)]
    if len(joined):
        row = int(joined[0])
        raise PathError(
            path,
            f"row {row + 2}: {column} {names[row]!r} holds {SEPARATOR!r}",
            f"names without {SEPARATOR!r}, which joins a unit's path "
            f"({SEPARATOR.join(LEVELS)}); write e.g. '／' or '-' instead",
        )
    return names


def import_units(
    units: Path,
    base: dict[str, Any],
    mapping: dict[str, str] | None = None,
    departments: Path | None = None,
    encoding: str = "utf-8-sig",
) -> dict[str, Any]:
    """The ``units`` block and the values it replaces, as a city YAML's mapping.

    ``encoding`` is the text encoding of CSV tables (UTF-8, with or without a byte-order mark,
    by default).
    """
    table = _columns(_read(units, encoding), units, mapping or {}, REQUIRED, OPTIONAL)
    if table.empty:
        raise PathError(units, "has no rows", "one row per grid")
    for column in LEVELS:
        table[column] = _names(table, column, units)
    # Units are keyed by their path, so equal names under different parents stay apart.
    for parent, level in itertools.pairwise(LEVELS):
        table[level] = table[parent] + SEPARATOR + table[level]
    twice = _twice(table["grid"])
    if twice:
        raise PathError(
            units,
            f"rows {twice[0]} and {twice[1]}: grid "
            f"{table.at[twice[1] - 2, 'grid']!r} appears twice",
            "one row per grid",
        )
    first = table.drop_duplicates
    streets = first("street")
    communities = first("community")
    districts = list(dict.fromkeys(table["district"]))
    block: dict[str, Any] = {
        "districts": districts,
        "district_above_staff": _per_unit(table, "district", "above_staff", units),
        "streets": streets["street"].tolist(),
        "street_district": streets["district"].tolist(),
        "street_staff": _per_unit(table, "street", "street_staff", units),
        "communities": communities["community"].tolist(),
        "community_street": communities["street"].tolist(),
        "community_mediators": _per_unit(table, "community", "mediators", units),
        "grids": table["grid"].tolist(),
        "grid_community": table["community"].tolist(),
        "grid_residents": _whole(table, "residents", units, 1),
        "grid_workers": _whole(table, "grid_workers", units, 1) if "grid_workers" in table else [],
        "department_staff": (
            {}
            if departments is None
            else _departments(departments, districts, list(base["departments"]), encoding)
        ),
    }
    city: dict[str, Any] = {
        key: None
        for key in (
            "districts",
            "streets_per_district",
            "communities_per_street",
            "grids_per_community",
        )
    }
    city["residents"] = {"per_grid": None}
    for scalar, entry in (
        ("grid_workers_per_grid", "grid_workers"),
        ("mediators_per_community", "community_mediators"),
        ("street_staff", "street_staff"),
        ("above_staff", "district_above_staff"),
    ):
        if block[entry]:
            city[scalar] = None
    if block["department_staff"]:
        city["departments"] = {name: {"staff": None} for name in block["department_staff"]}
    city["units"] = block
    return city


def import_city(
    units: Path,
    out: Path,
    departments: Path | None = None,
    columns: dict[str, str] | None = None,
    base: str = "district",
    name: str | None = None,
    encoding: str = "utf-8-sig",
) -> str:
    """Import a table of units as a city configuration, written to ``out`` (a .yaml file).

    ``columns`` maps fields to the table's own headers; the city is named ``name`` (default
    the file's stem). Returns what was imported, in a line.
    """
    if out.suffix not in (".yaml", ".yml"):
        raise ArgumentError("city import", f"--out {out}", "a .yaml file")
    require_writable(out.parent, "--out")
    from govsim.composition.compose import compose

    base_city = compose([f"city={base}"]).city
    city = import_units(units, dataclasses.asdict(base_city), columns or {}, departments, encoding)
    name = name or out.stem
    header = (
        f"City {name}, imported by govsim city import from {units.name}: "
        f"{len(city['units']['grids'])} grids, "
        f"{sum(city['units']['grid_residents']):,} residents.\n"
        f"Every value not given here comes from the {base} city."
    )
    text = city_yaml({"defaults": [base, "_self_"], "name": name, "label_zh": name, **city}, header)
    write_city(out, text)
    return (
        f"city {name}: {len(city['units']['districts'])} districts, "
        f"{len(city['units']['streets'])} streets, {len(city['units']['communities'])} "
        f"communities, {len(city['units']['grids'])} grids, "
        f"{sum(city['units']['grid_residents']):,} residents: {out}"
    )
