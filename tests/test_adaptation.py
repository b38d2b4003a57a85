"""The slow feedbacks (:mod:`govsim.model.adaptation`): each in sign, and the history they make.

Paired runs share their seed and replication (common random numbers), so each comparison
moves one feedback alone.
"""

from __future__ import annotations

import numpy as np

from conftest import experiment
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
    high = ("mechanism=[baseline]", "days=120", "city.residents.trust_mean=1",
            "city.residents.trust_concentration=1000")
    assert (_run(*high, "city.residents.trust_memory_days=30").residents.mean_trust
            < _run(*high).residents.mean_trust - 0.02)


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
    cfg = experiment(*SMALL, "mechanism=[hotline]", "days=1", "city.learning_rate=0.3",
                     "city.learning_floor=0.6")
    staff = np.array([1, 2, 4])
    learning = Learning(cfg.city, np.ones(3), staff)
    time = np.ones(3)
    factors = []
    for _ in range(60):
        learning.learn(np.array([10, 10, 10]), time)
        factors.append(time.copy())
    factors = np.array(factors)
    assert np.all(np.diff(factors, axis=0) <= 0.0)          # never slower with experience
    assert factors[-1].min() >= 0.6 and factors[-1][0] == 0.6   # capped at the floor
    assert factors[5][0] < factors[5][2]                    # per staff member: fewer learn faster

    def station_time(*overrides: str, until: int | None = None) -> np.ndarray:
        model = GovernanceModel(experiment(*SMALL, "mechanism=[hotline]", *overrides))
        while model.running and model.day != until:
            model.step()
        return model.engine.station_time.copy()

    reform = ("prereform_days=90", "days=120")
    before = station_time(*reform, "city.learning_rate=0.3", until=90)
    assert np.all(before == station_time(*reform, until=90))   # not before the reform
    after = station_time(*reform, "city.learning_rate=0.3")
    assert np.all(after <= before) and after.min() < before.min()
    assert np.all(station_time("mechanism=[baseline]", "days=120", "city.learning_rate=0.3")
                  == before)                                 # nothing to learn without a reform


def test_backlogs_carry_over_from_the_pre_reform_year() -> None:
    model = GovernanceModel(experiment(*SMALL, "scenario=beijing_2019_history",
                                       "city.staff_scale=0.2", "days=120"))
    open_at_reform = None
    while model.running:
        model.step()
        if model.day == model.reform_day:
            led = model.ledger
            open_at_reform = np.flatnonzero(led.status[: len(led)] <= Status.OPEN)
    assert open_at_reform is not None and len(open_at_reform) > 0
    status = model.ledger.status[open_at_reform]
    assert (status >= Status.RESOLVED).any()               # the reform works on the old backlog


def _year_gains(*overrides: str) -> np.ndarray:
    """Per replication and measure: the first reform year's gain / the fifth year's."""
    measures = []
    for replication in range(2):
        model = GovernanceModel(experiment(
            *SMALL, "scenario=beijing_2019_history", f"days={5 * YEAR}",
            *overrides), replication=replication)
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
    off = _year_gains("city.learning_rate=0", "city.effort_half_life_days=0",
                      "city.residents.trust_memory_days=0")
    # trust, satisfaction and calls to 12345: the first reform year holds clearly less of
    # the fifth year's gain with the feedbacks on; satisfaction and calls less than without
    # them (trust, learning only from residents' own cases without them, is slow either way)
    assert np.all(on.mean(axis=0) < 0.8), on
    assert np.all(on.mean(axis=0)[1:] < off.mean(axis=0)[1:]), (on, off)
