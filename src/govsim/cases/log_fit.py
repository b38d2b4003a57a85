"""``govsim cases fit LOG --mapping MAP --city CITY --until DATE --out FITTED.yaml``.

Checks the log against the city (:mod:`govsim.cases.check`), keeps its cases within its
span (the densest period; rows outside it are not fitted) known by the end of ``--until``
(:func:`govsim.cases.fit.observed`; an ``--until`` outside the span is refused, its days
not being days without cases), fits demand, closure and routing
(:mod:`govsim.cases.fit`) and writes:

- ``FITTED.yaml``: a city that runs as it is (``govsim city=FITTED.yaml``), every value
  written out: the given city with its calendar fitted (day 0 = the log's first day;
  weekday, holiday and hour profiles; daily over-dispersion of the units and of the
  district) and each case type's rate
  from the log's count per day
  (per 1,000 residents a year over the city's residents; a case type the log never shows
  gets rate 0, said in the report);
- ``FITTED.draws.csv`` beside it: draws of the demand's parameters from the fit's day
  bootstrap, which ``govsim cases validate`` runs (:mod:`govsim.cases.demand_draws`);
- a report folder (``--report``, default ``results/cases/DATE/TIME-XXXXXX``): ``fit.md``
  and the tables behind it (rates, rates per unit, the profiles, closure-time survival per
  category and per handler, routing shares).

An archetype city (no populations) gets its units written out, each sized by the cases a
day the log shows for it, in grids (:mod:`govsim.cases.unit_volumes`: rates per unit). The
towns' handling speeds are read from their closure times
(:mod:`govsim.cases.towns`, ``city.units.street_handling``). The
stations' opening hours read from when cases close (:func:`govsim.cases.fit.opening_hours`)
go into the fitted calendar (``station_opens``, ``station_hours``, ``station_days_off``).
The city's case types are made from the log's categories, each with its routing fitted
from the levels its cases closed at (:mod:`govsim.cases.case_types`; ``--min-cases``).
Each level's and department's response and handling times, from the log's dispatch,
acceptance and closure times, become the case types' handling hours, the staff and the
departments' response delays, and the opening hours ``working_hours_per_day``
(:mod:`govsim.cases.handling`). Each case type's escalation rate above the street is read
from the cases the log shows closing there (:mod:`govsim.cases.escalation`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govsim.config.errors import ArgumentError, PathError

if TYPE_CHECKING:
    from govsim.cases.check import CheckResult, LogPeriod
    from govsim.cases.fit import DemandFit, OpeningHours
    from govsim.cases.handling import HandlingFit
    from govsim.config.schema import CalendarConfig, CityConfig

__all__ = ["FitRequest", "covering", "fit_log", "fitted_city"]


def covering(result: CheckResult, log: Path, option: str, day: date) -> LogPeriod:
    """The log's period if it covers ``day`` (an option's date), else a one-line refusal.

    The days a log does not cover are not days without cases: a fit or a comparison never
    counts them.
    """
    span = result.period
    if span is None:
        raise PathError(log, "has no kept case", "a log with at least one kept case")
    if not span.covers(day):
        raise PathError(
            log,
            f"does not cover {option} {day}: its {span.describe()}",
            f"{option} within the log's span",
        )
    return span


def fitted_city(
    city: CityConfig,
    name: str,
    demand: DemandFit,
    first: date,
    hours: OpeningHours | None = None,
    case_mix: dict[str, list[float]] | None = None,
) -> tuple[str, list[str]]:
    """The fitted city (every value written out) as YAML, and the case types never seen.

    ``case_mix`` (a city with units only) gives each grid its relative rate by case type.
    """
    import dataclasses

    from govsim.cases.city import city_yaml
    from govsim.model.sizing import residents

    per_year = 365.0 * 1000.0 / residents(city)
    rates = dict(zip(demand.rates["category"], demand.rates["estimate"], strict=True))
    unseen = [t for t in city.case_types if t not in rates]
    holiday = float(demand.holiday_factor["estimate"].iloc[0])
    calendar = dataclasses.replace(
        city.calendar,
        start_date=first.isoformat(),
        weekday_profile=[round(float(v), 4) for v in demand.weekday_profile["estimate"]],
        holiday_factor=round(holiday, 4) if np.isfinite(holiday) else 1.0,
        hour_profile=[round(float(v), 4) for v in demand.hour_profile],
        daily_dispersion=round(float(demand.dispersion["estimate"].iloc[0]), 4),
        district_dispersion=round(float(demand.dispersion["estimate"].iloc[1]), 4),
    )
    if hours is not None:
        calendar = dataclasses.replace(
            calendar,
            station_opens=float(hours.opens),
            station_hours=float(hours.hours),
            station_days_off=hours.days_off,
        )
    case_types = {
        t: dataclasses.replace(
            c, rate_per_1000_per_year=round(float(rates.get(t, 0.0)) * per_year, 4)
        )
        for t, c in city.case_types.items()
    }
    units = city.units
    if case_mix and units is not None:
        units = dataclasses.replace(units, case_mix=case_mix)
    fitted = dataclasses.replace(
        city, name=name, calendar=calendar, case_types=case_types, units=units
    )
    text = city_yaml({"defaults": ["/city_schema", "_self_"], **dataclasses.asdict(fitted)})
    return text, unseen


def _hours_text(hours: OpeningHours | None) -> str:
    if hours is None:
        return (
            "Opening hours: too few closures with times of day to read them; the city's are kept."
        )
    off = "closed" if hours.days_off else "open"
    return (
        f"Opening hours read from the closures: {hours.opens}:00 to "
        f"{hours.opens + hours.hours}:00 ({hours.share_inside:.0%} of the closures); "
        f"{off} on weekends and public holidays (closures per such day "
        f"{hours.day_off_ratio:.2f} × those per working day)."
    )


def _sizes_text(city: CityConfig, level: str | None) -> str:
    if level is None:
        return ""
    units = city.units
    assert units is not None
    grids = (
        pd.Series(units.grid_community)
        .map(dict(zip(units.communities, units.community_street, strict=True)))
        .value_counts()
    )
    return (
        "## Units sized by their volumes\n\nThe city gives no populations, so each "
        f"{level} is sized in proportion to its cases a day in the log "
        f"(`govsim.cases.unit_volumes`): {len(units.grids):,} grids of "
        f"{sum(units.grid_residents):,} residents in all; {grids.min()} to {grids.max()} "
        "grids a street. The rates per resident then give each unit its own volume.\n"
    )


def _mix_text(mix: dict[str, list[float]] | None) -> str:
    if not mix:
        return ""
    spread = "; ".join(f"{t} {min(v):.2f}–{max(v):.2f}" for t, v in mix.items())
    return (
        "\n## Units' mix of cases\n\nEach unit's rate of a case type relative to units "
        "alike, shrunk toward 1 by one case's weight (`govsim.cases.unit_mix`), written "
        f"per grid to `city.units.case_mix`: {spread}.\n"
    )


def _report(
    log: Path,
    until: date,
    span: LogPeriod,
    cases: pd.DataFrame,
    demand: DemandFit,
    closure: dict[str, pd.DataFrame],
    routing: pd.DataFrame,
    unseen: list[str],
    hours: OpeningHours | None,
    sizes: str,
    out: Path,
) -> str:
    def md(frame: pd.DataFrame) -> str:
        return frame.to_markdown(index=False, floatfmt=".3g")

    censored = int(cases["closed"].isna().sum())
    return "\n".join(
        [
            f"# Fit of `{log.name}` up to {until.isoformat()}",
            "",
            f"{len(cases):,} cases created in {demand.days} days, {span.first} … {until} (the "
            f"log's {span.describe()}); {censored:,} still open at the cut-off (censored, not "
            "dropped). Intervals are 95% from a bootstrap over days.",
            "",
            "## Cases per day by category",
            "",
            md(demand.rates),
            "",
            "## Weekday profile (mean 1 over the week)",
            "",
            md(demand.weekday_profile),
            "",
            "## Holiday factor and daily over-dispersion",
            "",
            md(pd.concat([demand.holiday_factor, demand.dispersion])),
            "",
            (
                "Case types the log never shows (rate 0 in the fitted city): " + ", ".join(unseen)
                if unseen
                else "Every case type of the city appears in the log."
            ),
            "",
            "## Closure times by category (Kaplan–Meier, days)",
            "",
            md(closure["category"]),
            "",
            "## Closure times by handler",
            "",
            md(closure["handler"]),
            "",
            "## Routing: share of closed cases by handler",
            "",
            md(routing),
            "",
            "## Opening hours",
            "",
            _hours_text(hours),
            "",
            sizes,
            f"Tables: `{out.name}/`.",
            "",
        ]
    )


def _handling(
    city: CityConfig,
    cases: pd.DataFrame,
    calendar: CalendarConfig,
    first: date,
    until: date,
    unit_level: str,
    rng: np.random.Generator,
    shaped: bool,
) -> tuple[HandlingFit, pd.DataFrame]:
    """Handling times and staffing (:mod:`govsim.cases.handling`) in the fitted open hours."""
    from govsim.cases.handling import fit_handling, staffing, working_hours
    from govsim.city.layout import layout

    fit = fit_handling(cases, city, calendar, first, rng, shaped)
    shape = layout(city)
    stations = {
        "grid": len(shape.grid_names),
        "community": len(shape.community_names),
        "street": len(shape.street_names),
        "districts": len(shape.district_names),
    }
    end = pd.Series([pd.Timestamp(until) + pd.Timedelta(days=1)])
    open_hours = {
        level: float(working_hours(calendar, first, end, level)[0])
        for level in ("grid", "community", "street", "department")
    }
    volume = None
    if city.units is not None and unit_level == "street":
        counts = cases["unit"].value_counts()
        volume = {name: float(counts.get(name, 0)) / len(cases) for name in shape.street_names}
    return fit, staffing(cases, fit, city, stations, open_hours, volume)


@dataclass(frozen=True)
class FitRequest:
    """What ``govsim cases fit`` is asked: the log, its mapping, the city and the day."""

    log: Path
    mapping: Path
    city: str
    until: date
    """The last day whose knowledge is used."""
    out: Path
    """The fitted city's YAML."""
    report: Path | None = None
    """A new folder for the report (default ``results/cases/DATE/TIME-XXXXXX``)."""
    seed: int = 0
    min_cases: int | None = None
    """Cases a category needs to be a case type of its own (default ``MIN_CASES``)."""
    handling_shape: bool = False
    """Whether each level's fitted Weibull shape and mean go into the city (else exponential
    handling with the mean median / ln 2; :mod:`govsim.cases.handling`)."""


