"""A log's categories become the city's case types; its closing units map by rules to levels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import experiment, fit_log, govsim_in_process, one_line
from govsim.cases.case_types import (
    OTHER,
    fitted_categories,
    log_case_types,
    routing_table,
    type_name,
)
from govsim.cases.check import check_log
from govsim.cases.city import city_reference, load_city
from govsim.cases.handlers import handler_target, with_handler_rules
from govsim.cases.mapping import parse_mapping
from govsim.cases.read import read_log
from govsim.config.errors import PathError

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"
DEPARTMENTS = ("justice", "housing", "market_regulation", "public_security")


@pytest.mark.parametrize(
    ("unit", "departments", "target"),
    [
        ("郡庙社区", DEPARTMENTS, "community"),
        ("#红心村", DEPARTMENTS, "community"),
        ("某某居委会", DEPARTMENTS, "community"),
        ("综合治理办", DEPARTMENTS, "street"),
        ("石碶街道综治中心", DEPARTMENTS, "street"),
        ("高桥镇政府", DEPARTMENTS, "street"),
        ("综合指挥室", DEPARTMENTS, "street"),
        ("司法所", DEPARTMENTS, "justice"),
        ("司法所", None, "department"),
        ("市场监管所", DEPARTMENTS, "market_regulation"),
        ("区住建局", DEPARTMENTS, "housing"),
        ("派出所", DEPARTMENTS, "public_security"),
        ("区人社局", DEPARTMENTS, "department"),  # the city has no labour department
        ("礼嘉桥", DEPARTMENTS, None),
        ("非警务协同处置", DEPARTMENTS, None),
    ],
)
def test_closing_units_map_to_a_level_or_a_department_by_rules(
    unit: str, departments: tuple[str, ...] | None, target: str | None
) -> None:
    assert handler_target(unit, (), departments) == target


def test_names_win_over_the_mapping_s_rules_and_those_over_the_built_in_ones() -> None:
    mapping = parse_mapping(
        {
            "id": "i",
            "created": "c",
            "unit": "u",
            "handler": "h",
            "handlers": {"甲社区": "street"},
            "handler_rules": [
                {"pattern": "协同处置$", "to": "grid"},
                {"pattern": "^乙", "to": "street"},
            ],
        }
    )
    mapped = with_handler_rules(
        mapping, ["甲社区", "乙社区", "丙社区", "非警务协同处置", "street", "礼嘉桥"], DEPARTMENTS
    ).handlers
    assert mapped == {
        "甲社区": "street",
        "乙社区": "street",
        "丙社区": "community",
        "非警务协同处置": "grid",
        "street": "street",
    }  # 礼嘉桥: no rule


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ([{"pattern": "(", "to": "grid"}], "is not a regular expression"),
        ([{"pattern": "村", "level": "grid"}], "is not {pattern: ..., to: ...}"),
        ("村", "is not a list of rules"),
    ],
)
def test_bad_handler_rules_are_refused_in_one_line(rules: object, expected: str) -> None:
    with pytest.raises(PathError, match="handler_rules") as refused:
        parse_mapping(
            {"id": "i", "created": "c", "unit": "u", "handler": "h", "handler_rules": rules}
        )
    assert expected in str(refused.value) and "\n" not in str(refused.value)


def test_a_rule_to_a_department_the_city_lacks_is_refused(capsys, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        (EXAMPLES / "example_mapping.yaml").read_text(encoding="utf-8")
        + "handler_rules:\n  - {pattern: 局$, to: tax_bureau}\n",
        encoding="utf-8",
    )
    status, _, err = govsim_in_process(
        capsys,
        "cases",
        "check",
        str(EXAMPLES / "example_log.csv"),
        "--mapping",
        str(mapping),
        "--city",
        "workshop",
        "--out",
        str(tmp_path / "out"),
    )
    assert status == 2 and "handler_rules[0].to: 'tax_bureau'" in one_line(err)


def _log(tmp_path: Path, rng: np.random.Generator) -> tuple[Path, Path]:
    """A log of 4 categories (60, 40, 6 and 4 cases over 14 days) closed by named units.

    消费纠纷 closes 50% at a community (…社区), 30% at the town (综合治理办), 20% by 司法所;
    经济纠纷 all at the town; the rare ones at communities.
    """
    rows = []
    plan = {
        "消费纠纷": (60, ["甲社区"] * 5 + ["综合治理办"] * 3 + ["司法所"] * 2),
        "经济纠纷": (40, ["某镇综治中心"]),
        "医疗纠纷": (6, ["乙村"]),
        "情感纠纷": (4, ["乙村"]),
    }
    for category, (n, units) in plan.items():
        for k in range(n):
            created = pd.Timestamp("2025-05-01") + pd.Timedelta(hours=float(rng.uniform(0, 336)))
            closed = created + pd.Timedelta(hours=float(rng.exponential(20)))
            rows.append(
                {
                    "编号": f"{category}{k}",
                    "上报时间": created.strftime("%Y-%m-%d %H:%M"),
                    "办结时间": closed.strftime("%Y-%m-%d %H:%M"),
                    "分类": category,
                    "镇街": "街道1" if k % 2 else "街道2",
                    "办结单位": units[k % len(units)],
                }
            )
    log = tmp_path / "log.csv"
    pd.DataFrame(rows).to_csv(log, index=False)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "id: 编号\ncreated: 上报时间\nclosed: 办结时间\ncategory: 分类\n"
        "unit: 镇街\nhandler: 办结单位\nunit_level: street\n"
        "units: {街道1: street/0, 街道2: street/1}\n",
        encoding="utf-8",
    )
    return log, mapping


def _fit(capsys, tmp_path: Path, seed: int, out: Path, report: Path, *extra: str) -> None:
    """``govsim cases fit`` of the synthetic log drawn with ``seed``, to 14 May."""
    log, mapping = _log(tmp_path, np.random.default_rng(seed))
    status, _, err = fit_log(capsys, log, mapping, "2025-05-14", out, report, *extra)
    assert status == 0, err


def test_a_log_s_categories_become_case_types_with_their_routing(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("GOVSIM_CACHE", str(tmp_path / "cache"))
    out, report = tmp_path / "fitted.yaml", tmp_path / "report"
    _fit(capsys, tmp_path, 1, out, report)
    city = experiment(f"city={out}", "days=3", "horizon_days=0").city
    consumer, economic, other = (
        city.case_types[t] for t in ("consumer_dispute", "economic_dispute", OTHER)
    )
    assert (consumer.label_zh, economic.label_zh) == ("消费纠纷", "经济纠纷")
    assert consumer.rate_per_1000_per_year > economic.rate_per_1000_per_year > 0
    assert other.rate_per_1000_per_year > 0  # 医疗纠纷 and 情感纠纷 pooled
    # routing as the log shows it: 50% community, 30% town, 20% justice (a department)
    assert consumer.grid_settle_prob == 0 and consumer.mediable
    assert consumer.mediation_settle_prob == pytest.approx(0.5, abs=0.02)
    assert consumer.street_settle_prob == pytest.approx(0.6, abs=0.04)
    assert consumer.departments == ["justice"]
    assert economic.street_settle_prob == 1.0 and economic.mediation_settle_prob == 0
    text = (report / "fit.md").read_text(encoding="utf-8")
    assert "110 of 110 rows kept (100.0%)" in text and "医疗纠纷、情感纠纷" in text
    types = pd.read_parquet(report / "case_types.parquet").set_index("case_type")
    assert types.loc[OTHER, "cases"] == 10 and types.loc["consumer_dispute", "cases"] == 60
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.caselog import case_log

    model = GovernanceModel(
        experiment(f"city={out}", "days=14", "horizon_days=0", "reference=null", "progress=false")
    )
    model.run_model()  # the written city runs, its new types among its cases
    assert {"consumer_dispute", "economic_dispute"} <= set(case_log(model)["category"])
    # the held-out check maps the log's categories to the fitted types, the rare to other
    parsed = parse_mapping(
        {"id": "编号", "created": "上报时间", "unit": "镇街", "category": "分类"}
    )
    assert fitted_categories(parsed, city, ["消费纠纷", "医疗纠纷", "新纠纷"]).categories == {
        "消费纠纷": "consumer_dispute",
        "医疗纠纷": OTHER,
        "新纠纷": OTHER,
    }


def test_a_lower_minimum_gives_rare_categories_their_own_type(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("GOVSIM_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "fitted.yaml"
    _fit(capsys, tmp_path, 2, out, tmp_path / "r", "--min-cases", "5")
    types = experiment(f"city={out}").city.case_types
    assert "medical_dispute" in types and OTHER in types  # 情感纠纷 (4) still pooled
    assert types["medical_dispute"].label_zh == "医疗纠纷"


def test_the_example_log_enters_whole() -> None:
    """Its one 消费纠纷 row, which no mapped category holds, pools into ``other``."""
    from govsim.cases.case_types import open_categories
    from govsim.cases.fit import observed
    from govsim.cases.mapping import load_mapping

    mapping, city = load_mapping(EXAMPLES / "example_mapping.yaml"), load_city("workshop")
    log = read_log(EXAMPLES / "example_log.csv", mapping)
    before = check_log(log, mapping, city_reference(city))
    every, reference = open_categories(
        mapping, city_reference(city), log.fields["category"].unique(), {}
    )
    after = check_log(log, every, reference)
    assert before.reason_counts()["category not mapped"] == 1
    assert "category not mapped" not in after.reason_counts()
    assert len(after.kept) == len(before.kept) + 1
    typed = log_case_types(
        observed(after.kept, pd.Timestamp("2025-06-29").date()), city, merged=mapping.categories
    )
    assert (typed.cases["category"] == OTHER).sum() == 1
    assert set(typed.cases["category"]) <= set(typed.city.case_types)


def test_type_names_are_identifiers_and_never_taken() -> None:
    assert type_name("消费纠纷", []) == "consumer_dispute"
    assert type_name("消费纠纷", ["consumer_dispute"]) == "consumer_dispute_2"
    assert type_name("Noise complaints", []) == "noise_complaints"
    assert type_name("突发事件", []).isidentifier()


def test_routing_shares_and_settlement_probabilities_are_recovered_from_a_simulated_log() -> None:
    """A run of a city with known settlement probabilities, fitted back (within 99.9%)."""
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.caselog import case_log

    cfg = experiment(
        "city=workshop",
        "mechanism=baseline",
        "reference=null",
        "days=90",
        "horizon_days=0",
        "progress=false",
        "seed=3",
        "city.case_load_scale=4",
        "city.staff_scale=4",
        "city.residents.trust_mean=1.0",
        "city.residents.report_propensity_mean=1.0",
        "city.residents.street_channel_share=0.0",
        "city.residents.hotline_channel_share=0.0",
    )
    model = GovernanceModel(cfg)
    model.run_model()
    log = case_log(model)
    log = log.assign(
        created=pd.to_datetime(log["created"]),
        closed=pd.to_datetime(log["closed"]),
        handler=log["handler"].replace("", pd.NA),
    )
    truth = cfg.city.case_types
    fitted = log_case_types(log, cfg.city).city.case_types
    table = routing_table(log, cfg.city.departments).set_index(["category", "level"])
    z = 3.29  # two-sided 99.9%
    for name, t in truth.items():
        rest = 1 - t.grid_settle_prob
        community = rest * t.mediation_settle_prob if t.mediable else 0.0
        street = (rest - community) * t.street_settle_prob
        for level, share in zip(
            ("grid", "community", "street"), (t.grid_settle_prob, community, street), strict=True
        ):
            row = table.loc[(name, level)]
            error = z * np.sqrt(share * (1 - share) / row["routed"]) + 1e-9
            assert abs(row["share"] - share) <= error + 0.01, (name, level, row["share"], share)
        f = fitted[name]
        n = table.loc[(name, "grid"), "routed"]
        assert (
            abs(f.grid_settle_prob - t.grid_settle_prob)
            <= z * np.sqrt(t.grid_settle_prob * (1 - t.grid_settle_prob) / n) + 0.01
        ), name


def test_a_category_named_like_the_pool_maps_to_the_type_that_carries_its_label() -> None:
    import dataclasses

    from govsim.cases.mapping import parse_mapping

    city = experiment("city=workshop").city
    template = next(iter(city.case_types.values()))
    types = {
        **city.case_types,
        OTHER: dataclasses.replace(template, label_zh="其他(合并)"),
        f"{OTHER}_2": dataclasses.replace(template, label_zh=OTHER),
    }
    city = dataclasses.replace(city, case_types=types)
    mapping = parse_mapping({"id": "a", "created": "b", "unit": "c", "category": "d"})
    found = fitted_categories(mapping, city, [OTHER, "稀有"]).categories
    assert found == {OTHER: f"{OTHER}_2", "稀有": OTHER}


def test_street_closures_dispatched_at_once_entered_at_the_street() -> None:
    """40 grid closures, 30 street closures dispatched within the hour and 30 dispatched
    after five hours (through the ladder): 30% enter at the street, and the grid settles
    40 of the 70 that start there; without dispatch times every case starts at the grid."""
    city = experiment("city=workshop").city
    created = pd.Timestamp("2025-05-12 09:00") + pd.to_timedelta(np.arange(100), unit="h")
    lag = np.r_[np.zeros(40), np.full(30, 0.2), np.full(30, 5.0)]
    log = pd.DataFrame(
        {
            "created": created,
            "dispatched": created + pd.to_timedelta(lag, unit="h"),
            "closed": created + pd.Timedelta(hours=8),
            "category": "neighbour_dispute",
            "handler": ["grid"] * 40 + ["street"] * 60,
            "unit": "street/0",
        }
    )
    fitted = log_case_types(log, city).city.case_types["neighbour_dispute"]
    assert fitted.street_entry_prob == pytest.approx(0.3)
    assert fitted.grid_settle_prob == pytest.approx(40 / 70, abs=1e-4)
    assert fitted.street_settle_prob == 1.0
    # community closures dispatched at once enter there; mediation settles them
    log["handler"] = ["grid"] * 40 + ["community"] * 30 + ["street"] * 30
    both = log_case_types(log, city).city.case_types["neighbour_dispute"]
    assert both.community_entry_prob == pytest.approx(0.3)
    assert both.street_entry_prob == 0.0
    assert both.mediation_settle_prob == pytest.approx(0.5)  # 30 of 30 + 30 passing it
    ladder = log_case_types(log.drop(columns="dispatched"), city).city.case_types
    assert ladder["neighbour_dispute"].street_entry_prob == 0.0
    assert ladder["neighbour_dispute"].grid_settle_prob == pytest.approx(0.4)


def test_the_street_share_is_of_the_cases_known_while_the_street_took_dispatches() -> None:
    """40 cases known while the street office took dispatches (10 grid closures, 30 street
    closures dispatched at once) and 60 known while it did not (50 grid, 10 street, also at
    once): 30 of 40 enter at the street, and the 10 others, which the model starts at the
    grid, climbed to it, so the grid settles 60 of 70. Without ``taking``: 40 of 100 and
    the grid all it gets."""
    city = experiment("city=workshop").city
    created = pd.Timestamp("2025-05-12 09:00") + pd.to_timedelta(np.arange(100), unit="h")
    handler = ["grid"] * 10 + ["street"] * 30 + ["grid"] * 50 + ["street"] * 10
    log = pd.DataFrame(
        {
            "created": created,
            "dispatched": created + pd.Timedelta(minutes=5),
            "closed": created + pd.Timedelta(hours=3),
            "category": "neighbour_dispute",
            "handler": handler,
            "unit": "street/0",
        }
    )
    taking = pd.Series(np.arange(100) < 40)
    fitted = log_case_types(log, city, taking=taking).city.case_types["neighbour_dispute"]
    assert fitted.street_entry_prob == pytest.approx(0.75)
    assert fitted.grid_settle_prob == pytest.approx(60 / 70, abs=1e-4)
    always = log_case_types(log, city).city.case_types["neighbour_dispute"]
    assert always.street_entry_prob == pytest.approx(0.4)
    assert always.grid_settle_prob == pytest.approx(1.0)


def test_cases_open_at_the_cut_off_count_at_the_slow_level_and_enter_as_its_closures() -> None:
    """40 grid closures within 2 hours, 40 street closures after 2 days (all dispatched
    there at once) and 20 cases open 1.5 days at the cut-off: the open ones are the slow
    level's, so 60 of 100 enter at the street (the closed alone say 40 of 80), and the
    grid settles all it gets."""
    city = experiment("city=workshop").city
    created = pd.Timestamp("2025-05-01 09:00") + pd.to_timedelta(np.arange(100), unit="min")
    took = np.r_[np.full(40, 2 / 24), np.full(40, 2.0), np.full(20, np.nan)]
    log = pd.DataFrame(
        {
            "created": created,
            "dispatched": created + pd.Timedelta(minutes=5),
            "closed": created + pd.to_timedelta(took, unit="D"),
            "censored_at": created + pd.Timedelta(days=1.5),
            "category": "neighbour_dispute",
            "handler": ["grid"] * 40 + ["street"] * 40 + [""] * 20,
            "unit": "street/0",
        }
    )
    typed = log_case_types(log, city)
    routing = typed.routing.set_index("level")
    assert routing.loc["street", "cases"] == pytest.approx(60)
    assert routing.loc["street", "closed"] == 40
    assert routing.loc["street", "share"] == pytest.approx(0.6)
    fitted = typed.city.case_types["neighbour_dispute"]
    assert fitted.street_entry_prob == pytest.approx(0.6)
    assert fitted.grid_settle_prob == pytest.approx(1.0)
