"""Every mechanism moves what it claims to move (directions and relations, paired runs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import experiment
from govsim.analysis.stats import paired_differences
from govsim.experiments.run import run_experiment
from govsim.mechanisms import REGISTRY
from govsim.model.model import GovernanceModel
from govsim.outcomes.index import INDEX_COLUMNS

DAYS, REPS = 150, 3


def paired(mechanism: str, *overrides: str, metrics: list[str]) -> pd.Series:
    """Paired mean difference (mechanism − baseline) of each metric."""
    cfg = experiment(
        f"mechanism={mechanism}",
        f"days={DAYS}",
        f"replications={REPS}",
        "progress=false",
        *overrides,
    )
    runs = run_experiment(cfg).runs
    return paired_differences(runs, metrics).set_index("metric")["difference"]


def single(*overrides: str, reps: int = REPS) -> pd.DataFrame:
    cfg = experiment(
        f"days={DAYS}", f"replications={reps}", "reference=null", "progress=false", *overrides
    )
    return run_experiment(cfg).runs


def test_hotline_raises_reporting_and_meets_time_limits() -> None:
    diff = paired("hotline", metrics=["reported_share", "discovery_days_mean"])
    assert diff["reported_share"] > 0.05
    assert diff["discovery_days_mean"] < 0
    assert paired("hotline", metrics=["response_rate"]).iloc[0] > 0  # answered in time


def test_more_patrol_means_earlier_discovery() -> None:
    assert paired("grid", metrics=["discovery_days_mean"]).iloc[0] < 0
    low = single("mechanism=grid", "mechanism.grid.patrol_share=0.25")
    high = single("mechanism=grid", "mechanism.grid.patrol_share=0.9")
    assert (high["discovery_days_mean"].to_numpy() < low["discovery_days_mean"].to_numpy()).all()


def test_grid_familiarity_grows_with_tenure() -> None:
    cfg = experiment("mechanism=grid", "days=400", "mechanism.grid.small_matter_gain=0")
    model = GovernanceModel(cfg)
    failures = []
    for _ in range(400):
        model.step()
        failures.append(model.engine.levers.grid_failure)
    assert failures[10] > failures[100] > failures[399]


def test_centre_cuts_bounces_and_keeps_cases_at_the_street() -> None:
    diff = paired(
        "centre", metrics=["bounces_per_1000_cases", "share_arisen_settled_at_or_below_street"]
    )
    assert diff["bounces_per_1000_cases"] < 0
    assert diff["share_arisen_settled_at_or_below_street"] > 0


def test_misrouting_probability_drives_bounces() -> None:
    good = single("mechanism=smart_dispatch", "mechanism.smart_dispatch.misrouting_prob=0.01")
    bad = single("mechanism=smart_dispatch", "mechanism.smart_dispatch.misrouting_prob=0.4")
    assert (
        bad["bounces_per_1000_cases"].to_numpy() > good["bounces_per_1000_cases"].to_numpy()
    ).all()
    assert paired("smart_dispatch", metrics=["petitions"]).iloc[0] < 0  # early warning


def test_mediation_ladder_keeps_disputes_out_of_court() -> None:
    diff = paired("mediation_ladder", metrics=["litigated_per_1000_cases"])
    assert diff.iloc[0] < 0


def test_fengqiao_settles_locally() -> None:
    diff = paired("fengqiao", metrics=["share_arisen_settled_at_or_below_street", "petitions"])
    assert diff["share_arisen_settled_at_or_below_street"] > 0
    assert diff["petitions"] < 0


def test_cross_region_coordination_shortens_boundary_cases() -> None:
    diff = paired(
        "cross_region", "city.cross_region_share=0.3", metrics=["resolution_days_mean", "petitions"]
    )
    assert diff["resolution_days_mean"] < 0
    assert diff["petitions"] < 0


def test_burden_reduction_frees_community_time() -> None:
    diff = paired(
        "burden_reduction",
        "city.mediators_per_community=1",
        metrics=["wait_days_mean", "staff_days_per_arisen_case"],
    )
    assert diff["wait_days_mean"] < 0
    assert diff["staff_days_per_arisen_case"] < 0


def test_psychological_services_slow_escalation() -> None:
    assert paired("psych", metrics=["petitions"]).iloc[0] < 0


def test_volunteers_find_cases_residents_do_not_report() -> None:
    hard = "city.residents.report_propensity_mean=0.3"
    diff = paired("volunteers", hard, metrics=["discovery_days_mean", "petitions"])
    assert diff["discovery_days_mean"] < 0
    assert diff["petitions"] < 0


def test_assessment_speeds_answers_at_a_staff_cost() -> None:
    diff = paired(
        "assessment",
        "mechanism.assessment.reporting_overhead=0.5",
        metrics=["resolution_days_mean", "department_utilisation"],
    )
    assert diff["resolution_days_mean"] < 0
    cheap = single("mechanism=assessment", "mechanism.assessment.reporting_overhead=0")
    dear = single("mechanism=assessment", "mechanism.assessment.reporting_overhead=0.5")
    assert (
        dear["department_utilisation"].to_numpy() > cheap["department_utilisation"].to_numpy()
    ).all()


def test_staged_roll_out_phases_the_effect_in() -> None:
    cfg = experiment(
        "mechanism=whistle",
        "days=300",
        "replications=2",
        "progress=false",
        "mechanism.whistle.start_day=100",
        "mechanism.whistle.ramp_days=100",
    )
    daily = run_experiment(cfg).daily
    whistle = daily[daily["mechanism"] == "whistle"].groupby("day")["whistles"].mean()
    per_day = whistle.diff().fillna(whistle)
    assert per_day.loc[:100].sum() == 0
    early, late = per_day.loc[101:130].mean(), per_day.loc[270:300].mean()
    assert 0 < early < late
    both = daily.pivot_table(
        index="day", columns="mechanism", values="share_arisen_settled_at_or_below_street"
    )
    gap = both["whistle"] - both["baseline"]
    assert abs(gap.loc[90]) < 1e-12 and gap.loc[300] > gap.loc[150] > 0


def test_every_mechanism_combines_with_all_others() -> None:
    names = [n for n in REGISTRY if n != "baseline"]
    runs = single(f"mechanism=[{','.join(names)}]", "days=60", reps=1)
    assert runs["mechanism"].iloc[0] == "+".join(names)
    assert 0 < runs["share_arisen_settled_at_or_below_street"].iloc[0] <= 1


def test_dissatisfaction_spreads_along_social_ties() -> None:
    changes = {}
    for influence in (0.0, 0.3):
        cfg = experiment(
            "city=workshop", "days=100", f"city.residents.social_influence={influence}"
        )
        model = GovernanceModel(cfg)
        before = model.residents.trust.copy()
        model.run_model()
        led = model.ledger
        never = np.ones(len(before), bool)
        never[led.resident[: len(led)]] = False
        changes[influence] = np.abs(model.residents.trust - before)[never].max()
        graph = model.residents.social_graph()
        assert graph.number_of_nodes() == len(before) and graph.number_of_edges() > 0
    assert changes[0.0] == 0.0 and changes[0.3] > 0.0


def test_severity_growth_raises_petitions() -> None:
    flat = single("city.severity_growth_per_day=0")["petitions"].to_numpy()
    growing = single("city.severity_growth_per_day=0.1")["petitions"].to_numpy()
    assert (growing > flat).all()


def test_overloaded_grid_workers_patrol_less() -> None:
    busy = ("city.case_types.urban_environment.hours.grid=60", "city.grid_workers_per_grid=1")
    relaxed = single(*busy, "city.grid_overload_sensitivity=0")["discovery_days_mean"]
    strained = single(*busy, "city.grid_overload_sensitivity=2")["discovery_days_mean"]
    assert (strained.to_numpy() > relaxed.to_numpy()).all()


def test_overloaded_departments_answer_later() -> None:
    slow = ("city.departments.urban_management.staff=6", "city.departments.environment.staff=6")
    calm = single(*slow, "city.department_overload_sensitivity=0")["resolution_days_mean"]
    strained = single(*slow, "city.department_overload_sensitivity=0.5")["resolution_days_mean"]
    assert (strained.to_numpy() > calm.to_numpy()).all()


def test_collective_incidents_are_a_subset_of_petitions() -> None:
    runs = single("city.case_types.labour_wage_dispute.collective_incident_prob=0.5")
    assert (runs["collective_incidents"] > 0).all()
    assert (runs["collective_incidents"] <= runs["petitions"]).all()


@pytest.mark.parametrize("mechanism", ["baseline", "guangdong"])
def test_governance_index_is_bounded(mechanism: str) -> None:
    overrides = ["scenario=guangdong_grid_centre"] if mechanism == "guangdong" else []
    runs = single(*overrides, "days=150", reps=1)
    assert 0 <= runs["governance_index"].iloc[0] <= 100
    for column in INDEX_COLUMNS[1:]:
        assert 0 <= runs[column].iloc[0] <= 1