def fit_log(args: FitRequest) -> None:
    """``govsim cases fit``: fit the city to the log and write it, with its report."""
    until = args.until
    if args.out.suffix not in (".yaml", ".yml"):
        raise ArgumentError("cases fit", f"--out {args.out}", "a .yaml file")
    from govsim.cases.case_types import MIN_CASES, log_case_types, open_categories, types_text
    from govsim.cases.check import check_log
    from govsim.cases.city import check_city, city_reference, load_city
    from govsim.cases.demand_draws import write_draws
    from govsim.cases.escalation import escalation_table, escalation_text, with_escalation
    from govsim.cases.fit import (
        closure_fit,
        fit_demand,
        observed,
        opening_hours,
        routing_shares,
    )
    from govsim.cases.folders import new_folder
    from govsim.cases.handling import handling_text, with_handling
    from govsim.cases.level_hours import (
        fit_level_hours,
        level_hours_text,
        taking_dispatch,
        with_hours,
    )
    from govsim.cases.mapping import load_mapping
    from govsim.cases.read import read_log
    from govsim.cases.towns import speeds_text, with_town_speeds
    from govsim.cases.unit_mix import case_mix
    from govsim.cases.unit_volumes import LEVELS, sized_by_volume
    from govsim.cases.untimed import untimed_text, with_untimed_delays
    from govsim.files import atomic_folder, write_parquet, write_text

    mapping = load_mapping(args.mapping)
    city = load_city(args.city)
    log = read_log(args.log, mapping)
    every_type, reference = open_categories(
        mapping,
        city_reference(city),
        log.fields.get("category", pd.Series(dtype=str)).unique(),
        {t.label_zh: name for name, t in city.case_types.items()},
    )
    result = check_log(log, every_type, reference)
    span = covering(result, args.log, "--until", until)
    first = span.first
    seen = observed(result.in_period(), until)
    hours = opening_hours(seen)  # the levels' hours, which the street's dispatches follow
    levels = fit_level_hours(
        seen,
        set(city.departments),
        None if hours is None else with_hours(city.calendar, hours, pd.DataFrame()),
        first,
    )
    calendar = with_hours(city.calendar, hours, levels)
    log_types = log_case_types(
        seen,
        city,
        MIN_CASES if args.min_cases is None else args.min_cases,
        mapping.categories,
        taking_dispatch(calendar, first, seen["created"]),
    )
    city, cases = log_types.city, log_types.cases
    city, escalation = with_escalation(city, escalation_table(cases))
    demand = fit_demand(cases, first, until, np.random.default_rng(args.seed))
    sized = city.units is None and mapping.unit_level in LEVELS
    if sized:  # no populations: the log's volumes size the units (rates per unit)
        volumes = demand.unit_rates.groupby("unit")["rate"].sum()
        city = sized_by_volume(city, volumes.to_dict(), mapping.unit_level)
    mix = None
    if city.units is not None and mapping.unit_level in LEVELS:  # units differ in their mix
        counts = cases.groupby(["category", "unit"]).size().rename("cases").reset_index()
        mix = case_mix(city, counts, mapping.unit_level)
    city, speeds = with_town_speeds(city, cases, mapping.unit_level)  # towns' own speeds
    handling, staff = _handling(
        city,
        cases,
        calendar,
        first,
        until,
        mapping.unit_level,
        np.random.default_rng(args.seed + 1),
        args.handling_shape,
    )
    city = with_handling(city, handling, staff, None if hours is None else calendar)
    city, untimed = with_untimed_delays(dataclasses.replace(city, calendar=calendar), handling)
    text, unseen = fitted_city(city, args.out.stem, demand, first, hours, mix)
    closure = {by: closure_fit(cases, by) for by in ("category", "handler")}
    routing = routing_shares(cases)
    report = new_folder(args.report)
    check_city(text, args.out.name)  # it must run as it is before anything is written
    with atomic_folder(report) as partial:
        for name, frame in {
            "rates": demand.rates,
            "unit_rates": demand.unit_rates,
            "weekday_profile": demand.weekday_profile,
            "closure_by_category": closure["category"],
            "closure_by_handler": closure["handler"],
            "routing": routing,
            "case_types": log_types.types,
            "level_routing": log_types.routing,
            "town_speeds": speeds,
            "level_hours": levels,
            "escalation": escalation,
            "handling_levels": handling.levels,
            "handling_types": handling.types,
            "staffing": staff,
        }.items():
            if frame is not None:
                write_parquet(partial / f"{name}.parquet", frame)
        write_text(
            partial / "fit.md",
            _report(
                args.log,
                until,
                span,
                cases,
                demand,
                closure,
                routing,
                unseen,
                hours,
                _sizes_text(city, mapping.unit_level if sized else None)
                + _mix_text(mix)
                + speeds_text(speeds)
                + level_hours_text(levels)
                + untimed_text(untimed)
                + escalation_text(escalation)
                + handling_text(handling, staff, None if hours is None else hours.hours),
                report,
            )
            + types_text(
                result.rows_read, result.reason_counts(), len(result.kept), log_types, result.values
            ),
        )
    write_text(args.out, text)
    draws = write_draws(args.out, demand.draws)
    print(
        f"fitted {len(cases):,} cases of {demand.days} days, {first} … {until}; log "
        f"{span.describe()}: {args.out}"
    )
    print(f"parameter draws: {draws}" if draws else "parameter draws: none (too few days)")
    print(f"report: {report}")
