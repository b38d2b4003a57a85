"""Street whistles, departments report (街巷吹哨、部门报到; sources 001, 004).

When the street cannot settle a case alone it whistles; each department the case needs
decides whether to report to the street. A department that answers puts the case at the
head of its queue and a staff member handles it jointly at the street; a department that
does not answer gets its part by ordinary forwarding (baseline routing). The case is
settled at the street (the venue) if every department answered; the department staff's
work still counts against the case being *handled* at or below the street.

Assumptions (docs/ODD.md): departments answer with probability ``compliance``, raised by
assessment (考核, the ``assessment`` mechanism); while a joint job is pending the case is in
hand and does not escalate; joint handling takes ``hours.joint`` of one department staff
member, so many whistles crowd out the departments' other work.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import (
    MOST_DEPARTMENTS,
    MechanismConfig,
    integer,
    probability,
)
from govsim.mechanisms.base import JointHandling, Mechanism, Point, joint_deadline
from govsim.mechanisms.levers import Levers
from govsim.mechanisms.precedence import Decision

__all__ = ["StreetWhistle", "WhistleConfig"]


@dataclass
class WhistleConfig(MechanismConfig):
    """Parameters of the street whistle."""

    deadline_days: float = joint_deadline()
    min_departments: int = integer(1, 7, "departments", city_high=MOST_DEPARTMENTS)
    """Whistle for the cases needing at least this many departments; above the most any case
    type of the city needs, no case is whistled (refused when the city is checked)."""
    compliance: float = probability()


class StreetWhistle(Mechanism):
    """The street whistles for cases it cannot settle; departments report to the street."""

    name = "whistle"
    label_zh = "街巷吹哨、部门报到"
    effect = (
        "share settled at or below the street ↑ (venue), time to resolution ↓, "
        "department staff time per case ↑; with little department capacity, "
        "department backlogs grow"
    )
    source = "001 (街巷吹哨、部门报到 → 百姓吹哨), 004 (Pingliang: 街道吹哨、部门报到)"
    assumption = (
        "Each department a whistled case needs answers with probability compliance "
        "× the day's department_compliance (assessment); answered parts are handled "
        "jointly at the street at the head of the department's queue; refused parts "
        "are forwarded. Settled at the street only if every department answered."
    )
    points = (Point.STREET_UNSETTLED, Point.DEADLINE)
    decisions = frozenset({Decision.STREET_UNSETTLED})
    config_class = WhistleConfig

    def joint_handling(self, levers: Levers) -> JointHandling:
        """Whistle for every case needing at least ``min_departments`` departments."""
        p: WhistleConfig = self.params
        return JointHandling(
            join_probability=min(1.0, p.compliance * levers.department_compliance),
            deadline_days=p.deadline_days,
            min_departments=p.min_departments,
            whistle=True,
        )
