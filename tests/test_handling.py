"""Handling and capacity from a log's own times: working hours, censoring, staffing, recovery."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from govsim.cases.handling import (
    _km_median,
    erlang_wait,
    fit_handling,
    servers,
    staffing,
    with_handling,
    working_hours,
)
from govsim.cases.weibull import fit_weibull


def _office_hours(city):
    """The city's calendar open 8:00–18:00 on working days."""
    return dataclasses.replace(
        city.calendar, station_opens=8.0, station_hours=10.0, station_days_off=True
    )


def test_working_hours_count_only_the_stations_open_hours(workshop_city) -> None:
    """A case taken up at 17:00 and closed at 9:00 next morning took two working hours; one
    from Friday 17:00 to Monday 9:00 (Saturday 17 and Sunday 18 May 2025) two as well."""
    calendar = _office_hours(workshop_city)
    times = pd.Series(
        pd.to_datetime(
            ["2025-05-13 17:00", "2025-05-14 09:00", "2025-05-16 17:00", "2025-05-19 09:00"]
        )
    )
    at = working_hours(calendar, date(2025, 5, 12), times)
    assert at[1] - at[0] == pytest.approx(2.0)
    assert at[3] - at[2] == pytest.approx(2.0)


def test_a_censored_case_is_not_counted_as_closed() -> None:
    """Ten cases closed within an hour and ten still open after five: the median is one hour;
    counted as closed when their censoring comes, the median would not move, but counted
    as closed at once it would be zero; twenty open after 0.5 h leave no median at all."""
    durations = np.array([1.0] * 10 + [5.0] * 10)
    events = np.array([1.0] * 10 + [0.0] * 10)
    assert _km_median(durations, events, np.ones(20)) == pytest.approx(1.0)
    assert math.isnan(_km_median(np.full(20, 0.5), np.zeros(20), np.ones(20)))
    # weights: cases of weight 0 are not there
    assert _km_median(durations, np.ones(20), np.r_[np.zeros(10), np.ones(10)]) == 5.0


def test_erlang_c_gives_the_m_m_1_wait_and_staffing_meets_its_target() -> None:
    """M/M/1 at λ = 0.5 an hour and 1 hour's service: Wq = ρ / (μ − λ) = 1 hour."""
    assert erlang_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    assert erlang_wait(2.0, 1.0, 2) == math.inf
    staff = servers(3.0, 2.0, 0.5, 200)
    assert erlang_wait(3.0, 2.0, staff) <= 0.5 < erlang_wait(3.0, 2.0, staff - 1)
    assert servers(3.0, 2.0, 0.0, 8) == 8  # no wait asked for: the configuration's bound


def _log(
    first: date, seed: int, hours: dict[str, float], n: int, shape: float = 1.0
) -> pd.DataFrame:
    """Cases closed at the grid or the street after Weibull working times of these means and
    ``shape`` (1: exponential), open 24 h."""
    rng = np.random.default_rng(seed)
    created = pd.Timestamp(first) + pd.to_timedelta(rng.uniform(0, 14, n), unit="D")
    level = rng.choice(["grid", "street"], n)
    dispatched = created + pd.to_timedelta(rng.exponential(0.5, n), unit="h")
    response = rng.exponential(0.2, n)
    mean = np.array([hours[v] for v in level])
    took = mean * rng.weibull(shape, n) / math.gamma(1.0 + 1.0 / shape)
    closed = dispatched + pd.to_timedelta(took, unit="h")
    accepted = dispatched + pd.to_timedelta(np.minimum(response, took), unit="h")
    return pd.DataFrame(
        {
            "created": created,
            "dispatched": dispatched,
            "accepted": accepted,
            "closed": closed,
            "category": "neighbour_dispute",
            "handler": level,
            "unit": "street/0",
            "censored_at": pd.Timestamp(first) + pd.Timedelta(days=30),
        }
    )


def test_the_time_with_each_level_is_fitted_from_dispatch_to_closure(workshop_city) -> None:
    """Known exponential times with each level: each level's hours within its interval."""
    first = date(2025, 5, 12)
    truth = {"grid": 2.0, "street": 8.0}
    cases = _log(first, 1, truth, 1500)
    fit = fit_handling(
        cases, workshop_city, workshop_city.calendar, first, np.random.default_rng(0)
    )
    levels = fit.levels.set_index("level").loc[["grid", "street"]]
    for level, hours in truth.items():
        row = levels.loc[level]
        assert row["low"] <= hours <= row["high"], (level, row.to_dict())
        assert row["response_hours"] == pytest.approx(0.2, rel=0.3)


