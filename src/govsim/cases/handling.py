"""Handling and capacity from a log's own times (处置时长与力量配置).

A grid-governance log times each case's steps: reported (上报时间), last dispatched to its
handler (最后派发时间), accepted by it (最后受理时间) and closed (办结时间). From them,
for the cases known by the cut-off (:func:`govsim.cases.fit.observed`):

- **response** of a level or department: dispatch → acceptance (from the report where the
  log has no dispatch time);
- **handling**: acceptance → closure;
- **time with the handler**: dispatch → closure, what the model's handling hours stand for.

The acceptance is not a reliable start of the work: in the Haishu log, 55% of the cases the
communities closed were accepted within a minute of their closure (the click recorded at
closing), so their "handling" is nil and their work lies in the "response". The hours
written into the city are therefore those of the time with the handler; response and
handling are reported beside them, and the response sets the staffing (below) and the
departments' ``response_delay_days``.

All are measured in **working hours**: the hours the level's stations are open between the
two times (``calendar.station_opens``, ``station_hours``, ``station_days_off``, or the
level's own ``calendar.level_hours``, an hour of a day off counting at its days-off
capacity, as :class:`govsim.model.worktime.WorkingTime` lays a job's service on them), so
a case dispatched at 17:00 and closed at 9:00 next morning took an office two hours, not
sixteen. The model's handling hours are worked inside the same opening hours,
``working_hours_per_day`` being the hours a station is open (one working day of a job = one
open window; a level with a window of its own gets its hours scaled to it,
:func:`with_handling`), not a speed factor. Whether an open case has been open "as long"
as a closure took is read in calendar days.

Each time is fitted by Kaplan–Meier, censored at the cut-off where the case is still open.
An open case's handler is not known: it counts at each level as the closures of its case
type that took at least as long as it has been open (weights), so the levels' times are
censored as the log's are. The statistic written into the city is the **mean of an
exponential with the fitted median** (median / ln 2): the median fixes the body of the
distribution, which the shares closed within a day read, and it exists under censoring
where a mean does not.

The log's times are more skewed than an exponential's (many cases closed within minutes,
a long tail: a coefficient of variation above 1), so each level and department with at
least :data:`MIN_SHAPE_CLOSED` closures also gets a **Weibull** fitted by censored maximum
likelihood to the same weighted times (:mod:`govsim.cases.weibull`): its shape k and mean
are reported (``shape``, ``handling_levels.parquet``). With ``shaped``
(``govsim cases fit --handling-shape``) the hours written are the Weibulls' means (a
type's: its shrunk median × its level's Weibull mean over the level's median) and each
level's k goes into ``city.handling_shape``, so the model's handling times have the log's
shape (:mod:`govsim.model.service`). Not the default: on the Haishu log the Weibulls that
fit the body (k ≈ 0.5–0.7) imply 1.3 to 3 times the exponential's mean hours and a
tail past the log's, whose closures stop near the week's time limits, and the held-out
week's closure times fit worse (``docs/cases.md``). Intervals (95%) come from a bootstrap
over the days cases were created (:data:`DRAWS` draws, bias-corrected percentiles as
:func:`govsim.cases.fit._interval`), shapes' and means' alike.

Per level (``grid``, ``community``, ``street``, ``department``, ``above``) the pooled time
is fitted over every case type; each case type's own, where it has at least
:data:`MIN_CLOSED` closures at the level, is shrunk towards the pooled one on the log scale
by n / (n + :data:`PRIOR_CASES`) (partial pooling as :mod:`govsim.cases.towns` does); a type
with fewer keeps the pooled time. Departments' response is their ``response_delay_days``
(calendar days, as the model runs departments' delays); grids', communities' and streets'
response is their queue, which staffing sets.

**Staffing** (:func:`staffing`): each level's servers are those of an M/M/c queue (Erlang C;
with fitted shapes written, × (1 + c²) / 2 for handling times of coefficient of variation c,
the Allen–Cunneen approximation of M/G/c, c that of the level's shape as written into the
city, for a department the pooled ``department`` level's) with the fitted volumes and
handling hours whose mean wait does not exceed the observed mean response: arrivals λ = the
cases reaching the level (closed there or at a level above it, every case entering at the
grid) per station per open hour, service 1 / h with h the level's fitted handling hours; c =
the smallest whole number of staff with utilisation below 1 and mean wait ≤ the observed
mean response (working hours), within the configuration's bounds. A street's staff is fitted
per town (its own volume) where the city has units; grids and communities, sized by the
log's volumes, city-wide. A unit table's staff, where given (``city.units.street_staff``
...), wins over the fit. Assumption: the model's queues are those of M/M/c (Poisson
arrivals, exponential service, first come first served; M/G/c with shapes written);
priorities, patrols and opening hours make them only approximately so, so the staff is a
point estimate (stated as such in ``fit.md``), not an interval.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from govsim.cases.open_cases import spread_open
from govsim.cases.weibull import SHAPE_BOUNDS, fit_weibull
from govsim.config.schema import CalendarConfig, CityConfig
from govsim.model.weibull import squared_cv

__all__ = [
    "DRAWS",
    "LEVELS",
    "MIN_CLOSED",
    "MIN_SHAPE_CLOSED",
    "PRIOR_CASES",
    "HandlingFit",
    "erlang_wait",
    "fit_handling",
    "handling_text",
    "level_of",
    "servers",
    "staffing",
    "with_handling",
    "working_hours",
]

LEVELS = ("grid", "community", "street", "department", "above")
"""The levels a case closes at, from the grid upwards (the model's order of escalation)."""
DRAWS = 200
"""Bootstrap draws over days."""
MIN_CLOSED = 10
"""Closures a case type needs at a level for a time of its own (else the level's pooled)."""
MIN_SHAPE_CLOSED = 30
"""Closures a level (or department) needs for a shape of its own (else exponential, 1)."""
PRIOR_CASES = 20.0
"""k of the shrinkage n / (n + k): at k closures a type's own time counts half."""
HOURS = (0.01, 200.0)
"""The bounds of a handling time in the configuration (hours)."""
TARGET_FLOOR = 0.05
"""The smallest mean wait (working hours) staffing aims at: a log's response of zero
would ask for unbounded staff."""
STAFF_BOUNDS = {"grid": 20, "community": 50, "street": 200, "department": 10_000}
"""The configuration's largest staff counts (``grid_workers_per_grid`` ...)."""


def level_of(handler: object, departments: set[str]) -> str | None:
    """The level a checked handler value closes at (a department's name → ``department``)."""
    if isinstance(handler, str):
        if handler in LEVELS:
            return handler
        if handler in departments:
            return "department"
    return None


def working_hours(
    calendar: CalendarConfig, first: date, times: pd.Series, level: str = "grid"
) -> np.ndarray:
    """Open hours of ``level``'s stations from the start of ``first`` to each time.

    Nan where there is no time; an hour of a day off counts at the level's days-off capacity.
    """
    from govsim.city.levels import Level
    from govsim.model.worktime import WorkingTime

    clock = WorkingTime(dataclasses.replace(calendar, start_date=first.isoformat()))
    at = Level[level.upper()]
    days = (times - pd.Timestamp(first)).dt.total_seconds().to_numpy() / 86_400.0
    width = clock.levels[at].width * 24.0
    return np.array(
        [clock.working(d, at) * width if np.isfinite(d) and d >= 0 else np.nan for d in days]
    )


def _km_median(durations: np.ndarray, events: np.ndarray, weights: np.ndarray) -> float:
    """The weighted Kaplan–Meier median (nan where survival stays above one half)."""
    keep = np.isfinite(durations) & (weights > 0)
    d, e, w = durations[keep], events[keep], weights[keep]
    if not len(d) or not (e * w).sum():
        return float("nan")
    times, inverse = np.unique(d, return_inverse=True)
    deaths = np.bincount(inverse, weights=w * e, minlength=len(times))
    leaving = np.bincount(inverse, weights=w, minlength=len(times))
    at_risk = leaving[::-1].cumsum()[::-1]
    surv = np.cumprod(
        1.0 - np.divide(deaths, at_risk, out=np.zeros_like(deaths), where=at_risk > 0)
    )
    below = np.flatnonzero(surv <= 0.5)
    return float(times[below[0]]) if len(below) else float("nan")


@dataclass
class HandlingFit:
    """Fitted response and handling times, per level and per case type × level."""

    levels: pd.DataFrame
    """Per level and department (``department`` = '' for the level as a whole): closures,
    median and mean-of-exponential handling hours with 95% interval, mean response hours
    (working) and days (calendar)."""
    types: pd.DataFrame
    """Per case type × level: closures, own median, the hours written (shrunk, interval)."""
    skipped: dict[str, int]
    """Intervals left out as negative: ``response``, ``handling``, ``service backwards``."""
    shaped: bool = False
    """Whether the hours are the fitted Weibulls' means and the shapes go into the city (else
    the hours are exponential means, median / ln 2, and the shapes are only reported)."""


def _durations(
    cases: pd.DataFrame, calendar: CalendarConfig, first: date, level: str
) -> pd.DataFrame:
    """Each case's response, handling and time with its handler in ``level``'s working hours.

    Without a dispatch time the case is with its handler from the report; without an
    acceptance time (a column the log lacks, or a closed row without one) its response is
    taken as none and its handling as the whole time with the handler.
    """
    nat = pd.Series(pd.NaT, index=cases.index, dtype="datetime64[ns]")
    start = (
        cases["dispatched"].fillna(cases["created"])
        if "dispatched" in cases
        else (cases["created"])
    )
    accepted = cases.get("accepted", nat)
    taken = accepted.fillna(start.where(cases["closed"].notna()))
    end = cases["censored_at"]
    at = {
        name: working_hours(calendar, first, series, level)
        for name, series in (
            ("start", start),
            ("taken", taken.fillna(end)),
            ("closed", cases["closed"].fillna(end)),
        )
    }
    return pd.DataFrame(
        {
            "response": at["taken"] - at["start"],
            "responded": taken.notna().to_numpy(),
            "response_days": ((taken.fillna(end) - start).dt.total_seconds() / 86_400.0).to_numpy(),
            "handling": at["closed"] - at["taken"],
            "service": at["closed"] - at["start"],
            "days": (
                (cases["closed"].fillna(end) - start).dt.total_seconds() / 86_400.0
            ).to_numpy(),
            "handled": cases["closed"].notna().to_numpy(),
        },
        index=cases.index,
    )


def _weights(cases: pd.DataFrame, departments: set[str], service: np.ndarray) -> pd.DataFrame:
    """Each case's weight at each level and department.

    1 where it closed. An open case's handler is unknown: it weighs at each level as the
    closures of its type that took at least as long as it has been open (``service``:
    calendar days with the handler so far; :func:`govsim.cases.open_cases.spread_open`).
    """
    level = cases["handler"].map(lambda h: level_of(h, departments))
    closed = (cases["closed"].notna() & level.notna()).to_numpy()
    columns = list(LEVELS) + sorted(departments)
    weights = np.zeros((len(cases), len(columns)))
    for k, name in enumerate(LEVELS):
        weights[closed & (level == name).to_numpy(), k] = 1.0
    for k, name in enumerate(sorted(departments), start=len(LEVELS)):
        weights[closed & (cases["handler"] == name).to_numpy(), k] = 1.0
    weights = spread_open(
        weights,
        np.nan_to_num(service, nan=0.0),
        cases["category"].to_numpy(),
        closed,
        cases["closed"].isna().to_numpy(),
    )
    return pd.DataFrame(weights, index=cases.index, columns=columns)


def _estimate(
    service: np.ndarray,
    handled: np.ndarray,
    weights: pd.DataFrame,
    category: np.ndarray,
    types: list[str],
    rows: np.ndarray,
) -> np.ndarray:
    """Medians of handling per column of ``weights`` and per type × level, for ``rows``.

    ``service`` holds each case's time with its handler in each column's working hours.
    """
    h = service[rows]
    e = handled[rows].astype(float)
    w = weights.to_numpy()[rows]
    cat = category[rows]
    pooled = [_km_median(h[:, k], e, w[:, k]) for k in range(w.shape[1])]
    own = [_km_median(h[:, k], e, w[:, k] * (cat == t)) for t in types for k in range(len(LEVELS))]
    return np.array(pooled + own)


def fit_handling(
    cases: pd.DataFrame,
    city: CityConfig,
    calendar: CalendarConfig,
    first: date,
    rng: np.random.Generator,
    shaped: bool = False,
) -> HandlingFit:
    """Response and handling times per level, department and case type (see the module).

    ``shaped``: the hours are the fitted Weibulls' means (else the exponential's, median /
    ln 2), and :func:`with_handling` writes the shapes.
    """
    from govsim.cases.fit import _interval

    departments = set(city.departments)
    clocks = {level: _durations(cases, calendar, first, level) for level in LEVELS}
    skipped = {
        name + " backwards": int((clocks["grid"][name] < 0).sum())
        for name in ("response", "handling", "service")
    }
    for times in clocks.values():
        for name in ("response", "handling", "service", "days"):
            times.loc[times[name] < 0, name] = np.nan
    times = clocks["grid"]
    weights = _weights(cases, departments, times["days"].to_numpy())
    columns = list(weights.columns)
    of_column = [clocks[name if name in LEVELS else "department"] for name in columns]
    service = np.column_stack([c["service"].to_numpy() for c in of_column])
    handled = times["handled"].to_numpy()
    types = sorted(cases["category"].dropna().unique())
    category = cases["category"].to_numpy()
    every = np.arange(len(cases))
    closures = (weights.to_numpy() * handled[:, None]).sum(axis=0)
    point = _estimate(service, handled, weights, category, types, every)
    shape, weibull_mean, fitted = _shapes(service, handled, weights, every, closures)
    day = (cases["created"].dt.normalize() - pd.Timestamp(first)).dt.days.to_numpy()
    by_day = [np.flatnonzero(day == k) for k in range(int(day.max()) + 1)]
    draws: list[np.ndarray] = []
    shape_draws: list[np.ndarray] = []
    mean_draws: list[np.ndarray] = []
    for _ in range(DRAWS):
        picked = rng.integers(0, len(by_day), len(by_day))
        rows = np.concatenate([by_day[k] for k in picked])
        draws.append(_estimate(service, handled, weights, category, types, rows))
        drawn_shape, drawn_mean, _ = _shapes(service, handled, weights, rows, closures, fitted)
        shape_draws.append(drawn_shape)
        mean_draws.append(drawn_mean)
    draws = np.array(draws)
    shape_draws = np.array(shape_draws)
    width = len(columns)
    ratio = _mean_ratio(weibull_mean if shaped else np.nan, point[:width])
    ratio_draws = _mean_ratio(np.array(mean_draws) if shaped else np.nan, draws[:, :width])
    means = point[:width] * ratio
    low, high = _interval(draws[:, :width] * ratio_draws, means)
    shape_low, shape_high = _interval(shape_draws, shape)
    done = times["responded"].to_numpy()
    level_rows = []
    for k, name in enumerate(columns):
        r = of_column[k]["response"].to_numpy()
        w = weights[name].to_numpy()
        use = (w > 0) & np.isfinite(r) & done
        level_rows.append(
            {
                "level": name if name in LEVELS else "department",
                "department": "" if name in LEVELS else name,
                "closed": float(closures[k]),
                "handling_median": _km_median(
                    of_column[k]["handling"].to_numpy(), handled.astype(float), w
                ),
                "median_hours": point[k],
                "shape": shape[k],
                "shape_low": shape_low[k],
                "shape_high": shape_high[k],
                "hours": means[k],
                "low": low[k],
                "high": high[k],
                "response_hours": float(np.average(r[use], weights=w[use]))
                if use.any()
                else np.nan,
                "response_days": float(
                    np.average(times["response_days"].to_numpy()[use], weights=w[use])
                )
                if use.any()
                else np.nan,
            }
        )
    # closures of each type at each level (types × levels), which set the shrinkage
    counts = np.array(
        [
            (weights[list(LEVELS)].to_numpy() * handled[:, None])[category == t].sum(axis=0)
            for t in types
        ]
    ).reshape(len(types), len(LEVELS))
    # each type's median at a level, × its level's mean over median (the level's shape)
    shrunk = _shrunk(point, counts, width) * ratio[None, : len(LEVELS)]
    shrunk_draws = np.array(
        [
            _shrunk(d, counts, width) * r[None, : len(LEVELS)]
            for d, r in zip(draws, ratio_draws, strict=True)
        ]
    )
    s_low, s_high = _interval(shrunk_draws.reshape(DRAWS, -1), shrunk.ravel())
    own = point[len(columns) :].reshape(counts.shape)
    type_rows = [
        {
            "case_type": t,
            "level": name,
            "closed": float(counts[i, j]),
            "own_median": own[i, j],
            "hours": shrunk[i, j],
            "low": s_low[i * len(LEVELS) + j],
            "high": s_high[i * len(LEVELS) + j],
            "source": "own, shrunk"
            if counts[i, j] >= MIN_CLOSED and np.isfinite(own[i, j]) and own[i, j] > 0
            else "pooled",
        }
        for i, t in enumerate(types)
        for j, name in enumerate(LEVELS)
    ]
    return HandlingFit(
        levels=pd.DataFrame(level_rows),
        types=pd.DataFrame(type_rows),
        skipped=skipped,
        shaped=shaped,
    )


def _shapes(
    service: np.ndarray,
    handled: np.ndarray,
    weights: pd.DataFrame,
    rows: np.ndarray,
    closures: np.ndarray,
    start: list[tuple[float, float]] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float]]]:
    """The Weibull shape, mean (hours) and fit (k, λ) of each column of ``weights`` for ``rows``.

    Nan where not fitted: a column with fewer than :data:`MIN_SHAPE_CLOSED` closures in the
    whole log (its handling stays exponential). ``start``: each column's fit to begin from.
    """
    w = weights.to_numpy()[rows]
    fits = [
        fit_weibull(service[rows, k], handled[rows], w[:, k], start[k] if start else None)
        if closures[k] >= MIN_SHAPE_CLOSED
        else (np.nan, np.nan)
        for k in range(w.shape[1])
    ]
    shape = np.array([k for k, _ in fits])
    mean = np.array([scale * math.gamma(1.0 + 1.0 / k) for k, scale in fits])
    return shape, mean, fits


