"""Typed configuration: the structured configs behind every Hydra group.

The values live in the YAML under ``conf/`` and nowhere else: no field here has a
default, so a value missing from the YAML is an error, never a silent fallback. What
each field carries is its *contract*, in the field metadata:

- ``kind`` and the allowed range ``low``–``high`` (checked by :mod:`govsim.config.validate`;
  every number must also be finite);
- ``unit``, shown in messages and in the generated reference;
- ``lever``: whether the value is a behavioural lever (a number a policy or a city can
  move) rather than the city's shape or the experiment's bookkeeping. Every lever must
  change an outcome somewhere in its range (``tests/test_levers.py``);
- ``acts_in``: the configurations (Hydra overrides) in which the lever acts; by default
  its own mechanism alone, or baseline routing for city values (``{entry}`` stands for
  the department or case type whose entry is moved); a lever whose effect shows only over
  years names a longer run among them (``days=730``);
- ``city_high``: a :class:`CityBound`, when the value can act only up to a bound the city
  sets (a whistle threshold above the most departments a case type needs never blows);
  :mod:`govsim.config.validate` refuses a value above it and the lever catalogue ends the
  lever's range there;
- ``acts_up_to``: a :class:`CityBound` past which the lever acts on nothing more in the city
  (a rank below every rival case type's, a joint deadline no joint part waits for); a value
  above it is allowed, but the lever catalogue ends the lever's range there;
- ``staffs``: for a staff count, the level whose stations it staffs (``community``,
  ``street``, ``above``): the lever catalogue ends its range just past the staffing at
  which the level's expected queues all but vanish in the city
  (:mod:`govsim.experiments.levers`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

__all__ = [
    "DISTRICT_BACKENDS",
    "FIGURES",
    "HANDLING_SHAPES",
    "MOST_DEPARTMENTS",
    "UNRECORDED",
    "URGENCIES",
    "CalendarConfig",
    "CaseTypeConfig",
    "CityBound",
    "CityConfig",
    "DepartmentConfig",
    "ExperimentConfig",
    "HandlingHours",
    "MechanismConfig",
    "ResidentsConfig",
    "UnitsConfig",
    "integer",
    "most_departments",
    "number",
    "probability",
]

FIGURES = ("auto", "true", "false")
"""Values of ``figures``: draw ``comparison.png`` in single runs only, always, never."""
DISTRICT_BACKENDS = ("loky", "threads", "ray")
"""Values of ``district_backend``: joblib's process pool on this machine, threads of the run's
own process, or a Ray cluster."""
UNRECORDED = ("progress", "figures", "district_workers", "district_backend")
"""Configuration values that change no result: not columns of a runs table, not compared
when a sweep resumes."""

HANDLING_SHAPES = ("grid", "community", "street", "department", "above", "joint")
"""Keys of ``city.handling_shape``: the levels, and departments' joint jobs at the street."""

URGENCIES = ("general", "complex", "urgent", "emergency")
"""Urgency classes of a case type; each has a time limit (``city.time_limit_days``)."""


def _param(
    kind: str,
    low: float,
    high: float,
    unit: str,
    lever: bool,
    acts_in: tuple[str, ...] | None,
    **extra: Any,
) -> Any:
    return field(
        default=MISSING,
        metadata={
            "kind": kind,
            "low": low,
            "high": high,
            "unit": unit,
            "lever": lever,
            "acts_in": acts_in,
            **extra,
        },
    )


def probability(
    unit: str = "probability", *, lever: bool = True, acts_in: tuple[str, ...] | None = None
) -> Any:
    """A field holding a probability or share in [0, 1]."""
    return _param("number", 0.0, 1.0, unit, lever, acts_in)


def number(
    low: float,
    high: float,
    unit: str,
    *,
    lever: bool = True,
    acts_in: tuple[str, ...] | None = None,
    acts_up_to: CityBound | None = None,
) -> Any:
    """A field holding a real number in [low, high] (``acts_up_to``: the module's contract)."""
    return _param("number", low, high, unit, lever, acts_in, acts_up_to=acts_up_to)


