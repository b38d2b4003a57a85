"""Each level's working time read back from synthetic logs with known hours."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
import pytest

from conftest import experiment
from govsim.cases.level_hours import fit_level_hours, taking_dispatch, with_hours
from govsim.city.levels import Level
from govsim.config.schema import CalendarConfig, LevelHoursConfig
from govsim.model.worktime import WorkingTime

FIRST = date(2025, 3, 3)  # a Monday; four weeks without public holidays


def _stations() -> CalendarConfig:
    return dataclasses.replace(
        experiment("city=workshop").city.calendar,
        start_date=FIRST.isoformat(),
        station_opens=8.0,
        station_hours=10.0,
        station_days_off=True,
    )


def _log(truth: dict[str, LevelHoursConfig], seed: int, n: int = 1500) -> pd.DataFrame:
    """Cases arising at any hour over four weeks, each worked at its level's hours."""
    rng = np.random.default_rng(seed)
    clock = WorkingTime(dataclasses.replace(_stations(), level_hours=truth))
    frames = []
    for name in truth:
        created = np.sort(rng.uniform(0, 28, n))
        work = rng.exponential(0.3, n)  # working days
        closed = [
            clock.finish(c, w, Level[name.upper()]) for c, w in zip(created, work, strict=True)
        ]
        origin = pd.Timestamp(FIRST)
        frames.append(
            pd.DataFrame(
                {
                    "created": origin + pd.to_timedelta(created, unit="D"),
                    "closed": origin + pd.to_timedelta(closed, unit="D"),
                    "handler": name,
                    "category": "neighbour_dispute",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("share", [0.0, 1 / 3, 1.0])
def test_days_off_capacity_is_recovered_from_a_synthetic_log(share: float) -> None:
    truth = {"street": LevelHoursConfig(8.0, 10.0, share)}
    fitted = [
        fit_level_hours(_log(truth, seed), set(), _stations(), FIRST)
        .set_index("level")
        .loc["street"]
        for seed in range(4)
    ]
    capacities = np.array([row["days_off_capacity"] for row in fitted])
    assert abs(capacities.mean() - share) <= 0.1
    assert (abs(capacities - share) <= 0.3).all()
    for row in fitted:  # the window holds 80% of the closures: inside the true one
        assert row["opens"] >= 8 and row["opens"] + row["hours"] <= 18


def test_a_level_around_the_clock_beside_offices_closed_on_days_off() -> None:
    truth = {
        "grid": LevelHoursConfig(0.0, 24.0, 1.0),
        "community": LevelHoursConfig(8.0, 10.0, 0.0),
    }
    table = fit_level_hours(_log(truth, 7), set(), _stations(), FIRST).set_index("level")
    assert table.loc["grid", "hours"] >= 18 and table.loc["grid", "days_off_capacity"] >= 0.9
    assert table.loc["community", "hours"] <= 10
    assert table.loc["community", "days_off_capacity"] <= 0.1
    assert "street" not in table.index  # no closures there: the stations' hours hold
    calendar = with_hours(_stations(), None, table)
    assert calendar.level_hours == {}  # without the stations' hours read, none of the levels'
    assert fit_level_hours(_log(truth, 7), set(), None, FIRST).empty


def test_the_street_took_dispatches_on_its_own_working_days_before_it_closed() -> None:
    """By the fitted street's hours (9:00 to 16:00) from the log's first day, a Monday."""
    calendar = dataclasses.replace(
        _stations(),
        start_date="2000-01-01",  # the log's first day counts, not the template's
        level_hours={"street": LevelHoursConfig(9.0, 7.0, 0.1)},
    )
    times = pd.Series(
        pd.to_datetime(
            ["2025-03-03 10:00", "2025-03-03 16:30", "2025-03-08 10:00", "2025-03-02 10:00"]
        )
    )
    assert taking_dispatch(calendar, FIRST, times).tolist() == [True, False, False, False]
    assert taking_dispatch(calendar, FIRST, times, "grid").tolist() == [True, True, False, False]
