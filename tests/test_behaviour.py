"""The feedbacks the policies work through, each shown in sign on a small case."""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pandas as pd
import pytest

from conftest import admit, experiment, inject, quiet_city
from govsim.city.levels import Level
from govsim.composition.compose import mechanism_defaults
from govsim.experiments.run import run_experiment
from govsim.mechanisms import BaselineConfig
from govsim.model.capacity import expected_utilisation
from govsim.model.ledger import Channel, Status
from govsim.model.model import GovernanceModel
from govsim.model.ranking import pressure
from govsim.model.streams import Purpose
from govsim.outcomes.metrics import run_metrics

NEVER, ALWAYS = 1.0, 0.0


def runs(*overrides: str, reps: int = 3, days: int = 150) -> pd.DataFrame:
    cfg = experiment(
        "city=workshop",
        f"days={days}",
        "horizon_days=30",
        f"replications={reps}",
        "reference=null",
        "progress=false",
        *overrides,
    )
    return run_experiment(cfg).runs


def patrol_share(model: GovernanceModel) -> float:
    led = model.ledger
    known = led.channel[: len(led)] != Channel.NONE
    return float((led.channel[: len(led)][known] == Channel.PATROL).mean())


# ---------------------------------------------------------------- 1. discovery race
def test_the_share_found_by_patrol_follows_patrol_intensity_from_rare_to_dominant() -> None:
    shares = []
    for rate in (0.0, 0.05, 0.2, 1.0, 10.0):
        cfg = experiment(
            "city=workshop",
            "days=120",
            "horizon_days=10",
            f"city.patrol_discovery_rate_per_day={rate}",
        )
        model = GovernanceModel(cfg)
        model.run_model()
        shares.append(patrol_share(model))
    assert shares[0] == 0.0
    assert all(a < b for a, b in itertools.pairwise(shares))
    assert shares[-1] > 0.8  # dominant


def test_whichever_comes_first_makes_the_case_known() -> None:
    cfg = quiet_city("days=10", "horizon_days=0")
    model = GovernanceModel(cfg, {"baseline": BaselineConfig()})
    patrol_first, report_first = (inject(model, "urban_environment", 1.0) for _ in range(2))
    led = model.ledger
    rate = model.grid_patrol_rate[0]
    led.e_discover[[patrol_first, report_first]] = [0.5 * rate, 5.0 * rate]  # found at 1.5 / 6
    led.e_report[[patrol_first, report_first]] = 3.0 / cfg.city.residents.report_delay_days
    led.u_report[[patrol_first, report_first]] = 0.0  # both residents would report (at 4)
    led.u_submit[[patrol_first, report_first]] = 0.0
    led.u_channel[[patrol_first, report_first]] = NEVER  # the grid worker, not another channel
    admit(model, patrol_first, report_first)
    model.run_model()
    assert led.channel[patrol_first] == Channel.PATROL
    assert led.known[patrol_first] == pytest.approx(1.5)
    assert led.channel[report_first] == Channel.GRID_WORKER
    assert led.known[report_first] == pytest.approx(4.0)


def test_finds_wait_for_the_next_submission_and_grid_reports_shorten_the_wait() -> None:
    known = []
    for reports in (1, 4):
        cfg = experiment(
            "city=workshop",
            "days=90",
            "horizon_days=10",
            "mechanism=grid",
            f"mechanism.grid.reports_per_day={reports}",
            "city.residents.report_propensity_mean=0",
        )
        model = GovernanceModel(cfg)
        model.run_model()
        known.append(run_metrics(model)["discovery_days_mean"])
    assert known[1] < known[0]


def test_more_shorter_patrol_rounds_find_cases_sooner() -> None:
    rounds = [
        runs(
            "mechanism=grid",
            f"mechanism.grid.patrols_per_day={n}",
            "city.residents.report_propensity_mean=0.2",
        )["discovery_days_mean"].mean()
        for n in (1, 3, 10)
    ]
    assert rounds[0] > rounds[1] > rounds[2]


GRID_AT_MOST = (
    "mechanism=grid",
    "mechanism.grid.patrol_share=0.95",
    "mechanism.grid.patrols_per_day=10",
    "mechanism.grid.reports_per_day=20",
)
"""The grid mechanism at the top of its ranges: 7 days a week, 95% of the day on patrol in
ten rounds, twenty report rounds."""