def test_a_weibull_s_shape_is_fitted_through_censoring_and_closures_at_once() -> None:
    """Weibull times of shape 0.5, 1 and 2, a quarter cut off open and the rest read to the
    minute (closures within it count as at once): each shape within 10%, and at 0.5 a fit
    taking the minute's zeros as times would have none."""
    rng = np.random.default_rng(4)
    for shape in (0.5, 1.0, 2.0):
        times = np.floor(3.0 * rng.weibull(shape, 4000) * 60) / 60
        cut = rng.uniform(0, 4 * 3.0, 4000)
        closed = times <= cut
        k, scale = fit_weibull(np.where(closed, times, cut), closed, np.ones(4000))
        assert k == pytest.approx(shape, rel=0.1)
        assert scale == pytest.approx(3.0, rel=0.15)
    assert np.isnan(fit_weibull(np.zeros(10), np.ones(10, bool), np.ones(10))[0])


def test_times_between_stamps_to_the_minute_fit_their_shape_within_1_percent() -> None:
    """200,000 Weibull times of shape 0.6 and scale half an hour (mean 45 minutes) between a
    dispatch and a closure each recorded to the minute begun, as a log records them: k and
    the scale within 1% (about 5 standard errors), where taking each time recorded after
    the first minute as exact fits k 2.3% low."""
    rng = np.random.default_rng(7)
    took = 0.5 * 60 * rng.weibull(0.6, 200_000)  # minutes
    dispatched = rng.uniform(0, 1, len(took))
    times = (np.floor(dispatched + took) - np.floor(dispatched)) / 60
    k, scale = fit_weibull(times, np.ones(len(times), bool), np.ones(len(times)))
    assert k == pytest.approx(0.6, rel=0.01)
    assert scale == pytest.approx(0.5, rel=0.01)


_STAFF_COLUMNS = ["level", "department", "unit", "staff"]
"""The columns of a staffing table :func:`with_handling` reads."""


def _shaped_fit(workshop_city, seed: int, shape: float, shaped: bool = True):
    first = date(2025, 5, 12)
    truth = {"grid": 2.0, "street": 8.0}
    cases = _log(first, seed, truth, 1500, shape)
    fit = fit_handling(
        cases, workshop_city, workshop_city.calendar, first, np.random.default_rng(seed), shaped
    )
    return cases, fit, truth


def test_each_level_s_shape_and_weibull_mean_are_fitted_and_written(workshop_city) -> None:
    """Weibull times of shape 0.6 with each level: the shape and the mean within their
    intervals, written to the city (handling_shape and hours); staffing then allows for the
    spread (Allen–Cunneen), so the street, far below its bound on staff, gets more staff than
    an exponential's."""
    cases, fit, truth = _shaped_fit(workshop_city, 1, 0.6)
    levels = fit.levels.set_index("level").loc[["grid", "street"]]
    for level, hours in truth.items():
        row = levels.loc[level]
        assert row["shape_low"] <= 0.6 <= row["shape_high"], (level, row.to_dict())
        assert row["low"] <= hours <= row["high"], (level, row.to_dict())
    stations = {"grid": 4, "community": 2, "street": 1, "districts": 1}
    staff = staffing(cases, fit, workshop_city, stations, 14 * 24.0)
    city = with_handling(workshop_city, fit, staff, None)
    assert city.handling_shape["grid"] == pytest.approx(levels.loc["grid", "shape"], abs=1e-4)
    assert city.handling_shape["street"] == pytest.approx(levels.loc["street", "shape"], abs=1e-4)
    assert "joint" not in city.handling_shape and "department" not in city.handling_shape
    street = fit.types.set_index(["case_type", "level"]).loc[("neighbour_dispute", "street")]
    assert city.case_types["neighbour_dispute"].hours.street == pytest.approx(
        street["hours"], rel=1e-3
    )
    plain = dataclasses.replace(fit, shaped=False)
    assert (
        staff.set_index("level").loc["street", "staff"]
        > staffing(cases, plain, workshop_city, stations, 14 * 24.0)
        .set_index("level")
        .loc["street", "staff"]
    )


