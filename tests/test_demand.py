"""When cases arise: the weekly and holiday calendar, the hour of the day, over-dispersion."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from conftest import experiment
from govsim.config.validate import ConfigError
from govsim.model.demand import Demand, day_factors
from govsim.model.model import GovernanceModel

QUIET = (
    "city=workshop",
    "mechanism=baseline",
    "reference=null",
    "days=28",
    "horizon_days=0",
    "progress=false",
    "city.case_load_scale=6",
)


def _arisen(*overrides: str) -> np.ndarray:
    model = GovernanceModel(experiment(*QUIET, *overrides))
    model.run_model()
    return model.ledger.arisen[: model.ledger.n].astype(float)


def test_a_flat_calendar_changes_no_rate() -> None:
    calendar = experiment("city=workshop").city.calendar
    assert np.array_equal(day_factors(calendar, 400), np.ones(400))


def test_weekdays_holidays_and_swapped_working_days() -> None:
    calendar = experiment(
        "city=workshop",
        "city.calendar.weekday_profile=[2,2,2,2,2,1,1]",
        "city.calendar.holiday_factor=0.25",
    ).city.calendar
    factors = day_factors(calendar, 60)
    day = {
        d: (d - date(2025, 1, 1)).days
        for d in (
            date(2025, 1, 6),
            date(2025, 1, 11),
            date(2025, 1, 1),
            date(2025, 1, 26),
            date(2025, 1, 29),
            date(2025, 2, 8),
        )
    }
    mean = 12 / 7
    assert factors[day[date(2025, 1, 6)]] == pytest.approx(2 / mean)  # a Monday
    assert factors[day[date(2025, 1, 11)]] == pytest.approx(1 / mean)  # a Saturday
    assert factors[day[date(2025, 1, 1)]] == pytest.approx(0.25 * 2 / mean)  # New Year, Wed
    assert factors[day[date(2025, 1, 29)]] == pytest.approx(0.25 * 2 / mean)  # Spring Festival
    # Sunday 26 January and Saturday 8 February 2025 were working days (调休)
    assert factors[day[date(2025, 1, 26)]] == pytest.approx(2 / mean)
    assert factors[day[date(2025, 2, 8)]] == pytest.approx(2 / mean)


def test_no_case_arises_on_a_day_with_no_demand() -> None:
    arisen = _arisen("city.calendar.weekday_profile=[1,1,1,1,1,0,0]")
    per_day = np.bincount(np.floor(arisen).astype(int), minlength=28)
    weekend = [d for d in range(28) if (d + 2) % 7 in (5, 6)]  # day 0: Wednesday 1 Jan 2025
    sunday_26 = 25  # a working day (调休) before the Spring Festival
    assert per_day[sunday_26] > 0
    assert per_day[[d for d in weekend if d != sunday_26]].sum() == 0
    assert per_day.sum() == pytest.approx(len(_arisen()), rel=0.2)  # the week's total is kept


def test_cases_arise_at_the_hours_of_the_hour_profile() -> None:
    hours = [0] * 9 + [1] * 3 + [0] * 2 + [3] * 4 + [0] * 6  # 9–12 h and 14–18 h, 1:3
    arisen = _arisen(f"city.calendar.hour_profile=[{','.join(map(str, hours))}]")
    hour = np.floor((arisen % 1.0) * 24).astype(int)
    assert set(np.unique(hour)) <= set(range(9, 12)) | set(range(14, 18))
    morning = np.isin(hour, range(9, 12)).mean()
    assert morning == pytest.approx(3 / 15, abs=0.06)


def _busy(days: int, n_streets: int, seed: int, *overrides: str) -> Demand:
    """A calendar's demand over ``days`` with one district of ``n_streets`` streets."""
    calendar = experiment("city=workshop", *overrides).city.calendar
    return Demand(calendar, days, n_streets, [(np.arange(n_streets), np.random.default_rng(seed))])


def test_daily_dispersion_gives_negative_binomial_counts() -> None:
    base = np.full((1, 1), 20.0)
    for dispersion in (0.0, 0.3):
        demand = _busy(4000, 1, 4, f"city.calendar.daily_dispersion={dispersion}")
        rates = np.array([demand.rates(base, day, np.zeros(1, int))[0, 0] for day in range(4000)])
        counts = np.random.default_rng(5).poisson(rates)
        expected = 20.0 + dispersion * 20.0**2
        assert counts.mean() == pytest.approx(20.0, rel=0.05)
        assert counts.var() == pytest.approx(expected, rel=0.15)


