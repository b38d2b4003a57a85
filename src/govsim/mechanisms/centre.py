"""One-stop comprehensive governance centre (综治中心; sources 003, 004).

一站式接收、一揽子调处、全链条解决 (003); centres at city, county and township (004).
One door receives every case and follows it to the end: departments keep staff stationed
in the centre, who handle a share of the parts at the street; the rest are forwarded
with fewer bounces and faster answers because the centre follows them up.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, probability
from govsim.mechanisms.base import JointHandling, Mechanism, Point, joint_deadline
from govsim.mechanisms.levers import Levers, scaled
from govsim.mechanisms.precedence import Decision

__all__ = ["CentreConfig", "OneStopCentre"]


@dataclass
class CentreConfig(MechanismConfig):
    """Parameters of the one-stop centre."""

    stationed_share: float = probability("share of department parts")
    bounce_reduction: float = probability()
    follow_up_delay_factor: float = probability("factor")
    deadline_days: float = joint_deadline(acts_in=("mechanism=centre", "city.case_load_scale=3"))
    """Days for departments to start joint work (matters where they are loaded: acts_in)."""


class OneStopCentre(Mechanism):
    """Single intake, stationed department staff, follow-up to the end."""

    name = "centre"
    label_zh = "综治中心(一站式接收、一揽子调处、全链条解决)"
    effect = "bounces ↓, time to resolution ↓, share settled at or below the street ↑"
    source = "003 (Zhaoqing: one door, one network, at most one trip), 004 (three-level centres)"
    assumption = (
        "Each department part is handled at the street by stationed staff with "
        "probability stationed_share (the centre declines a case none of whose "
        "parts it can take); forwarded parts bounce × (1 − bounce_reduction) and "
        "wait × follow_up_delay_factor."
    )
    points = (Point.DAILY, Point.STREET_UNSETTLED, Point.DEADLINE)
    decisions = frozenset({Decision.STREET_UNSETTLED})
    config_class = CentreConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Fewer bounces and faster answers to forwarded cases."""
        levers.bounce *= scaled(1.0 - self.params.bounce_reduction, intensity)
        levers.response_delay *= scaled(self.params.follow_up_delay_factor, intensity)

    def joint_handling(self, levers: Levers) -> JointHandling:
        """Stationed staff take the parts they can at the centre."""
        return JointHandling(
            join_probability=self.params.stationed_share,
            deadline_days=self.params.deadline_days,
            needs_a_joiner=True,
        )
