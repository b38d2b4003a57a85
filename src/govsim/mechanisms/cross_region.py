"""Cross-region coordination (片区协作: 矛盾联排、风险联控、事件联处; source 000).

A share of cases span two streets (city: ``cross_region_share``); without coordination
each side waits on the other (``cross_region_delay_days``) before the street takes the
case up. Joint screening and handling removes most of that wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["CrossRegion", "CrossRegionConfig"]


@dataclass
class CrossRegionConfig(MechanismConfig):
    """Parameters of cross-region coordination."""

    joint_handling_effect: float = probability()


class CrossRegion(Mechanism):
    """Neighbouring jurisdictions screen and handle boundary cases jointly."""

    name = "cross_region"
    label_zh = "片区协作(矛盾联排、风险联控、事件联处)"
    effect = "time to resolution of boundary cases ↓, petitions ↓"
    source = "000 (片区协作, 矛盾联排、风险联控、事件联处)"
    assumption = "Cross-boundary wait × (1 − joint_handling_effect)."
    config_class = CrossRegionConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Shorter waits for the other side."""
        levers.cross_region_delay *= scaled(1.0 - self.params.joint_handling_effect, intensity)
