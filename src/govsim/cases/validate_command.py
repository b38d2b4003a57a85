"""``govsim cases validate LOG --mapping MAP --city FITTED --from DATE [--out DIR]``.

Runs the city (typically one from ``govsim cases fit ... --until`` the day before DATE)
from its day 0 to the log's last day, ``--replications`` times, and compares the period
from DATE on with the log (:mod:`govsim.cases.holdout`): cases per day, closure-time
quantiles and shares closed within 1, 3 and 7 days, the Kolmogorov–Smirnov distance of
closure times, and per-unit volumes and closure times. Writes into DIR (default
``results/cases/DATE/TIME-XXXXXX``) ``comparison.csv``, ``units.csv``, ``daily.csv``, a
figure, ``validation.md`` and the simulated cases of the period of replication 0 as
``simulated.csv`` (id, created, closed, category, unit, handler; ISO times). Hydra
overrides after ``--`` choose the mechanisms and any other setting (default: the
configured ones). The city's behavioural parameters are taken as they are: calibrating
them to the log, with their uncertainty, is not done here.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from govsim.config.arguments import ArgumentParser, integer_at_least
from govsim.config.errors import PathError

__all__ = ["validate_command"]

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _figure(daily: pd.DataFrame, log: pd.DataFrame, simulated: pd.DataFrame,
            path: Path) -> Path:
    import matplotlib.pyplot as plt

    from govsim.experiments.files import save_figure

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(daily["date"], daily["log"], "o-", color="black", label="log")
    left.fill_between(daily["date"], daily["simulated_low"], daily["simulated_high"],
                      color="tab:blue", alpha=0.25, label="simulated (range)")
    left.plot(daily["date"], daily["simulated_mean"], color="tab:blue", label="simulated mean")
    left.set_ylabel("cases per day")
    left.tick_params(axis="x", labelrotation=45)
    left.legend()
    from statsmodels.duration.survfunc import SurvfuncRight

    for cases, label, colour in ((log, "log", "black"), (simulated, "simulated", "tab:blue")):
        if cases["done"].any():
            fit = SurvfuncRight(cases["days"].to_numpy(), cases["done"].astype(int).to_numpy())
            right.step(fit.surv_times, 1.0 - fit.surv_prob, where="post", label=label,
                       color=colour)
    right.set_xscale("log")
    right.set_xlabel("days from report to closure")
    right.set_ylabel("share closed (Kaplan–Meier)")
    right.legend()
    return save_figure(fig, path)


def validate_command(argv: list[str]) -> None:
    """``govsim cases validate``."""
    parser = ArgumentParser(prog="govsim cases validate", description=__doc__)
    parser.add_argument("log", type=Path)
    parser.add_argument("--mapping", type=Path, required=True)
    parser.add_argument("--city", required=True, help="the city to run (a name or a YAML)")
    parser.add_argument("--from", dest="start", required=True,
                        help="the first day of the held-out period")
    parser.add_argument("--replications", type=integer_at_least(1), default=5)
    parser.add_argument("--out", type=Path, help="a new folder")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides (after --)")
    args = parser.parse_args(argv)
    try:
        first_day = date.fromisoformat(args.start)
    except ValueError:
        parser.refuse(f"--from {args.start!r} is not a date", "a date, YYYY-MM-DD")
    from govsim.cases.check import check_log
    from govsim.cases.city import city_reference, load_city
    from govsim.cases.folders import new_folder
    from govsim.cases.holdout import compare, per_unit, period
    from govsim.cases.mapping import load_mapping
    from govsim.cases.read import read_log
    from govsim.experiments.compose import compose, config_yaml
    from govsim.experiments.files import atomic_folder, write_text
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.caselog import case_log

    mapping = load_mapping(args.mapping)
    city = load_city(args.city)
    kept = check_log(read_log(args.log, mapping), mapping, city_reference(city)).kept
    origin = date.fromisoformat(str(city.calendar.start_date))
    last_day = kept["created"].max().date()
    if not origin <= first_day <= last_day:
        raise PathError(args.log, f"has no held-out period from {first_day} (its cases run to "
                        f"{last_day}; the city's day 0 is {origin})",
                        "--from between the city's calendar.start_date and the log's last day")
    first, end = pd.Timestamp(first_day), pd.Timestamp(last_day + timedelta(days=1))
    days = (last_day - first_day).days + 1
    total = (last_day - origin).days + 1
    experiment = compose([f"city={args.city}", f"days={total}", "warmup_days=0",
                          "horizon_days=0", "reference=null", "progress=false",
                          *args.overrides])
    out = new_folder(args.out)
    runs = []
    for replication in range(args.replications):
        model = GovernanceModel(experiment, replication=replication)
        model.run_model()
        runs.append(period(case_log(model), first, end).assign(replication=replication))
    simulated = pd.concat(runs, ignore_index=True)
    real = period(kept, first, end)
    table = compare(real, simulated, days, args.replications)
    units = per_unit(real, simulated, days, args.replications)
    dates = pd.date_range(first, periods=days, freq="D")
    per_day = (simulated.groupby([simulated["created"].dt.normalize(), "replication"]).size()
               .unstack(fill_value=0).reindex(dates, fill_value=0))
    daily = pd.DataFrame({"date": dates, "log": real.groupby(real["created"].dt.normalize())
                          .size().reindex(dates, fill_value=0).to_numpy(),
                          "simulated_mean": per_day.mean(axis=1).to_numpy(),
                          "simulated_low": per_day.min(axis=1).to_numpy(),
                          "simulated_high": per_day.max(axis=1).to_numpy()})
    first_run = simulated[simulated["replication"] == 0][
        ["id", "created", "closed", "category", "unit", "handler"]]

    def md(frame: pd.DataFrame) -> str:
        return frame.to_markdown(index=False, floatfmt=".3g")

    with atomic_folder(out) as partial:
        write_text(partial / "comparison.csv", table.to_csv(index=False))
        write_text(partial / "units.csv", units.to_csv(index=False))
        write_text(partial / "daily.csv", daily.to_csv(index=False))
        write_text(partial / "simulated.csv", first_run.to_csv(index=False,
                                                               date_format=TIME_FORMAT))
        write_text(partial / "config.yaml", config_yaml(experiment))
        _figure(daily, real, simulated, partial / "validation.png")
        write_text(partial / "validation.md", "\n".join([
            f"# Held-out validation of `{args.city}` on `{args.log.name}`", "",
            f"Period {first_day} to {last_day} ({days} days): {len(real):,} cases in the log, "
            f"{len(simulated) / args.replications:,.1f} a replication simulated "
            f"({args.replications} replications).", "", md(table), "",
            "![validation](validation.png)", "", "## Per unit", "", md(units), ""]))
    print(md(table))
    print(f"results: {out}")
