"""Stations' working hours: handling hours are worked while a station is open."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from conftest import experiment
from govsim.city.levels import Level
from govsim.config.schema import LevelHoursConfig
from govsim.model.model import GovernanceModel
from govsim.model.worktime import WorkingTime
from govsim.outcomes.caselog import case_log

HOUR = 1 / 24
TWO_HOURS = 2 / 9  # of a working day of 9 hours (8:00 to 17:00)


def _hours(start: str, days_off: bool = True) -> WorkingTime:
    calendar = experiment("city=workshop").city.calendar
    return WorkingTime(
        dataclasses.replace(
            calendar,
            start_date=start,
            station_opens=8.0,
            station_hours=9.0,
            station_days_off=days_off,
        )
    )


def test_a_job_taken_up_late_finishes_the_next_working_morning_by_hand() -> None:
    week = _hours("2025-05-12")  # a Monday
    assert week.finish(16 * HOUR, TWO_HOURS) == pytest.approx(1 + 9 * HOUR)  # Tue 9:00
    assert week.finish(20 * HOUR, TWO_HOURS) == pytest.approx(1 + 10 * HOUR)  # Tue 10:00
    assert week.finish(3 * HOUR, TWO_HOURS) == pytest.approx(10 * HOUR)  # Mon 10:00
    assert week.finish(9 * HOUR, TWO_HOURS) == pytest.approx(11 * HOUR)  # Mon 11:00
    assert week.finish(4 + 16 * HOUR, TWO_HOURS) == pytest.approx(7 + 9 * HOUR)  # Fri → Mon
    assert week.finish(9 * HOUR, 1.0) == pytest.approx(1 + 9 * HOUR)  # a full working day
    open_weekends = _hours("2025-05-12", days_off=False)
    assert open_weekends.finish(4 + 16 * HOUR, TWO_HOURS) == pytest.approx(5 + 9 * HOUR)


def test_public_holidays_close_and_swapped_working_days_open() -> None:
    labour_day = _hours("2025-04-30")  # Wednesday; 1–5 May 2025 off
    assert labour_day.finish(16 * HOUR, TWO_HOURS) == pytest.approx(6 + 9 * HOUR)  # Tue 6 May
    swapped = _hours("2025-04-26")  # Saturday; Sunday 27 April 2025 is a working day (调休)
    assert swapped.finish(10 * HOUR, TWO_HOURS) == pytest.approx(1 + 10 * HOUR)  # Sun 10:00


def test_open_around_the_clock_is_calendar_time_to_the_bit() -> None:
    calendar = experiment("city=workshop").city.calendar
    always = WorkingTime(calendar)
    assert all(hours.always for hours in always.levels)
    for now, work in ((0.0, 0.3), (12.345678, 1e-9), (99.9, 2.75)):
        assert always.finish(now, work) == now + work


def _closures(*extra: str) -> pd.DataFrame:
    cfg = experiment(
        "city=workshop", "days=60", "horizon_days=0", "mechanism=baseline", "reference=null", *extra
    )
    model = GovernanceModel(cfg)
    model.run_model()
    log = case_log(model)
    created, closed = pd.to_datetime(log["created"]), pd.to_datetime(log["closed"])
    return pd.DataFrame(
        {"closed": closed, "days": (closed - created).dt.total_seconds() / 86_400}
    ).dropna()


def test_office_hours_put_closures_inside_them_and_make_cases_wait() -> None:
    around_the_clock = _closures()
    office = _closures(
        "city.calendar.station_opens=8",
        "city.calendar.station_hours=9",
        "city.calendar.station_days_off=true",
    )
    hour = office["closed"].dt.hour
    assert ((hour >= 8) & (hour < 17)).all()
    assert (around_the_clock["closed"].dt.hour >= 17).any()
    assert office["days"].median() > 2 * around_the_clock["days"].median()
    weekend = office["closed"].dt.day_of_week >= 5  # 2025: only the swapped working days
    assert (
        office.loc[weekend, "closed"].dt.date.astype(str).isin(["2025-01-26", "2025-02-08"]).all()
    )


def test_a_window_past_midnight_is_refused() -> None:
    from govsim.config.validate import ConfigError

    with pytest.raises(ConfigError, match=r"city\.calendar\.station_hours"):
        experiment(
            "city=workshop", "city.calendar.station_opens=20", "city.calendar.station_hours=8"
        )


def _levels(**levels: LevelHoursConfig) -> WorkingTime:
    calendar = experiment("city=workshop").city.calendar
    return WorkingTime(
        dataclasses.replace(
            calendar,
            start_date="2025-05-12",
            station_opens=8.0,
            station_hours=9.0,
            station_days_off=True,
            level_hours=levels,
        )
    )


def test_a_station_on_duty_at_weekends_closes_a_friday_evening_case_sooner() -> None:
    friday_evening = 4 + 18 * HOUR
    closed = _levels()
    on_duty = _levels(street=LevelHoursConfig(8.0, 9.0, 1 / 3))
    # a third of the pace on Saturday: two hours of work take six of Saturday's window
    assert on_duty.finish(friday_evening, TWO_HOURS, Level.STREET) == pytest.approx(5 + 14 * HOUR)
    assert closed.finish(friday_evening, TWO_HOURS, Level.STREET) == pytest.approx(7 + 10 * HOUR)
    # a job longer than the weekend's duty ends on Monday, later than a working day's pace
    assert (
        7
        < on_duty.finish(friday_evening, 1.0, Level.STREET)
        < closed.finish(friday_evening, 1.0, Level.STREET)
    )
    # the other levels keep the stations' hours
    assert on_duty.finish(friday_evening, TWO_HOURS, Level.GRID) == pytest.approx(7 + 10 * HOUR)


def test_a_level_open_around_the_clock_beside_offices() -> None:
    hours = _levels(grid=LevelHoursConfig(0.0, 24.0, 1.0))
    assert hours.finish(4 + 18 * HOUR, TWO_HOURS, Level.GRID) == 4 + 18 * HOUR + TWO_HOURS
    assert hours.finish(4 + 18 * HOUR, TWO_HOURS, Level.COMMUNITY) == pytest.approx(7 + 10 * HOUR)


def test_level_hours_of_an_unknown_level_are_refused() -> None:
    from govsim.config.validate import ConfigError

    with pytest.raises(ConfigError, match=r"city\.calendar\.level_hours\.gird"):
        experiment(
            "city=workshop",
            "+city.calendar.level_hours.gird={opens: 0, hours: 24, days_off_capacity: 1}",
        )


def test_a_street_office_takes_dispatches_on_working_days_until_its_window_closes() -> None:
    hours = _levels(street=LevelHoursConfig(9.0, 7.0, 0.1), grid=LevelHoursConfig(0.0, 24.0, 1.0))
    monday = 0.0  # 2025-05-12
    assert hours.takes(monday + 7 * HOUR, Level.STREET)  # before it opens: it waits for it
    assert hours.takes(monday + 15.9 * HOUR, Level.STREET)
    assert not hours.takes(monday + 16.1 * HOUR, Level.STREET)  # closed for the day
    assert not hours.takes(5 + 10 * HOUR, Level.STREET)  # Saturday: on duty only (0.1)
    assert hours.takes(5 + 22 * HOUR, Level.GRID)  # open around the clock
    assert hours.takes(monday + 16.5 * HOUR, Level.COMMUNITY)  # the stations' 8:00 to 17:00
