"""Composition of the shipped configurations."""

from __future__ import annotations

from conftest import experiment


def test_district_city_has_exactly_its_yaml_case_types_and_departments() -> None:
    city = experiment().city
    assert list(city.case_types) == [
        "neighbour_dispute", "property_dispute", "labour_wage_dispute", "public_safety_hazard",
        "urban_environment", "livelihood_need"]
    assert list(city.departments) == [
        "housing", "urban_management", "labour", "public_security", "market_regulation",
        "environment", "civil_affairs", "justice"]


def test_workshop_city_inherits_the_district_case_mix_at_triple_rates() -> None:
    district, workshop = experiment().city, experiment("city=workshop").city
    assert list(workshop.case_types) == list(district.case_types)
    for name, case_type in workshop.case_types.items():
        base = district.case_types[name]
        assert case_type.rate_per_1000_per_year == 3 * base.rate_per_1000_per_year
        assert case_type.hours == base.hours and case_type.departments == base.departments
    assert workshop.residents.per_grid < district.residents.per_grid


def test_every_scenario_preset_composes_and_runs_briefly() -> None:
    from govsim.cli import CONF_DIR
    from govsim.experiment import run_experiment

    names = sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))
    assert len(names) >= 5
    for name in names:
        cfg = experiment(f"scenario={name}", "city=workshop", "days=20", "warmup_days=0",
                         "replications=1",
                         "progress=false")
        assert cfg.scenario == name
        runs = run_experiment(cfg).runs
        assert set(runs["scenario"]) == {name} and len(runs) == 2
