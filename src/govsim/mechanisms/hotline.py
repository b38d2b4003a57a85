"""Residents whistle, departments report: the 12345 hotline (百姓吹哨、接诉即办; 001, 002).

From streets whistling to residents whistling (001); Dongguan links 12345 to its grids
(002). Residents call the hotline: reporting becomes easier and quicker. The unit that
first receives a hotline case owns it (首接负责制): when the street cannot settle it, the
departments it needs must report to the street as for a street whistle (residents' calls
trigger the same obligation). Time limits by urgency apply to every case
(``city.time_limit_days``) and are scored by ``response_rate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govsim.config.schema import MechanismConfig, number, probability
from govsim.mechanisms.base import JointHandling, Mechanism, Point
from govsim.mechanisms.levers import Levers, scaled
from govsim.mechanisms.precedence import Decision

__all__ = ["Hotline", "HotlineConfig"]


@dataclass
class HotlineConfig(MechanismConfig):
    """Parameters of the 12345 hotline."""

    report_uplift: float = number(0.0, 5.0, "relative")
    report_delay_factor: float = probability("factor")
    hotline_share: float = probability("share of reported cases")
    compliance: float = probability()
    deadline_days: float = number(0.0, 30.0, "days")


class Hotline(Mechanism):
    """The 12345 hotline: easier reporting, first-receiver ownership."""

    name = "hotline"
    label_zh = "百姓吹哨、接诉即办(12345)"
    effect = ("share of cases reported by residents ↑, days to being known ↓, share settled "
              "at or below the street ↑")
    source = "001 (从街巷吹哨到百姓吹哨), 002 (Dongguan 智网工程 ↔ 12345)"
    assumption = ("Reporting probability × (1 + report_uplift) and report delay × "
                  "report_delay_factor; a share hotline_share of reported cases come through "
                  "the hotline; when the street cannot settle such a case the departments "
                  "answer (probability compliance × department_compliance) and handle it at "
                  "the street.")
    points = (Point.DAILY, Point.ADMISSION, Point.STREET_UNSETTLED)
    decisions = frozenset({Decision.STREET_UNSETTLED})
    config_class = HotlineConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Easier and quicker reporting."""
        levers.report *= scaled(1.0 + self.params.report_uplift, intensity)
        levers.report_delay *= scaled(self.params.report_delay_factor, intensity)

    def admission(self, reported: np.ndarray, u_channel: np.ndarray) -> dict[str, np.ndarray]:
        """The reported cases that come through the hotline."""
        return {"via_hotline": reported & (u_channel < self.params.hotline_share)}

    def joint_handling(self, levers: Levers) -> JointHandling:
        """Departments must report to the street for a hotline case."""
        p: HotlineConfig = self.params
        return JointHandling(
            join_probability=min(1.0, p.compliance * levers.department_compliance),
            deadline_days=p.deadline_days, hotline_only=True, whistle=True)
