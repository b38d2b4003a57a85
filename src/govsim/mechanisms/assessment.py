"""Assessment (考核; sources 000, 002, 004).

Quantified targets, monthly reviews, quarterly supervision, rewards and penalties.
The weight of assessment makes departments answer forwarded cases sooner and whistles
more often, and costs staff time for reporting and review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from govsim.config import nonnegative, probability
from govsim.levers import scaled
from govsim.mechanisms.base import Mechanism, MechanismConfig

if TYPE_CHECKING:
    from govsim.levers import Levers

__all__ = ["Assessment", "AssessmentConfig"]


@dataclass
class AssessmentConfig(MechanismConfig):
    """Parameters of assessment."""

    weight: float = probability(0.5)
    responsiveness_gain: float = probability(0.5)
    compliance_gain: float = nonnegative(0.3, "relative")
    reporting_overhead: float = nonnegative(0.1, "share of department hours")


class Assessment(Mechanism):
    """Assessment weight: faster answers and more whistle compliance, at a staff cost."""

    name = "assessment"
    label_zh = "考核评价(定量考核、督导考评)"
    effect = "time to resolution ↓, whistle compliance ↑, department staff time ↑"
    source = "000 (考核评估责任化, 督导考评指挥棒), 004 (定量考核、评价奖惩), 002"
    assumption = ("Response delay × (1 − responsiveness_gain × weight); whistle compliance × "
                  "(1 + compliance_gain × weight); department hours × (1 + "
                  "reporting_overhead × weight).")
    config_class = AssessmentConfig

    def apply(self, levers: Levers, intensity: float) -> None:
        """Responsiveness and compliance up, staff time up."""
        p: AssessmentConfig = self.params
        levers.response_delay *= scaled(1.0 - p.responsiveness_gain * p.weight, intensity)
        levers.whistle_compliance *= scaled(1.0 + p.compliance_gain * p.weight, intensity)
        levers.department_time *= scaled(1.0 + p.reporting_overhead * p.weight, intensity)
