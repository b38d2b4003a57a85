"""``govsim cases validate LOG --mapping MAP --city CITY --from DATE [--param ...] [--out DIR]``.

Runs the city (typically one from ``govsim cases fit ... --until`` the day before DATE)
from its day 0 to the log's last day, ``--replications`` times, and compares the period
from DATE on with the log (:mod:`govsim.cases.holdout`): cases per day, closure-time
quantiles and shares closed within 1, 3 and 7 days, the Kolmogorov–Smirnov distance of
closure times, and per-unit volumes and closure times. Writes into DIR (default
``results/cases/DATE/TIME-XXXXXX``) ``comparison.csv``, ``units.csv``, ``daily.csv``, a
figure, ``validation.md`` and the simulated cases of the period of the first run as
``simulated.csv`` (id, created, closed, category, unit, handler; ISO times), and
``validated.json``: what was judged (the city and the draws it ran by their SHA-256, the
log, the period, the mechanisms; :mod:`govsim.cases.validated`), which ``govsim cases
reform`` reads. Hydra overrides after ``--`` choose the mechanisms and any other setting
(default: the configured ones, the street whistle; ``-- mechanism=baseline`` judges the
city before a reform).

With ``--param KEY=LOW:HIGH`` (repeatable) the behavioural parameters the fit cannot read
from the log are first calibrated to the log's days before DATE (its daily series and
closure-time distribution; ``--trials`` trials of ``--trial-replications`` runs each), and
the ensemble of accepted parameter sets (the best ``--accept`` share of the trials,
:mod:`govsim.cases.calibrate`) is carried into the held-out period: every accepted set
runs ``--replications`` times, and the simulated side pools them all, so its ranges hold
parameter uncertainty as well as replicate noise. ``trials.csv`` and ``ensemble.csv``
(the accepted sets, in the format of ``hydra.sweeper.method=ensemble``) are written too.

A city fitted by ``govsim cases fit`` keeps draws of its demand's parameters beside it
(``CITY.draws.csv``, :mod:`govsim.cases.demand_draws`): run ``i`` (replication r of accepted
set m, i = m × replications + r) runs draw i on replication i's streams (every run
independent of the others, as the band's order statistics take them), so that the band
holds the fit's uncertainty
(the level, the weekday weights, the holiday factor, the over-dispersions) as well as the
replicates'. ``--point-estimates`` runs the city's point estimates alone.

**The verdict.** The comparison is judged against declared thresholds
(:mod:`govsim.cases.verdict`: the KS distance of closure times, the shares closed within 1, 3
and 7 days, the share of days whose count lies in the simulated 90% band (the pooled runs'
range below 19 runs), the units' rank
correlations of volume and closure time, the weekday profile), each changeable with
``--threshold NAME=VALUE`` (repeatable). The command prints the verdict table and a last
line ``verdict: PASS (...)`` or ``verdict: FAIL (failed: ...)``, and writes them to
``verdict.csv`` and ``validation.md``. A validation that ran ends with status 0 whatever its
verdict (the verdict is a result, not an error); with ``--strict`` a FAIL ends with status 1.

**The warm-up.** A log's first day holds cases that arose before it and were reported on it,
and staff busy with cases opened before it; a run that began empty on the city's day 0
would have neither (on the Haishu log its first two weeks held 27% fewer known cases than
the log's). So every run, the calibration's too, begins ``--warmup`` days (default 28)
before day 0, on those days' own calendar, and only cases that became known from day 0 on
enter the comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govsim.cases.simulated_log import TIME_FORMAT
from govsim.config.errors import ArgumentError, PathError

if TYPE_CHECKING:
    from govsim.analysis.calibrate import Param
    from govsim.cases.calibrate import Ensemble
    from govsim.config.schema import ExperimentConfig

__all__ = ["POOLED_RUNS", "ValidationRequest", "validate_log"]

POOLED_RUNS = 20
"""The runs of the held-out period in all when ``--replications`` is not given, spread over
the accepted parameter sets: enough for a 90% daily band (19 or more)."""


def _figure(daily: pd.DataFrame, log: pd.DataFrame, simulated: pd.DataFrame, path: Path) -> Path:
    import matplotlib.pyplot as plt

    from govsim.files import save_figure

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(daily["date"], daily["log"], "o-", color="black", label="log")
    left.fill_between(
        daily["date"],
        daily["simulated_low"],
        daily["simulated_high"],
        color="tab:blue",
        alpha=0.25,
        label=f"simulated ({daily['band_coverage'].iloc[0]:.0%} band)",
    )
    left.plot(daily["date"], daily["simulated_mean"], color="tab:blue", label="simulated mean")
    left.set_ylabel("cases per day")
    left.tick_params(axis="x", labelrotation=45)
    left.legend()
    from statsmodels.duration.survfunc import SurvfuncRight

    for cases, label, colour in ((log, "log", "black"), (simulated, "simulated", "tab:blue")):
        if cases["done"].any():
            fit = SurvfuncRight(cases["days"].to_numpy(), cases["done"].astype(int).to_numpy())
            right.step(fit.surv_times, 1.0 - fit.surv_prob, where="post", label=label, color=colour)
    right.set_xscale("log")
    right.set_xlabel("days from report to closure")
    right.set_ylabel("share closed (Kaplan–Meier)")
    right.legend()
    return save_figure(fig, path)


def _run(
    experiment: ExperimentConfig,
    replication: int,
    first: pd.Timestamp,
    end: pd.Timestamp,
    unit_level: str = "street",
) -> pd.DataFrame:
    """One run's cases created in [first, end), cut as the log is, units at the log's level."""
    from govsim.cases.holdout import period
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.caselog import case_log

    model = GovernanceModel(experiment, replication=replication)
    model.run_model()
    return period(case_log(model, unit_level), first, end)


def _warmed(overrides: list[str], origin: date, warmup: int) -> list[str]:
    """``overrides`` with the run begun ``warmup`` days before ``origin``, measured from it."""
    if not warmup:
        return [*overrides, "warmup_days=0"]
    start = origin - timedelta(days=warmup)
    return [*overrides, f"warmup_days={warmup}", f"city.calendar.start_date={start}"]


def _check_warmup(experiment: ExperimentConfig, warmup: int) -> None:
    """A warm-up moves the run's start, from which a schedule and ``start_day`` count."""
    if not warmup:
        return
    starts = [
        f"mechanism.{name}.start_day={m.start_day}"
        for name, m in experiment.mechanism.items()
        if getattr(m, "start_day", 0)
    ]
    if experiment.schedule or starts:
        what = ", ".join([*(["schedule"] if experiment.schedule else []), *starts])
        raise ArgumentError(
            "cases validate",
            f"--warmup {warmup} with days counted from the run's start ({what}): the warm-up "
            f"begins the run {warmup} days before the city's day 0, so they would act "
            f"{warmup} days early",
            "--warmup 0, or those days each + the warm-up",
        )


