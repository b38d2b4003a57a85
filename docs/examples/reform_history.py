"""A reform history year by year: ``docs/reform_history.md``'s table and figure.

``scenario=beijing_2019_history`` runs a pre-reform year, then five reform years of the
street whistle, the 12345 hotline and assessment (plus a 30-day horizon), with the slow
feedbacks of :mod:`govsim.model.adaptation` on, in a few paired replications per arm.
Each year's cases are tallied as they stood 30 days after the year's end
(:func:`govsim.outcomes.metrics.tally`), so every year is followed alike (tallied at the
run's end, the pre-reform year's cases would count what the reform later did for them);
trust is the residents' mean at the year's end; calls to 12345 are the year's cases
reported through the hotline per 1,000 residents. Means over the replications; then, in one
replication each, every feedback alone and the sensitivity to a few of the assumed values.
With ``staff``, the pre-reform year alone at a few staff scales (its calibration)::

    PYTHONPATH=src .venv/bin/python docs/examples/reform_history.py [REPLICATIONS]
    PYTHONPATH=src .venv/bin/python docs/examples/reform_history.py staff
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
BASE = ("scenario=beijing_2019_history", f"horizon_days={FOLLOW}",
        "reference=null", "progress=false", "seed=0")
GIVE_UP = ("city.residents.repeat_call_share=0.3",)
FEEDBACKS: dict[str, str] = {
    "residents' memory": "city.residents.trust_memory_days=0",
    "hotline share follows trust": "city.residents.hotline_trust_slope=0",
    "effort's lag": "city.effort_half_life_days=0",
    "staff under pressure": "city.staff_growth_under_pressure=0",
    "staff learning": "city.learning_rate=0",
}
"""Each slow feedback of the scenario, and the override that switches it off."""
OFF = tuple(FEEDBACKS.values())
ARMS: dict[str, tuple[str, ...]] = {
    "feedbacks on": (),
    "feedbacks off (the step)": OFF,
    "feedbacks on, residents give up, audits and callbacks off": GIVE_UP,
    "feedbacks on, residents give up, callbacks 0.5 + audits 0.2": (
        *GIVE_UP, "mechanism.assessment.callback_share=0.5",
        "mechanism.assessment.audit_share=0.2"),
}
ALONE: dict[str, tuple[str, ...]] = {
    f"{name} alone": tuple(o for o in OFF if o != off) for name, off in FEEDBACKS.items()}
"""Each feedback on with the others off (one replication)."""
SENSITIVITY: dict[str, tuple[str, ...]] = {
    "`city.learning_rate=0.1` (slower learning)": ("city.learning_rate=0.1",),
    "`city.learning_floor=0.7` (learning capped sooner)": ("city.learning_floor=0.7",),
    "`city.staff_growth_under_pressure=2` (fewer hands gained)": (
        "city.staff_growth_under_pressure=2",),
    "`city.staff_scale=0.25` (fewer hands to start)": ("city.staff_scale=0.25",),
    "`city.residents.hotline_trust_slope=0` (the hotline's share fixed)": (
        "city.residents.hotline_trust_slope=0",),
}
"""One change to the scenario each (one replication)."""
COLUMNS = ("reported", "true", "satisfied", "trust", "calls to 12345 per 1,000")
FIGURE = Path(__file__).resolve().parents[1] / "figures" / "reform_history.png"


STAFF_SCALES = (0.4, 0.36, 0.28, 0.25)
"""Staff scales of the pre-reform city tried in its calibration (``staff`` argument)."""


def history(overrides: tuple[str, ...], replications: int,
            reform_years: int = REFORM_YEARS) -> np.ndarray:
    """Per year (pre-reform first) and column: the mean over the replications."""
    days = max(reform_years * YEAR + FOLLOW, FOLLOW + 1)  # more days than the horizon
    cfg = compose([*BASE, f"days={days}", *overrides])
    values = np.zeros((replications, reform_years + 1, len(COLUMNS)))
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


def calibration() -> None:
    """The pre-reform year's true resolution and satisfaction at a few staff scales."""
    print("| `city.staff_scale` | pre-reform true resolved | satisfied |")
    print("| --- | --- | --- |")
    for scale in STAFF_SCALES:
        row = history((f"city.staff_scale={scale}",), 1, reform_years=0)[0]
        print(f"| {scale:g} | {row[1]:.3f} | {row[2]:.3f} |", flush=True)


def main() -> None:
    """Print the markdown tables (the arms, each feedback alone, the sensitivity); draw.

    With the argument ``staff``, print the pre-reform year's calibration instead.
    """
    if sys.argv[1:] == ["staff"]:
        calibration()
        return
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
    print("\n| feedback (the others off) | true resolved | satisfied | trust | calls to 12345 "
          "per 1,000 |")
    print("| --- | --- | --- | --- | --- |")
    for name, overrides in ALONE.items():
        rows = history(overrides, 1)
        print(f"| {name} | " + " | ".join(
            f"{rows[0, c]:{f}} → {rows[-1, c]:{f}}"
            for c, f in ((1, ".2f"), (2, ".2f"), (3, ".2f"), (4, ".0f"))) + " |", flush=True)
    years = " | ".join(f"year {year}" for year in range(1, REFORM_YEARS + 1))
    print(f"\n| change | pre-reform | {years} | calls to 12345 per 1,000 |")
    print("| --- " * (REFORM_YEARS + 3) + "|")
    for name, overrides in SENSITIVITY.items():
        rows = history(overrides, 1)
        print(f"| {name} | " + " | ".join(f"{true:.2f} / {satisfied:.2f}"
                                          for _, true, satisfied, *_ in rows)
              + f" | {rows[0, 4]:.0f} → {rows[-1, 4]:.0f} |", flush=True)


if __name__ == "__main__":
    main()
