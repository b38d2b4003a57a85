"""``govsim cases check LOG --mapping MAP [--city CITY] [--out DIR]``: check a real case log.

It reads a ticket export (CSV or Excel) with its mapping, checks every row
(:mod:`govsim.cases.check`) and writes into a new folder DIR (default
``results/cases/DATE/TIME-XXXXXX``): ``kept.parquet`` (the kept cases in govsim's
fields), ``rejected.csv`` (the rejected rows as the file has them, with ``row`` and
``reason``), ``values.csv`` (every value of the listed columns, its count and what it maps
to) and ``check.md``. It prints the rows kept and rejected by reason. Exit 0 when it ran,
rejected rows or not; 2 for a bad request (mapping, file, column).

The log's fit is :mod:`govsim.cases.log_fit`, its validation against a run
:mod:`govsim.cases.log_validation`; a run's own cases as a log,
:mod:`govsim.cases.simulated_log`.
"""

from __future__ import annotations

from pathlib import Path

from govsim.cases.folders import new_folder
from govsim.files import atomic_folder

__all__ = ["check_cases", "render_check"]


def render_check(log: Path, mapping: Path, city: str | None, result) -> str:
    """``check.md``: what was read, rows kept and rejected by reason, warnings, values."""
    reasons = result.reason_counts()
    lines = [
        "# Case log check",
        "",
        f"Log `{log.name}`, mapping `{mapping.name}`"
        + (f", checked against city `{city}`" if city else ", no city given")
        + ".",
        "",
        "| rows | count |",
        "|---|---|",
        f"| read | {result.rows_read:,} |",
        f"| kept | {len(result.kept):,} |",
        f"| rejected | {len(result.rejected):,} |",
        "",
    ]
    if result.period is not None:
        lines += [f"The log's {result.period.describe()}.", ""]
    if len(reasons):
        lines += [
            "Rejected rows by reason (each row under its first reason; `rejected.csv`",
            "lists every reason of a row):",
            "",
            "| reason | rows |",
            "|---|---|",
        ]
        lines += [f"| {r} | {n:,} |" for r, n in reasons.items()] + [""]
    warnings = result.warning_counts()
    if len(warnings):
        lines += ["Kept with a warning:", "", "| warning | rows |", "|---|---|"]
        lines += [f"| {w} | {n:,} |" for w, n in warnings.items()] + [""]
    values = result.values
    if len(values):
        lines += [
            "## Values of the log",
            "",
            "Over all rows read; *maps to* is empty where the mapping's value map leaves",
            "the value out (or has no map for the field).",
            "",
        ]
        for name, group in values.groupby("field", sort=False):
            unmapped = int((group["maps_to"] == "").sum())
            state = f"{unmapped} not mapped" if group["has_map"].iloc[0] else "no value map"
            lines += [
                f"### {name} ({len(group)} values, {state})",
                "",
                "| value | rows | maps to |",
                "|---|---|---|",
            ]
            lines += [
                f"| {v.value or '(empty)'} | {v.rows:,} | {v.maps_to} |" for v in group.itertuples()
            ] + [""]
    return "\n".join(lines)


def _print_summary(result, out: Path) -> None:
    print(
        f"rows read {result.rows_read:,}: kept {len(result.kept):,}, rejected "
        f"{len(result.rejected):,}"
    )
    for reason, n in result.reason_counts().items():
        print(f"  rejected  {n:>7,}  {reason}")
    for warning, n in result.warning_counts().items():
        print(f"  warning   {n:>7,}  {warning} (kept)")
    if result.period is not None:
        print(result.period.describe())
    values = result.values
    for name, group in values.groupby("field", sort=False):
        unmapped = group[group["maps_to"] == ""]
        state = f"{len(unmapped)} not mapped" if group["has_map"].iloc[0] else "no value map"
        shown = ", ".join(
            f"{v.value or '(empty)'} ({v.rows:,})" for v in unmapped.head(8).itertuples()
        )
        more = f", ... {len(unmapped) - 8} more" if len(unmapped) > 8 else ""
        print(
            f"{name}: {len(group)} values, {state}" + (f": {shown}{more}" if len(unmapped) else "")
        )
    print(f"results: {out}")


def check_cases(
    log_path: Path, mapping_path: Path, city_name: str | None = None, out: Path | None = None
) -> None:
    """``govsim cases check``: check every row of a case log read with a mapping.

    ``city_name`` (a city of conf/city or a city YAML) is what units and categories are
    checked against; ``out`` a new folder (default ``results/cases/DATE/TIME-XXXXXX``).
    """
    from govsim.cases.check import check_log
    from govsim.cases.mapping import load_mapping
    from govsim.cases.read import read_log
    from govsim.files import write_parquet, write_text

    mapping = load_mapping(mapping_path)
    city = None
    if city_name is not None:
        from govsim.cases.city import city_reference, load_city

        city = city_reference(load_city(city_name))
    log = read_log(log_path, mapping)
    out = new_folder(out)
    result = check_log(log, mapping, city)
    with atomic_folder(out) as partial:
        write_parquet(partial / "kept.parquet", result.kept)
        write_text(partial / "rejected.csv", result.rejected.to_csv(index=False))
        write_text(partial / "values.csv", result.values.to_csv(index=False))
        write_text(partial / "check.md", render_check(log_path, mapping_path, city_name, result))
    _print_summary(result, out)
