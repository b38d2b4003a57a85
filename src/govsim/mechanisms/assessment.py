"""Assessment (考核; sources 000, 002, 004).

Quantified targets, monthly reviews, quarterly supervision, rewards and penalties.
The weight of assessment makes departments answer forwarded cases sooner and join
whistled and hotline cases at the street more often, and costs staff time for reporting
and review. It is the one place where the weight of assessment is set. Every
``period_days`` streets and departments are ranked on the three rates of their cases; a
unit low in the ranking works harder (``effort_gain``) and may close cases as resolved
without solving them (``gaming``), which come back as repeat calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, integer, number, probability
from govsim.mechanisms.base import Mechanism, Point, Ranking
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
    period_days: int = integer(1, 365, "days")
    effort_gain: float = probability()
    gaming: float = probability()


class Assessment(Mechanism):
    """Assessment weight: faster answers and more whistle compliance, at a staff cost."""

    name = "assessment"
    label_zh = "考核评价(定量考核、督导考评)"
    effect = ("time to resolution ↓, departments joining whistled and hotline cases ↑, "
              "department staff time ↑; with gaming, reported resolution above true "
              "resolution and reopened cases ↑")
    source = "000 (考核评估责任化, 督导考评指挥棒), 004 (定量考核、评价奖惩), 002"
    assumption = ("Response delay × (1 − responsiveness_gain × weight); probability that "
                  "departments join whistled and hotline cases × (1 + compliance_gain × "
                  "weight); department hours × (1 + reporting_overhead × weight); every "
                  "period_days units are ranked on the three rates and a unit's pressure "
                  "(its rank from the top, 0–1) × weight raises its effort by effort_gain "
                  "and makes it close a case unsolved with probability gaming.")
    points = (Point.DAILY, Point.RANKING)
    config_class = AssessmentConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Responsiveness and compliance up, staff time up."""
        p: AssessmentConfig = self.params
        levers.response_delay *= scaled(1.0 - p.responsiveness_gain * p.weight, intensity)
        levers.department_compliance *= scaled(1.0 + p.compliance_gain * p.weight, intensity)
        levers.department_time *= scaled(1.0 + p.reporting_overhead * p.weight, intensity)

    def ranking(self) -> Ranking:
        """The periodic ranking of streets and departments on the three rates."""
        p: AssessmentConfig = self.params
        return Ranking(p.weight, p.period_days, p.effort_gain, p.gaming)