def _calibrate(
    args: ValidationRequest,
    base: list[str],
    kept: pd.DataFrame,
    origin: pd.Timestamp,
    first: pd.Timestamp,
    fit_days: int,
) -> Ensemble:
    """The ensemble fitted to the log's days before ``first``."""
    from govsim.analysis.calibrate import check_ranges
    from govsim.cases.calibrate import calibrate
    from govsim.cases.holdout import period
    from govsim.composition.compose import compose
    from govsim.experiments.progress import progress

    fitting = [*base, f"days={args.warmup + fit_days}"]
    check_ranges(fitting, args.param)

    def simulate(overrides: list[str]) -> list[pd.DataFrame]:
        experiment = compose([*fitting, *overrides])
        return [_run(experiment, k, origin, first) for k in range(args.trial_replications)]

    with progress("calibration: trials", args.trials) as advance:
        return calibrate(
            simulate,
            period(kept, origin, first),
            origin,
            fit_days,
            args.param,
            args.trials,
            args.accept,
            args.seed,
            advance,
        )


def _ranges(params: list, ensemble: Ensemble) -> pd.DataFrame:
    """Per calibrated key: its range, the best value and the accepted sets' range."""
    members = ensemble.members
    return pd.DataFrame(
        [
            {
                "parameter": key,
                "searched": f"{lo:g}–{hi:g}",
                "best": members[key].iloc[0],
                "accepted_low": members[key].min(),
                "accepted_high": members[key].max(),
            }
            for key, lo, hi, _ in params
        ]
    )


def _calibration_text(args: ValidationRequest, ensemble: Ensemble) -> str:
    best = ensemble.trials.iloc[0]
    return (
        f"{len(ensemble.trials)} trials of {args.trial_replications} runs each on the days "
        f"before `--from`; loss = daily error + KS distance of closure times; best "
        f"{best['loss']:.3g} (daily error {best['daily_error']:.3g}, KS "
        f"{best['ks_distance']:.3g}); the best {args.accept:.0%} kept: "
        f"{len(ensemble.members)} parameter sets (`ensemble.csv`, all trials in "
        "`trials.csv`)."
    )


def _thresholds_text(thresholds: tuple) -> str:
    """The thresholds judged against, each with its reason; those changed marked."""
    from govsim.cases.verdict import THRESHOLDS

    declared = {t.name: t.value for t in THRESHOLDS}
    rows = [
        {
            "measure": t.name,
            "what": t.measure,
            "threshold": t.text()
            + ("" if t.value == declared[t.name] else f" (declared {declared[t.name]:g})"),
            "why": t.why,
        }
        for t in thresholds
    ]
    return pd.DataFrame(rows).to_markdown(index=False)


