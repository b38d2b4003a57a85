r"""``govsim calibrate``: fit parameters to target figures with Optuna.

    govsim calibrate --target share_arisen_settled_at_or_below_street=0.9 \\
        --param city.case_types.neighbour_dispute.mediation_settle_prob=0.5:0.99 \\
        --trials 30 --replications 3 -- scenario=guangdong_grid_centre

Each trial composes the configuration with the trial's parameter values (Hydra
overrides), runs the treatment arm for ``replications`` replications with the same seeds
in every trial (common random numbers, so trials differ by their parameters only), and
scores the mean relative squared error over the targets. Optuna's TPE sampler is seeded,
so a calibration is reproducible. Writes the trials, the fitted parameters (as overrides),
the fit (targets against the model with 95% CIs at the best parameters) and the
optimisation history into the output folder, whole (by rename) when the study is done.

Every ``--param`` key must be a configuration key and its range within the key's allowed
range (both ends are composed and checked before the first trial); every ``--target``
must be a metric of the runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govsim.analysis.stats import mean_ci
from govsim.composition.compose import compose
from govsim.composition.overrides import range_overrides, typed_ranges
from govsim.config.errors import ArgumentError, PathError
from govsim.experiments.columns import metric_columns
from govsim.experiments.progress import progress
from govsim.experiments.run import run_experiment
from govsim.files import (
    atomic_folder,
    require_writable,
    save_figure,
    unique_folder,
    write_parquet,
    write_text,
)

if TYPE_CHECKING:  # Optuna and matplotlib load when a calibration starts, not for --help
    import optuna

__all__ = ["Calibration", "Param", "calibrate", "check_ranges", "suggest"]


Param = tuple[str, float, float, bool]
"""A calibrated key, its range and whether it takes integers (:func:`parse_param`)."""


def check_ranges(base: list[str], params: list[Param]) -> None:
    """Compose both ends of every range: a refused end is refused before any trial."""
    for key, lo, hi, integer in params:
        for end in (lo, hi):
            compose([*base, *range_overrides([(key, lo, hi, integer)], {key: end})])


def suggest(trial: optuna.Trial, params: list[Param]) -> dict[str, float]:
    """A trial's values of the calibrated keys (integers where the key takes them)."""
    return {
        key: (
            trial.suggest_int(key, int(lo), int(hi))
            if integer
            else trial.suggest_float(key, lo, hi)
        )
        for key, lo, hi, integer in params
    }


class Calibration:
    """An Optuna study over parameter ranges against target metrics."""

    def __init__(
        self,
        targets: dict[str, float],
        params: list[Param],
        overrides: list[str],
        replications: int,
        seed: int = 0,
    ) -> None:
        self.targets = targets
        self.params = typed_ranges(params)
        self.base = [*overrides, "reference=null", "progress=false", f"replications={replications}"]
        self.seed = seed
        import optuna

        self.study = optuna.create_study(
            direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed)
        )
        check_ranges(self.base, self.params)

    def overrides(self, values: dict[str, float]) -> list[str]:
        """Hydra overrides for parameter values."""
        return range_overrides(self.params, values)

    def runs(self, values: dict[str, float]) -> pd.DataFrame:
        """Run the model at parameter values."""
        return run_experiment(compose([*self.base, *self.overrides(values)])).runs

    def loss(self, runs: pd.DataFrame) -> float:
        """Mean relative squared error of the replicate means over the targets."""
        errors = [((runs[m].mean() - t) / (t if t else 1.0)) ** 2 for m, t in self.targets.items()]
        return float(np.mean(errors))

    def objective(self, trial: optuna.Trial) -> float:
        """One trial: sample parameters, run, score."""
        return self.loss(self.runs(suggest(trial, self.params)))

    def run(self, trials: int) -> pd.DataFrame:
        """Optimise; return the trials table."""
        first = self.runs({k: lo for k, lo, *_ in self.params})
        metrics = metric_columns(first)
        for key in self.targets:
            if key not in metrics:
                raise ArgumentError(
                    "calibrate",
                    f"--target {key!r} is not a metric of the runs",
                    "one of " + ", ".join(sorted(metrics)),
                )
        with progress("calibration: trials", trials) as advance:
            self.study.optimize(
                self.objective, n_trials=trials, callbacks=[lambda study, trial: advance()]
            )
        return self.study.trials_dataframe()

    def fit(self) -> pd.DataFrame:
        """Targets against the model at the best parameters, with 95% CIs."""
        runs = self.runs(self.study.best_params)
        rows = []
        for metric, target in self.targets.items():
            mean, low, high = mean_ci(runs[metric].to_numpy())
            rows.append(
                {"metric": metric, "target": target, "model": mean, "ci_low": low, "ci_high": high}
            )
        return pd.DataFrame(rows)


def _history(trials: pd.DataFrame, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(trials["number"], trials["value"], "o", alpha=0.6, label="trial")
    ax.plot(trials["number"], trials["value"].cummin(), "-", label="best so far")
    ax.set_xlabel("trial")
    ax.set_ylabel("loss (mean relative squared error)")
    ax.set_yscale("log")
    ax.legend()
    return save_figure(fig, path)


def calibrate(
    targets: dict[str, float],
    params: list[Param],
    overrides: list[str],
    trials: int = 30,
    replications: int = 3,
    seed: int = 0,
    out: Path | None = None,
) -> tuple[str, Path]:
    """Calibrate and write the results into ``out``, a new folder.

    ``out`` defaults to a new folder under ``results/calibration``. Returns the summary
    (``calibration.md``) and the folder.
    """
    out = out or unique_folder(Path("results") / "calibration")
    if out.exists():
        raise PathError(out, "already exists", "a new folder for the calibration's results")
    require_writable(out.parent, "--out")
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    calibration = Calibration(targets, params, overrides, replications, seed)
    table = calibration.run(trials)
    fit = calibration.fit()
    best = calibration.overrides(calibration.study.best_params)
    with atomic_folder(out) as partial:
        write_parquet(partial / "trials.parquet", table)
        history = _history(table, partial / "history.png")
        text = (
            f"# Calibration\n\nBase overrides: `{' '.join(overrides) or '(none)'}`; "
            f"{trials} trials, {replications} replications each, seed "
            f"{seed}.\n\nFitted parameters: `{' '.join(best)}` (loss "
            f"{calibration.study.best_value:.4g}).\n\n"
            f"{fit.to_markdown(index=False, floatfmt='.4g')}\n\n![history]({history.name})\n"
        )
        write_text(partial / "calibration.md", text)
        write_text(partial / "best_overrides.txt", " ".join(best) + "\n")
    return text, out
