"""The Fengqiao experience (枫桥经验): settle early and locally (source 003, DOMAIN.md).

"小事不出村、大事不出镇、矛盾不上交": minor matters are settled in the village/community,
major ones in the township/street, and conflicts are not passed up.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["Fengqiao", "FengqiaoConfig"]


@dataclass
class FengqiaoConfig(MechanismConfig):
    """Parameters of early, local settlement."""

    village_gain: float = probability()
    township_gain: float = probability()
    escalation_reduction: float = probability()


class Fengqiao(Mechanism):
    """Community and street settle more; disputes escalate less."""

    name = "fengqiao"
    label_zh = "枫桥经验(小事不出村、大事不出镇、矛盾不上交)"
    effect = "share at or below the street ↑, petitions ↓"
    source = "003 (最大限度将矛盾化解在基层), DOMAIN.md mechanism 7"
    assumption = (
        "Community mediation failure × (1 − village_gain), street failure × "
        "(1 − township_gain), dispute escalation hazard × (1 − "
        "escalation_reduction)."
    )
    config_class = FengqiaoConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Local settlement and fewer escalations."""
        p: FengqiaoConfig = self.params
        levers.mediation_failure *= scaled(1.0 - p.village_gain, intensity)
        levers.street_failure *= scaled(1.0 - p.township_gain, intensity)
        levers.dispute_escalation *= scaled(1.0 - p.escalation_reduction, intensity)