@dataclass
class ValidationRequest:
    """What ``govsim cases validate`` is asked: the log, the city and the held-out period."""

    log: Path
    mapping: Path
    city: str
    """The city to run (a name or a YAML)."""
    start: date
    """The first day of the held-out period."""
    replications: int | None = None
    """Runs of the held-out period of each accepted parameter set; None: as many as make
    :data:`POOLED_RUNS` runs in all (19 or more give the daily band its 90%,
    :func:`govsim.cases.verdict.band_rank`)."""
    param: list[Param] = field(default_factory=list)
    """Parameters to calibrate first, each within its range."""
    trials: int = 30
    trial_replications: int = 2
    accept: float = 0.2
    """The share of the best trials kept as the ensemble (at least two)."""
    seed: int = 0
    """The seed of the calibration's sampler."""
    threshold: list[tuple[str, float]] = field(default_factory=list)
    """Thresholds of the verdict changed by name."""
    strict: bool = False
    """End with status 1 when the verdict is FAIL."""
    warmup: int = 28
    """Days run before the city's day 0, whose cases known before it are left out."""
    draws: bool = True
    """Run the parameter draws kept beside a fitted city, each run its own (else the point
    estimates only)."""
    out: Path | None = None
    overrides: list[str] = field(default_factory=list)


