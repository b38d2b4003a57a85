"""The street whistle moves what it claims to move (directions and relations only)."""

from __future__ import annotations

import numpy as np

from conftest import experiment
from govsim.analysis.stats import paired_differences
from govsim.experiments.run import run_experiment
from govsim.outcomes.measures import HANDLED, HEADLINE


def _with_staff(cfg, staff: int):
    for dept in cfg.city.departments.values():
        dept.staff = staff
    return cfg


def _ample(cfg):
    """Departments and streets with staff to spare: no queue decides where a case ends."""
    cfg.city.street_staff = 20
    return _with_staff(cfg, 40)


def test_whistle_nobody_answers_behaves_like_baseline() -> None:
    cfg = experiment(
        "days=180", "replications=6", "progress=false", "mechanism.whistle.compliance=0"
    )
    result = run_experiment(cfg)
    diff = paired_differences(result.runs, [HEADLINE, "resolution_days_mean"]).set_index("metric")
    for metric in (HEADLINE, "resolution_days_mean"):
        assert diff.loc[metric, "ci_low"] <= 0.0 <= diff.loc[metric, "ci_high"], metric
    assert abs(diff.loc[HEADLINE, "difference"]) < 0.005
    whistle = result.runs[result.runs["mechanism"] == "whistle"]
    assert (whistle["whistles_per_1000_cases"] > 0).all()


def test_whistle_with_ample_capacity_settles_more_at_street_but_hands_no_work_down() -> None:
    cfg = _ample(
        experiment("days=180", "replications=6", "progress=false", "mechanism.whistle.compliance=1")
    )
    result = run_experiment(cfg)
    diff = paired_differences(
        result.runs, [HEADLINE, HANDLED, "resolution_days_mean", "escalated_per_1000_cases"]
    ).set_index("metric")
    assert diff.loc[HEADLINE, "ci_low"] > 0
    assert diff.loc["resolution_days_mean", "ci_high"] < 0
    assert diff.loc["escalated_per_1000_cases", "ci_high"] < 0
    # Department staff still do the work: counted by whom, nothing moved below the street.
    assert abs(diff.loc[HANDLED, "difference"]) < 0.01 < diff.loc[HEADLINE, "difference"]


def _department_backlog(staff: int) -> np.ndarray:
    cfg = _with_staff(
        experiment(
            "days=180",
            "replications=3",
            "reference=null",
            "progress=false",
            "mechanism.whistle.compliance=1",
        ),
        staff,
    )
    daily = run_experiment(cfg).daily
    return daily.groupby("day")["department_backlog"].mean().to_numpy()


def test_many_whistles_on_tiny_departments_swamp_them() -> None:
    tiny = _department_backlog(staff=1)
    ample = _department_backlog(staff=20)
    assert tiny[-30:].mean() > 1.2 * tiny[30:60].mean()  # still growing late in the run
    assert ample[-30:].mean() < 1.5 * ample[30:60].mean() + 1  # stays flat
    assert tiny[-1] > 5 * ample[-1]


def test_assessment_weight_raises_compliance_and_the_headline() -> None:
    shares = []
    for weight in (0.0, 1.0):
        cfg = experiment(
            "mechanism=[whistle,assessment]",
            "days=120",
            "replications=4",
            "reference=null",
            "progress=false",
            "mechanism.whistle.compliance=0.4",
            "mechanism.assessment.compliance_gain=1.5",
            f"mechanism.assessment.weight={weight}",
        )
        shares.append(run_experiment(cfg).runs[HEADLINE].to_numpy())
    assert np.all(shares[1] > shares[0])  # paired by replication