def test_a_department_is_staffed_for_the_shape_the_city_gives_it(workshop_city) -> None:
    """With shapes written, the model gives every department the pooled department level's
    shape: a department's office is staffed for that, not for the department's own fit,
    though a skewed shape at this load would take more staff."""
    cases, fit, _ = _shaped_fit(workshop_city, 1, 0.6)
    cases = cases.copy()
    cases.loc[cases.index[:300], "handler"] = "housing"
    stations = {"grid": 4, "community": 2, "street": 1, "districts": 1}

    def staff(own: float, pooled: float) -> int:
        levels = fit.levels.copy()
        department = levels["level"] == "department"
        housing = department & (levels["department"] == "housing")
        levels.loc[housing, ["hours", "response_hours", "shape"]] = [8.0, 0.2, own]
        levels.loc[department & (levels["department"] == ""), "shape"] = pooled
        shaped = dataclasses.replace(fit, levels=levels)
        table = staffing(cases, shaped, workshop_city, stations, 14 * 24.0)
        assert with_handling(workshop_city, shaped, table, None).handling_shape["department"] == (
            pooled
        )
        return int(table.set_index("department").loc["housing", "staff"])

    assert staff(0.3, 1.0) == staff(1.0, 1.0) < staff(1.0, 0.3)


def test_without_shapes_the_city_keeps_exponential_handling(workshop_city) -> None:
    """By default the shapes are reported, not written: the hours are the exponential's with
    the fitted median (median / ln 2), the city's handling_shape is kept."""
    _, fit, _ = _shaped_fit(workshop_city, 2, 0.6, shaped=False)
    row = fit.levels.set_index("level").loc["grid"]
    assert row["shape_high"] < 1.0  # reported
    assert row["hours"] == pytest.approx(row["median_hours"] / math.log(2.0))
    city = with_handling(workshop_city, fit, pd.DataFrame(columns=_STAFF_COLUMNS), None)
    assert city.handling_shape == workshop_city.handling_shape == {}


def test_open_cases_weigh_on_their_levels_as_censored(workshop_city) -> None:
    """Cases of a slow level still open at the cut-off (handler unknown): fitted as censored,
    at the levels where cases as long open closed, they keep its time long; weighted by
    their type's shares of closures alone (the slow level's share of the closed cases is
    low, since its cases are the ones still open) or left out, they would make it short."""
    first = date(2025, 5, 12)
    cases = _log(first, 2, {"grid": 1.0, "street": 40.0}, 1500)
    cut = pd.Timestamp(first) + pd.Timedelta(days=10)
    cases = cases[cases["created"] < cut].copy()
    cases["censored_at"] = cut
    late = cases["closed"] >= cut
    cases.loc[late, "closed"] = pd.NaT
    cases.loc[late, "handler"] = None
    assert late.mean() > 0.05
    fit = fit_handling(
        cases, workshop_city, workshop_city.calendar, first, np.random.default_rng(0)
    )
    street = fit.levels.set_index("level").loc["street"]
    assert street["low"] <= 40.0 <= street["high"]