def integer(
    low: int,
    high: int,
    unit: str,
    *,
    lever: bool = True,
    acts_in: tuple[str, ...] | None = None,
    per_unit: str | None = None,
    city_high: CityBound | None = None,
    acts_up_to: CityBound | None = None,
    staffs: str | None = None,
) -> Any:
    """A field holding a whole number (people, units, days) in [low, high].

    ``per_unit`` names the entry of :class:`UnitsConfig` that may give the value unit by
    unit instead (the field is then null: one of the two, never both); ``city_high``, the
    bound below ``high`` that the city sets, where it sets one; ``acts_up_to`` and
    ``staffs``, where the lever ends acting (the module's contract).
    """
    return _param(
        "integer",
        low,
        high,
        unit,
        lever,
        acts_in,
        per_unit=per_unit,
        city_high=city_high,
        acts_up_to=acts_up_to,
        staffs=staffs,
    )


@dataclass(frozen=True)
class CityBound:
    """An upper bound of a value that the city sets: above it the value can act on nothing."""

    of: Callable[[CityConfig, str], float]
    """The bound in a city, for the named entry (department or case type) the value is of;
    the entry is "" for a value of the city or of a mechanism."""
    what: str
    """What the bound is, in words (for messages and the generated reference)."""


def most_departments(city: CityConfig, _: str = "") -> int:
    """The most departments one case type of ``city`` needs (its largest joint job)."""
    return max((len(case_type.departments) for case_type in city.case_types.values()), default=0)


MOST_DEPARTMENTS = CityBound(most_departments, "the most departments a case type of the city needs")
"""The bound of a threshold on the departments a case needs (the street whistle's)."""


def last_rival_rank(city: CityConfig, case_type: str) -> int:
    """One past the lowest rank of the rivals of ``case_type`` in ``city``.

    Its rivals are the other case types that need a department it needs; the rank is
    ``priority`` (1 = first). 1 when it has no rival.
    """
    own = set(city.case_types[case_type].departments)
    return (
        max(
            (
                other.priority
                for name, other in city.case_types.items()
                if name != case_type and own & set(other.departments)
            ),
            default=0,
        )
        + 1
    )


BELOW_EVERY_RIVAL = CityBound(
    last_rival_rank, "one past the lowest rank of the case types needing its departments"
)
"""Where a case type's rank ends acting: below every rank of the case types it competes with
at its departments it is last there, whatever its number (a queue orders jobs by rank)."""


LONGEST_JOBS = 3.0
"""Means of an exponential job's length it outlasts one time in twenty (e^−3 ≈ 0.05)."""


def longest_joint_wait(city: CityConfig, _: str = "") -> float:
    """Days a joint part can wait at the head of its department's queue, in ``city``.

    A joint part goes to the head of the queue (docs/ODD.md), so it waits for a staff
    member to finish the job in hand: at most about :data:`LONGEST_JOBS` × the longest mean
    job of a department (its ``hours.department`` or ``hours.joint``, in working days).
    """
    hours = max(
        (max(t.hours.department, t.hours.joint) for t in city.case_types.values()), default=0.0
    )
    return LONGEST_JOBS * hours / city.working_hours_per_day


LONGEST_JOINT_WAIT = CityBound(
    longest_joint_wait, "the longest wait of a joint part at the head of its queue"
)
"""Where a deadline for joint handling ends acting: every joint part has started by then."""


def street_saturation(city: CityConfig, _: str = "") -> float:
    """The street deflection sensitivity at which every street fails every case it holds.

    A street fails a case with probability failure × (1 + k × held / staff): with one job
    held (the least at which k acts), the failure reaches certainty at
    k = (1 / failure − 1) × staff, largest for the case type the street settles most often
    and for the street with most staff (``street_staff`` or its units', × ``staff_scale``).
    """
    units = city.units
    staff = (
        max(units.street_staff)
        if units is not None and units.street_staff
        else (city.street_staff or 1)
    )
    settles = max((t.street_settle_prob for t in city.case_types.values()), default=0.0)
    if settles >= 1.0:
        return math.inf
    return settles / (1.0 - settles) * max(1.0, staff * city.staff_scale)


STREET_SATURATION = CityBound(
    street_saturation, "the sensitivity at which the city's streets fail every case they hold"
)
"""Where the street's deflection sensitivity ends acting (it saturates at certain failure)."""


def profile(length: int, unit: str) -> dict[str, Any]:
    """The metadata of a field holding ``length`` relative weights in [0, 1000], not all 0."""
    return {
        "kind": "profile",
        "length": length,
        "low": 0.0,
        "high": 1000.0,
        "unit": unit,
        "lever": False,
        "acts_in": None,
    }


