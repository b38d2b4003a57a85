"""``govsim map``: the command line of :func:`govsim.report.unit_map.draw_map`."""

from __future__ import annotations

from pathlib import Path

from govsim.cli.arguments import ArgumentParser

__all__ = ["map_command"]


def map_command(argv: list[str]) -> None:
    """Draw a run's results per unit on a map."""
    from govsim.outcomes.measures import HEADLINE
    from govsim.report import unit_map  # pandas loads when the command runs

    parser = ArgumentParser(prog="govsim map", description=unit_map.__doc__)
    parser.add_argument("run", type=Path, help="a run folder (with units.parquet)")
    parser.add_argument("--geometry", type=Path, required=True, help="GeoJSON boundaries")
    parser.add_argument("--key", required=True, help="the property naming each unit")
    parser.add_argument("--level", choices=unit_map.LEVELS, default="street")
    parser.add_argument("--measure", default=HEADLINE)
    parser.add_argument("--out", type=Path, help="the figure (default: in the run folder)")
    args = parser.parse_args(argv)
    print(
        unit_map.draw_map(
            args.run, args.geometry, args.key, args.level, args.measure, args.out
        ).describe()
    )
