"""Diversified dispute resolution: the mediation ladder (多元解纷; sources 001, 003).

People's mediation is strengthened at the base; a dispute that still goes above the
street climbs a ladder — administrative mediation, then judicial (court-annexed)
mediation — before it reaches litigation (consultation → mediation → arbitration →
administrative reconsideration → litigation, source 001; people's, administrative and
judicial mediation complement each other, source 003).
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.city.levels import Level
from govsim.config.schema import MechanismConfig, number, probability
from govsim.mechanisms.base import Mechanism, Point, Rung
from govsim.mechanisms.levers import Levers, scaled
from govsim.mechanisms.precedence import Decision

__all__ = ["LadderConfig", "MediationLadder"]


@dataclass
class LadderConfig(MechanismConfig):
    """Parameters of the mediation ladder."""

    peoples_mediation_gain: float = probability()
    administrative_success: float = probability()
    administrative_days: float = number(0.1, 365.0, "days")
    judicial_success: float = probability(
        acts_in=(
            "mechanism=mediation_ladder",
            "mechanism.mediation_ladder.administrative_success=0",
            "city.residents.petition_trust_threshold=1",
            "city.residents.petition_propensity=1",
        )
    )
    """Matters for the disputes administrative mediation leaves (acts_in: all of them, with
    every reporting resident petitioning, so that many disputes go above the street)."""
    judicial_days: float = number(0.1, 365.0, "days")


class MediationLadder(Mechanism):
    """Stronger people's mediation; administrative and judicial mediation before litigation."""

    name = "mediation_ladder"
    label_zh = "多元解纷(人民调解、行政调解、司法调解)"
    effect = "disputes reaching petition office or court ↓, community settlements ↑"
    source = "001 (协商→调解→仲裁→行政复议→诉讼), 003 (大调解: 人民、行政、司法调解)"
    assumption = (
        "Community mediation failure × (1 − peoples_mediation_gain); a dispute "
        "going above the street first tries administrative mediation (level "
        "DEPARTMENT) then judicial mediation (level ABOVE), each an exponential "
        "delay with its mean and a success probability, before litigation."
    )
    points = (Point.DAILY, Point.ESCALATION)
    decisions = frozenset({Decision.ESCALATION})
    config_class = LadderConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Stronger people's mediation."""
        levers.mediation_failure *= scaled(1.0 - self.params.peoples_mediation_gain, intensity)

    def ladder(self) -> tuple[Rung, ...]:
        """Administrative, then judicial mediation."""
        p: LadderConfig = self.params
        return (
            Rung(Level.DEPARTMENT, p.administrative_success, p.administrative_days),
            Rung(Level.ABOVE, p.judicial_success, p.judicial_days),
        )