def _label() -> Any:
    return field(default=MISSING, metadata={"kind": "text"})


@dataclass
class HandlingHours:
    """Staff working hours one case takes at each level (处置工时)."""

    grid: float = number(0.01, 200.0, "h")
    """Hours a grid worker spends on a case (handling times with this mean, exponential but
    for the level's ``city.handling_shape``)."""
    community: float = number(0.01, 200.0, "h")
    """Hours of community mediation (× the burden of tasks pushed down to communities)."""
    street: float = number(0.01, 200.0, "h")
    """Hours the street office spends on a case."""
    department: float = number(0.01, 200.0, "h")
    """Hours a department spends on a forwarded part in its own office."""
    joint: float = number(0.01, 200.0, "h", acts_in=("mechanism=whistle",))
    """Hours a department staff member spends on a part handled jointly at the street."""
    above: float = number(
        0.01,
        200.0,
        "h",
        acts_in=("mechanism=baseline", "city.case_types.{entry}.escalation_rate_per_day=0.5"),
    )
    """Hours the district's petition office and courts spend on a case (matters where the case
    type's grievances reach them: acts_in makes them)."""


@dataclass
class CaseTypeConfig:
    """One kind of case (needs, complaints, disputes, hazards) and who can settle it."""

    label_zh: str = _label()
    rate_per_1000_per_year: float = number(
        0.0, 1_000_000.0, "cases / 1000 residents / year", lever=False
    )
    """Not a lever of its own: moved for every case type at once by ``city.case_load_scale``."""
    grid_settle_prob: float = probability()
    """Probability the grid worker settles the case on the spot (小事一格解决)."""
    mediable: bool = MISSING
    mediation_settle_prob: float = probability()
    """Probability community mediation settles a dispute (人民调解)."""
    street_settle_prob: float = probability()
    """Probability the street office settles the case alone, without departments."""
    street_entry_prob: float = probability("share of known cases", lever=False)
    """Share of the type's known cases (reported to the grid or the hotline, or found on
    patrol) that the intake dispatches straight to the street office (综治中心 dispatch, as a
    district's log shows them); 0: every such case starts at the grid."""
    community_entry_prob: float = probability("share of known cases", lever=False)
    """Share of them dispatched straight to the community's mediators (with
    ``street_entry_prob`` at most 1); 0: every such case starts at the grid."""
    departments: list[str] = MISSING
    escalation_rate_per_day: float = number(0.0, 5.0, "1 / day")
    """Hazard that an unattended grievance turns into a petition (信访), growing with age."""
    collective_incident_prob: float = probability(
        acts_in=("mechanism=baseline", "city.case_types.{entry}.escalation_rate_per_day=0.5")
    )
    """Probability a petition becomes a collective incident (群体性事件): matters where the
    case type's grievances become petitions (acts_in makes them)."""
    priority: int = integer(
        1,
        10,
        "rank (1 = first)",
        acts_in=(
            "mechanism=baseline",
            "city.case_load_scale=3",
            "city.case_types.{entry}.grid_settle_prob=0",
            "city.case_types.{entry}.mediation_settle_prob=0",
            "city.case_types.{entry}.street_settle_prob=0",
        ),
        acts_up_to=BELOW_EVERY_RIVAL,
    )
    """Matters where case types compete for a congested department (acts_in makes one), up to
    one past the lowest rank of its rivals there: below every rank, last."""
    urgency: str = field(default=MISSING, metadata={"kind": "choice", "choices": URGENCIES})
    hours: HandlingHours = MISSING


@dataclass
class DepartmentConfig:
    """A functional department (职能部门) of a district and how it treats street cases."""

    label_zh: str = _label()
    staff: int | None = integer(
        1, 10_000, "staff on street cases", lever=False, per_unit="department_staff"
    )
    """Not a lever of its own: moved for every station at once by ``city.staff_scale``."""
    response_delay_days: float = number(0.0, 60.0, "days")
    """Mean days a department takes to take up a forwarded part (longer when overloaded)."""
    bounce_prob: float = probability()
    """Probability a department bounces a forwarded part back to the street (推诿)."""


