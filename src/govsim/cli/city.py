"""``govsim city``: the command line of :func:`govsim.cases.units_table.import_city`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser

__all__ = ["city_command"]


def _columns(text: str | None, parser: ArgumentParser, fields: tuple[str, ...]) -> dict[str, str]:
    """``--columns FIELD=COLUMN,...`` → {field: column}, each field one of ``fields``."""
    if not text:
        return {}
    mapping = {}
    for item in text.split(","):
        field, _, column = item.partition("=")
        if field.strip() not in fields or not column.strip():
            parser.refuse(
                f"--columns {item!r}", "FIELD=COLUMN with FIELD one of " + ", ".join(fields)
            )
        mapping[field.strip()] = column.strip()
    return mapping


def city_command(argv: list[str]) -> None:
    """Import a table of units as a city configuration."""
    from govsim.cases import units_table  # pandas loads when the command runs

    parser = ArgumentParser(prog="govsim city", description=units_table.__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    do = sub.add_parser("import", help="a city from a table of its units")
    do.add_argument("units", type=Path)
    do.add_argument("--out", type=Path, required=True, help="the city YAML to write")
    do.add_argument("--departments", type=Path, help="department staff per district")
    do.add_argument("--columns", help="FIELD=COLUMN,... for headers of other names")
    do.add_argument(
        "--base",
        default="district",
        help="the shipped city giving every other value (default district)",
    )
    do.add_argument("--name", help="the city's name (default: the output file's stem)")
    do.add_argument(
        "--encoding",
        default="utf-8-sig",
        help="text encoding of CSV tables, e.g. gb18030 (default UTF-8)",
    )
    args = parser.parse_args(argv)
    print(
        units_table.import_city(
            args.units,
            args.out,
            args.departments,
            _columns(args.columns, parser, units_table.FIELDS),
            args.base,
            args.name,
            args.encoding,
        )
    )
