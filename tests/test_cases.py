"""Case logs: the mapping, reading, every row's check, the simulated log, the shipped example."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from conftest import fit_log, govsim_in_process, one_line
from govsim.cases.check import REASONS, WARNINGS, check_log, parse_times
from govsim.cases.city import city_reference, load_city
from govsim.cases.mapping import load_mapping, parse_mapping
from govsim.cases.read import read_log
from govsim.composition.compose import CONF_DIR, compose
from govsim.config.errors import ConfigError, PathError
from govsim.model.model import GovernanceModel
from govsim.outcomes.caselog import CASE_LOG_COLUMNS, case_log

ROOT = CONF_DIR.parent
EXAMPLES = ROOT / "docs" / "examples"
HAISHU = ROOT.parent / "shared" / "data" / "haishu" / "disputes_2025-05-01_to_21.csv"
MAPPING = {
    "id": "编号",
    "created": "上报时间",
    "closed": "办结时间",
    "category": "类别",
    "unit": "镇街",
    "status": "状态",
    "dispatched": "派发时间",
    "accepted": "受理时间",
    "time_format": "%Y-%m-%d %H:%M",
    "categories": {"邻里": "neighbour_dispute", "物业": "property_dispute"},
    "statuses": {"归档": "closed", "受理": "open"},
}
GOOD = {
    "编号": "A1",
    "上报时间": "2025-05-01 08:00",
    "办结时间": "2025-05-01 09:00",
    "类别": "邻里",
    "镇街": "street/0",
    "状态": "归档",
    "派发时间": "2025-05-01 08:10",
    "受理时间": "2025-05-01 08:20",
}
BAD = {  # one row per reason it should get (first reason), from a good row
    "missing id": {"编号": ""},
    "duplicate id": {"编号": "A1"},
    "missing created": {"上报时间": ""},
    "bad created time": {"上报时间": "2025-05-32 08:00"},
    "bad closed time": {"办结时间": "soon"},
    "bad dispatched time": {"派发时间": "later"},
    "bad accepted time": {"受理时间": "2025-05-01 25:00"},
    "closed before created": {"办结时间": "2025-04-30 09:00"},
    "created in the future": {"上报时间": "2099-05-01 08:00", "办结时间": "2099-05-01 09:00"},
    "closed in the future": {"办结时间": "2099-05-01 09:00"},
    "closed too long after created": {"办结时间": "2026-05-02 09:00"},
    "closed status without a closed time": {"办结时间": ""},
    "missing unit": {"镇街": ""},
    "unknown unit": {"镇街": "street/7"},
    "missing category": {"类别": ""},
    "category not mapped": {"类别": "消费"},
}


def _log(
    tmp_path: Path, rows: list[dict[str, str]], mapping: dict | None = None, suffix: str = ".csv"
):
    path = tmp_path / f"log{suffix}"
    table = pd.DataFrame(rows)
    if suffix == ".csv":
        table.to_csv(path, index=False)
    else:
        table.to_excel(path, index=False)
    parsed = parse_mapping(mapping or MAPPING, tmp_path / "mapping.yaml")
    return read_log(path, parsed), parsed


@pytest.fixture(scope="module")
def workshop():
    return city_reference(compose(["city=workshop"]).city)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({**MAPPING, "statusses": {}}, "unknown key 'statusses'; did you mean statuses?"),
        ({k: v for k, v in MAPPING.items() if k != "unit"}, "no column named for unit"),
        ({**MAPPING, "unit_level": "province"}, "unit_level: 'province'"),
        ({**MAPPING, "statuses": {"归档": "done"}}, "statuses.归档: 'done' is not allowed"),
        (
            {**MAPPING, "channels": {"x": "hotline"}},
            "channels given but no column named for channel",
        ),
        ({**MAPPING, "time_format": "YYYY-MM-DD"}, "has no % directive"),
        ({**MAPPING, "time_format": "%m-%d %H:%M"}, "time_format: '%m-%d %H:%M' has no year"),
        ({**MAPPING, "time_format": "%Y-%m-%d %Q"}, "time_format: '%Y-%m-%d %Q' is not a format"),
        ({**MAPPING, "timezone": "Asia/Beijing"}, "timezone: 'Asia/Beijing' is not a known"),
        ({**MAPPING, "max_gap_days": 0}, "max_gap_days: 0 is not a number of days"),
        ({**MAPPING, "max_closure_days": "long"}, "max_closure_days: 'long' is not a number"),
        (["id"], "is not a YAML mapping"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_key(raw, expected: str) -> None:
    with pytest.raises(PathError, match=r"mapping\.yaml") as error:
        parse_mapping(raw, "mapping.yaml")
    assert expected in str(error.value) and "\n" not in str(error.value)


def test_a_column_the_file_lacks_is_named_with_the_files_columns(tmp_path: Path) -> None:
    with pytest.raises(PathError) as error:
        _log(tmp_path, [GOOD], {**MAPPING, "handler": "承办单位"})
    message = str(error.value)
    assert "no column '承办单位' (mapping key handler" in message
    assert "编号, 上报时间, 办结时间, 类别, 镇街, 状态" in message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_bad_row_gets_its_reason_and_nothing_is_dropped(
    tmp_path: Path, workshop, suffix: str
) -> None:
    rows = [GOOD] + [{**GOOD, "编号": f"B{k}", **cells} for k, cells in enumerate(BAD.values())]
    rows.append({**GOOD, "编号": "W", "状态": "受理"})  # open with a closed time: a warning
    rows.append({**GOOD, "编号": "D", "状态": "其他", "办结时间": ""})  # status derived: open
    log, mapping = _log(tmp_path, rows, suffix=suffix)
    result = check_log(log, mapping, workshop)
    assert result.rows_read == len(rows) == len(result.kept) + len(result.rejected)
    assert list(result.rejected["reason"]) == list(BAD)
    assert list(result.rejected["row"]) == list(range(3, 3 + len(BAD)))
    assert list(result.reason_counts().index) == [r for r in REASONS if r in BAD]
    kept = result.kept.set_index("id")
    assert list(kept.index) == ["A1", "W", "D"]
    assert kept.loc["W", "warning"] and kept.loc["W", "status"] == "open"
    assert kept.loc["D", "status"] == "open" and pd.isna(kept.loc["D", "closed"])
    assert kept.loc["A1", "category"] == "neighbour_dispute"
    assert kept.loc["A1", "accepted"] == pd.Timestamp("2025-05-01 08:20")
    assert kept.loc["A1", "dispatched"] == pd.Timestamp("2025-05-01 08:10")
    assert (kept["closed"].dropna() >= kept["created"][kept["closed"].notna()]).all()
    assert set(result.rejected.columns) >= {"编号", "上报时间", "row", "reason", "reasons"}


def test_excel_times_and_numbers_read_as_the_export_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    pd.DataFrame(
        {
            "编号": [101, 102],
            "上报时间": pd.to_datetime(["2025-05-01 08:00", None]),
            "镇街": ["street/0", "street/1"],
        }
    ).to_excel(path, index=False)
    mapping = parse_mapping(
        {"id": "编号", "created": "上报时间", "unit": "镇街", "time_format": "%Y-%m-%d %H:%M"}
    )
    result = check_log(read_log(path, mapping), mapping)
    assert result.kept["id"].tolist() == ["101"]
    assert result.kept["created"].tolist() == [pd.Timestamp("2025-05-01 08:00")]
    assert result.rejected["reason"].tolist() == ["missing created"]


def test_units_and_categories_are_checked_against_the_city(tmp_path: Path, workshop) -> None:
    mapping = {k: v for k, v in MAPPING.items() if k != "categories"}
    rows = [
        {**GOOD, "类别": "property_dispute"},
        {**GOOD, "编号": "2", "镇街": "street/2"},
        {**GOOD, "编号": "3", "类别": "property_dispute", "镇街": "street/1"},
        {**GOOD, "编号": "4", "类别": "consumer_dispute"},
    ]
    log, parsed = _log(tmp_path, rows, mapping)
    result = check_log(log, parsed, workshop)
    assert list(result.rejected["reason"]) == ["unknown unit", "unknown category"]
    assert "unknown category" in result.rejected["reasons"].iloc[0]  # every reason kept
    assert check_log(log, parsed).rejected.empty  # without a city nothing is unknown
    with pytest.raises(PathError, match=r"categories\.物业: 'property' is not in city workshop"):
        check_log(log, parse_mapping({**MAPPING, "categories": {"物业": "property"}}), workshop)


def test_a_city_yaml_file_is_composed_like_a_city_of_conf(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("defaults:\n  - workshop\n  - _self_\nname: mine\nstreets_per_district: 3\n")
    city = city_reference(load_city(str(path)))
    assert city.units["street"] == ("street/0", "street/1", "street/2")
    assert "neighbour_dispute" in city.case_types
    with pytest.raises(ConfigError, match="city=nowhere: no such option"):
        load_city("nowhere")
    with pytest.raises(PathError, match="is not a file"):
        load_city(str(tmp_path / "missing.yaml"))


def test_times_parse_by_format_or_iso_and_bad_ones_are_nat() -> None:
    text = pd.Series(
        [
            "2025-05-01 08:00",
            "2025-05-01T08:00:00+08:00",
            "2025/05/01 08:00",
            "12",
            "",
            "2025-02-30 08:00",
        ]
    )
    parsed = parse_times(text)
    assert parsed.iloc[:3].tolist() == [pd.Timestamp("2025-05-01 08:00")] * 3
    assert parsed.iloc[3:].isna().all()
    strict = parse_times(text, "%Y-%m-%d %H:%M")
    assert strict.notna().tolist() == [True, False, False, False, False, False]


def test_times_with_a_utc_offset_are_converted_to_the_log_s_zone_never_dropped() -> None:
    text = pd.Series(
        [
            "2025-05-01T10:00+08:00",
            "2025-05-01T03:00Z",
            "2025-05-01 09:00",
            "2025-05-01 02:30:00+0000",
        ]
    )
    assert parse_times(text).tolist() == [
        pd.Timestamp(t)
        for t in ("2025-05-01 10:00", "2025-05-01 11:00", "2025-05-01 09:00", "2025-05-01 10:30")
    ]
    assert parse_times(text[:2], timezone="UTC").tolist() == [
        pd.Timestamp("2025-05-01 02:00"),
        pd.Timestamp("2025-05-01 03:00"),
    ]
    assert parse_times(pd.Series(["2025-05-01 03:00 +0000"]), "%Y-%m-%d %H:%M %z").tolist() == [
        pd.Timestamp("2025-05-01 11:00")
    ]


def test_an_ordinary_pair_across_offsets_is_kept_with_its_duration(tmp_path: Path) -> None:
    log, mapping = _log(
        tmp_path,
        [{**GOOD, "上报时间": "2025-05-01T10:00+08:00", "办结时间": "2025-05-01T03:00Z"}],
        {k: v for k, v in MAPPING.items() if k != "time_format"},
    )
    kept = check_log(log, mapping).kept
    assert (kept["closed"] - kept["created"]).tolist() == [pd.Timedelta(hours=1)]


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (
            ["03/05/2025 10:00", "13/05/2025 09:00"],
            "of 2 rows, 1 read only day-first, 0 only month-first, 1 either way",
        ),
        (["03/05/2025 10:00", "04/05/2025 09:00"], "0 read only day-first, 0 only month-first, 2"),
        (
            ["13.05.2025 10:00", "05.14.2025 09:00"],
            "1 read only day-first, 1 only month-first, 0 "
            "either way; set time_format, e.g. %d.%m.%Y",
        ),
    ],
)
def test_a_day_month_order_the_dates_do_not_settle_is_refused_with_its_counts(
    tmp_path: Path, created: list[str], expected: str
) -> None:
    rows = [{**GOOD, "编号": f"A{k}", "上报时间": t, "办结时间": ""} for k, t in enumerate(created)]
    log, mapping = _log(tmp_path, rows, {k: v for k, v in MAPPING.items() if k != "time_format"})
    with pytest.raises(PathError, match=r"log\.csv: created: day/month order is ambiguous") as e:
        check_log(log, mapping)
    assert expected in str(e.value) and "\n" not in str(e.value)


def test_a_day_month_order_the_dates_settle_is_read_one_way() -> None:
    text = pd.Series(["13/05/2025 10:00", "21/05/2025 09:00", "not a time"])
    assert parse_times(text).iloc[:2].tolist() == [
        pd.Timestamp("2025-05-13 10:00"),
        pd.Timestamp("2025-05-21 09:00"),
    ]
    assert parse_times(pd.Series(["05/13/2025 10:00"])).tolist() == [
        pd.Timestamp("2025-05-13 10:00")
    ]


def _dated(days: list[str]) -> list[dict[str, str]]:
    return [
        {**GOOD, "编号": f"A{k}", "上报时间": f"{d} 08:00", "办结时间": f"{d} 09:00"}
        for k, d in enumerate(days)
    ]


def test_rows_outside_the_densest_period_are_kept_with_a_warning_and_not_fitted(
    tmp_path: Path,
) -> None:
    may = [f"2025-05-{d:02d}" for d in range(1, 22)]
    log, mapping = _log(tmp_path, _dated(["1900-05-03", "2024-05-03", *may, "2025-07-01"]))
    result = check_log(log, mapping)
    assert result.rejected.empty and len(result.kept) == 24
    period = result.period
    assert (str(period.first), str(period.last), period.outside) == ("2025-05-01", "2025-05-21", 3)
    assert period.describe().startswith(
        "span 2025-05-01 … 2025-05-21 (densest period; 3 rows "
        "outside it, not fitted; more than 7 days"
    )
    assert result.warning_counts().to_dict() == {WARNINGS[1]: 3}
    assert result.in_period()["id"].tolist() == [f"A{k}" for k in range(2, 23)]
    wider = check_log(log, parse_mapping({**MAPPING, "max_gap_days": 400}))
    assert (str(wider.period.first), str(wider.period.last), wider.period.outside) == (
        "2024-05-03",
        "2025-07-01",
        1,
    )  # only 1900 lies more than 400 days away


def test_future_times_and_closures_beyond_the_maximum_are_rejected(tmp_path: Path) -> None:
    rows = [
        *_dated(["2025-05-01", "2025-05-02"]),
        {**GOOD, "编号": "F", "上报时间": "2099-05-03 08:00", "办结时间": ""},
        {**GOOD, "编号": "L", "办结时间": "2035-05-01 09:00"},
        {**GOOD, "编号": "Y", "办结时间": "2025-06-01 09:00"},
    ]
    log, mapping = _log(tmp_path, rows)
    now = pd.Timestamp("2040-01-01")
    assert check_log(log, mapping, now=now).rejected["reason"].tolist() == [
        "created in the future",
        "closed too long after created",
    ]
    strict = parse_mapping({**MAPPING, "max_closure_days": 7})
    assert check_log(log, strict, now=now).rejected["编号"].tolist() == ["F", "L", "Y"]
    assert check_log(log, mapping).rejected["reasons"].iloc[1] == (
        "closed in the future; closed too long after created"
    )


def _example_script():
    spec = importlib.util.spec_from_file_location(
        "make_example_log", EXAMPLES / "make_example_log.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_log_regenerates_identically_and_its_bad_rows_are_rejected(
    tmp_path: Path, workshop
) -> None:
    script = _example_script()
    written = script.main(tmp_path / "example_log.csv")
    assert written.read_bytes() == (EXAMPLES / "example_log.csv").read_bytes()
    mapping = load_mapping(EXAMPLES / "example_mapping.yaml")
    result = check_log(read_log(EXAMPLES / "example_log.csv", mapping), mapping, workshop)
    declared = [reason for reason, _ in script.BAD_ROWS.values()]
    assert sorted(result.rejected["reason"]) == sorted(r for r in declared if r in REASONS)
    assert list(result.warning_counts().items()) == [("open status with a closed time", 1)]
    assert result.rows_read == len(result.kept) + len(result.rejected)


def test_the_simulated_log_has_its_columns_and_checks_clean(tmp_path: Path, workshop) -> None:
    cfg = compose(
        [
            "city=workshop",
            "days=21",
            "warmup_days=3",
            "horizon_days=0",
            "reference=null",
            "progress=false",
            "city.calendar.start_date=2025-05-01",
        ]
    )
    model = GovernanceModel(cfg)
    model.run_model()
    log = case_log(model)
    assert tuple(log.columns) == CASE_LOG_COLUMNS and len(log) > 20
    done = log["closed"].notna()
    assert (log.loc[done, "closed"] >= log.loc[done, "created"]).all()
    assert (log["handler"][~done] == "").all() and (log["handler"][done] != "").all()
    assert log["created"].min() >= pd.Timestamp("2025-05-04")  # after the warm-up
    assert log["created"].max() < pd.Timestamp("2025-05-22")
    assert set(log["unit"]) <= set(workshop.units["street"])
    path = tmp_path / "simulated.csv"
    log.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    mapping = load_mapping(EXAMPLES / "simulated_mapping.yaml")
    result = check_log(read_log(path, mapping), mapping, workshop)
    assert result.rejected.empty and len(result.kept) == len(log)


def test_cases_check_writes_its_folder_and_prints_the_reasons(capsys, tmp_path: Path) -> None:
    out = tmp_path / "out"
    status, stdout, err = govsim_in_process(
        capsys,
        "cases",
        "check",
        str(EXAMPLES / "example_log.csv"),
        "--mapping",
        str(EXAMPLES / "example_mapping.yaml"),
        "--out",
        str(out),
    )
    assert status == 0, err
    assert {p.name for p in out.iterdir()} == {
        "kept.parquet",
        "rejected.csv",
        "values.csv",
        "check.md",
    }
    rejected = pd.read_csv(out / "rejected.csv")
    kept = pd.read_parquet(out / "kept.parquet")
    assert "rows read 274" in stdout and f"rejected {len(rejected)}" in stdout
    assert len(kept) + len(rejected) == 274 and "duplicate id" in stdout
    assert "| duplicate id | 1 |" in (out / "check.md").read_text()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["cases"], "no action given"),
        (["cases", "validate"], "the following arguments are required"),
        (["cases", "chek"], "unknown action 'chek'"),
        (
            ["cases", "check", "missing.csv", "--mapping", "{mapping}"],
            "missing.csv: does not exist",
        ),
        (["cases", "check", "{log}"], "required: --mapping"),
        (["cases", "check", "{log}", "--mapping", "{log}"], "is not a YAML mapping"),
        (
            ["cases", "check", "{log}", "--mapping", "{mapping}", "--city", "nope"],
            "city=nope: no such option",
        ),
        (
            ["cases", "simulate", "--", "city.calendar.start_date=soon"],
            "city.calendar.start_date='soon'",
        ),
    ],
)
def test_cases_refusals_are_one_line_and_write_nothing(
    capsys, tmp_path: Path, monkeypatch, args: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    places = {
        "log": str(EXAMPLES / "example_log.csv"),
        "mapping": str(EXAMPLES / "example_mapping.yaml"),
    }
    status, _, err = govsim_in_process(capsys, *[a.format(**places) for a in args])
    line = one_line(err)
    assert status == 2 and expected in line, line
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("time_format", "%Q", "time_format: '%Q' is not a format times can be read in"),
        ("time_format", "%m-%d %H:%M", "has no year"),
        ("timezone", "+08:00", "timezone: '+08:00' is not a known time zone"),
    ],
)
def test_a_bad_time_key_is_a_refusal_not_a_failure(
    capsys, tmp_path: Path, key: str, value: str, expected: str
) -> None:
    import yaml

    raw = yaml.safe_load((EXAMPLES / "example_mapping.yaml").read_text(encoding="utf-8"))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump({**raw, key: value}, allow_unicode=True), "utf-8")
    status, _, err = govsim_in_process(
        capsys,
        "cases",
        "check",
        str(EXAMPLES / "example_log.csv"),
        "--mapping",
        str(mapping),
        "--out",
        str(tmp_path / "o"),
    )
    assert status == 2 and expected in one_line(err)
    assert not (tmp_path / "o").exists()


TWICE = """id: 事件编号
created: 上报时间
category: 二级分类
unit: 镇街名称
categories:
  邻里纠纷: neighbour_dispute
  物业纠纷: property_dispute
  邻里纠纷: labour_wage_dispute
