"""Street whistles, departments report (街巷吹哨、部门报到; sources 001, 004).

When the street cannot settle a case alone it whistles; each department the case needs
decides whether to report to the street. A department that answers puts the case at the
head of its queue and a staff member handles it jointly at the street within the
deadline if it can; the department's part then counts as done at street level. A
department that does not answer gets the part by ordinary forwarding (baseline routing).
The case is resolved at the street only if every department answered.

Assumptions (documented in docs/ODD.md): the probability of answering rises linearly with
the weight of the street's assessment in the department's performance evaluation
(考核, sources 000, 004); while a whistle is pending the case is in hand and does not
escalate; joint handling takes ``hours.joint`` of staff time from each department, so many
whistles crowd out the departments' other work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from govsim.config import count, nonnegative, probability
from govsim.mechanisms.base import Mechanism, MechanismConfig
from govsim.streams import Purpose

if TYPE_CHECKING:
    from govsim.flow import CaseFlow

__all__ = ["StreetWhistle", "WhistleConfig"]


@dataclass
class WhistleConfig(MechanismConfig):
    """Parameters of the street whistle."""

    deadline_days: float = nonnegative(1.0, "days")
    min_departments: int = count(1, "departments")
    assessment_weight: float = probability(0.5)
    compliance_at_zero_weight: float = probability(0.6)
    compliance_at_full_weight: float = probability(1.0)

    @property
    def compliance(self) -> float:
        """Probability that a department answers a whistle, given the assessment weight."""
        low, high = self.compliance_at_zero_weight, self.compliance_at_full_weight
        return low + (high - low) * self.assessment_weight


class StreetWhistle(Mechanism):
    """The street whistles for cases it cannot settle; departments report to the street."""

    name = "whistle"
    label_zh = "街巷吹哨、部门报到"
    effect = ("share resolved at or below the street ↑, time to resolution ↓, department staff "
              "time per case ↑; with little department capacity, department backlogs grow")
    source = "001 (街巷吹哨、部门报到 → 百姓吹哨), 004 (Pingliang: 街道吹哨、部门报到)"
    assumption = ("Each department a whistled case needs answers with a probability rising "
                  "linearly with the assessment weight; answered parts are handled jointly at "
                  "the street at the head of the department's queue; refused parts are "
                  "forwarded. Resolved at the street only if every department answered.")
    config_class = WhistleConfig

    def claims(self, flow: CaseFlow, case: int) -> bool:
        """Whether this mechanism whistles for the case."""
        return len(flow.department_stations(case)) >= self.params.min_departments

    def on_street_unsettled(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Whistle for the case if it needs enough departments."""
        if not self.claims(flow, case):
            return False
        params: WhistleConfig = self.params
        led = flow.ledger
        led.whistled[case] = True
        flow.counters.whistles += 1
        flow.streets[int(led.street[case])].whistles += 1
        compliance = min(1.0, params.compliance * flow.levers.whistle_compliance)
        joins = [flow.departments[station].answers_whistle(
                     led.next_draw(case, Purpose.CASE_ROUTE), compliance)
                 for station in flow.department_stations(case)]
        flow.handle_at_street(now, case, joins, now + params.deadline_days)
        return True