def test_the_grid_at_its_most_intense_finds_most_cases_and_what_limits_it() -> None:
    """Patrol finds the most known cases at the grid mechanism's top intensity, and no more
    than the residents' race and the grid workers' own load leave it (paired by replication)."""
    found = {
        name: runs(*overrides, days=120)["patrol_found_share"].to_numpy()
        for name, overrides in {
            "pre-reform": ("mechanism=baseline",),
            "7362": ("mechanism=grid",),
            "at most": GRID_AT_MOST,
            "grid workers never overloaded": (*GRID_AT_MOST, "city.grid_overload_sensitivity=0"),
            "residents report later": (*GRID_AT_MOST, "city.residents.report_delay_days=5"),
        }.items()
    }
    assert np.all(found["pre-reform"] < found["7362"])
    assert np.all(found["7362"] < found["at most"])
    assert np.all(found["at most"] > 0.5)  # patrol finds most
    assert np.all(found["at most"] < found["grid workers never overloaded"])
    assert np.all(found["at most"] < found["residents report later"])


# ---------------------------------------------------------------- 2. deadlines
def _whistled_case(deadline: float) -> GovernanceModel:
    """A whistled case whose department is busy for two days when the whistle comes."""
    cfg = quiet_city("days=40", "horizon_days=0")
    whistle = mechanism_defaults("whistle")
    whistle.compliance, whistle.deadline_days = 1.0, deadline
    model = GovernanceModel(cfg, {"whistle": whistle})
    busy = inject(model, "livelihood_need", 0.1)  # occupies civil affairs (one staff)
    case = inject(model, "livelihood_need", 0.2)
    led = model.ledger
    for c in (busy, case):
        led.e_report[c], led.u_channel[c] = 0.0, NEVER
        led.u_settle_grid[c] = led.u_settle_street[c] = NEVER
        led.set_draws(c, Purpose.CASE_WAIT, [50.0] * 8)
        led.set_draws(c, Purpose.CASE_ROUTE, [ALWAYS] + [NEVER] * 7)  # joins; never bounced
        led.set_draws(c, Purpose.CASE_DELAY, [0.0] * 8)
    led.set_draws(
        busy,
        Purpose.CASE_SERVICE,
        [
            0.01,
            0.01,
            2.0
            / model.engine.table.joint_days[model.city.case_type_names.index("livelihood_need")],
        ],
    )
    admit(model, busy, case)
    model.run_model()
    return model


def test_a_joint_job_not_started_by_its_deadline_is_supervised_and_the_case_goes_up() -> None:
    late = _whistled_case(deadline=0.5)
    case = 1
    led = late.ledger
    assert late.engine.counters.joint_deadline_breaches == 1
    assert led.supervised[case] and led.escalated[case]
    assert led.level[case] == Level.DEPARTMENT and led.status[case] == Status.RESOLVED
    in_time = _whistled_case(deadline=5.0)
    assert in_time.engine.counters.joint_deadline_breaches == 0
    assert in_time.ledger.level[case] == Level.STREET and not in_time.ledger.escalated[case]


def test_shorter_whistle_deadlines_mean_more_supervision_and_escalation() -> None:
    tight = runs("mechanism=whistle", "mechanism.whistle.deadline_days=0.1")
    loose = runs("mechanism=whistle", "mechanism.whistle.deadline_days=10")
    assert (tight["joint_deadline_breach_share"] > loose["joint_deadline_breach_share"]).all()
    assert (tight["escalated_per_1000_cases"] > loose["escalated_per_1000_cases"]).all()


def test_overdue_hotline_cases_are_supervised() -> None:
    supervised = []
    for limit in (0.01, 365.0):
        cfg = experiment(
            "city=workshop",
            "days=90",
            "horizon_days=10",
            "mechanism=hotline",
            "mechanism.hotline.deadline_days=30",  # no joint job misses it
            f"city.time_limit_days.general={limit}",
            f"city.time_limit_days.complex={limit}",
            f"city.time_limit_days.urgent={limit}",
        )
        model = GovernanceModel(cfg)
        model.run_model()
        supervised.append(int(model.ledger.supervised[: len(model.ledger)].sum()))
    assert supervised[0] > 0 == supervised[1]


# ---------------------------------------------------------------- 3. assessment
def test_pressure_ranks_units_among_their_peers() -> None:
    model = GovernanceModel(quiet_city("days=1", "horizon_days=0"))
    e = model.engine
    n = len(e.stations)
    total, count = np.zeros(n), np.zeros(n, dtype=int)
    streets = e.street_station
    total[streets], count[streets] = [0.9, 0.3], 1
    housing, labour = (model.city.department_station(0, k) for k in (0, 2))
    total[[housing, labour]], count[[housing, labour]] = [2.0, 1.0], 2  # means 1.0 and 0.5
    p = pressure(e, total, count)
    assert list(p[streets]) == [0.0, 1.0]
    assert p[housing] == 0.0 and p[labour] == 1.0
    assert p[model.city.department_station(0, 1)] == 0.0  # no case, no pressure