@dataclass
class ResidentsConfig:
    """Residents (居民): how many, and how they report and judge the service."""

    per_grid: int | None = integer(1, 100_000, "residents", lever=False, per_unit="grid_residents")
    trust_mean: float = probability()
    """Initial mean trust; reporting is propensity × trust, and distrust leads to petitions."""
    trust_concentration: float = number(
        0.1,
        1000.0,
        "Beta a + b",
        acts_in=(
            "mechanism=baseline",
            "city.residents.trust_mean=0.5",
            "city.residents.petition_trust_threshold=0.5",
            "city.residents.petition_propensity=1",
        ),
    )
    """Spread of initial trust (Beta a + b) about its mean: reporting follows trust in
    proportion, so the spread matters where a threshold of trust does — who petitions
    (acts_in puts the petition threshold at the mean and has everyone below it petition)."""
    report_propensity_mean: float = probability()
    """Mean propensity to report a problem; reporting is propensity × trust."""
    report_propensity_concentration: float = number(
        0.1,
        1000.0,
        "Beta a + b",
        acts_in=("mechanism=hotline", "mechanism.hotline.report_uplift=3"),
    )
    """The spread of reporting propensity matters where reporting is made easy: a resident
    cannot report a case more than always, so who still does not report depends on it."""
    report_delay_days: float = number(0.0, 60.0, "days")
    """Mean days before a resident reports (the report races the patrol)."""
    trust_learning_rate: float = probability()
    """How far trust moves toward the satisfaction with each closed or overdue case."""
    satisfaction_half_life_days: float = number(0.5, 365.0, "days")
    """Days after which satisfaction with a resolved case has halved."""
    handoff_satisfaction_penalty: float = probability()
    """Satisfaction lost per hand-off (a forward, a bounce, an escalation)."""
    hotline_channel_share: float = probability("share of reporting residents", lever=False)
    """Residents who report by calling 12345 (dispatched to their grid, 002): the pre-reform
    city's share, not a lever: without the hotline reform a call reaches the grid as a report
    does, and the reform replaces the share by its own (``mechanism.hotline.hotline_share``,
    the lever); the city's share acts only while the reform ramps up."""
    street_channel_share: float = probability("share of reporting residents")
    """Residents who report at the street office (skipping grid and mediation)."""
    petition_trust_threshold: float = probability("trust")
    """Residents whose trust is below this may take a case straight to the petition office."""
    petition_propensity: float = probability(
        acts_in=("mechanism=baseline", "city.residents.petition_trust_threshold=1")
    )
    """Probability that such a resident petitions rather than reporting locally (信访)."""
    repeat_call_days: float = number(
        0.1,
        365.0,
        "days",
        acts_in=(
            "mechanism=assessment",
            "mechanism.assessment.weight=1",
            "mechanism.assessment.gaming=1",
        ),
    )
    """Mean days before a resident whose case was closed without being solved calls again
    (only units under ranking pressure close cases unsolved)."""
    repeat_call_share: float = probability(
        "share of residents",
        acts_in=(
            "mechanism=assessment",
            "mechanism.assessment.weight=1",
            "mechanism.assessment.gaming=1",
        ),
    )
    """Residents whose case was closed without being solved who call again, reopening it
    (重复来电); the others give up, and the closure stands unless a callback or an audit
    catches it (DOMAIN.md, "How the rates are read, and how they can be gamed")."""
    social_ties: int = integer(0, 20, "ties per resident")
    """Acquaintances per resident inside the grid, along which dissatisfaction spreads."""
    social_rewiring: float = probability(lever=False)
    """Share of ties rewired at random within the grid: the shape of acquaintance a city has
    (looser among migrants), not a lever: even where influence is strong and every distrustful
    resident petitions, it moves no outcome clearly (docs/figures/levers.csv)."""
    social_influence: float = probability()
    """How far acquaintances' trust moves toward a resident's satisfaction with a case."""
    trust_memory_days: float = number(
        0.0,
        730.0,
        "days (half-life)",
        acts_in=("mechanism=baseline", "city.residents.trust_mean=1"),
    )
    """Half-life of residents' memory of the service their district gave (0: none). Each day
    every resident's trust moves toward the district's felt service — the satisfaction with
    its cases closed or overdue, averaged with this half-life — by the share of a day in
    it: word of mouth and the news carry what others lived through, slowly (DOMAIN.md,
    "Before 2019": demand on the hotline responds to trust with a lag of years)."""
    hotline_trust_slope: float = number(
        0.0,
        4.0,
        "log-odds of calling 12345 per unit of trust",
        acts_in=(
            "mechanism=hotline",
            "city.residents.trust_mean=0.2",
            "city.residents.trust_memory_days=30",
        ),
    )
    """How far a reporting resident's choice of 12345 follows their trust (0: not at all).
    The hotline's share of reporting residents is its configured share at the city's
    initial mean trust (``trust_mean``), its log-odds moved by this × (trust − trust_mean):
    residents who have come to trust the hotline call it rather than go to their grid
    worker or street office, so with a memory of the service (``trust_memory_days``)
    demand on 12345 grows as trust grows (DOMAIN.md, "Case volumes and the three rates":
    Beijing's calls 320 → 500 → 980 per 1,000 residents a year, 2019 → 2020 → 2023)."""


