"""A reform history year by year: ``docs/reform_history.md``'s table and figure.

``scenario=beijing_2019_history`` runs a pre-reform year, then five reform years of the
street whistle, the 12345 hotline and assessment (plus a 30-day horizon), with the slow
feedbacks of :mod:`govsim.model.adaptation` on, in a few paired replications per arm.
Each year's cases are tallied as they stood 30 days after the year's end
(:func:`govsim.outcomes.metrics.tally`), so every year is followed alike (tallied at the
run's end, the pre-reform year's cases would count what the reform later did for them);
trust is the residents' mean at the year's end; calls to 12345 are the year's cases
reported through the hotline per 1,000 residents. Means over the replications::

    PYTHONPATH=src .venv/bin/python docs/examples/reform_history.py [REPLICATIONS]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from govsim.composition.compose import compose
from govsim.model.model import GovernanceModel
from govsim.outcomes.metrics import tally

YEAR = 365
REFORM_YEARS = 5
FOLLOW = 30
BASE = ("scenario=beijing_2019_history", f"days={REFORM_YEARS * YEAR + FOLLOW}",
        f"horizon_days={FOLLOW}",
        "reference=null", "progress=false", "seed=0")
GIVE_UP = ("city.residents.repeat_call_share=0.3",)
ARMS: dict[str, tuple[str, ...]] = {
    "feedbacks on": (),
    "feedbacks off (the step)": ("city.learning_rate=0", "city.effort_half_life_days=0",
                                 "city.residents.trust_memory_days=0"),
    "feedbacks on, residents give up, audits and callbacks off": GIVE_UP,
    "feedbacks on, residents give up, callbacks 0.5 + audits 0.2": (
        *GIVE_UP, "mechanism.assessment.callback_share=0.5",
        "mechanism.assessment.audit_share=0.2"),
}
COLUMNS = ("reported", "true", "satisfied", "trust", "calls to 12345 per 1,000")
FIGURE = Path(__file__).resolve().parents[1] / "figures" / "reform_history.png"


def history(overrides: tuple[str, ...], replications: int) -> np.ndarray:
    """Per year (pre-reform first) and column: the mean over the replications."""
    cfg = compose([*BASE, *overrides])
    values = np.zeros((replications, REFORM_YEARS + 1, len(COLUMNS)))
    for replication in range(replications):
        model = GovernanceModel(cfg, replication=replication)
        led = model.ledger
        while model.running:
            model.step()
            day = model.day - model.reform_day
            if day < 0:
                continue
            if day % YEAR == 0:
                values[replication, day // YEAR, 3] = model.residents.mean_trust
            if day % YEAR == FOLLOW:  # the year just ended, as it stood 30 days later
                year = day // YEAR
                arisen = led.arisen[: len(led)] - model.reform_day
                cases = (arisen >= (year - 1) * YEAR) & (arisen < year * YEAR)
                t = tally(led, cases, float(FOLLOW))
                calls = (cases & led.via_hotline[: len(led)]).sum() * 1000 / model.city.n_residents
                values[replication, year, [0, 1, 2, 4]] = [
                    t.resolution_rate, t.true_resolution_rate, t.satisfaction_rate, calls]
    return values.mean(axis=0)


def figure(results: dict[str, np.ndarray]) -> None:
    """Four panels by year, one line per arm: resolution, satisfaction, trust, calls."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = np.arange(REFORM_YEARS + 1)
    fig, axes = plt.subplots(1, 4, figsize=(14, 4.4))
    panels = (("resolution: reported (solid), true (dashed)", (0, 1)),
              ("satisfied", (2,)), ("trust (year's end)", (3,)), (COLUMNS[4], (4,)))
    for ax, (title, columns) in zip(axes, panels, strict=True):
        for k, (name, rows) in enumerate(results.items()):
            for column, style in zip(columns, ("-", "--"), strict=False):
                ax.plot(years, rows[:, column], style, marker="o", markersize=3,
                        color=f"C{k}",
                        label=name if ax is axes[0] and column == columns[0] else None)
        ax.set_title(title, fontsize=9)
        ax.set_xticks(years, ["pre", *map(str, years[1:])])
        ax.set_xlabel("reform year", fontsize=8)
        ax.grid(alpha=0.3)
    fig.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
    fig.suptitle("scenario=beijing_2019_history: default district, mean of paired runs",
                 fontsize=10)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    fig.savefig(FIGURE, dpi=120)


def main() -> None:
    """Print the markdown table and draw the figure."""
    replications = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print("| arm | year | reported | true | reported − true | satisfied | trust | calls to "
          "12345 per 1,000 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    results = {}
    for name, overrides in ARMS.items():
        results[name] = rows = history(overrides, replications)
        for year, (reported, true, satisfied, trust, calls) in enumerate(rows):
            label = "pre-reform" if year == 0 else f"reform year {year}"
            print(f"| {name} | {label} | {reported:.4f} | {true:.4f} | {reported - true:.4f} | "
                  f"{satisfied:.3f} | {trust:.3f} | {calls:.0f} |", flush=True)
    figure(results)


if __name__ == "__main__":
    main()