"""
"""A mapping of the example log with a key given twice: PyYAML alone keeps the last."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TWICE, "key '邻里纠纷' given twice (lines 6 and 8)"),
        (
            TWICE.replace("category: 二级分类", "unit: 二级分类"),
            "key 'unit' given twice (lines 3 and 4)",
        ),
        (
            TWICE.replace("邻里纠纷: labour", "'物业纠纷': labour"),
            "key '物业纠纷' given twice (lines 7 and 8)",
        ),
        (
            TWICE.replace("邻里纠纷: labour", '"1": labour').replace("物业纠纷:", "1:"),
            "key '1' given twice (lines 7 and 8)",
        ),
    ],
)
def test_a_key_given_twice_in_a_mapping_is_refused_with_its_lines(
    capsys, tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "mapping.yaml").write_text(text, encoding="utf-8")
    status, _, err = govsim_in_process(
        capsys,
        "cases",
        "check",
        str(EXAMPLES / "example_log.csv"),
        "--mapping",
        str(tmp_path / "mapping.yaml"),
        "--out",
        str(tmp_path / "out"),
    )
    assert status == 2 and expected in one_line(err), err
    assert not (tmp_path / "out").exists()


def test_a_mapping_reads_its_keys_and_values_as_written(tmp_path: Path) -> None:
    (tmp_path / "mapping.yaml").write_text(
        "id: 001\ncreated: 2025\nunit: null\nunit_level: street\nsheet: 1\nunits:\n"
        "  yes: street/0\n  null: street/1\n  ~: street/2\n  010: street/3\n  1e3: street/4\n"
        "  2025-01-01: street/5\n  7: street/6\n  ${oc.env:HOME}: street/7\n",
        encoding="utf-8",
    )
    mapping = load_mapping(tmp_path / "mapping.yaml")
    assert mapping.columns == {"id": "001", "created": "2025", "unit": "null"}
    assert mapping.sheet == 1
    assert mapping.units == {
        "yes": "street/0",
        "null": "street/1",
        "~": "street/2",
        "010": "street/3",
        "1e3": "street/4",
        "2025-01-01": "street/5",
        "7": "street/6",
        "${oc.env:HOME}": "street/7",
    }