def test_a_district_wide_day_moves_every_street_alike() -> None:
    """δ_D: one multiplier a day for the whole district, on top of each street's own."""
    base = np.full((10, 1), 20.0)
    streets = np.arange(10)
    totals = {}
    for district in (0.0, 0.1):
        demand = _busy(
            3000,
            10,
            7,
            "city.calendar.daily_dispersion=0.2",
            f"city.calendar.district_dispersion={district}",
        )
        rates = np.array([demand.rates(base, day, streets)[:, 0] for day in range(3000)])
        totals[district] = rates.sum(axis=1)
        pair = np.corrcoef(rates[:, 0], rates[:, 1])[0, 1]
        # two streets share the district's multiplier: corr = δ_D / (δ_D + δ_S + δ_D δ_S)
        assert pair == pytest.approx(district / (district + 0.2 + district * 0.2), abs=0.05)
    mean = 200.0
    assert totals[0.1].mean() == pytest.approx(mean, rel=0.03)
    # the total's rate varies as δ_D μ² + (1 + δ_D) δ_S Σ μᵢ²; without δ_D it averages out
    assert totals[0.0].var() == pytest.approx(0.2 * 10 * 20.0**2, rel=0.15)
    assert totals[0.1].var() == pytest.approx(0.1 * mean**2 + 1.1 * 0.2 * 10 * 20.0**2, rel=0.15)


def test_no_district_dispersion_draws_nothing_more() -> None:
    """δ_D = 0 (the default) takes no draw: the streets' multipliers are as they were."""
    base, streets = np.full((4, 1), 20.0), np.arange(4)
    rates = _busy(1, 4, 2, "city.calendar.daily_dispersion=0.3").rates(base, 0, streets)
    assert np.allclose(rates[:, 0], 20.0 * np.random.default_rng(2).gamma(1 / 0.3, 0.3, 4))


def test_busy_days_are_the_same_however_many_are_drawn_at_once() -> None:
    """Days past the calendar's are drawn as they come, continuing each district's stream."""
    overrides = ("city.calendar.daily_dispersion=0.3", "city.calendar.district_dispersion=0.1")
    whole, short = _busy(40, 3, 9, *overrides), _busy(5, 3, 9, *overrides)
    base, streets = np.ones((3, 1)), np.arange(3)
    for day in range(40):
        assert np.array_equal(whole.rates(base, day, streets), short.rates(base, day, streets))