def test_ranking_pressure_raises_effort_of_the_units_at_the_bottom() -> None:
    cfg = experiment(
        "city=workshop",
        "days=120",
        "horizon_days=10",
        "mechanism=assessment",
        "mechanism.assessment.weight=1",
        "mechanism.assessment.effort_gain=1",
        "mechanism.assessment.gaming=0",
    )
    model = GovernanceModel(cfg)
    model.run_model()
    e = model.engine
    departments = [d.station for d in model.departments]
    pressured = [s for s in departments if e.pressure[s] > 0.5]
    assert pressured
    for station in pressured:
        dept = next(d for d in model.departments if d.station == station)
        assert e.bounce_prob[station] < dept.bounce_prob
        assert e.response_delay[station] < dept.response_delay


def test_gaming_reports_resolutions_that_did_not_happen_and_they_come_back() -> None:
    honest = runs(
        "mechanism=assessment", "mechanism.assessment.weight=1", "mechanism.assessment.gaming=0"
    )
    gamed = runs(
        "mechanism=assessment", "mechanism.assessment.weight=1", "mechanism.assessment.gaming=1"
    )
    assert (honest["reopen_rate"] == 0).all()
    assert (honest["resolution_rate"] == honest["true_resolution_rate"]).all()
    assert (gamed["reopen_rate"] > 0).all()
    assert (gamed["resolution_rate"] > gamed["true_resolution_rate"]).all()
    assert (gamed["satisfaction_rate"] < honest["satisfaction_rate"]).all()


CHECKED = (
    "mechanism=[whistle,assessment]",
    "mechanism.assessment.weight=1",
    "city.residents.repeat_call_share=0.3",
)
"""Assessment at full weight where most residents whose case was closed unsolved give up."""


def _gap(frame: pd.DataFrame) -> np.ndarray:
    return (frame["resolution_rate"] - frame["true_resolution_rate"]).to_numpy()


def test_reported_and_true_resolution_part_as_gaming_grows() -> None:
    honest = runs(*CHECKED, "mechanism.assessment.gaming=0")
    assert (_gap(honest) == 0).all()
    gaps = [_gap(honest)]
    for gaming in (0.5, 1.0):
        gamed = runs(*CHECKED, f"mechanism.assessment.gaming={gaming}")
        gaps.append(_gap(gamed))
        assert (gaps[-1] > gaps[-2]).all()  # paired by replication
    # a closure without a fix stays in the books: most of the fall in true resolution
    # does not show in what is reported
    fall = (honest["true_resolution_rate"] - gamed["true_resolution_rate"]).to_numpy()
    assert (gaps[-1] > 0.5 * fall).all()


@pytest.mark.parametrize("check", ["callback_share", "audit_share"])
def test_callbacks_and_audits_catch_closures_without_a_fix(check: str) -> None:
    unchecked = runs(*CHECKED, "mechanism.assessment.gaming=1")
    checked = runs(*CHECKED, "mechanism.assessment.gaming=1", f"mechanism.assessment.{check}=0.5")
    assert (_gap(checked) < _gap(unchecked)).all()
    assert (checked["reopen_rate"].to_numpy() > unchecked["reopen_rate"].to_numpy()).all()


def test_a_declined_case_is_closed_in_the_books_and_not_passed_on() -> None:
    kept = runs(*CHECKED, "mechanism.assessment.gaming=0")
    declined = runs(*CHECKED, "mechanism.assessment.gaming=0", "mechanism.assessment.decline=1")
    assert (_gap(declined) > 0).all()
    assert (declined["reopen_rate"] > 0).all()
    assert (
        declined["escalated_per_1000_cases"].to_numpy()
        < kept["escalated_per_1000_cases"].to_numpy()
    ).all()


def test_a_reopened_case_is_the_same_case_counted_once() -> None:
    cfg = experiment(
        "city=workshop",
        "days=200",
        "horizon_days=30",
        "mechanism=assessment",
        "mechanism.assessment.weight=1",
        "mechanism.assessment.gaming=1",
    )
    model = GovernanceModel(cfg)
    model.run_model()
    led = model.ledger
    n = len(led)
    reopened = led.reopened[:n] > 0
    assert reopened.any()
    assert model.engine.counters.arisen == n  # no new case for a repeat call
    truly = reopened & led.true_resolved[:n]
    assert truly.any() and (led.status[:n][truly] == Status.RESOLVED).all()
    assert model.engine.counters.reopened == int(reopened.sum())
    # reopened, its closure without a fix stays in the books
    counters = model.engine.counters
    assert counters.reported == int(((led.status[:n] == Status.RESOLVED) | reopened).sum())
    assert counters.reported > counters.resolved


