"""Composition of the shipped configurations."""

from __future__ import annotations

import dataclasses
from dataclasses import fields

import pytest
from omegaconf import MISSING, OmegaConf

from conftest import experiment
from govsim.composition.compose import CONF_DIR, config_yaml
from govsim.config.validate import ConfigError
from govsim.experiments.run import run_experiment

SCENARIOS = sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))


def test_district_city_has_exactly_its_yaml_case_types_and_departments() -> None:
    city = experiment().city
    assert list(city.case_types) == [
        "neighbour_dispute",
        "property_dispute",
        "labour_wage_dispute",
        "public_safety_hazard",
        "urban_environment",
        "livelihood_need",
    ]
    assert list(city.departments) == [
        "housing",
        "urban_management",
        "labour",
        "public_security",
        "market_regulation",
        "environment",
        "civil_affairs",
        "justice",
    ]


def test_workshop_city_inherits_the_district_case_types_at_field_load() -> None:
    district, workshop = experiment().city, experiment("city=workshop").city
    assert list(workshop.case_types) == list(district.case_types)
    for name, case_type in workshop.case_types.items():
        base = district.case_types[name]
        assert case_type.hours == base.hours and case_type.departments == base.departments
    total = sum(t.rate_per_1000_per_year for t in workshop.case_types.values())
    assert 200 <= total <= 400  # field load (DOMAIN.md)
    assert workshop.residents.per_grid < district.residents.per_grid


def test_every_scenario_preset_composes_and_runs_briefly() -> None:
    assert len(SCENARIOS) >= 5
    for name in SCENARIOS:
        cfg = experiment(
            f"scenario={name}",
            "city=workshop",
            "days=20",
            "warmup_days=0",
            "horizon_days=5",
            "replications=1",
            "progress=false",
        )
        assert cfg.scenario == name
        runs = run_experiment(cfg).runs
        assert set(runs["scenario"]) == {name} and len(runs) == 2


def _schemas() -> list[type]:
    from govsim.config import schema
    from govsim.mechanisms import REGISTRY

    classes = [
        schema.ExperimentConfig,
        schema.CityConfig,
        schema.ResidentsConfig,
        schema.DepartmentConfig,
        schema.CaseTypeConfig,
        schema.HandlingHours,
        schema.MechanismConfig,
    ]
    return classes + [m.config_class for m in REGISTRY.values()]


@pytest.mark.parametrize("schema", _schemas(), ids=lambda s: s.__name__)
def test_the_yaml_is_the_only_source_of_values(schema: type) -> None:
    """No typed-config field has a default of its own: a value missing from conf/ fails."""
    for f in fields(schema):
        assert f.default is MISSING and f.default_factory is dataclasses.MISSING, f.name


def test_a_value_missing_from_the_yaml_is_an_error_naming_it(tmp_path) -> None:
    extra = tmp_path / "city"
    extra.mkdir()
    text = (CONF_DIR / "city" / "mmc.yaml").read_text(encoding="utf-8")
    (extra / "holey.yaml").write_text(text.replace("above_staff: 1\n", ""), encoding="utf-8")
    with pytest.raises(ConfigError, match="above_staff"):
        experiment("city=holey", f"hydra.searchpath=[file://{tmp_path}]")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_an_explicit_mechanism_list_replaces_the_scenarios(scenario: str) -> None:
    cfg = experiment(f"scenario={scenario}", "mechanism=hotline")
    assert list(cfg.mechanism) == ["hotline"]
    assert list(OmegaConf.create(config_yaml(cfg)).mechanism) == ["hotline"]  # what ran
    both = experiment(f"scenario={scenario}", "mechanism=[hotline,baseline]")
    assert list(both.mechanism) == ["baseline", "hotline"]


def test_a_scenarios_settings_apply_to_its_mechanisms_that_run() -> None:
    cfg = experiment("scenario=beijing_2019_hotline", "mechanism=[hotline,whistle]")
    assert cfg.mechanism["whistle"].deadline_days == 0.5
    assert cfg.mechanism["hotline"].hotline_share == 0.6


def test_a_setting_for_a_mechanism_that_does_not_run_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"mechanism\.whistle.*add whistle"):
        experiment("mechanism=hotline", "+mechanism.whistle.deadline_days=3")


def test_any_scenario_takes_any_mechanism_list() -> None:
    cfg = experiment(
        "scenario=pingliang_three_step",
        "mechanism=[grid,centre,hotline]",
        "city=workshop",
        "days=2",
        "horizon_days=0",
        "replications=1",
        "progress=false",
    )
    runs = run_experiment(cfg).runs
    assert set(runs["mechanism"]) == {"hotline+grid+centre", "baseline"}


def test_reference_accepts_a_single_name() -> None:
    assert experiment("reference=baseline").reference == ["baseline"]
    assert experiment("reference=null").reference is None


def test_a_whistle_threshold_above_the_citys_largest_joint_job_is_refused_naming_it() -> None:
    from govsim.config.schema import most_departments
    from govsim.config.validate import validate
    from govsim.mechanisms import REGISTRY

    cfg = experiment("city=workshop", "mechanism=whistle")
    most = most_departments(cfg.city)
    cfg.mechanism["whistle"].min_departments = most
    validate(cfg, REGISTRY)
    cfg.mechanism["whistle"].min_departments = most + 1
    with pytest.raises(
        ConfigError,
        match=rf"min_departments={most + 1} \(allowed: at most "
        rf"{most} in city workshop: the most departments",
    ):
        validate(cfg, REGISTRY)