def test_known_cases_keep_the_days_dispersion_whatever_their_delay() -> None:
    """A busy day is busy for reports too: the known counts vary as the arising ones.

    With each street's day multiplier on its intake clock, cases known after delays of three
    days on average come to light on the busy days; on a clock of the calendar alone they
    would spread each day's excess over the next days, and the known counts would vary
    several times less than μ + δμ².
    """
    days, mu, dispersion = 700, 100.0, 0.3
    demand = _busy(days, 2, 3, f"city.calendar.daily_dispersion={dispersion}")
    rng = np.random.default_rng(8)
    streets = np.arange(2)
    counts = rng.poisson(
        np.array([demand.rates(np.full((2, 1), mu), d, streets)[:, 0] for d in range(days)])
    )
    day, street = np.nonzero(counts)
    day, street = np.repeat(day, counts[day, street]), np.repeat(street, counts[day, street])
    arisen = day + demand.time_of_day(rng.random(len(day)))
    delayed = arisen + rng.exponential(3.0, len(day))
    known = demand.known_at(arisen, delayed, street)
    assert (known >= arisen).all()
    steady = slice(60, days - 60)
    for s in streets:
        arising = counts[steady, s]
        per_day = np.bincount(np.floor(known[street == s]).astype(int), minlength=days)[steady]
        plain = np.bincount(np.floor(delayed[street == s]).astype(int), minlength=days)[steady]
        assert per_day.mean() == pytest.approx(arising.mean(), rel=0.01)
        assert arising.var() == pytest.approx(mu + dispersion * mu**2, rel=0.25)
        assert per_day.var() == pytest.approx(arising.var(), rel=0.1)
        assert plain.var() < 0.3 * arising.var()  # the delays would smooth a calendar's clock
    with pytest.raises(ValueError, match="streets"):
        demand.known_at(arisen, arisen + 1.0)


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ("city.calendar.start_date=2025-13-01", "city.calendar.start_date"),
        ("city.calendar.weekday_profile=[1,1,1]", "city.calendar.weekday_profile"),
        ("city.calendar.weekday_profile=[0,0,0,0,0,0,0]", "city.calendar.weekday_profile"),
        ("city.calendar.daily_dispersion=-1", "city.calendar.daily_dispersion"),
        ("city.calendar.district_dispersion=-1", "city.calendar.district_dispersion"),
    ],
)
def test_a_bad_calendar_is_refused_naming_its_key(override: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        experiment("city=workshop", override)


def test_cases_become_known_by_the_profile_whatever_their_delay() -> None:
    """Cases arising by a weekly and hourly profile become known by it (the intake clock)."""
    hours = [0] * 8 + [1] * 10 + [0] * 6  # 8–18 h
    calendar = experiment(
        "city=workshop",
        "city.calendar.weekday_profile=[3,2,2,2,2,0.5,0.3]",
        f"city.calendar.hour_profile=[{','.join(map(str, hours))}]",
    ).city.calendar
    demand = Demand(calendar, 200)
    rng = np.random.default_rng(1)
    day = np.repeat(np.arange(200), rng.poisson(400 * demand.factors))
    arisen = day + demand.time_of_day(rng.random(len(day)))
    known = demand.known_at(arisen, arisen + rng.exponential(1.5, len(arisen)))
    assert np.array_equal(demand.known_at(arisen, arisen), arisen)  # no delay, no shift
    assert (known >= arisen).all()
    steady = (arisen > 30) & (arisen < 170)
    hour = np.floor((known[steady] % 1.0) * 24).astype(int)
    assert ((hour >= 8) & (hour < 18)).all()  # nobody reports at night
    weekday = (np.floor(known[steady]).astype(int) + 2) % 7  # day 0: Wednesday 1 Jan 2025
    arisen_weekday = (np.floor(arisen[steady]).astype(int) + 2) % 7
    np.testing.assert_allclose(
        np.bincount(weekday, minlength=7) / steady.sum(),
        np.bincount(arisen_weekday, minlength=7) / steady.sum(),
        atol=0.01,
    )


def test_a_flat_calendar_makes_cases_known_after_their_delay_as_drawn() -> None:
    demand = Demand(experiment("city=workshop").city.calendar, 30)
    arisen = np.array([0.3, 2.9, 7.5])
    known = arisen + np.array([0.01, 1.7, np.inf])
    assert np.array_equal(demand.known_at(arisen, known), known)


def test_a_district_s_busy_days_are_its_own_however_its_streets_are_numbered() -> None:
    """Streets of two districts interleaved (A, B, A, B, as an imported unit table may number
    them): each district's streets take its own draws, whether it runs alone or beside the
    other, and the values are those of one draw per street from its first to its last."""
    calendar = experiment("city=workshop", "city.calendar.daily_dispersion=0.3").city.calendar
    a, b = np.array([0, 2]), np.array([1, 3])
    both = Demand(calendar, 6, 4, [(a, np.random.default_rng(1)), (b, np.random.default_rng(2))])
    alone = Demand(calendar, 6, 4, [(a, np.random.default_rng(1))])
    np.testing.assert_array_equal(both.busy[:, a], alone.busy[:, a])
    assert (alone.busy[:, b] == 1.0).all()
    first_day = np.random.default_rng(1).gamma(1 / 0.3, 0.3, size=3)[[0, 2]]
    np.testing.assert_array_equal(both.busy[0, a], first_day)


def test_each_street_s_clock_is_undone_by_its_inverse() -> None:
    """Λ_s⁻¹(Λ_s(t)) = t wherever the clock moves: days of no intake (Sundays, a holiday),
    hours of none, past the calendar's end; and a case becomes known no earlier than it arose,
    the later the longer its delay."""
    hours = [0] * 7 + [1] * 14 + [0] * 3
    demand = _busy(
        60,
        5,
        11,
        "city.calendar.daily_dispersion=0.5",
        "city.calendar.district_dispersion=0.2",
        "city.calendar.weekday_profile=[1,1,1,1,1,1,0]",
        f"city.calendar.hour_profile=[{','.join(map(str, hours))}]",
    )
    rng = np.random.default_rng(3)
    t = rng.uniform(0.0, 70.0, 20_000)
    street = rng.integers(0, 5, len(t))
    day = np.floor(t).astype(int)
    hour = np.floor((t % 1.0) * 24).astype(int)
    moving = (day >= 60) | ((demand.factors[np.minimum(day, 59)] > 0) & (hour >= 7) & (hour < 21))
    back = demand._unclock(demand._clock(t, street), street)
    np.testing.assert_allclose(back[moving], t[moving], atol=1e-9)
    arisen = t[moving]
    short = demand.known_at(arisen, arisen + 0.5, street[moving])
    long = demand.known_at(arisen, arisen + 2.0, street[moving])
    assert (short >= arisen).all() and (long >= short).all()