@dataclass
class LevelHoursConfig:
    """One level's own working time (办公时间 and 值班), where it differs from the stations'."""

    opens: float = number(0.0, 23.0, "hour of the day", lever=False)
    """Hour at which the level's stations open."""
    hours: float = number(1.0, 24.0, "hours a day", lever=False)
    """Hours a day they are open (24: around the clock)."""
    days_off_capacity: float = number(0.0, 1.0, "× a working day's capacity", lever=False)
    """Share of a working day's capacity they keep on weekends and public holidays (0:
    closed; 1: as on any working day; between, staff on duty, 值班)."""


@dataclass
class CalendarConfig:
    """When cases arise: the date of day 0, the week, public holidays, the hour, the spread.

    Demand is not flat: requests to city hotlines follow the working week and drop on
    public holidays, arrive mostly in office hours, and their daily counts vary far more
    than a Poisson process would (over-dispersion). Holidays and their swapped working days
    (调休) come from the official calendar of China in the ``holidays`` package. The values
    describe a city's demand, as its case rates do, rather than levers of a policy; tests
    show each moving the arrivals (``tests/test_demand.py``).
    """

    start_date: str = field(
        default=MISSING, metadata={"kind": "date", "low": "1900-01-01", "high": "2200-12-31"}
    )
    """Date of the model's day 0 (the first simulated day, pre-reform and warm-up included).
    The run's calendar, to its last day, stays within the range: dates of a case log are
    timestamps, which end in 2262, and the stations' calendar is laid out a year ahead."""
    weekday_profile: list[float] = field(
        default=MISSING, metadata=profile(7, "relative rate, Monday to Sunday")
    )
    """Relative arrival rate of each weekday (normalised to a mean of 1 over the week); a
    swapped working day on a weekend (调休) counts as an average working day."""
    holiday_factor: float = number(0.0, 10.0, "× the day's rate", lever=False)
    """Arrival rate on a public holiday or swapped day off, relative to the same weekday."""
    hour_profile: list[float] = field(
        default=MISSING, metadata=profile(24, "relative rate, hours 0–23")
    )
    """Relative arrival rate of each hour of the day (when a case arises within its day)."""
    daily_dispersion: float = number(
        0.0, 10.0, "variance of the daily rate multiplier", lever=False
    )
    """Over-dispersion: each street's rate on each day × a Gamma multiplier of mean 1 and this
    variance (0: Poisson counts; δ > 0: negative binomial counts, variance μ + δμ²)."""
    district_dispersion: float = number(
        0.0, 10.0, "variance of the district's daily multiplier", lever=False
    )
    """District-wide over-dispersion: every street's rate on a day × one more Gamma multiplier
    of mean 1 and this variance, drawn once a day for the whole district (0, the default: none;
    the streets' own multipliers then average out over a district's day). ``govsim cases
    fit`` reads it from the district's daily totals (``govsim.cases.fit``)."""
    station_opens: float = number(0.0, 23.0, "hour of the day", lever=False)
    """Hour at which stations open (办公时间): their staff serve cases from then on."""
    station_hours: float = number(1.0, 24.0, "hours a day", lever=False)
    """Hours a day stations are open (24: around the clock). A job's handling hours are
    worked inside these hours, so a case taken up late in the day finishes the next
    working morning (:mod:`govsim.model.worktime`)."""
    station_days_off: bool = MISSING
    """Whether stations close on weekends and public holidays (swapped working days, 调休,
    open)."""
    level_hours: dict[str, LevelHoursConfig] = field(default_factory=dict)
    """Working time of a level (``grid``, ``community``, ``street``, ``department``,
    ``above``) that keeps its own; a level not named keeps the stations' hours above."""


