"""Psychological services (粤心安: 100% of townships/streets in Guangdong; source 003).

"Don't let a knot in the heart become a dead knot": early psychological support slows the
escalation of a grievance.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["PsychConfig", "PsychServices"]


@dataclass
class PsychConfig(MechanismConfig):
    """Parameters of psychological services."""

    escalation_reduction: float = probability()


class PsychServices(Mechanism):
    """Psychological service rooms slow the escalation of disputes."""

    name = "psych"
    label_zh = "心理服务(粤心安)"
    effect = "petitions and collective incidents ↓"
    source = "003 (粤心安: 心理服务室 100% of townships, 98.8% of villages)"
    assumption = "Dispute escalation hazard × (1 − escalation_reduction)."
    config_class = PsychConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Grievances escalate more slowly."""
        levers.dispute_escalation *= scaled(1.0 - self.params.escalation_reduction, intensity)
