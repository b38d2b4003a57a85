"""Community burden reduction (社区事务准入; source 001).

Tasks pushed down from above consume a share of community staff time
(city: ``community_burden_share``, so each case takes 1 / (1 − share) of its hours); the
access list (准入清单) frees a share of that burden for residents' cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["BurdenConfig", "BurdenReduction"]


@dataclass
class BurdenConfig(MechanismConfig):
    """Parameters of community burden reduction."""

    freed_share: float = probability()


class BurdenReduction(Mechanism):
    """An access list frees community staff time for residents."""

    name = "burden_reduction"
    label_zh = "社区减负(社区事务准入)"
    effect = "community waits ↓, staff days per case ↓"
    source = "001 (社区工作事务准入制度, 为社区减负)"
    assumption = (
        "Community hours per case × (1 − b) / (1 − b(1 − freed_share)), b the "
        "city's community_burden_share."
    )
    config_class = BurdenConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Less of the community's time goes to tasks from above."""
        burden = self.city.config.community_burden_share
        remaining = burden * (1.0 - self.params.freed_share)
        levers.community_time *= scaled((1.0 - burden) / (1.0 - remaining), intensity)
