"""Volunteers and sentinels (志愿者、哨点; source 003).

Building heads, safety volunteers and mass organisations act as sentinels: they find
cases that residents do not report and grid workers do not see — most where residents
are hard to reach (a migrant "stranger society"). Shenzhen Guangming has 30,000+ safety
volunteers from 14 groups (003).
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, number
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers

__all__ = ["Volunteers", "VolunteersConfig"]


@dataclass
class VolunteersConfig(MechanismConfig):
    """Parameters of volunteers and sentinels."""

    volunteers_per_grid: float = number(0.0, 1000.0, "volunteers")
    discovery_per_volunteer: float = number(0.0, 1.0, "1 / day")


class Volunteers(Mechanism):
    """Volunteers add to the discovery of unreported cases."""

    name = "volunteers"
    label_zh = "平安志愿者、群团哨点"
    effect = "days to being known ↓, petitions ↓ (most where reporting is low)"
    source = "003 (Shenzhen Guangming: 30,000+ safety volunteers from 14 groups; 群团组织哨点)"
    assumption = "Discovery rate + volunteers_per_grid × discovery_per_volunteer."
    config_class = VolunteersConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """More unreported cases are found."""
        p: VolunteersConfig = self.params
        levers.discovery_extra += intensity * p.volunteers_per_grid * p.discovery_per_volunteer