def test_fitted_hours_and_staff_go_into_the_city_and_a_unit_table_s_staff_wins(
    workshop_city,
) -> None:
    first = date(2025, 5, 12)
    cases = _log(first, 3, {"grid": 2.0, "street": 8.0}, 800)
    fit = fit_handling(
        cases, workshop_city, workshop_city.calendar, first, np.random.default_rng(0)
    )
    staff = staffing(
        cases,
        fit,
        workshop_city,
        {"grid": 4, "community": 2, "street": 1, "districts": 1},
        14 * 24.0,
    )
    ten = dataclasses.replace(workshop_city.calendar, station_hours=10.0)
    city = with_handling(workshop_city, fit, staff, ten)
    hours = city.case_types["neighbour_dispute"].hours
    street = fit.types.set_index(["case_type", "level"]).loc[("neighbour_dispute", "street")]
    assert hours.street == pytest.approx(street["hours"], rel=1e-3)
    grid = fit.types.set_index(["case_type", "level"]).loc[("neighbour_dispute", "grid")]
    assert hours.grid == pytest.approx(grid["hours"] * (1 - workshop_city.patrol_share), rel=1e-3)
    assert city.working_hours_per_day == 10.0
    expected = int(staff.set_index("level").loc["street", "staff"])
    assert city.street_staff == expected
    # the level's staff meets the observed wait at the fitted load (M/M/c)
    row = staff.set_index("level").loc["street"]
    assert erlang_wait(row["arrivals_per_hour"], row["hours"], expected) <= max(
        row["target_wait_hours"], 0.05
    )
    # a city whose units give the street offices' staff keeps them
    from govsim.cases.unit_volumes import sized_by_volume

    sized = sized_by_volume(
        workshop_city,
        {f"street/{k}": 1.0 + k for k in range(workshop_city.streets_per_district)},
        "street",
    )
    given = dataclasses.replace(
        sized,
        street_staff=None,
        units=dataclasses.replace(sized.units, street_staff=[7] * len(sized.units.streets)),
    )
    kept = with_handling(given, fit, staff.assign(unit="street/0"), ten)
    assert kept.units.street_staff == [7] * len(sized.units.streets)


@pytest.fixture
def workshop_city():
    from govsim.cases.city import load_city

    return load_city("workshop")


def _grid_hours_covered(seed: int, shape: float = 1.0) -> tuple[list[bool], bool]:
    """A 60-day log of the workshop city (load and staff × 5, open around the clock, every
    case reported at once, the grid's handling times Weibull of ``shape``): whether each case
    type's grid hours lie in their interval, and whether the grid's shape lies in its own.

    The model's log has no dispatch or acceptance times, so a case is with its handler from
    its report: only the grid, where every case starts, has its own time alone (a case
    closed higher up was at the grid first). Types with fewer than ``MIN_CLOSED`` grid
    closures take the pooled time and are not counted.
    """
    from govsim.cases.fit import observed
    from govsim.composition.compose import compose
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.caselog import case_log

    cfg = compose(
        [
            "city=workshop",
            "mechanism=baseline",
            "reference=null",
            "days=60",
            "horizon_days=0",
            "progress=false",
            "city.case_load_scale=5",
            "city.staff_scale=5",
            "city.working_hours_per_day=24",
            "city.residents.trust_mean=1.0",
            "city.residents.report_propensity_mean=1.0",
            "city.residents.report_delay_days=0",
            f"+city.handling_shape.grid={shape}",
            f"seed={seed}",
        ]
    )
    model = GovernanceModel(cfg)
    model.run_model()
    log = case_log(model)
    cases = observed(
        log.assign(created=pd.to_datetime(log["created"]), closed=pd.to_datetime(log["closed"])),
        date(2025, 2, 28),
    )
    fit = fit_handling(
        cases,
        cfg.city,
        cfg.city.calendar,
        date(2025, 1, 1),
        np.random.default_rng(seed),
        shaped=shape != 1.0,
    )
    city = with_handling(
        cfg.city,
        fit,
        staffing(
            cases,
            fit,
            cfg.city,
            {"grid": 1, "community": 1, "street": 1, "districts": 1},
            60 * 24.0,
        ),
        cfg.city.calendar,
    )
    rows = fit.types[(fit.types["level"] == "grid") & (fit.types["source"] != "pooled")]
    share = 1.0 - cfg.city.patrol_share  # the written hours are the model's own
    hits = []
    for row in rows.itertuples():
        truth = cfg.city.case_types[row.case_type].hours.grid
        assert city.case_types[row.case_type].hours.grid == pytest.approx(
            row.hours * share, abs=1e-3
        )
        hits.append(bool(row.low * share <= truth <= row.high * share))
    grid = fit.levels.set_index("level").loc["grid"]
    return hits, bool(grid["shape_low"] <= shape <= grid["shape_high"])


def test_grid_hours_of_a_log_the_model_generated_are_recovered_within_their_intervals() -> None:
    """Over 8 seeds, the 95% intervals of the grid hours cover the truth near nominally."""
    from scipy.stats import binom

    hits = [hit for seed in range(8) for hit in _grid_hours_covered(seed)[0]]
    assert len(hits) >= 30
    assert binom.cdf(sum(hits), len(hits), 0.95) > 0.001, np.mean(hits)


