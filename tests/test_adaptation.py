"""The slow feedbacks (:mod:`govsim.model.adaptation`): each in sign, and the history they make.

Paired runs share their seed and replication (common random numbers), so each comparison
moves one feedback alone.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from conftest import experiment
from govsim.analysis.stats import paired_differences
from govsim.city.levels import Level
from govsim.experiments.run import run_experiment
from govsim.model.actors import Department, StreetOffice
from govsim.model.adaptation import Learning
from govsim.model.ledger import Channel, Status
from govsim.model.model import GovernanceModel

YEAR = 365
SMALL = ("city=workshop", "reference=null", "progress=false", "horizon_days=0")


def _run(*overrides: str, replication: int = 0) -> GovernanceModel:
    model = GovernanceModel(experiment(*SMALL, *overrides), replication=replication)
    model.run_model()
    return model


def test_trust_follows_the_felt_service_and_hotline_calls_follow_trust() -> None:
    # Residents who start distrustful in a city that serves them well come to trust it,
    # and call 12345 more, faster with a memory of their district's service than without.
    base = ("mechanism=[hotline]", "days=240", "city.residents.trust_mean=0.2")
    without = _run(*base)
    remembering = _run(*base, "city.residents.trust_memory_days=60")
    assert remembering.residents.mean_trust > without.residents.mean_trust + 0.05

    def late_hotline_calls(model: GovernanceModel) -> int:
        led = model.ledger
        n = len(led)
        return int(((led.arisen[:n] >= 180) & (led.channel[:n] == Channel.HOTLINE)).sum())

    assert late_hotline_calls(remembering) > 1.1 * late_hotline_calls(without)
    # ... and residents who start trusting a city that serves them worse lose trust.
    high = (
        "mechanism=[baseline]",
        "days=120",
        "city.residents.trust_mean=1",
        "city.residents.trust_concentration=1000",
    )
    assert (
        _run(*high, "city.residents.trust_memory_days=30").residents.mean_trust
        < _run(*high).residents.mean_trust - 0.02
    )


def test_effort_builds_up_under_sustained_ranking_pressure() -> None:
    def mean_effort(days: int, *overrides: str) -> float:
        model = _run("mechanism=[assessment]", f"days={days}", *overrides)
        return float(model.engine.effort.mean())

    at_once = mean_effort(35)
    building = mean_effort(35, "city.effort_half_life_days=90")
    later = mean_effort(200, "city.effort_half_life_days=90")
    assert 0.0 < building < 0.5 * at_once
    assert later > 2.0 * building


def test_learning_shortens_handling_under_the_reform_down_to_its_floor() -> None:
    cfg = experiment(
        *SMALL, "mechanism=[hotline]", "days=1", "city.learning_rate=0.3", "city.learning_floor=0.6"
    )
    staff = np.array([1, 2, 4])
    learning = Learning(cfg.city, np.ones(3), staff)
    time = np.ones(3)
    factors = []
    for _ in range(60):
        learning.learn(np.array([10, 10, 10]), time)
        factors.append(time.copy())
    factors = np.array(factors)
    assert np.all(np.diff(factors, axis=0) <= 0.0)  # never slower with experience
    assert factors[-1].min() >= 0.6 and factors[-1][0] == 0.6  # capped at the floor
    assert factors[5][0] < factors[5][2]  # per staff member: fewer learn faster

    def station_time(*overrides: str, until: int | None = None) -> np.ndarray:
        model = GovernanceModel(experiment(*SMALL, "mechanism=[hotline]", *overrides))
        while model.running and model.day != until:
            model.step()
        return model.engine.station_time.copy()

    reform = ("prereform_days=90", "days=120")
    before = station_time(*reform, "city.learning_rate=0.3", until=90)
    assert np.all(before == station_time(*reform, until=90))  # not before the reform
    after = station_time(*reform, "city.learning_rate=0.3")
    assert np.all(after <= before) and after.min() < before.min()
    assert np.all(
        station_time("mechanism=[baseline]", "days=120", "city.learning_rate=0.3") == before
    )  # nothing to learn without a reform


def test_backlogs_carry_over_from_the_pre_reform_year() -> None:
    model = GovernanceModel(
        experiment(*SMALL, "scenario=beijing_2019_history", "city.staff_scale=0.2", "days=120")
    )
    open_at_reform = None
    while model.running:
        model.step()
        if model.day == model.reform_day:
            led = model.ledger
            open_at_reform = np.flatnonzero(led.status[: len(led)] <= Status.OPEN)
    assert open_at_reform is not None and len(open_at_reform) > 0
    status = model.ledger.status[open_at_reform]
    assert (status >= Status.RESOLVED).any()  # the reform works on the old backlog


def _year_gains(*overrides: str) -> np.ndarray:
    """Per replication and measure: the first reform year's gain / the fifth year's."""
    measures = []
    for replication in range(2):
        model = GovernanceModel(
            experiment(*SMALL, "scenario=beijing_2019_history", f"days={5 * YEAR}", *overrides),
            replication=replication,
        )
        trust = [model.residents.mean_trust]
        satisfaction, hotline = [], []
        led = model.ledger
        while model.running:
            model.step()
            if model.day % YEAR == 0:
                trust.append(model.residents.mean_trust)
        n = len(led)
        for year in range(6):
            cases = (led.arisen[:n] >= year * YEAR) & (led.arisen[:n] < (year + 1) * YEAR)
            closed = cases & (led.status[:n] >= Status.RESOLVED)
            satisfaction.append(led.satisfied[:n][closed].mean())
            hotline.append((cases & led.via_hotline[:n]).sum())
        series = np.array([trust[1:], satisfaction, hotline])
        measures.append((series[:, 1] - series[:, 0]) / (series[:, 5] - series[:, 0]))
    return np.array(measures)


def test_the_reform_grows_over_years_with_the_feedbacks_and_steps_without() -> None:
    on = _year_gains()
    off = _year_gains(
        "city.learning_rate=0",
        "city.effort_half_life_days=0",
        "city.residents.trust_memory_days=0",
        "city.residents.hotline_trust_slope=0",
        "city.staff_growth_under_pressure=0",
    )
    # trust, satisfaction and calls to 12345: the first reform year holds clearly less of
    # the fifth year's gain with the feedbacks on; satisfaction and calls less than without
    # them (trust, learning only from residents' own cases without them, is slow either way)
    assert np.all(on.mean(axis=0) < 0.8), on
    assert np.all(on.mean(axis=0)[1:] < off.mean(axis=0)[1:]), (on, off)


def test_residents_who_trust_more_choose_12345_more() -> None:
    model = GovernanceModel(
        experiment(*SMALL, "mechanism=[hotline]", "days=1", "city.residents.hotline_trust_slope=3")
    )
    residents = model.residents
    everyone = np.arange(len(residents))
    share = residents.hotline_share(everyone, 0.5)
    by_trust = np.argsort(residents.trust, kind="stable")
    assert np.all(np.diff(share[by_trust]) >= 0.0)  # more trust, more calls
    assert share.min() < 0.5 < share.max()  # about the share at the mean
    assert np.all(residents.hotline_share(everyone, 0.0) == 0.0)  # no hotline, no calls
    residents.config.hotline_trust_slope = 0.0
    assert residents.hotline_share(everyone, 0.5) == 0.5  # neutral: the configured share


def test_hotline_share_of_reports_grows_as_trust_grows() -> None:
    # Distrustful residents of a city that serves them well come to trust it (memory); with
    # the slope, the share of their reports made to 12345 grows with that trust.
    base = (
        "mechanism=[hotline]",
        "days=240",
        "city.residents.trust_mean=0.2",
        "city.residents.trust_memory_days=60",
    )

    def hotline_share(model: GovernanceModel, since: int, until: int) -> float:
        led = model.ledger
        n = len(led)
        reports = led.reported[:n] & (led.arisen[:n] >= since) & (led.arisen[:n] < until)
        return float((led.channel[:n][reports] == Channel.HOTLINE).mean())

    flat = _run(*base)
    sloped = _run(*base, "city.residents.hotline_trust_slope=3")
    assert sloped.residents.mean_trust > 0.4  # trust has grown
    growth = hotline_share(sloped, 180, 240) - hotline_share(sloped, 0, 30)
    assert growth > 0.15
    assert growth > hotline_share(flat, 180, 240) - hotline_share(flat, 0, 30) + 0.1


def test_units_ranked_low_for_months_gain_staff_within_their_bounds() -> None:
    growth = 5.0
    base = (
        "mechanism=[assessment]",
        "mechanism.assessment.weight=1",
        "city.case_load_scale=3",
        "city.effort_half_life_days=60",
        "days=300",
    )
    added, held = [], []
    for value in (0.0, growth):
        model = GovernanceModel(
            experiment(*SMALL, *base, f"city.staff_growth_under_pressure={value}")
        )
        own = model.city.station_servers
        ranked = np.isin(model.city.station_level, (Level.STREET, Level.DEPARTMENT))
        series = []
        while model.running:
            model.step()
            staff = model.stations.servers
            assert np.all(staff[~ranked] == own[~ranked])  # only ranked units hire
            assert np.all((staff >= own) & (staff <= np.floor(own * (1 + growth) + 0.5)))
            series.append(int((staff - own).sum()))
        units = [*model.agents_by_type[StreetOffice], *model.agents_by_type[Department]]
        assert all(unit.staff == model.stations.servers[unit.station] for unit in units)
        added.append(series)
        held.append(int(model.stations.held.sum()))
    assert max(added[0]) == 0  # no growth: staff fixed
    assert 0 <= added[1][34] < max(added[1][150:])  # slowly, under sustained pressure
    assert held[1] < held[0]  # more hands, a shorter backlog


def test_the_ranking_lowers_true_resolution_under_overload_unless_staff_follow_pressure() -> None:
    # In the default district short of hands, assessment on top of the hotline costs true
    # resolution (gaming, overhead, hotline cases first); where ranked units gain staff under
    # sustained pressure, the hands it brings outweigh that and it raises true resolution.
    overloaded = (
        "mechanism=[hotline,assessment]",
        "reference=[hotline]",
        "replications=3",
        "progress=false",
        "figures=false",
        "days=240",
        "city.staff_scale=0.25",
    )

    def ranking_effect(*overrides: str) -> pd.Series:
        runs = run_experiment(experiment(*overloaded, *overrides)).runs
        return paired_differences(runs, ["true_resolution_rate"]).iloc[0]

    fixed = ranking_effect()
    assert fixed["ci_high"] < 0.0, fixed
    growing = ranking_effect("city.staff_growth_under_pressure=3")
    assert growing["ci_low"] > 0.0, growing


SLOW_FEEDBACKS = {
    "residents.trust_memory_days",
    "residents.hotline_trust_slope",
    "effort_half_life_days",
    "staff_growth_under_pressure",
    "learning_rate",
    "learning_jobs_per_staff",
    "learning_floor",
}
"""The city's values of the slow feedbacks (docs/reform_history.md, its first table)."""


def _flat(values: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat |= _flat(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_the_history_is_the_hotline_reform_on_a_pre_reform_city_short_of_hands() -> None:
    """beijing_2019_history runs beijing_2019_hotline's reform, unchanged, from the same
    pre-reform year: only the city's staff and its slow feedbacks differ, so the history's
    reform years are that scenario's reform."""
    reform, history = (
        experiment(f"scenario={name}") for name in ("beijing_2019_hotline", "beijing_2019_history")
    )
    assert history.mechanism == reform.mechanism
    assert history.prereform_days == reform.prereform_days == YEAR
    city, before = (_flat(dataclasses.asdict(cfg.city)) for cfg in (history, reform))
    changed = {key for key in city if city[key] != before[key]}
    assert "staff_scale" in changed and city["staff_scale"] < before["staff_scale"]
    assert changed - {"staff_scale"} <= SLOW_FEEDBACKS
    assert changed & SLOW_FEEDBACKS
