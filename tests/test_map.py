"""A map of a run's results per unit, from GeoJSON boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FAST, govsim_in_process
from govsim.report.unit_map import match_units


def _square(x: int, name: str) -> dict:
    ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from govsim.cli import main

    folder = tmp_path_factory.mktemp("map") / "run"
    assert main([*FAST, f"hydra.run.dir={folder}"]) == 0
    return folder


def test_units_match_by_full_name_or_a_unique_last_part() -> None:
    names = ["d/鼓楼街道", "d/南门街道", "d2/南门街道", "street/0"]
    boundaries = {"鼓楼街道": 1, "南门街道": 2, "street/0": 3}
    assert match_units(names, boundaries) == {"d/鼓楼街道": "鼓楼街道", "street/0": "street/0"}


def test_a_map_is_drawn_and_what_is_left_out_is_named(capsys, run: Path, tmp_path: Path) -> None:
    geometry = tmp_path / "streets.geojson"
    geometry.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [_square(0, "street/0"), _square(1, "elsewhere")],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "map.png"
    status, stdout, err = govsim_in_process(
        capsys, "map", str(run), "--geometry", str(geometry), "--key", "name", "--out", str(out)
    )
    assert status == 0, err
    assert out.stat().st_size > 1000
    assert "1 of 2 streets drawn" in stdout and "without a boundary: street/1" in stdout
    assert "boundaries of no street (grey): elsewhere" in stdout


@pytest.mark.parametrize(
    ("key", "extra", "expected"),
    [
        ("nom", [], "feature 0 has no property 'nom' (it has: name)"),
        ("name", ["--measure", "nope"], "--measure 'nope' is not a measure of the streets"),
    ],
)
def test_a_bad_map_request_is_refused_in_one_line(
    capsys, run: Path, tmp_path: Path, key: str, extra: list[str], expected: str
) -> None:
    geometry = tmp_path / "streets.geojson"
    geometry.write_text(
        json.dumps({"type": "FeatureCollection", "features": [_square(0, "street/0")]}),
        encoding="utf-8",
    )
    status, _, err = govsim_in_process(
        capsys, "map", str(run), "--geometry", str(geometry), "--key", key, *extra
    )
    assert status == 2 and expected in err and len(err.strip().splitlines()) == 1, err


def test_boundaries_that_name_no_unit_are_refused(capsys, run: Path, tmp_path: Path) -> None:
    geometry = tmp_path / "other.geojson"
    geometry.write_text(
        json.dumps({"type": "FeatureCollection", "features": [_square(0, "X")]}), encoding="utf-8"
    )
    status, _, err = govsim_in_process(
        capsys, "map", str(run), "--geometry", str(geometry), "--key", "name"
    )
    assert status == 2 and "names none of the run's streets" in err