@dataclass
class UnitsConfig:
    """A city's own units, as ``govsim city import`` reads them from a table.

    Column-wise lists, one entry per unit: each district (区县), street or township
    (街道/乡镇), community (社区) and grid (网格) by name with its parent, the grids'
    residents and, optionally, every unit's staff. A staff list left empty takes the level's
    value from the city (``street_staff`` ...); a full list replaces it, and that value is
    then null. With units, the archetype's shape (``districts`` ... ``grids_per_community``,
    ``residents.per_grid``) is null too: the units are the shape.
    """

    districts: list[str] = MISSING
    district_above_staff: list[int] = MISSING
    """Staff of each district's petition office and courts, or [] for ``above_staff``."""
    streets: list[str] = MISSING
    street_district: list[str] = MISSING
    street_staff: list[int] = MISSING
    """Staff of each street office on cases, or [] for ``street_staff``."""
    communities: list[str] = MISSING
    community_street: list[str] = MISSING
    community_mediators: list[int] = MISSING
    """Mediators of each community, or [] for ``mediators_per_community``."""
    grids: list[str] = MISSING
    grid_community: list[str] = MISSING
    grid_residents: list[int] = MISSING
    grid_workers: list[int] = MISSING
    """Grid workers of each grid, or [] for ``grid_workers_per_grid``."""
    department_staff: dict[str, list[int]] = MISSING
    """Staff of a department in each district (in the order of ``districts``), by department;
    a department not listed takes its own ``staff``."""
    case_mix: dict[str, list[float]] = field(default_factory=dict)
    """Each grid's rate of a case type relative to the city's (× ``rate_per_1000_per_year``),
    one entry per grid, by case type; a type not listed is 1 everywhere (units alike)."""
    street_handling: list[float] = field(default_factory=list)
    """Each street's handling time relative to the city's, one entry per street (× every
    job's hours at its grids, communities and street office; departments and the district's
    offices keep theirs): towns that work at their own speed. [] for 1 everywhere."""


