r"""``govsim cases reform --city FITTED.yaml --validation DIR``: a mechanism on the fitted city.

The city fitted to a log (``govsim cases fit``) and judged on its held-out days (``govsim
cases validate``, whose folder is DIR) runs with baseline routing and with ``--mechanism``
(default the street whistle, 街巷吹哨、部门报到), and the report gives, for the headline —
the share of cases settled at or below the street — and the run measures beside it
(:data:`MEASURES`), the baseline's level, the mechanism's and the paired effect, each with
three 95% intervals, and the validation's verdict above them.

**Runs.** ``--points`` K parameter points × ``--replications`` R replications × two arms.
Point k runs row k + 1 of ``FITTED.draws.csv``, the fit's bootstrap draws of the demand
(:func:`govsim.cases.demand_draws.drawn_experiment`: the level, the weekday weights, the
holiday factor, the two over-dispersions; a key set after ``--`` keeps its value, except
``city.case_load_scale``, which the draw's level multiplies). A city without draws beside
it, or ``--point-estimates``, runs its point estimates as one point, and the intervals then
hold replicate noise only (as they do with ``--points 1``; a note says so). Point k runs
replications k·R to k·R + R − 1 of seed ``--seed`` (:func:`first_replication`; as ``cases
validate`` numbers its run i = m × replications + r): every point its own random streams,
so that the points' replicate noise is independent, as the intervals take it. Both arms of
a pair run the same seed and replication (:func:`govsim.experiments.run.run_experiment`
with the reference ``baseline``): the same residents, the same cases arising on the same
days, so that the paired difference holds what the policy changes (common random numbers).

**The reform's days.** Every run begins ``--warmup`` W days (default 28) before the city's
day 0 (its ``calendar.start_date``, the log's first day for a fitted city), on those days'
calendar, under baseline routing in both arms (``prereform_days``: no mechanism acts
before the reform's day 0); the mechanism acts from the city's day 0 for ``--days`` D days,
and the measures count the cases arising in the reform's first D − ``horizon_days`` days,
each followed to the run's end (:mod:`govsim.outcomes.metrics`). So the reform meets the
backlog and busy staff that the held-out validation met on the same day (its runs begin
W days early too, from which ``cases validate`` counts with ``warmup_days``; a note says
when ``--warmup`` differs from the validation's), and both arms are the same city up to
it. ``prereform_days`` rather than validate's ``warmup_days``: during a warm-up counted by
``warmup_days`` the mechanisms act already, and a mechanism's ``start_day`` and a
``schedule`` count from the run's first day; with ``prereform_days`` the warm-up is the
city before the reform and the reform's days count from the city's day 0.

**Intervals** (:func:`govsim.analysis.uncertainty.decompose`, over the points and their
replications, as ``govsim uncertainty`` reads a design sweep): *noise*, what R replicates
leave uncertain at one parameter point (a t interval of the pooled within-point spread);
*parameters*, the 2.5 and 97.5 percentiles of the K point means (the spread over the
fit's draws); *total*, both half-widths added in quadrature on each side; and the
parameters' share of a run's variance (law of total variance). The pairing is
:func:`govsim.analysis.effects.paired_effects`'s (point, seed and replication: the two arms
of a pair, and no two points, share all three).

**The venue and the work.** The headline counts where a case was settled;
``share_arisen_handled_at_or_below_street`` whether staff at or below the street alone did
the work. When the headline's effect is a gain, a note divides it: the points handled at
the street by its own staff, and the rest, cases that departments' staff came to the
street to settle (the venue moved, not the work).

**The verdict.** DIR must hold the validation's ``verdict.csv`` (with the columns
:data:`govsim.cases.validated.VERDICT_COLUMNS`) and ``validated.json``
(:mod:`govsim.cases.validated`), and the city it judged must be ``--city``'s (the same text,
by SHA-256; a shipped city by name) with the same parameter draws if both ran draws. The
verdict line (:func:`govsim.cases.verdict.verdict_line`), the held-out period, the city
and the mechanism it judged are printed and written above the effects; a FAIL does not
stop the comparison, but its failed measures are named above the table.

Writes into ``--out`` (default ``results/cases/DATE/TIME-XXXXXX``), whole or not at all:
``reform.csv`` (one row per measure and quantity: ``baseline``, ``mechanism``,
``effect``), ``reform.md``, ``reform.png`` (the effect's three intervals per measure),
``runs.csv`` (each run's measures) and ``config.yaml`` (the first point's treatment).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govsim.config.errors import ArgumentError
from govsim.outcomes.measures import HANDLED, HEADLINE

if TYPE_CHECKING:
    from govsim.cases.validated import Validation
    from govsim.config.schema import ExperimentConfig

__all__ = [
    "MEASURES",
    "QUANTITIES",
    "ReformRequest",
    "effect_table",
    "first_replication",
    "reform",
]

COMMAND = "cases reform"

REFERENCE = "baseline"
"""The reference arm: baseline routing (层级流转)."""

MEASURES = (
    HEADLINE,
    HANDLED,
    "resolution_days_mean",
    "escalated_per_1000_cases",
    "backlog_end",
    "satisfaction_rate",
    "staff_days_per_arisen_case",
)
"""The measures compared: the headline first, then who did the work, days to resolution
(restricted mean up to ``horizon_days``), escalation above the street, the backlog at the
end, satisfaction and staff days per case (:data:`govsim.outcomes.metrics.METRICS`)."""

QUANTITIES = {"baseline": "reference", "mechanism": "treatment", "effect": "effect"}
"""Each quantity of the report and the column of the paired table it is read from."""

OWN_KEYS = {
    "city": "--city",
    "mechanism": "--mechanism",
    "reference": "--mechanism (the reference is baseline routing)",
    "days": "--days",
    "prereform_days": "--warmup",
    "warmup_days": "--warmup",
    "seed": "--seed",
    "replications": "--replications",
    "design_point": "--points",
}
"""Configuration keys the command sets itself, and the option that sets each."""


@dataclass
class ReformRequest:
    """What ``govsim cases reform`` is asked: the city, its validation and the comparison."""

    city: str
    """The fitted city (a YAML, or a city's name)."""
    validation: Path
    """The folder of ``govsim cases validate`` that judged the city."""
    mechanism: str = "whistle"
    """The mechanisms of the reform, comma-separated."""
    points: int | None = None
    """Parameter points (None: :data:`POINTS`, or 1 without draws)."""
    replications: int = 10
    days: int = 120
    warmup: int = 28
    seed: int = 0
    draws: bool = True
    """Run the parameter draws kept beside the city (else its point estimates only)."""
    out: Path | None = None
    overrides: list[str] = field(default_factory=list)


POINTS = 20
"""Parameter points run by default (the first rows of the city's draws)."""


def _check_city(city: str) -> None:
    """Refuse a ``--city`` that names a file (a YAML, a path) where there is none."""
    from govsim.composition.city_paths import is_city_path

    if is_city_path(city) and not Path(city).expanduser().is_file():
        raise ArgumentError(
            COMMAND,
            f"--city {city} is not a file",
            "the YAML govsim cases fit wrote (FITTED.yaml), or a shipped city's name",
        )


def _mechanisms(text: str) -> list[str]:
    """The names of ``--mechanism`` (comma-separated), each known and none the reference."""
    from govsim.mechanisms import REGISTRY, canonical

    names = [n.strip() for n in text.split(",") if n.strip()]
    allowed = (
        "one or more of "
        + ", ".join(n for n in REGISTRY if n != REFERENCE)
        + ", comma-separated (the reference is baseline routing)"
    )
    unknown = [n for n in names if n not in REGISTRY or n == REFERENCE]
    if not names or unknown:
        raise ArgumentError(COMMAND, f"--mechanism {text!r} is not a mechanism to compare", allowed)
    return canonical(names)


def _check_overrides(overrides: list[str]) -> None:
    """Refuse an override after ``--`` of a key an option sets (:data:`OWN_KEYS`)."""
    for override in overrides:
        key = override.split("=", 1)[0].lstrip("+~")
        if key in OWN_KEYS:
            raise ArgumentError(
                COMMAND,
                f"the override {override!r} sets what {OWN_KEYS[key]} sets",
                f"{OWN_KEYS[key]}, and after -- any other key",
            )


def _plan(
    request: ReformRequest, mechanisms: list[str], draws: pd.DataFrame | None
) -> tuple[list[ExperimentConfig], date]:
    """Each point's configuration (both arms) and the city's day 0; refused before any run."""
    from govsim.cases.demand_draws import drawn_experiment, fixed_keys
    from govsim.composition.compose import compose
    from govsim.experiments.progress import progress

    city = [f"city={request.city}", *request.overrides]
    origin = date.fromisoformat(str(compose(city).city.calendar.start_date))
    base = [
        *city,
        f"mechanism=[{','.join(mechanisms)}]",
        f"reference=[{REFERENCE}]",
        f"seed={request.seed}",
        f"replications={request.replications}",
        "progress=false",
        "warmup_days=0",
        f"prereform_days={request.warmup}",
        f"city.calendar.start_date={origin - timedelta(days=request.warmup)}",
    ]
    horizon = compose(base).horizon_days
    if request.days <= horizon:
        raise ArgumentError(
            COMMAND,
            f"--days {request.days} leaves no day whose cases count: those arising in the "
            f"last horizon_days={horizon} days are followed, not counted",
            f"--days more than horizon_days ({horizon}), or -- horizon_days=H with H < --days",
        )
    base.append(f"days={request.days}")
    experiment = compose(base)
    fixed = fixed_keys(request.overrides)
    points = len(draws) if draws is not None else 1
    points = request.points or (min(POINTS, points))
    configs = []
    with progress("reform: parameter points composed", points) as advance:
        for k in range(points):
            configs.append(drawn_experiment(experiment, base, draws, k, fixed))
            configs[-1].design_point = k
            advance()
    return configs, origin


@contextmanager
def _first_warnings_only() -> Iterator[Callable[[], None]]:
    """Let the runs' set-up warnings (capacity) through for the first point only.

    Yields the function to call once the first point has run.
    """
    logger = logging.getLogger("govsim")
    first = [True]

    def keep(record: logging.LogRecord) -> bool:
        return first[0] or record.levelno < logging.WARNING

    logger.addFilter(keep)
    try:
        yield lambda: first.__setitem__(0, False)
    finally:
        logger.removeFilter(keep)


def first_replication(point: int, replications: int) -> int:
    """The first replication index of parameter point ``point``: ``point × replications``.

    Point k runs replications k·R to k·R + R − 1, streams of its own, so that the points'
    replicate noise is independent (as :func:`govsim.analysis.uncertainty.decompose` takes
    it); both arms of a pair run the same one.
    """
    return point * replications


def _run(configs: list[ExperimentConfig]) -> pd.DataFrame:
    """Both arms of every point and replication: one row a run (its configuration, metrics)."""
    from govsim.experiments.progress import progress
    from govsim.experiments.run import run_experiment

    total = sum(2 * cfg.replications for cfg in configs)
    tables = []
    with progress("reform: runs", total) as advance, _first_warnings_only() as done:
        for k, cfg in enumerate(configs):
            first = first_replication(k, cfg.replications)
            tables.append(run_experiment(cfg, on_run=advance, first_replication=first).runs)
            done()
    return pd.concat(tables, ignore_index=True)


def _effects(
    runs: pd.DataFrame, points: int, parameters: list[str], label: str
) -> tuple[pd.DataFrame, dict[str, np.ndarray], list[str]]:
    """Per measure and quantity: the mean and intervals; the effect's point means; notes."""
    from govsim.analysis.effects import by_point, paired_effects
    from govsim.analysis.uncertainty import decompose

    rows, point_means, notes = [], {}, []
    of = {"baseline": REFERENCE, "mechanism": label, "effect": f"{label} − {REFERENCE}"}
    for measure in MEASURES:
        paired = paired_effects(runs, measure, parameters, COMMAND)
        missing = paired[["treatment", "reference"]].isna().any(axis=1)
        if missing.any():
            why = " (it needs horizon_days > 0)" if measure == "resolution_days_mean" else ""
            notes.append(
                f"`{measure}` left out: {int(missing.sum())} of {len(paired)} pairs of runs "
                f"have no value{why}"
            )
            continue
        for quantity, column in QUANTITIES.items():
            samples = by_point(paired, column, points, COMMAND)
            found = decompose(samples)
            rows.append({"measure": measure, "quantity": quantity, "of": of[quantity], **found})
            if quantity == "effect":
                point_means[measure] = np.array([s.mean() for s in samples])
    if not rows:
        raise ArgumentError(COMMAND, "no measure has a value in every run", "-- horizon_days > 0")
    return pd.DataFrame(rows), point_means, notes


def _relabelled(table: pd.DataFrame) -> str | None:
    """How much of the headline's gain is the venue moving rather than the work.

    :data:`HEADLINE` counts where a case was settled, :data:`HANDLED` whether staff at or
    below the street alone did the work: their effects' difference is the cases settled at
    the street by departments' staff who came there. None without a gain to divide.
    """
    effect = table[table["quantity"] == "effect"].set_index("measure")["mean"]
    if HEADLINE not in effect or HANDLED not in effect or not effect[HEADLINE] > 0:
        return None
    settled, handled = 100.0 * effect[HEADLINE], 100.0 * effect[HANDLED]
    moved = settled - handled
    if not moved > 0:
        return None
    return (
        f"of the {settled:+.3g} points settled at or below the street ({HEADLINE}), "
        f"{handled:+.3g} are cases handled there by staff at or below the street alone "
        f"({HANDLED}); the other {moved:.3g} points ({moved / settled:.0%} of the gain) are "
        "departments' staff working at the street (the venue moved, not the work)"
    )


def _g(value: float) -> str:
    """``value`` to four significant digits."""
    return f"{value:.4g}"


def _interval(row: pd.Series, kind: str) -> str:
    """The ``kind`` interval of a row of :func:`_effects`' table: ``[low, high]``."""
    return f"[{_g(row[f'{kind}_low'])}, {_g(row[f'{kind}_high'])}]"


def effect_table(table: pd.DataFrame, label: str) -> pd.DataFrame:
    """One row per measure: both levels (with their total intervals), the effect's three."""
    rows = []
    for measure, group in table.groupby("measure", sort=False):
        by = group.set_index("quantity")
        base, treated, effect = by.loc["baseline"], by.loc["mechanism"], by.loc["effect"]
        share = effect["share_parameters"]
        rows.append(
            {
                "measure": measure,
                REFERENCE: f"{_g(base['mean'])} {_interval(base, 'total')}",
                label: f"{_g(treated['mean'])} {_interval(treated, 'total')}",
                f"{label} − {REFERENCE}": _g(effect["mean"]),
                "noise 95%": _interval(effect, "noise"),
                "parameters 95%": _interval(effect, "parameter"),
                "total 95%": _interval(effect, "total"),
                "parameters' share": "" if np.isnan(share) else f"{share:.0%}",
            }
        )
    return pd.DataFrame(rows)


def _notes(
    request: ReformRequest, validation: Validation, draws: pd.DataFrame | None, points: int
) -> list[str]:
    """What the intervals hold, and where this comparison runs otherwise than the validation.

    ``points`` is the number of parameter points run.
    """
    judged = validation.judged
    notes = []
    only = "the intervals hold replicate noise only, the parameter interval the point's mean"
    if draws is None:
        why = "--point-estimates" if not request.draws else "no draws beside the city"
        notes.append(f"one parameter point, the city's point estimates ({why}): {only}")
    elif points == 1:
        name = Path(draws.attrs["path"]).name
        why = "--points 1" if len(draws) > 1 else f"{name} holds one"
        notes.append(
            f"one parameter point, row 1 of {name} ({why}): {only}; more points give the "
            "spread over the fit's draws"
        )
    if request.warmup != judged.warmup:
        notes.append(
            f"the validation's runs began {judged.warmup} days before the city's day 0, this "
            f"comparison's --warmup {request.warmup} days: the reform does not start from the "
            "state the validation judged"
        )
    if (draws is None) != (judged.draws_sha256 is None):
        ran = "its parameter draws" if judged.draws_sha256 else "its point estimates"
        notes.append(f"the validation ran {ran}; this comparison does not")
    if judged.calibrated:
        notes.append(
            "the validation calibrated " + ", ".join(judged.calibrated) + " (its accepted sets "
            "ran there); this comparison runs the city's values unless set after --"
        )

    def city(overrides: list[str]) -> list[str]:
        return [o for o in overrides if o.lstrip("+~").startswith("city.")]

    theirs, ours = city(judged.overrides), city(request.overrides)
    if theirs != ours:
        notes.append(
            f"the validation ran the city with {' '.join(theirs) or 'no overrides'}, this "
            f"comparison with {' '.join(ours) or 'none'}"
        )
    return notes


def _design(
    request: ReformRequest,
    configs: list[ExperimentConfig],
    draws: pd.DataFrame | None,
    origin: date,
    label: str,
) -> str:
    """The report's design paragraph: the arms, the pairing, the points, the days counted."""
    cfg = configs[0]
    points, r = len(configs), request.replications
    counted = request.days - cfg.horizon_days
    last = origin + timedelta(days=request.days - 1)
    where = (
        f"rows 1–{points} of `{Path(draws.attrs['path']).name}` (the fit's bootstrap draws of "
        "the demand: level, weekday weights, holiday factor, over-dispersions)"
        if draws is not None
        else "the city's point estimates"
    )
    return (
        f"The city `{request.city}` with {REFERENCE} routing and with `{label}`, paired by "
        f"common random numbers (both arms of a pair run seed {request.seed} and the same "
        f"replication: the same residents and cases; point k runs replications {r}k to "
        f"{r}k + {r - 1}, streams of its own). {points} parameter "
        f"point{'s' if points > 1 else ''}: {where}; {r} replications each, "
        f"{2 * points * r} runs. Each run begins {request.warmup} days before the city's "
        f"day 0 ({origin}) under {REFERENCE} routing in both arms, then runs {request.days} "
        f"days of the reform ({origin} to {last}); the measures count the cases arising in "
        f"its first {counted} days, each followed {cfg.horizon_days} days or more."
    )


def _report(
    request: ReformRequest,
    validation: Validation,
    design: str,
    shown: pd.DataFrame,
    notes: list[str],
    label: str,
) -> str:
    """``reform.md``: the validation's verdict, the design, the effects and the notes."""
    from govsim.cases.validated import arm_text, failed_warning, judged_text

    verdict = validation.verdict.assign(note=validation.verdict["note"].fillna(""))
    warning = failed_warning(validation, "**The validation failed**")
    warning = f"> {warning}.\n\n" if warning else ""
    return "\n".join(
        [
            f"# `{label}` against {REFERENCE} on `{Path(request.city).name}`",
            "",
            "## The validation's verdict",
            "",
            f"**{validation.line}**",
            "",
            f"{warning}Validation: {judged_text(validation)}; "
            f"{arm_text(validation.judged, label, REFERENCE)}.",
            "",
            verdict.to_markdown(index=False, floatfmt=".3g"),
            "",
            "## Design",
            "",
            design,
            "",
            "## Effects",
            "",
            shown.to_markdown(index=False),
            "",
            f"Levels with their total 95% interval; the effect ({label} − {REFERENCE}, paired) "
            "with three: *noise*, what the replications leave uncertain at one parameter "
            "point; *parameters*, the 2.5–97.5 percentiles of the points' means: the spread "
            "over the fit's draws, but each point's mean also carries the noise of its own "
            f"{request.replications} runs, so that where the parameters do not matter this "
            "interval is about as wide as the noise interval (conservative); *total*, both "
            "added in quadrature on each side (then about √2 times the noise interval); the "
            "parameters' share of a run's variance, which takes the noise out of the points' "
            "spread (`govsim.analysis.uncertainty`).",
            "",
            *(f"- Note: {note}." for note in notes),
            "",
            "![effects](reform.png)",
            "",
        ]
    )


def reform(request: ReformRequest) -> None:
    """``govsim cases reform``: the mechanism on the fitted city, beside its verdict."""
    from govsim.analysis.uncertainty import interval_figure
    from govsim.cases.demand_draws import DRAWN_KEYS, draws_path, read_draws
    from govsim.cases.folders import new_folder
    from govsim.cases.validated import draws_digest, read_validation, verdict_lines
    from govsim.composition.compose import config_yaml
    from govsim.files import atomic_folder, write_text

    _check_city(request.city)
    mechanisms = _mechanisms(request.mechanism)
    label = "+".join(mechanisms)
    _check_overrides(request.overrides)
    validation = read_validation(request.validation, request.city, COMMAND)
    draws = read_draws(request.city) if request.draws else None
    if draws is None and request.points not in (None, 1):
        raise ArgumentError(
            COMMAND,
            f"--points {request.points} with no parameter draws to run (the city's point "
            f"estimates are one point{'' if request.draws else ': --point-estimates'})",
            "--points 1, or a city fitted by govsim cases fit with its draws beside it",
        )
    if draws is not None and (request.points or 1) > len(draws):
        raise ArgumentError(
            COMMAND,
            f"--points {request.points}: {draws_path(Path(request.city)).name} holds "
            f"{len(draws)} parameter draws",
            f"an integer from 1 to {len(draws)}",
        )
    judged = validation.judged.draws_sha256
    if draws is not None and judged and draws_digest(draws.attrs["path"]) != judged:
        raise ArgumentError(
            COMMAND,
            f"--validation {validation.folder} ran other parameter draws than "
            f"{draws.attrs['path']} holds",
            "a validation of the city with its present draws, or --point-estimates",
        )
    out = new_folder(request.out)
    configs, origin = _plan(request, mechanisms, draws)
    parameters = list(DRAWN_KEYS) if draws is not None else []
    runs = _run(configs)
    table, point_means, left_out = _effects(runs, len(configs), parameters, label)
    relabelled = _relabelled(table)
    notes = [
        *([relabelled] if relabelled else []),
        *_notes(request, validation, draws, len(configs)),
        *left_out,
    ]
    shown = effect_table(table, label)
    design = _design(request, configs, draws, origin, label)
    columns = ["design_point", "arm", "mechanism", "seed", "replication", "cases_arisen"]
    kept = [c for c in [*columns, *MEASURES, "wall_seconds"] if c in runs]
    per_run = runs[kept].copy()
    per_run.insert(1, "draw", per_run["design_point"] + 1 if draws is not None else np.nan)
    effects = table[table["quantity"] == "effect"]
    panels = [
        (f"{row['measure']}: {label} − {REFERENCE}", row, point_means[row["measure"]])
        for _, row in effects.iterrows()
    ]
    with atomic_folder(out) as partial:
        write_text(partial / "reform.csv", table.to_csv(index=False))
        write_text(partial / "runs.csv", per_run.to_csv(index=False))
        write_text(partial / "config.yaml", config_yaml(configs[0]))
        interval_figure(
            panels, f"{label} − {REFERENCE} (paired)", partial / "reform.png", zero=True
        )
        write_text(partial / "reform.md", _report(request, validation, design, shown, notes, label))
    for line in verdict_lines(validation, label, REFERENCE):
        print(line)
    print()
    print(shown.to_markdown(index=False))
    print()
    for note in notes:
        print(f"note: {note}")
    print(f"results: {out}")
