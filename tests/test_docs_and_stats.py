"""Documentation covers every parameter; the statistics are right on known inputs."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import experiment
from govsim.analysis.stats import mean_ci, paired_differences
from govsim.config import (
    CalendarConfig,
    CaseTypeConfig,
    CityConfig,
    ConfigError,
    DepartmentConfig,
    ExperimentConfig,
    HandlingHours,
    ResidentsConfig,
    UnitsConfig,
    validate,
)
from govsim.docs import mechanism_reference
from govsim.mechanisms import REGISTRY
from govsim.outcomes.metrics import METRICS

ODD = (Path(__file__).parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")
MECHANISMS = Path(__file__).parents[1] / "docs" / "mechanisms.md"


@pytest.mark.parametrize(
    "schema",
    [
        ExperimentConfig,
        CityConfig,
        ResidentsConfig,
        DepartmentConfig,
        CaseTypeConfig,
        HandlingHours,
        CalendarConfig,
        UnitsConfig,
    ],
)
def test_every_parameter_is_documented_in_the_odd(schema: type) -> None:
    missing = [
        f.name
        for f in fields(schema)
        if f"`{f.name}" not in ODD and f".{f.name}`" not in ODD and f"`{f.name}`" not in ODD
    ]
    assert not missing


def test_mechanism_reference_in_the_docs_is_up_to_date() -> None:
    text = MECHANISMS.read_text(encoding="utf-8")
    assert mechanism_reference() in text, "run: python -m govsim.docs"
    for name, mechanism in REGISTRY.items():
        assert mechanism.source and mechanism.assumption and mechanism.effect, name
        for f in fields(mechanism.config_class):
            assert f"`{f.name}`" in text


def test_every_metric_is_documented_in_the_odd() -> None:
    assert [m for m in METRICS if m not in ODD] == []


def test_mean_ci_matches_the_t_interval() -> None:
    values = np.array([1.0, 2.0, 3.0, 4.0])
    mean, low, high = mean_ci(values)
    half = stats.t.ppf(0.975, 3) * values.std(ddof=1) / 2
    assert (mean, low, high) == pytest.approx((2.5, 2.5 - half, 2.5 + half))
    assert np.isnan(mean_ci(np.array([1.0]))[1])


def test_paired_differences_remove_shared_noise() -> None:
    noise = np.array([0.0, 5.0, -3.0, 8.0])
    runs = pd.DataFrame(
        {
            "arm": ["treatment"] * 4 + ["reference"] * 4,
            "replication": [0, 1, 2, 3] * 2,
            "x": np.concatenate([noise + 1.0 + np.array([0, 0.1, -0.1, 0]), noise]),
        }
    )
    diff = paired_differences(runs, ["x"]).iloc[0]
    assert diff["difference"] == pytest.approx(1.0)
    assert diff["ci_low"] > 0.8 and diff["ci_high"] < 1.2
    assert diff["variance_ratio"] < 0.01


def test_validation_rejects_bad_values_with_their_key() -> None:
    cfg = experiment("city=workshop")
    validate(cfg, REGISTRY)
    cfg.city.residents.trust_mean = 1.5
    with pytest.raises(ConfigError, match=r"city\.residents\.trust_mean=1\.5.*\[0, 1\]"):
        validate(cfg, REGISTRY)
    cfg.city.residents.trust_mean = 0.5
    cfg.city.case_types["livelihood_need"].departments = ["nowhere"]
    with pytest.raises(ConfigError, match=r"city\.case_types\.livelihood_need\.departments"):
        validate(cfg, REGISTRY)
    cfg.city.case_types["livelihood_need"].departments = ["civil_affairs"]
    cfg.city.case_types["livelihood_need"].escalation_rate_per_day = float("inf")
    with pytest.raises(ConfigError, match="escalation_rate_per_day=inf"):
        validate(cfg, REGISTRY)
    cfg.city.case_types["livelihood_need"].escalation_rate_per_day = 0.01
    cfg.city.case_types = {}
    with pytest.raises(ConfigError, match=r"city\.case_types"):
        validate(cfg, REGISTRY)


def test_every_lever_has_its_sweep_in_the_docs() -> None:
    from conftest import experiment
    from govsim.docs import SWEEP, lever_reference
    from govsim.experiments.levers import catalogue
    from govsim.report.lever_sweep import BASE

    table = pd.read_csv(SWEEP)
    assert {lv.key for lv in catalogue(experiment(*BASE))} <= set(table["lever"])
    for group in table["group"].unique():
        assert (SWEEP.parent / f"levers_{group}.png").is_file(), group
    assert lever_reference(table) in MECHANISMS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("call", "returns"),
    [
        ("runs, long = govsim.experiments.collect.collect(DIR)", tuple[pd.DataFrame, pd.DataFrame]),
        ("pairing, html = govsim.report.compare.compare(DIR)", tuple[str, Path]),
    ],
)
def test_the_api_doc_says_what_a_commands_function_returns(call: str, returns: type) -> None:
    import importlib
    import typing

    module, _, function = call.partition(" = ")[2].removesuffix("(DIR)").rpartition(".")
    doc = (Path(__file__).parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    assert call in doc
    found = getattr(importlib.import_module(module), function)
    assert typing.get_type_hints(found)["return"] == returns
