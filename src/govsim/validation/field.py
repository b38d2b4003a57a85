"""Field-figure checks: model outputs beside the figures the sources report.

Each :class:`FieldCheck` runs a scenario and computes one quantity that a source reports
for the field (shared/DOMAIN.md). The model is uncalibrated; a miss is reported as a miss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from govsim.analysis.stats import mean_ci
from govsim.city.levels import Level
from govsim.config.schema import ExperimentConfig
from govsim.model.ledger import Status
from govsim.model.model import GovernanceModel
from govsim.outcomes.metrics import follow_up, tally, window

__all__ = ["FIELD_CHECKS", "FieldCheck", "run_field_check"]


def disputes_settled_at_or_below_street(model: GovernanceModel) -> float:
    """Share of the window's disputes (mediable case types) settled at or below the street."""
    led = model.ledger
    mediable = np.asarray(model.engine.table.mediable)[led.case_type[: len(led)]]
    counted = window(model) & mediable
    return tally(led, counted, follow_up(model)).share_arisen_settled_at_or_below_street


def peoples_mediation_success(model: GovernanceModel) -> float:
    """Share of the window's cases brought to community mediation that it settled."""
    led = model.ledger
    n = len(led)
    mediated = window(model) & led.mediated[:n]
    settled = (led.status[:n][mediated] == Status.RESOLVED) & (
        led.level[:n][mediated] == Level.COMMUNITY
    )
    return float(settled.mean())


@dataclass(frozen=True)
class FieldCheck:
    """A field figure and how to compute its model counterpart."""

    name: str
    field_low: float
    field_high: float
    source: str
    overrides: tuple[str, ...]
    measure: Callable[[GovernanceModel], float]


FIELD_CHECKS = [
    FieldCheck(
        "disputes settled at or below township/street (Guangdong-like scenario)",
        0.998,
        0.998,
        "003: 99.8% in Guangdong, Jan–Aug of one year",
        ("scenario=guangdong_grid_centre",),
        disputes_settled_at_or_below_street,
    ),
    FieldCheck(
        "disputes settled at or below township/street (baseline routing)",
        0.998,
        0.998,
        "003 (the reformed field figure; baseline shows the gap)",
        ("mechanism=baseline",),
        disputes_settled_at_or_below_street,
    ),
    FieldCheck(
        "people's mediation success (Guangdong-like scenario)",
        0.95,
        0.98,
        "commonly reported success of people's mediation, 95–98% (not in the seeds)",
        ("scenario=guangdong_grid_centre",),
        peoples_mediation_success,
    ),
]
"""Model outputs compared with field figures."""


def run_field_check(
    check: FieldCheck, compose: Callable[[list[str]], ExperimentConfig], replications: int = 10
) -> dict[str, object]:
    """Run a check's scenario and summarise the measure against the field figure."""
    cfg = compose([*check.overrides, "reference=null", "warmup_days=60", "days=365"])
    values = []
    for replication in range(replications):
        model = GovernanceModel(cfg, replication=replication)
        model.run_model()
        values.append(check.measure(model))
    mean, low, high = mean_ci(np.array(values))
    if high < check.field_low:
        verdict = "model below the field figure"
    elif low > check.field_high:
        verdict = "model above the field figure"
    else:
        verdict = "consistent"
    return {
        "check": check.name,
        "field": (check.field_low, check.field_high),
        "source": check.source,
        "mean": mean,
        "ci_low": low,
        "ci_high": high,
        "verdict": verdict,
        "configuration": " ".join([*check.overrides, "warmup_days=60", "days=365"]),
        "replications": replications,
    }
