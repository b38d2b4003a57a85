"""One-stop comprehensive governance centre (综治中心; sources 003, 004).

一站式接收、一揽子调处、全链条解决 (003); centres at city, county and township (004).
One door receives every case and follows it to the end: departments keep staff stationed
in the centre, who handle a share of the parts at the street; the rest are forwarded
with fewer bounces and faster answers because the centre follows them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from govsim.config import nonnegative, probability
from govsim.levers import scaled
from govsim.mechanisms.base import Mechanism, MechanismConfig
from govsim.streams import Purpose

if TYPE_CHECKING:
    from govsim.flow import CaseFlow
    from govsim.levers import Levers

__all__ = ["CentreConfig", "OneStopCentre"]


@dataclass
class CentreConfig(MechanismConfig):
    """Parameters of the one-stop centre."""

    stationed_share: float = probability(0.5)
    bounce_reduction: float = probability(0.7)
    follow_up_delay_factor: float = probability(0.6)
    deadline_days: float = nonnegative(2.0, "days")


class OneStopCentre(Mechanism):
    """Single intake, stationed department staff, follow-up to the end."""

    name = "centre"
    label_zh = "综治中心(一站式接收、一揽子调处、全链条解决)"
    effect = "bounces ↓, time to resolution ↓, share at or below the street ↑"
    source = "003 (Zhaoqing: one door, one network, at most one trip), 004 (three-level centres)"
    assumption = ("Each department part is handled at the street by stationed staff with "
                  "probability stationed_share; forwarded parts bounce × (1 − "
                  "bounce_reduction) and wait × follow_up_delay_factor.")
    config_class = CentreConfig

    def apply(self, levers: Levers, intensity: float) -> None:
        """Fewer bounces and faster answers to forwarded cases."""
        levers.bounce *= scaled(1.0 - self.params.bounce_reduction, intensity)
        levers.response_delay *= scaled(self.params.follow_up_delay_factor, intensity)

    def on_street_unsettled(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Stationed staff take the parts they can at the centre."""
        led = flow.ledger
        joins = [led.next_draw(case, Purpose.CASE_ROUTE) < self.params.stationed_share
                 for _ in flow.department_stations(case)]
        if not any(joins):
            return False
        flow.handle_at_street(now, case, joins, now + self.params.deadline_days)
        return True