# ---------------------------------------------------------------- 4. capacity and load
def test_overloaded_departments_deflect_more_hand_offs() -> None:
    load = ("city.case_load_scale=4",)
    calm = runs(*load, "city.department_deflection_sensitivity=0")
    deflecting = runs(*load, "city.department_deflection_sensitivity=2")
    assert (deflecting["bounces_per_1000_cases"] > calm["bounces_per_1000_cases"]).all()


def test_an_overloaded_street_settles_less_itself() -> None:
    load = ("city.case_load_scale=4", "city.street_staff=1")
    calm = runs(*load, "city.street_deflection_sensitivity=0")
    deflecting = runs(*load, "city.street_deflection_sensitivity=2")
    assert (deflecting["resolved_share_street"] < calm["resolved_share_street"]).all()


def test_a_city_with_too_little_capacity_warns_at_the_start(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="govsim"):
        runs("city.case_load_scale=8", reps=1, days=40)
    assert "capacity below expected load" in caplog.text
    assert "department/0/" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="govsim"):
        runs("city.case_load_scale=0.5", reps=1, days=40)
    assert "capacity" not in caplog.text


def test_expected_utilisation_matches_a_hand_calculation() -> None:
    cfg = experiment("city=mmc")  # λ = 9 per day, 2.4 h at 24 h a day: ρ = 0.9
    model = GovernanceModel(cfg)
    utilisation = expected_utilisation(
        model.city, model.engine.table, np.asarray(model.stations.servers)
    )
    assert utilisation[0] == pytest.approx(0.9)


# ---------------------------------------------------------------- 5. residents
def test_residents_who_distrust_petition_instead_of_reporting_locally() -> None:
    low = runs("city.residents.trust_mean=0.15", "mechanism=baseline")
    high = runs("city.residents.trust_mean=0.85", "mechanism=baseline")
    assert (low["petitions"] > high["petitions"]).all()
    assert (low["satisfaction_rate"] < high["satisfaction_rate"]).all()


def test_a_hotline_channel_exists_in_every_city_and_the_reform_widens_it() -> None:
    shares = {}
    for mechanism in ("baseline", "hotline"):
        cfg = experiment("city=workshop", "days=90", "horizon_days=10", f"mechanism={mechanism}")
        model = GovernanceModel(cfg)
        model.run_model()
        led = model.ledger
        reported = led.reported[: len(led)]
        shares[mechanism] = float(led.via_hotline[: len(led)][reported].mean())
    assert 0.1 < shares["baseline"] < shares["hotline"]


def test_a_report_at_the_street_office_skips_the_grid() -> None:
    cfg = quiet_city("days=10", "horizon_days=0")
    model = GovernanceModel(cfg, {"baseline": BaselineConfig()})
    case = inject(model, "urban_environment", 0.5)
    led = model.ledger
    led.e_report[case] = 0.0
    street = cfg.city.residents
    led.u_channel[case] = street.hotline_channel_share + street.street_channel_share / 2
    led.u_settle_grid[case], led.u_settle_street[case] = ALWAYS, ALWAYS
    admit(model, case)
    model.run_model()
    assert led.channel[case] == Channel.STREET_OFFICE and led.level[case] == Level.STREET


def test_dissatisfaction_spreading_along_ties_lowers_trust() -> None:
    quiet = runs("city.residents.social_influence=0", "mechanism=baseline")
    spreading = runs(
        "city.residents.social_influence=1", "mechanism=baseline", "city.case_load_scale=3"
    )
    assert quiet["mean_trust_end"].mean() != spreading["mean_trust_end"].mean()


# ---------------------------------------------------------------- 6. dynamics over years
def test_a_staged_roll_out_from_the_pre_reform_city_shows_its_transition() -> None:
    cfg = experiment(
        "city=workshop",
        "days=360",
        "horizon_days=0",
        "replications=3",
        "prereform_days=180",
        "progress=false",
        "mechanism=whistle",
        "mechanism.whistle.ramp_days=240",
    )
    daily = run_experiment(cfg).daily
    before = daily[daily["day"] <= 0]
    arms = before.pivot_table(
        index=["replication", "day"], columns="mechanism", values="cases_resolved"
    )
    assert (arms["whistle"] == arms["baseline"]).all()  # one pre-reform city for both arms
    whistles = daily[daily["mechanism"] == "whistle"].groupby("day")["whistles"].mean()
    per_month = whistles.diff().groupby(np.floor_divide(whistles.index, 60)).sum()
    assert per_month.loc[-3:-1].sum() == 0
    ramp = per_month.loc[0:3].to_numpy()
    assert all(a < b for a, b in itertools.pairwise(ramp))  # a transition, not a step


def test_every_scenario_states_its_pre_reform_state() -> None:
    from govsim.composition.compose import CONF_DIR

    for path in sorted((CONF_DIR / "scenario").glob("*.yaml")):
        assert "prereform_days:" in path.read_text(encoding="utf-8"), path.name