@pytest.mark.skipif(not HAISHU.is_file(), reason="the Haishu log is not in ../shared/data")
def test_the_haishu_log_checks_with_its_mapping_and_every_row_is_counted() -> None:
    mapping = load_mapping(EXAMPLES / "haishu_mapping.yaml")
    city = city_reference(load_city(str(EXAMPLES / "haishu_city.yaml")))
    result = check_log(read_log(HAISHU, mapping), mapping, city)
    assert result.rows_read == 4051
    assert len(result.kept) + len(result.rejected) == 4051
    assert int(result.reason_counts().sum()) == len(result.rejected)
    units = result.values[result.values["field"] == "unit"]
    assert len(units) == 17 and (units["maps_to"] != "").all()
    assert not {"bad created time", "closed before created", "duplicate id"} & set(
        result.rejected["reason"]
    )


def test_a_year_or_a_month_alone_is_not_a_time() -> None:
    times = parse_times(pd.Series(["2025", "2025-05", "2025年5月", "2025-05-01 10:00"]))
    assert times.isna().tolist() == [True, True, True, False]
    with pytest.raises(PathError, match="has no day"):
        parse_mapping({"id": "a", "created": "b", "unit": "c", "time_format": "%Y-%m"})


def test_a_time_format_with_an_offset_is_read_and_converted(tmp_path: Path) -> None:
    mapping = parse_mapping(
        {
            "id": "id",
            "created": "created",
            "closed": "closed",
            "unit": "unit",
            "time_format": "%Y-%m-%d %H:%M%z",
        }
    )
    times = parse_times(
        pd.Series(["2025-05-01 10:00+0800", "2025-05-01 03:00+0000"]),
        mapping.time_format,
        mapping.timezone,
    )
    assert times.tolist() == [pd.Timestamp("2025-05-01 10:00"), pd.Timestamp("2025-05-01 11:00")]