def validate_log(args: ValidationRequest) -> None:
    """``govsim cases validate``: run the city over the held-out period and judge it."""
    first_day = args.start
    from govsim.cases.calibrate import daily_counts
    from govsim.cases.case_types import fitted_categories
    from govsim.cases.check import check_log
    from govsim.cases.city import city_reference, load_city
    from govsim.cases.demand_draws import drawn_experiment, fixed_keys, read_draws
    from govsim.cases.folders import new_folder
    from govsim.cases.holdout import compare, per_unit, period
    from govsim.cases.log_fit import covering
    from govsim.cases.mapping import load_mapping
    from govsim.cases.read import read_log
    from govsim.cases.validated import Judged, city_digest, draws_digest, write_judged
    from govsim.cases.verdict import daily_band, judge, verdict_line, with_thresholds
    from govsim.composition.compose import compose, config_yaml
    from govsim.composition.overrides import range_overrides, typed_ranges
    from govsim.files import atomic_folder, write_text
    from govsim.mechanisms import canonical

    args.param = typed_ranges(args.param)
    mapping = load_mapping(args.mapping)
    city = load_city(args.city)
    log = read_log(args.log, mapping)
    if "category" in log.fields:  # the categories as a city fitted from a log holds them
        mapping = fitted_categories(mapping, city, log.fields["category"].unique())
    result = check_log(log, mapping, city_reference(city))
    span = covering(result, args.log, "--from", first_day)
    kept = result.in_period()
    base = [
        f"city={args.city}",
        "horizon_days=0",
        "reference=null",
        "progress=false",
        *args.overrides,
    ]
    origin = date.fromisoformat(str(compose(base).city.calendar.start_date))  # overrides too
    base = _warmed(base, origin, args.warmup)
    last_day = span.last
    if not origin <= first_day:
        raise PathError(
            args.log,
            f"has no held-out period from {first_day} (the city's day 0 is {origin})",
            "--from on or after the city's calendar.start_date",
        )
    if args.param and origin < span.first:
        raise PathError(
            args.log,
            f"does not cover the days to calibrate on from the city's "
            f"day 0 {origin}: its {span.describe()}",
            "a city whose calendar.start_date is within the log's span",
        )
    first, end = pd.Timestamp(first_day), pd.Timestamp(last_day + timedelta(days=1))
    days = (last_day - first_day).days + 1
    total = args.warmup + (last_day - origin).days + 1
    experiment = compose([*base, f"days={total}"])
    _check_warmup(experiment, args.warmup)
    draws = read_draws(args.city) if args.draws else None
    ensemble = None
    members: list[list[str]] = [[]]
    if args.param:
        if first_day == origin:
            raise ArgumentError(
                "cases validate",
                f"--from {first_day} leaves no day before "
                f"it to calibrate on (the city's day 0 is {origin})",
                "--from after calendar.start_date",
            )
        ensemble = _calibrate(
            args, base, kept, pd.Timestamp(origin), first, (first_day - origin).days
        )
        members = [range_overrides(args.param, row) for _, row in ensemble.members.iterrows()]
    replications = args.replications or math.ceil(POOLED_RUNS / len(members))
    out = new_folder(args.out)
    configs = [compose([*base, f"days={total}", *m]) if m else experiment for m in members]
    fixed = fixed_keys(args.overrides, [str(p[0]) for p in args.param])
    planned = [
        (
            drawn_experiment(
                configs[m], [*base, f"days={total}", *members[m]], draws, index, fixed
            ),
            m,
            index,
        )
        for m in range(len(configs))
        for index in range(m * replications, (m + 1) * replications)
    ]  # every run's configuration checked before the first runs; run i on replication i, so
    # that the accepted sets' runs are independent, as the band's order statistics take them
    runs = [
        _run(cfg, index, first, end, mapping.unit_level).assign(member=m, replication=index)
        for cfg, m, index in planned
    ]
    count = len(runs)
    simulated = pd.concat(runs, ignore_index=True)
    real = period(kept, first, end)
    table = compare(real, simulated, days, count)
    units = per_unit(real, simulated, days, count)
    per_day = np.array([daily_counts(run, first, days) for run in runs])
    low, high, coverage = daily_band(per_day)
    daily = pd.DataFrame(
        {
            "date": pd.date_range(first, periods=days, freq="D"),
            "log": daily_counts(real, first, days).astype(int),
            "simulated_mean": per_day.mean(axis=0),
            "simulated_low": low,
            "simulated_high": high,
            "simulated_min": per_day.min(axis=0).astype(int),
            "simulated_max": per_day.max(axis=0).astype(int),
            "band_coverage": coverage,
        }
    )
    thresholds = with_thresholds(args.threshold)
    verdict = judge(table, daily, units, real, simulated, days, thresholds)
    line = verdict_line(verdict)
    first_run = simulated[simulated["replication"] == 0][
        ["id", "created", "closed", "category", "unit", "handler"]
    ]

    def md(frame: pd.DataFrame) -> str:
        return frame.to_markdown(index=False, floatfmt=".3g")

    with atomic_folder(out) as partial:
        write_text(partial / "comparison.csv", table.to_csv(index=False))
        write_text(partial / "units.csv", units.to_csv(index=False))
        write_text(partial / "daily.csv", daily.to_csv(index=False))
        write_text(partial / "verdict.csv", verdict.to_csv(index=False))
        write_text(
            partial / "simulated.csv", first_run.to_csv(index=False, date_format=TIME_FORMAT)
        )
        write_text(partial / "config.yaml", config_yaml(configs[0]))
        write_judged(
            partial,
            Judged(
                city=args.city,
                city_sha256=city_digest(args.city),
                draws_sha256=draws_digest(draws.attrs["path"] if draws is not None else None),
                log=str(args.log),
                first=first_day.isoformat(),
                last=last_day.isoformat(),
                mechanism="+".join(canonical(configs[0].mechanism)),
                runs=count,
                warmup=args.warmup,
                overrides=list(args.overrides),
                calibrated=[str(p[0]) for p in args.param],
            ),
        )
        calibration = []
        if ensemble is not None:
            write_text(partial / "trials.csv", ensemble.trials.to_csv(index=False))
            write_text(partial / "ensemble.csv", ensemble.members.to_csv(index=False))
            calibration = [
                "## Calibration",
                "",
                _calibration_text(args, ensemble),
                "",
                md(_ranges(args.param, ensemble)),
                "",
            ]
        _figure(daily, real, simulated, partial / "validation.png")
        sets = f"{len(configs)} parameter sets × " if ensemble is not None else ""
        drawn = (
            f" Each run with its own draw of the fitted demand's parameters ({len(draws)} "
            "kept by the fit, `govsim.cases.demand_draws`): the band holds their "
            "uncertainty as well as the replicates' noise."
            if draws is not None
            else " The fitted demand's point estimates in every run (no parameter draws)."
        )
        write_text(
            partial / "validation.md",
            "\n".join(
                [
                    f"# Held-out validation of `{args.city}` on `{args.log.name}`",
                    "",
                    f"Period {first_day} to {last_day} ({days} days): "
                    f"{len(real):,} cases in the log, "
                    f"{len(simulated) / count:,.1f} a run simulated ({sets}{replications} "
                    f"replications).{drawn}",
                    "",
                    "## Verdict",
                    "",
                    md(verdict),
                    "",
                    f"**{line}**",
                    "",
                    "## Comparison",
                    "",
                    md(table),
                    "",
                    "![validation](validation.png)",
                    "",
                    "## Thresholds",
                    "",
                    _thresholds_text(thresholds),
                    "",
                    *calibration,
                    "## Per unit",
                    "",
                    md(units),
                    "",
                ]
            ),
        )
    print(md(table))
    print()
    print(md(verdict))
    print(f"results: {out}")
    print(line)
    if args.strict and line.startswith("verdict: FAIL"):
        raise SystemExit(1)
