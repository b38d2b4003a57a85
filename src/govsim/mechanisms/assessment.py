"""Assessment (考核; sources 000, 002, 004).

Quantified targets, monthly reviews, quarterly supervision, rewards and penalties.
The weight of assessment makes departments answer forwarded cases sooner and join
whistled and hotline cases at the street more often, and costs staff time for reporting
and review. It is the one place where the weight of assessment is set. Every
``period_days`` streets and departments are ranked on the three rates of their cases; a
unit low in the ranking works harder (``effort_gain``) and may close cases as resolved
without solving them (``gaming``; 重办结、轻解决); a street office low in it may close a case
it cannot settle alone as outside its remit (``decline``; 解释说明, 不予受理). Such a
closure is in the books at once; it is caught and reopened by a callback to the resident
(回访, ``callback_share`` of closures), a spot audit (督查, ``audit_share``) or the resident
calling again (``city.residents.repeat_call_share``), and stands if none catches it
(DOMAIN.md, "How the rates are read, and how they can be gamed").
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, integer, number, probability
from govsim.mechanisms.base import Mechanism, Point, Ranking
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["Assessment", "AssessmentConfig"]


_GAMED = ("mechanism=assessment", "mechanism.assessment.weight=1", "mechanism.assessment.gaming=1")
"""Where the checks of closures have false closures to catch: full weight, full gaming."""
_GIVEN_UP = ("city.residents.repeat_call_share=0",)
"""And no resident calls again, so only the checks catch them."""


@dataclass
class AssessmentConfig(MechanismConfig):
    """Parameters of assessment."""

    weight: float = probability()
    responsiveness_gain: float = probability()
    compliance_gain: float = number(
        0.0,
        5.0,
        "relative",
        acts_in=(
            "mechanism=[assessment,whistle]",
            "mechanism.assessment.weight=1",
            "mechanism.whistle.compliance=0.15",
        ),
    )
    """Departments' answer × (1 + gain × weight), at most certain: a gain acts up to the
    point where departments always answer (at compliance 0.15 and full weight, all of it)."""
    reporting_overhead: float = number(0.0, 5.0, "share of department hours")
    period_days: int = integer(
        1,
        365,
        "days",
        acts_in=(
            "mechanism=assessment",
            "mechanism.assessment.weight=1",
            "mechanism.assessment.effort_gain=1",
        ),
    )
    """Days between reviews: the ranking, and the effort it spurs, follow the last period."""
    effort_gain: float = probability()
    gaming: float = probability()
    decline: float = probability(acts_in=("mechanism=assessment", "mechanism.assessment.weight=1"))
    callback_share: float = probability("share of closures", acts_in=(*_GAMED, *_GIVEN_UP))
    callback_days: float = number(
        0.0, 30.0, "days", acts_in=(*_GAMED, "mechanism.assessment.callback_share=1", *_GIVEN_UP)
    )
    audit_share: float = probability("share of closures", acts_in=(*_GAMED, *_GIVEN_UP))
    audit_days: float = number(
        0.0, 365.0, "days", acts_in=(*_GAMED, "mechanism.assessment.audit_share=1", *_GIVEN_UP)
    )


class Assessment(Mechanism):
    """Assessment: faster answers, more whistle compliance, staff cost; closure checks."""

    name = "assessment"
    label_zh = "考核评价(定量考核、督导考评)"
    effect = (
        "time to resolution ↓, departments joining whistled and hotline cases ↑, "
        "department staff time ↑; with gaming, reported resolution above true "
        "resolution; callbacks and audits: reopened cases ↑, the gap ↓"
    )
    source = (
        "000 (考核评估责任化, 督导考评指挥棒), 004 (定量考核、评价奖惩), 002; callbacks "
        "and audits: DOMAIN.md, «How the rates are read, and how they can be gamed»"
    )
    assumption = (
        "Response delay × (1 − responsiveness_gain × weight); probability that "
        "departments join whistled and hotline cases × (1 + compliance_gain × "
        "weight); department hours × (1 + reporting_overhead × weight); every "
        "period_days units are ranked on the three rates and a unit's pressure "
        "(its rank from the top, 0–1) × weight raises its effort by effort_gain "
        "and makes it close a case unsolved with probability gaming, and a street "
        "office decline one it cannot settle alone as outside its remit "
        "(解释说明, 不予受理) with probability decline; such a "
        "closure stays in the books and is caught (the case reopened) by a "
        "callback (share callback_share of closures, within callback_days), an "
        "audit (audit_share, within audit_days) or the resident's repeat call, "
        "whichever comes first; nothing else catches it."
    )
    points = (Point.DAILY, Point.RANKING)
    config_class = AssessmentConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Responsiveness and compliance up, staff time up."""
        p: AssessmentConfig = self.params
        levers.response_delay *= scaled(1.0 - p.responsiveness_gain * p.weight, intensity)
        levers.department_compliance *= scaled(1.0 + p.compliance_gain * p.weight, intensity)
        levers.department_time *= scaled(1.0 + p.reporting_overhead * p.weight, intensity)
        levers.callback = 1.0 - (1.0 - levers.callback) * (1.0 - p.callback_share * intensity)
        levers.callback_days = p.callback_days
        levers.audit = 1.0 - (1.0 - levers.audit) * (1.0 - p.audit_share * intensity)
        levers.audit_days = p.audit_days

    def ranking(self) -> Ranking:
        """The periodic ranking of streets and departments on the three rates."""
        p: AssessmentConfig = self.params
        return Ranking(p.weight, p.period_days, p.effort_gain, p.gaming, decline=p.decline)