def test_a_grid_shape_the_model_generated_is_recovered_with_its_hours() -> None:
    """The model's grid handling Weibull of shape 0.6: over 4 seeds the grid's shape and the
    case types' Weibull means (hours) lie in their intervals near nominally (the time with
    the handler holds the short waits of a grid staffed × 5 too)."""
    from scipy.stats import binom

    runs = [_grid_hours_covered(seed, 0.6) for seed in range(4)]
    hours = [hit for hits, _ in runs for hit in hits]
    shapes = [hit for _, hit in runs]
    assert sum(shapes) >= 3, shapes
    assert binom.cdf(sum(hours), len(hours), 0.95) > 0.001, np.mean(hours)


def test_a_level_with_hours_of_its_own_is_timed_and_written_in_its_window(workshop_city) -> None:
    """A grid open around the clock: a case from 17:00 to 9:00 took it sixteen hours (the
    offices' two), and an hour fitted there is written as 10/24 of a 10-hour working day."""
    from govsim.config.schema import LevelHoursConfig

    calendar = dataclasses.replace(
        _office_hours(workshop_city), level_hours={"grid": LevelHoursConfig(0.0, 24.0, 1.0)}
    )
    times = pd.Series(pd.to_datetime(["2025-05-13 17:00", "2025-05-14 09:00"]))
    grid = working_hours(calendar, date(2025, 5, 12), times, "grid")
    street = working_hours(calendar, date(2025, 5, 12), times, "street")
    assert grid[1] - grid[0] == pytest.approx(16.0)
    assert street[1] - street[0] == pytest.approx(2.0)
    first = date(2025, 5, 12)
    cases = _log(first, 5, {"grid": 2.0, "street": 8.0}, 400)
    fit = fit_handling(cases, workshop_city, calendar, first, np.random.default_rng(0))
    staff = staffing(
        cases,
        fit,
        workshop_city,
        {"grid": 4, "community": 2, "street": 1, "districts": 1},
        14 * 24.0,
    )
    city = with_handling(workshop_city, fit, staff, calendar)
    grid_hours = fit.types.set_index(["case_type", "level"]).loc[
        ("neighbour_dispute", "grid"), "hours"
    ]
    assert city.case_types["neighbour_dispute"].hours.grid == pytest.approx(
        grid_hours * (1 - workshop_city.patrol_share) * 10 / 24, rel=1e-3
    )


def test_a_slow_town_gets_the_staff_its_slower_handling_needs(workshop_city) -> None:
    """Two towns of equal volume, one handling five times slower: its street office and
    communities get more staff, and every station's utilisation stays below one."""
    from govsim.cases.unit_volumes import sized_by_volume

    sized = sized_by_volume(
        workshop_city,
        {f"street/{k}": 1.0 for k in range(workshop_city.streets_per_district)},
        "street",
    )
    factors = [5.0 if k == 0 else 1.0 for k in range(len(sized.units.streets))]
    slow = dataclasses.replace(
        sized, units=dataclasses.replace(sized.units, street_handling=factors)
    )
    first = date(2025, 5, 12)
    cases = _log(first, 3, {"grid": 2.0, "street": 8.0}, 2000)
    cases["handler"] = np.where(np.arange(len(cases)) % 3 == 0, "community", cases["handler"])
    fit = fit_handling(cases, slow, slow.calendar, first, np.random.default_rng(0))
    share = {name: 1.0 / len(slow.units.streets) for name in slow.units.streets}
    staff = staffing(
        cases, fit, slow, {"grid": 4, "community": 2, "street": 1, "districts": 1}, 14 * 24.0, share
    )
    towns = staff[staff["unit"] != ""].set_index(["level", "unit"])
    for level in ("street", "community"):
        assert towns.loc[(level, "street/0"), "staff"] > towns.loc[(level, "street/1"), "staff"]
    assert (staff["utilisation"] < 1).all()
    city = with_handling(slow, fit, staff, None)
    towns_of = dict(zip(city.units.communities, city.units.community_street, strict=True))
    mediators = dict(zip(city.units.communities, city.units.community_mediators, strict=True))
    assert {mediators[c] for c, t in towns_of.items() if t == "street/0"} == {
        int(towns.loc[("community", "street/0"), "staff"])
    }
