"""A city of its own: units from a table, each with its size and staff, run as a city."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import experiment, govsim_in_process, import_units, one_line
from govsim.city.build import build_city
from govsim.city.layout import layout
from govsim.config.errors import PathError
from govsim.config.validate import ConfigError
from govsim.experiments.run import run_experiment

UNITS = """区县,镇街名称,村社名称,网格名称,人口,网格员
海曙区,鼓楼街道,A社区,网格1,800,2
海曙区,鼓楼街道,A社区,网格2,300,1
海曙区,鼓楼街道,B社区,网格1,500,1
海曙区,南门街道,C社区,网格1,1200,3
江北区,甬江街道,A社区,网格1,400,1
"""


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVSIM_CACHE", str(tmp_path / "cache"))


DEPARTMENTS = "district,department,staff\n海曙区,housing,5\n江北区,housing,1\n"


def _import(
    capsys, tmp_path: Path, units: str = UNITS, *extra: str, departments: str = DEPARTMENTS
) -> tuple[int, str, Path]:
    (tmp_path / "units.csv").write_text(units, encoding="utf-8")
    (tmp_path / "depts.csv").write_text(departments, encoding="utf-8")
    out = tmp_path / "mine.yaml"
    status, _, err = govsim_in_process(
        capsys,
        "city",
        "import",
        str(tmp_path / "units.csv"),
        "--columns",
        "street=镇街名称",
        "--departments",
        str(tmp_path / "depts.csv"),
        "--out",
        str(out),
        *extra,
    )
    return status, err, out


def test_a_table_of_units_becomes_a_city_that_runs(capsys, tmp_path: Path) -> None:
    status, err, out = _import(capsys, tmp_path)
    assert status == 0, err
    cfg = experiment(f"city={out}", "days=30", "horizon_days=5", "replications=1", "progress=false")
    city = build_city(cfg.city)
    assert (city.n_districts, city.n_streets, city.n_communities, city.n_grids) == (2, 3, 4, 5)
    assert city.grid_residents.tolist() == [800, 300, 500, 1200, 400]
    assert city.station_servers[: city.n_grids].tolist() == [2, 1, 1, 3, 1]
    housing = city.department_names.index("housing")
    assert [city.station_servers[city.department_station(d, housing)] for d in (0, 1)] == [5, 1]
    # two communities named A社区 under different streets stay two communities
    assert city.units.community_names[0] != city.units.community_names[3]
    units = run_experiment(cfg).units
    streets = units[units["level"] == "street"]
    assert streets["name"].tolist()[:3] == ["海曙区/鼓楼街道", "海曙区/南门街道", "江北区/甬江街道"]
    assert streets["cases_arisen"].notna().all()


def test_units_equal_to_an_archetype_give_its_results(capsys, tmp_path: Path) -> None:
    shape = layout(experiment("city=workshop").city)
    rows = [
        {
            "district": "d",
            "street": f"s{shape.community_street[c]}",
            "community": f"c{c}",
            "grid": f"g{g}",
            "residents": int(shape.grid_residents[g]),
        }
        for g, c in enumerate(shape.grid_community)
    ]
    table = pd.DataFrame(rows).to_csv(index=False)
    (tmp_path / "units.csv").write_text(table, encoding="utf-8")
    out = tmp_path / "same.yaml"
    status, _, err = import_units(capsys, str(tmp_path / "units.csv"), str(out))
    assert status == 0, err
    run = ("days=60", "horizon_days=10", "replications=2", "progress=false")
    own = run_experiment(experiment(f"city={out}", *run)).runs
    archetype = run_experiment(experiment("city=workshop", *run)).runs
    metrics = [
        "cases_arisen",
        "share_arisen_settled_at_or_below_street",
        "backlog_end",
        "resolution_days_mean",
        "mean_trust_end",
        "staff_days_per_arisen_case",
    ]
    pd.testing.assert_frame_equal(own[metrics], archetype[metrics])


def test_a_value_given_per_unit_and_for_the_level_is_refused(capsys, tmp_path: Path) -> None:
    _, _, out = _import(capsys, tmp_path)
    with pytest.raises(ConfigError, match=r"city\.grid_workers_per_grid.*city\.units\.grid"):
        experiment(f"city={out}", "city.grid_workers_per_grid=2")
    with pytest.raises(ConfigError, match=r"city\.districts.*the units are its shape"):
        experiment(f"city={out}", "city.districts=2")


def test_a_unit_whose_parent_is_not_there_is_refused(capsys, tmp_path: Path) -> None:
    _, _, out = _import(capsys, tmp_path)
    text = out.read_text(encoding="utf-8").replace(
        "community_street: [海曙区/鼓楼街道,", "community_street: [海曙区/无此街道,"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"city\.units\.community_street.*无此街道"):
        experiment(f"city={broken}")


def test_staff_scale_still_scales_a_city_of_its_own(capsys, tmp_path: Path) -> None:
    _, _, out = _import(capsys, tmp_path)
    city = build_city(experiment(f"city={out}", "city.staff_scale=2").city)
    assert city.station_servers[: city.n_grids].tolist() == [4, 2, 2, 6, 2]


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (UNITS.replace("人口", "people"), "has no column residents or 人口"),
        (UNITS.replace(",800,", ",many,"), "row 2: residents='many'"),
        (
            UNITS + "海曙区,鼓楼街道,A社区,网格1,10,1\n",
            "rows 2 and 7: grid '海曙区/鼓楼街道/A社区/网格1' appears twice",
        ),
        (UNITS.replace("南门街道", "南门/街道"), "row 5: street '南门/街道' holds '/'"),
        # two streets that would both be keyed 海曙区/鼓楼/街道, and silently be one
        (
            UNITS + "海曙区/鼓楼,街道,A社区,网格1,10,1\n海曙区,鼓楼/街道,A社区,网格1,10,1\n",
            "row 7: district '海曙区/鼓楼' holds '/'",
        ),
    ],
)
def test_a_bad_table_is_refused_in_one_line(
    capsys, tmp_path: Path, units: str, expected: str
) -> None:
    status, err, out = _import(capsys, tmp_path, units)
    assert status == 2 and expected in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_a_city_path_that_is_not_a_file_is_refused() -> None:
    with pytest.raises(PathError, match="is not a file"):
        experiment("city=/no/such/city.yaml")


def test_the_same_file_is_the_same_city_in_every_process(capsys, tmp_path: Path) -> None:
    from govsim.composition.city_paths import stage

    _, _, out = _import(capsys, tmp_path)
    first = stage(str(out))
    assert stage(str(out)) == first
    out.write_text(out.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert stage(str(out)) != first
    assert np.all(build_city(experiment(f"city={out}").city).grid_residents > 0)


def test_a_department_given_twice_for_a_district_is_refused(capsys, tmp_path: Path) -> None:
    status, err, out = _import(capsys, tmp_path, departments=DEPARTMENTS + "海曙区,housing,9\n")
    assert status == 2 and not out.exists(), err
    assert "rows 2 and 4 both give 'housing' of '海曙区'" in one_line(err)


NAMES = [
    "${oc.env:GOVSIM_SECRET}",
    "yes",
    "null",
    "~",
    "1e3",
    "2025-01-01",
    ".inf",
    "010",
    "\\${x",
    "#1 网格",
    "'q'",
]
"""Unit names YAML or OmegaConf would read as something else, if written as they are."""


def test_names_are_data_from_the_table_to_the_results(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVSIM_SECRET", "leaked")
    rows = [
        {"district": name, "street": name, "community": name, "grid": name, "residents": 100}
        for name in NAMES
    ]
    (tmp_path / "units.csv").write_text(pd.DataFrame(rows).to_csv(index=False), encoding="utf-8")
    out = tmp_path / "names.yaml"
    status, _, err = import_units(capsys, str(tmp_path / "units.csv"), str(out))
    assert status == 0, err
    cfg = experiment(f"city={out}", "days=5", "horizon_days=1", "replications=1", "progress=false")
    assert cfg.city.units.districts == NAMES
    assert cfg.city.units.grids == ["/".join([name] * 4) for name in NAMES]
    names = run_experiment(cfg).units["name"]
    assert set(NAMES) <= set(names) and not names.str.contains("leaked").any()


def test_a_table_in_another_encoding_is_read_with_the_option_the_message_names(
    capsys, tmp_path: Path
) -> None:
    (tmp_path / "units.csv").write_bytes(UNITS.encode("gb18030"))
    out = tmp_path / "mine.yaml"
    command = (
        "city",
        "import",
        str(tmp_path / "units.csv"),
        "--columns",
        "street=镇街名称",
        "--out",
        str(out),
    )
    status, _, err = govsim_in_process(capsys, *command)
    assert status == 2 and "--encoding gb18030" in err and "encoding:" not in err
    status, _, err = govsim_in_process(capsys, *command, "--encoding", "nonsense")
    assert status == 2 and "--encoding 'nonsense' is not a known text encoding" in err
    status, _, err = govsim_in_process(capsys, *command, "--encoding", "gb18030")
    assert status == 0, err
    assert "鼓楼街道" in out.read_text(encoding="utf-8")


def test_a_missing_sheet_suggests_a_mapping_key_only_to_a_mapping(tmp_path: Path) -> None:
    from govsim.cases.read import read_table
    from govsim.config.errors import PathError

    book = tmp_path / "units.xlsx"
    pd.DataFrame({"grid": ["a"]}).to_excel(book, index=False)
    with pytest.raises(PathError) as plain:
        read_table(book, sheet="nope")
    assert "sheet:" not in str(plain.value) and "mapping" not in str(plain.value)
    with pytest.raises(PathError) as mapped:
        read_table(book, sheet="nope", source=tmp_path / "mapping.yaml")
    assert "sheet: a sheet's name or index in the mapping" in str(mapped.value)
