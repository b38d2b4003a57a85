"""Assessment (考核; sources 000, 002, 004).

Quantified targets, monthly reviews, quarterly supervision, rewards and penalties.
The weight of assessment makes departments answer forwarded cases sooner and join
whistled and hotline cases at the street more often, and costs staff time for reporting
and review. It is the one place where the weight of assessment is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, number, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["Assessment", "AssessmentConfig"]


@dataclass
class AssessmentConfig(MechanismConfig):
    """Parameters of assessment."""

    weight: float = probability()
    responsiveness_gain: float = probability()
    compliance_gain: float = number(0.0, 5.0, "relative",
                                    acts_in=("mechanism=[assessment,whistle]",))
    reporting_overhead: float = number(0.0, 5.0, "share of department hours")


class Assessment(Mechanism):
    """Assessment weight: faster answers and more whistle compliance, at a staff cost."""

    name = "assessment"
    label_zh = "考核评价(定量考核、督导考评)"
    effect = ("time to resolution ↓, departments joining whistled and hotline cases ↑, "
              "department staff time ↑")
    source = "000 (考核评估责任化, 督导考评指挥棒), 004 (定量考核、评价奖惩), 002"
    assumption = ("Response delay × (1 − responsiveness_gain × weight); probability that "
                  "departments join whistled and hotline cases × (1 + compliance_gain × "
                  "weight); department hours × (1 + reporting_overhead × weight).")
    config_class = AssessmentConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Responsiveness and compliance up, staff time up."""
        p: AssessmentConfig = self.params
        levers.response_delay *= scaled(1.0 - p.responsiveness_gain * p.weight, intensity)
        levers.department_compliance *= scaled(1.0 + p.compliance_gain * p.weight, intensity)
        levers.department_time *= scaled(1.0 + p.reporting_overhead * p.weight, intensity)