@dataclass
class CityConfig:
    """The governance structure of a city: levels, staff and the case mix."""

    name: str = _label()
    label_zh: str = _label()
    districts: int | None = integer(1, 100, "districts", lever=False, per_unit="districts")
    streets_per_district: int | None = integer(1, 200, "streets", lever=False, per_unit="streets")
    communities_per_street: int | None = integer(
        1, 200, "communities", lever=False, per_unit="communities"
    )
    grids_per_community: int | None = integer(1, 200, "grids", lever=False, per_unit="grids")
    residents: ResidentsConfig = MISSING
    calendar: CalendarConfig = MISSING
    staff_scale: float = number(
        0.05, 10.0, "× every staff count", acts_in=("mechanism=baseline", "city.street_staff=20")
    )
    """Every staff count × this (rounded, at least one per station): capacity. Below 1 it
    acts only on stations of more than one staff (acts_in gives the streets 20)."""
    case_load_scale: float = number(0.05, 10.0, "× every case type's rate")
    """Every case type's arrival rate × this: load. Not 0: a city without cases has no
    measure (every share and mean of its cases is undefined), so such a run is refused."""
    grid_workers_per_grid: int | None = integer(1, 20, "grid workers", per_unit="grid_workers")
    """Grid workers per grid: more patrol, and capacity to settle on the spot."""
    patrol_discovery_rate_per_day: float = number(0.0, 10.0, "1 / day per grid worker")
    """Rate at which one grid worker's patrol finds a given unreported case in a grid of
    ``grid_reference_residents`` residents (in a grid of n residents: × reference / n)."""
    patrol_share: float = number(0.0, 0.95, "share of a grid worker's working day")
    """Share of a grid worker's working day spent on patrol (巡查, the "iron feet" of 004): the
    patrol discovery rate is that of this patrol, and grid cases get the rest of the day."""
    grid_reference_residents: int = integer(1, 100_000, "residents")
    """Grid size at which the patrol rate applies; larger grids are patrolled more thinly."""
    grid_reports_per_day: int = integer(1, 24, "reports a day")
    """Times a day grid workers submit what their patrols found (a find waits for the next)."""
    mediators_per_community: int | None = integer(
        1,
        50,
        "mediators",
        per_unit="community_mediators",
        staffs="community",
        acts_in=("mechanism=baseline", "city.case_load_scale=4"),
    )
    """Mediators per community: capacity of people's mediation (matters where it is loaded)."""
    street_staff: int | None = integer(1, 200, "staff", per_unit="street_staff", staffs="street")
    """Staff of a street office on cases: its capacity."""
    above_staff: int | None = integer(
        1,
        500,
        "staff per district",
        per_unit="district_above_staff",
        staffs="above",
        acts_in=(
            "mechanism=baseline",
            "city.residents.trust_mean=0.99",
            "city.residents.report_propensity_mean=0.99",
            "city.residents.petition_trust_threshold=1",
            "city.residents.petition_propensity=1",
            "city.severity_growth_per_day=1",
        ),
    )
    """Staff of a district's petition office and courts on cases: capacity that matters where
    cases reach them (acts_in has nearly every resident report and petition, and every
    grievance left unattended escalate within weeks: nearly every case reaches them)."""
    above_unresolved_prob: float = probability()
    """Probability the petition office or court closes a case unresolved."""
    working_hours_per_day: float = number(1.0, 24.0, "h / day")
    """Working hours a staff member gives cases each day (hours → days of work)."""
    handling_shape: dict[str, float] = field(
        default=MISSING,
        metadata={
            "kind": "number",
            "low": 0.1,
            "high": 20.0,
            "unit": "Weibull shape k",
            "lever": False,
            "acts_in": None,
            "entries": True,
            "keys": HANDLING_SHAPES,
        },
    )
    """Shape k of the handling times at a level (``grid``, ``community``, ``street``,
    ``department``, ``above``) or of departments' joint jobs at the street (``joint``): a
    job's time is Weibull with the case type's mean (``hours``) and this shape, so 1 (a level
    not named; ``{}``: every level) is the exponential, below 1 many quick jobs and a long
    tail (coefficient of variation above 1), above 1 times bunched around the mean. ``govsim
    cases fit --handling-shape`` writes it from the log's times with the handler
    (``govsim.cases.handling``)."""
    community_burden_share: float = number(0.0, 0.95, "share of community staff time")
    """Share of community staff time taken by tasks pushed down from above (社区减负)."""
    cross_region_share: float = probability("share of cases")
    """Share of cases spanning two streets, which first wait for the other side (片区协作)."""
    cross_region_delay_days: float = number(0.0, 60.0, "days")
    """Mean days a cross-boundary case waits for the other side."""
    severity_growth_per_day: float = number(0.0, 1.0, "1 / day")
    """Growth of the escalation hazard with a case's age: delay feeds petitions."""
    grid_overload_sensitivity: float = number(
        0.0,
        10.0,
        "per job held per grid worker",
        acts_in=("mechanism=baseline", "city.case_load_scale=4"),
    )
    """Overloaded grid workers patrol less: discovery ÷ (1 + k × held / grid workers)."""
    department_overload_sensitivity: float = number(0.0, 10.0, "per job held per staff")
    """Overloaded departments answer later: delay × (1 + k × held / staff)."""
    department_deflection_sensitivity: float = number(0.0, 10.0, "per job held per staff")
    """Overloaded departments bounce more hand-offs: bounce × (1 + k × held / staff)."""
    street_deflection_sensitivity: float = number(
        0.0, 10.0, "per job held per staff", acts_up_to=STREET_SATURATION
    )
    """An overloaded street settles less itself: failure × (1 + k × held / staff)."""
    effort_half_life_days: float = number(
        0.0, 365.0, "days (half-life)", acts_in=("mechanism=assessment", "days=730")
    )
    """Half-life over which a unit's effort follows the ranking pressure it is under (0: at
    once, from the latest ranking). Sustained pressure builds effort over months — staff
    moved to cases, procedures tightened — and a unit that climbs the ranking eases off as
    slowly (monthly rankings, 接诉即办, DOMAIN.md "The three rates"). A lag of half a year
    to a year shows over years, not months: the lever acts in a two-year run."""
    staff_growth_under_pressure: float = number(
        0.0,
        5.0,
        "share of a ranked unit's staff at full effort",
        acts_in=("mechanism=assessment", "mechanism.assessment.weight=1", "city.case_load_scale=2"),
    )
    """Staff a ranked unit (a street office, a department) gains at full effort, as a share
    of its own (0: none): its staff follow round(staff × (1 + this × effort)) daily, never
    below its own nor above (1 + this) × its own, so with ``effort_half_life_days`` a unit
    ranked low for months gains hands slowly and gives them back as it climbs (staff moved
    to cases from other duties, posts added; monthly rankings on the three rates, 接诉即办,
    DOMAIN.md "The three rates"; the size of the gain is an assumption)."""
    learning_rate: float = number(
        0.0, 0.5, "share of handling time per doubling", acts_in=("mechanism=hotline",)
    )
    """Staff learning the reformed work (一年打基础、两年求突破、三年大提升, source 004): from
    the roll-out on, a unit's handling time falls by this share each time the jobs it has
    finished under the reform per staff member double (a learning curve; 0: no learning)."""
    learning_jobs_per_staff: float = number(
        1.0,
        500.0,
        "jobs per staff member",
        acts_in=("mechanism=hotline", "city.learning_rate=0.5", "city.learning_floor=0.05"),
    )
    """Jobs per staff member of a unit's first doubling of experience under the reform."""
    learning_floor: float = number(
        0.05,
        1.0,
        "× handling time",
        acts_in=("mechanism=hotline", "city.learning_rate=0.5", "city.learning_jobs_per_staff=1"),
    )
    """The least share of its handling time learning leaves a unit: the curve's cap."""
    time_limit_days: dict[str, float] = field(
        default=MISSING,
        metadata={
            "kind": "number",
            "low": 0.01,
            "high": 365.0,
            "unit": "days",
            "lever": True,
            "acts_in": None,
            "entries": True,
            "keys": URGENCIES,
        },
    )
    """Time limit of each urgency class (``URGENCIES``), from becoming known to the answer."""
    departments: dict[str, DepartmentConfig] = MISSING
    case_types: dict[str, CaseTypeConfig] = MISSING
    units: UnitsConfig | None = MISSING
    """The city's own units (``govsim city import``), or null for the archetype's shape."""


