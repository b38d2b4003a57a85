"""``govsim list``: the mechanisms, cities and scenario presets one can select."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from govsim.cli.arguments import ArgumentParser
from govsim.composition.compose import CONF_DIR
from govsim.mechanisms import REGISTRY

__all__ = ["list_options"]


def _first_comment(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not line.startswith("# @package"):
            return line.lstrip("# ").strip()
    return ""


def list_options(argv: list[str]) -> None:
    """``govsim list``: the mechanisms, cities and scenario presets one can select."""
    ArgumentParser(prog="govsim list", description=list_options.__doc__).parse_args(argv)
    console = Console()
    table = Table(title="mechanisms (mechanism=NAME or mechanism=[A,B])")
    for column in ("name", "中文", "source"):
        table.add_column(column)
    for name, mechanism in REGISTRY.items():
        table.add_row(name, mechanism.label_zh, mechanism.source)
    console.print(table)
    for group, title in (("city", "cities (city=NAME)"), ("scenario", "scenarios (scenario=NAME)")):
        table = Table(title=title)
        table.add_column("name")
        table.add_column("description")
        for path in sorted((CONF_DIR / group).glob("*.yaml")):
            table.add_row(path.stem, _first_comment(path))
        console.print(table)
