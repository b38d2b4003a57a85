"""Reported and true resolution year by year: ``docs/reported_vs_true.md``'s table.

``scenario=beijing_2019_hotline`` (a pre-reform year, then the whistle, the 12345 hotline
and assessment at full weight) runs a pre-reform year and two reform years plus a 30-day
horizon, in a few paired replications per arm. Each year's cases are tallied by the run's
end (:func:`govsim.outcomes.metrics.tally`): reported resolution (the units' books),
true resolution, the reopen rate and satisfaction, means over the replications::

    PYTHONPATH=src .venv/bin/python docs/examples/reported_vs_true.py [REPLICATIONS]
"""

from __future__ import annotations

import sys

import numpy as np

from govsim.composition.compose import compose
from govsim.model.model import GovernanceModel
from govsim.outcomes.metrics import tally

YEAR = 365
REFORM_YEARS = 2
BASE = ("scenario=beijing_2019_hotline", f"days={REFORM_YEARS * YEAR + 30}", "horizon_days=30",
        "reference=null", "progress=false", "seed=0")
CHECKS = ("mechanism.assessment.callback_share=0.5", "mechanism.assessment.audit_share=0.2")
GIVE_UP = ("city.residents.repeat_call_share=0.3",)
NO_RANKING = ("mechanism=[whistle,hotline]", "mechanism.hotline.ranking_weight=0")
ARMS: dict[str, tuple[str, ...]] = {
    "no assessment, no hotline ranking": NO_RANKING,
    "assessment, checks off": (),
    "assessment, callbacks 0.5 + audits 0.2": CHECKS,
    "residents give up (repeat calls 0.3): no assessment": (*NO_RANKING, *GIVE_UP),
    "residents give up: assessment, checks off": GIVE_UP,
    "residents give up: assessment, callbacks 0.5 + audits 0.2": (*GIVE_UP, *CHECKS),
}
MEASURES = ("resolution_rate", "true_resolution_rate", "reopen_rate", "satisfaction_rate")


def year_rows(overrides: tuple[str, ...], replications: int) -> list[list[float]]:
    """Per year (pre-reform first): the mean of each measure over the replications."""
    cfg = compose([*BASE, *overrides])
    values = np.zeros((replications, REFORM_YEARS + 1, len(MEASURES)))
    for replication in range(replications):
        model = GovernanceModel(cfg, replication=replication)
        model.run_model()
        led = model.ledger
        arisen = led.arisen[: len(led)] - model.reform_day
        for year in range(REFORM_YEARS + 1):
            start = (year - 1) * YEAR
            cases = (arisen >= start) & (arisen < start + YEAR)
            t = tally(led, cases, float(cfg.horizon_days))
            values[replication, year] = [getattr(t, m) for m in MEASURES]
    return values.mean(axis=0).tolist()


def main() -> None:
    """Print the markdown table."""
    replications = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print("| arm | year | reported | true | reported − true | reopened | satisfied |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, overrides in ARMS.items():
        for year, (reported, true, reopened, satisfied) in enumerate(
                year_rows(overrides, replications)):
            label = "pre-reform" if year == 0 else f"reform year {year}"
            print(f"| {name} | {label} | {reported:.4f} | {true:.4f} | {reported - true:.4f} | "
                  f"{reopened:.4f} | {satisfied:.3f} |", flush=True)


if __name__ == "__main__":
    main()