@dataclass
class MechanismConfig:
    """Parameters every mechanism that can be phased in has.

    Staged roll-out (一年打基础、两年求突破、三年大提升, source 004): the mechanism acts from
    ``start_day``; its intensity rises linearly to full over ``ramp_days`` (0 = at once).
    """

    start_day: int = integer(0, 36_500, "day")
    ramp_days: int = integer(0, 3650, "days")


@dataclass
class ExperimentConfig:
    """One govsim job: a city, the mechanisms switched on, and how to replicate."""

    city: CityConfig = MISSING
    mechanism: dict[str, Any] = MISSING
    scenario: str = _label()
    scenario_label_zh: str = _label()
    """The scenario's name in Chinese (情景名称), shown by reports and the app."""
    reference: Any = MISSING
    """Mechanisms of the comparison arm: a name, a list of names, or null for none."""
    seed: int = integer(0, 2**32 - 1, "seed", lever=False)
    replications: int = integer(1, 10_000, "paired replications", lever=False)
    days: int = integer(1, 36_500, "days", lever=False)
    warmup_days: int = integer(0, 36_500, "days", lever=False)
    prereform_days: int = integer(0, 36_500, "days", lever=False)
    """Days simulated before day 0 under no mechanism (the pre-reform city): trust, backlog
    and departments' standing reach their pre-reform state, then the roll-out begins."""
    horizon_days: int = integer(0, 3650, "days", lever=False)
    schedule: list[Any] = MISSING
    """Timed changes of the levers the model reads every day (按日调整):
    ``[{day: 69, key: mechanism.assessment.weight, value: 0}]`` acts from day 69 of the
    reform on (:mod:`govsim.model.schedule`); empty: every value holds for the whole run."""
    progress: bool = MISSING
    figures: str = MISSING
    """Whether a run folder gets ``comparison.png``: ``auto`` (a single run draws it, a
    sweep's runs do not), ``true`` or ``false``."""
    design_point: int | None = MISSING
    """Index of the design point (set by the design sweeper)."""
    district_workers: int = integer(1, 1024, "workers", lever=False)
    """Workers across which each run's districts are simulated (1: the whole city in the
    run's own process). Results do not depend on it (:mod:`govsim.experiments.districts`)."""
    district_backend: str = MISSING
    """What those workers are: ``loky`` (processes on this machine), ``threads`` (threads
    of the run's own process, sharing its city) or ``ray`` (a Ray cluster)."""
