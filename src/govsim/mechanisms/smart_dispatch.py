"""Smart dispatch and early warning (智治: 智慧宝安 auto-dispatch, 社情地图; source 003).

A system routes specialised cases to the right department automatically, wrong with a
small misrouting probability instead of the departments' bounce rates; an early-warning
map flags a share of grievances before they escalate, slowing their escalation.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["SmartDispatch", "SmartDispatchConfig"]


@dataclass
class SmartDispatchConfig(MechanismConfig):
    """Parameters of smart dispatch and early warning."""

    misrouting_prob: float = probability()
    warning_coverage: float = probability()
    warning_effect: float = probability()


class SmartDispatch(Mechanism):
    """Automatic routing with a misrouting probability; early warning of escalation."""

    name = "smart_dispatch"
    label_zh = "智慧分拨与社情预警(智慧宝安、社情地图)"
    effect = "bounces → misrouting probability; petitions ↓ (early warning)"
    source = "003 (Shenzhen Bao'an auto-dispatch; Shantou 社情地图 of 50 categories)"
    assumption = (
        "Bounce probability moves from each department's rate to misrouting_prob; "
        "escalation hazard × (1 − warning_coverage × warning_effect)."
    )
    config_class = SmartDispatchConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Replace bounces by misrouting; flag grievances early."""
        p: SmartDispatchConfig = self.params
        levers.misrouting = p.misrouting_prob
        levers.misrouting_weight = max(levers.misrouting_weight, intensity)
        levers.escalation *= scaled(1.0 - p.warning_coverage * p.warning_effect, intensity)