def test_a_trailing_comma_on_every_row_reads_as_the_clean_log(capsys, tmp_path: Path) -> None:
    rows = (EXAMPLES / "example_log.csv").read_text(encoding="utf-8").splitlines()
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("\n".join([rows[0], *(r + "," for r in rows[1:])]) + "\n", "utf-8")
    mapping = load_mapping(EXAMPLES / "example_mapping.yaml")
    clean = check_log(read_log(EXAMPLES / "example_log.csv", mapping), mapping)
    read = check_log(read_log(trailing, mapping), mapping)
    pd.testing.assert_frame_equal(read.kept, clean.kept)
    extra = tmp_path / "extra.csv"
    extra.write_text("\n".join([rows[0], rows[1] + ",more", *rows[2:]]) + "\n", "utf-8")
    status, _, err = govsim_in_process(
        capsys,
        "cases",
        "check",
        str(extra),
        "--mapping",
        str(EXAMPLES / "example_mapping.yaml"),
        "--out",
        str(tmp_path / "out"),
    )
    assert status == 2 and "row 2 has" in one_line(err)


def test_a_text_file_named_xlsx_is_not_a_workbook(capsys, tmp_path: Path) -> None:
    fake = tmp_path / "log.xlsx"
    fake.write_bytes((EXAMPLES / "example_log.csv").read_bytes())
    status, _, err = govsim_in_process(
        capsys,
        "cases",
        "check",
        str(fake),
        "--mapping",
        str(EXAMPLES / "example_mapping.yaml"),
        "--out",
        str(tmp_path / "out"),
    )
    assert status == 2 and "is not a readable Excel workbook" in one_line(err)
    assert "sheet" not in one_line(err)


def test_a_log_too_small_for_any_town_s_speed_still_fits(capsys, tmp_path: Path) -> None:
    rows = (EXAMPLES / "example_log.csv").read_text(encoding="utf-8").splitlines()[:3]
    small = tmp_path / "small.csv"
    small.write_text("\n".join(rows) + "\n", encoding="utf-8")
    day = rows[1].split(",")[1][:10]
    status, _, err = fit_log(
        capsys,
        str(small),
        str(EXAMPLES / "example_mapping.yaml"),
        day,
        str(tmp_path / "fit.yaml"),
        str(tmp_path / "report"),
    )
    assert status == 0, err
    assert (tmp_path / "fit.yaml").is_file()