def _mean_ratio(weibull_mean: np.ndarray, median: np.ndarray) -> np.ndarray:
    """The fitted Weibull's mean over the Kaplan–Meier median.

    1 / ln 2, an exponential's mean over its median, where no Weibull is fitted.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = weibull_mean / median
    return np.where(np.isfinite(ratio), ratio, 1.0 / math.log(2.0))


def _shrunk(values: np.ndarray, counts: np.ndarray, pooled_columns: int) -> np.ndarray:
    """Each type's median at each level shrunk toward the level's (types × levels).

    ``values`` holds the pooled medians (the first ``len(LEVELS)`` of ``pooled_columns``)
    then each type's own; a type with fewer than :data:`MIN_CLOSED` closures at a level (or
    no median there) takes the level's.
    """
    whole = values[: len(LEVELS)][None, :]
    own = values[pooled_columns:].reshape(counts.shape)
    usable = (counts >= MIN_CLOSED) & np.isfinite(own) & (own > 0) & (whole > 0)
    share = counts / (counts + PRIOR_CASES)
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = whole * np.exp(share * np.log(own / whole))
    return np.where(usable, moved, np.broadcast_to(whole, counts.shape))


def erlang_wait(arrivals: float, hours: float, staff: int) -> float:
    """Mean wait in an M/M/c queue (Erlang C): ``arrivals`` an hour, mean service ``hours``."""
    load = arrivals * hours
    if staff <= load:
        return math.inf
    if load <= 0:
        return 0.0
    term, total = 1.0, 1.0
    for k in range(1, staff):
        term *= load / k
        total += term
    last = term * load / staff / (1.0 - load / staff)
    return last / (total + last) * hours / (staff - load)


def servers(arrivals: float, hours: float, wait: float, bound: int, spread: float = 1.0) -> int:
    """The fewest staff whose mean wait is at most ``wait`` (working hours), within bound.

    ``spread`` is (1 + c²) / 2 for handling times of coefficient of variation c (1: the
    exponential's): the M/G/c wait is taken as Erlang C's × it (Allen–Cunneen).
    """
    target = max(wait, TARGET_FLOOR) if np.isfinite(wait) else math.inf
    staff = max(1, math.floor(arrivals * hours) + 1)
    while staff < bound and erlang_wait(arrivals, hours, staff) * spread > target:
        staff += 1
    return min(staff, bound)


def _town_speeds(city: CityConfig) -> dict[str, float]:
    """Each town's handling factor (``units.street_handling``; empty: the towns alike)."""
    units = city.units
    if units is None or not units.street_handling:
        return {}
    return dict(zip(units.streets, units.street_handling, strict=True))


def staffing(
    cases: pd.DataFrame,
    fit: HandlingFit,
    city: CityConfig,
    stations: dict[str, int],
    open_hours: float | dict[str, float],
    street_volume: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Staff per station of each level and department (see the module), with the rule's inputs.

    The inputs: arrivals per station per open hour, handling hours, target wait, utilisation.

    ``stations`` gives the number of stations at each level; ``open_hours`` the stations'
    open hours over the fit period (one number, or one per level: its own hours);
    ``street_volume`` (a town → its share of the cases) gives a staff count per town, rows
    ``street`` with ``unit`` set, and, in a city whose towns have speeds of their own
    (``units.street_handling``), the communities' staff per town too (rows ``community`` with
    ``unit`` set): a town's handling hours are the level's × its factor, so a slow town's
    offices need more staff for the same wait (one factor of 5 at the level's staff would
    load them past capacity, and their queues would never clear).
    """
    departments = set(city.departments)
    level = cases["handler"].map(lambda h: level_of(h, departments))
    closed = level.dropna()
    order = {name: k for k, name in enumerate(LEVELS)}
    reached = {
        name: float((closed.map(order) >= k).mean()) if len(closed) else 0.0
        for name, k in order.items()
    }
    rows = []
    table = fit.levels.set_index(["level", "department"])
    shapes = _shapes_written(city, fit) if fit.shaped else {}

    def add(
        name: str, unit: str, department: str, cases_: float, count: int, factor: float = 1.0
    ) -> None:
        row = table.loc[(name, department)]
        hours = open_hours if isinstance(open_hours, float | int) else open_hours[name]
        arrivals = cases_ / max(count, 1) / hours
        bound = STAFF_BOUNDS["department" if department else name]
        service = float(row["hours"]) * factor
        spread = (1.0 + squared_cv(shapes.get(name, 1.0))) / 2.0
        staff = servers(arrivals, service, float(row["response_hours"]), bound, spread)
        rows.append(
            {
                "level": name,
                "department": department,
                "unit": unit,
                "arrivals_per_hour": arrivals,
                "hours": service,
                "target_wait_hours": float(row["response_hours"]),
                "staff": staff,
                "utilisation": arrivals * service / staff,
            }
        )

    total = float(len(cases))
    for name in ("grid", "community"):
        if np.isfinite(table.loc[(name, ""), "hours"]):
            add(name, "", "", total * reached[name], stations[name])
    speed = _town_speeds(city) if street_volume else {}
    if speed and np.isfinite(table.loc[("community", ""), "hours"]):
        towns = pd.Series(city.units.community_street).value_counts()
        for unit, share in street_volume.items():
            add(
                "community",
                unit,
                "",
                total * reached["community"] * share,
                int(towns.get(unit, 1)),
                speed.get(unit, 1.0),
            )
    if np.isfinite(table.loc[("street", ""), "hours"]):
        if street_volume:
            for unit, share in street_volume.items():
                add("street", unit, "", total * reached["street"] * share, 1, speed.get(unit, 1.0))
        else:
            add("street", "", "", total * reached["street"], stations["street"])
    for department in sorted(departments):
        if ("department", department) in table.index and np.isfinite(
            table.loc[("department", department), "hours"]
        ):
            volume = float((cases["handler"] == department).sum())
            add("department", "", department, volume, stations["districts"])
    return pd.DataFrame(
        rows,
        columns=[
            "level",
            "department",
            "unit",
            "arrivals_per_hour",
            "hours",
            "target_wait_hours",
            "staff",
            "utilisation",
        ],
    )


def with_handling(
    city: CityConfig, fit: HandlingFit, staff: pd.DataFrame, calendar: CalendarConfig | None
) -> CityConfig:
    """The city with the fitted handling hours, staff and departments' response delays.

    A level without a fitted time keeps the type's hours; a unit table's staff wins.
    ``calendar`` holds the fitted opening hours (None: none read): the stations'
    ``station_hours`` becomes ``working_hours_per_day``, and a level with hours of its own
    (``level_hours``) gets its open hours × ``station_hours`` / its window's hours, so that
    an hour fitted is an hour of its own window (a working day of a job is one window).
    """
    from govsim.city.levels import Level
    from govsim.model.worktime import level_hours

    grid_share = 1.0 - city.patrol_share  # the model works grid cases in this share of a day
    community_share = 1.0 - city.community_burden_share
    scale = {
        "grid": grid_share,
        "community": community_share,
        "street": 1.0,
        "department": 1.0,
        "above": 1.0,
    }
    station_hours = None if calendar is None else calendar.station_hours
    for level in calendar.level_hours if calendar is not None else ():
        scale[level] *= station_hours / (level_hours(calendar, Level[level.upper()]).width * 24.0)
    hours = fit.types.set_index(["case_type", "level"])["hours"]
    case_types = {}
    for name, case_type in city.case_types.items():
        values = {}
        for level in LEVELS:
            value = hours.get((name, level), np.nan)
            if np.isfinite(value):
                values[level] = round(float(np.clip(value * scale[level], *HOURS)), 4)
        case_types[name] = dataclasses.replace(
            case_type, hours=dataclasses.replace(case_type.hours, **values)
        )
    changes: dict = {"case_types": case_types}
    if fit.shaped:
        changes["handling_shape"] = _shapes_written(city, fit)
    if station_hours is not None:
        changes["working_hours_per_day"] = float(station_hours)
    units = city.units
    levels = staff.set_index(["level", "department", "unit"])["staff"]
    if ("grid", "", "") in levels.index and not (units and units.grid_workers):
        changes["grid_workers_per_grid"] = int(levels[("grid", "", "")])
    towns = staff[(staff["level"] == "community") & (staff["unit"] != "")]
    if units is not None and len(towns) and not units.community_mediators:
        per_town = dict(zip(towns["unit"], towns["staff"], strict=True))
        units = dataclasses.replace(
            units, community_mediators=[int(per_town[town]) for town in units.community_street]
        )
        changes["units"] = units
        changes["mediators_per_community"] = None  # given unit by unit
    elif ("community", "", "") in levels.index and not (units and units.community_mediators):
        changes["mediators_per_community"] = int(levels[("community", "", "")])
    streets = staff[(staff["level"] == "street") & (staff["unit"] != "")]
    if units is not None and len(streets) and not units.street_staff:
        units = dataclasses.replace(units, street_staff=[int(v) for v in streets["staff"]])
        changes["units"] = units
        changes["street_staff"] = None  # given unit by unit
    elif ("street", "", "") in levels.index and not (units and units.street_staff):
        changes["street_staff"] = int(levels[("street", "", "")])
    response = fit.levels.set_index("department")["response_days"]
    departments = {}
    for name, department in city.departments.items():
        given = units is not None and name in (units.department_staff or {})
        row = levels.get(("department", name, ""))
        delay = response.get(name, np.nan)
        departments[name] = dataclasses.replace(
            department,
            staff=department.staff if given or row is None else int(row),
            response_delay_days=round(float(delay), 4)
            if np.isfinite(delay)
            else department.response_delay_days,
        )
    changes["departments"] = departments
    return dataclasses.replace(city, **changes)


def _shapes_written(city: CityConfig, fit: HandlingFit) -> dict[str, float]:
    """The city's ``handling_shape`` with each level's fitted shape.

    A level unfitted keeps the city's; joint jobs, which a log does not tell apart, keep theirs.
    The model gives every department the ``department`` level's shape (pooled over them), and
    staffing sizes each department's office for it, not for the department's own fit.
    """
    rows = fit.levels[fit.levels["department"] == ""].set_index("level")["shape"]
    shapes = dict(city.handling_shape)
    for level, shape in rows.items():
        if np.isfinite(shape):
            shapes[level] = round(float(np.clip(shape, *SHAPE_BOUNDS)), 4)
    return shapes


def handling_text(fit: HandlingFit, staff: pd.DataFrame, station_hours: float | None) -> str:
    """The fit report's section on handling times and staffing."""

    def md(frame: pd.DataFrame) -> str:
        return frame.to_markdown(index=False, floatfmt=".3g")

    hours = (
        f"`working_hours_per_day` = {station_hours:g}, the stations' opening hours: a "
        "handling hour is an hour of an open station"
        if station_hours is not None
        else "the city's `working_hours_per_day` kept (no opening hours read)"
    )
    return "\n".join(
        [
            "",
            "## Handling and response times (working hours)",
            "",
            "From the log's dispatch, acceptance and closure times (`govsim.cases.handling`), in "
            "each level's open hours (its own where it has them), censored at the cut-off (an "
            "open case counts at each level as the closures of its type that took as long): "
            "`median_hours` is the Kaplan–Meier median time with the handler (dispatch → "
            "closure), `shape` the shape k of a Weibull fitted to the same times by censored "
            f"maximum likelihood (levels with {MIN_SHAPE_CLOSED} closures or more; 1 is the "
            "exponential, below 1 more quick closures and a longer tail), `hours` "
            + (
                "the mean of that Weibull (written with its shape to `city.handling_shape`)"
                if fit.shaped
                else "the mean of the exponential with that median (median / ln 2; the shapes "
                "are not written: `--handling-shape` writes them)"
            )
            + ", each with its 95% interval from a "
            f"bootstrap over days ({DRAWS} draws); `handling_median` (acceptance → closure) is "
            "shown beside it, and the response (dispatch → acceptance) is a weighted mean, in "
            "working hours and in calendar days (point estimates). Left out as running "
            f"backwards: {fit.skipped['response backwards']} responses, "
            f"{fit.skipped['handling backwards']} handling times, "
            f"{fit.skipped['service backwards']} times with the handler. {hours}.",
            "",
            md(fit.levels),
            "",
            "## Handling hours per case type and level",
            "",
            f"A type with at least {MIN_CLOSED} closures at a level has its own median, shrunk "
            f"toward the level's by n / (n + {PRIOR_CASES:g}); else the level's. Written to "
            "`city.case_types.<type>.hours.<level>` (the grid's × (1 − `patrol_share`), the "
            "community's × (1 − `community_burden_share`), which the model divides back out).",
            "",
            md(fit.types),
            "",
            "## Staffing (point estimates)",
            "",
            "Per station, the fewest staff of an M/M/c queue (Erlang C) with the fitted arrivals "
            "and handling hours whose mean wait is at most the observed mean response (at least "
            f"{TARGET_FLOOR:g} h); a unit table's staff wins.",
            "",
            md(staff),
            "",
        ]
    )
