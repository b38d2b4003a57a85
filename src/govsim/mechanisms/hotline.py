"""Residents whistle, departments report: the 12345 hotline (百姓吹哨、接诉即办; 001, 002).

From streets whistling to residents whistling (001); Dongguan links 12345 to its grids (002).
Residents call the hotline: reporting becomes easier and quicker. The unit that first
receives a hotline case owns it (首接负责制): when the street cannot settle it, the
departments it needs must report to the street as for a street whistle (residents' calls
trigger the same obligation). The hotline sets a time limit by urgency (general 7 days,
complex 15 days, urgent 24 h, emergency 2 h) and scores units on meeting it
(``hotline_within_limit_share``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from govsim.config import nonnegative, probability
from govsim.ledger import Status
from govsim.levers import scaled
from govsim.mechanisms.base import Mechanism, MechanismConfig
from govsim.streams import Purpose

if TYPE_CHECKING:
    from govsim.flow import CaseFlow
    from govsim.ledger import CaseLedger
    from govsim.levers import Levers
    from govsim.model import GovernanceModel

__all__ = ["Hotline", "HotlineConfig"]


def _time_limits() -> dict[str, float]:
    return {"general": 7.0, "complex": 15.0, "urgent": 1.0, "emergency": 2.0 / 24.0}


def _urgency() -> dict[str, str]:
    return {"labour_wage_dispute": "complex", "property_dispute": "complex",
            "public_safety_hazard": "urgent"}


@dataclass
class HotlineConfig(MechanismConfig):
    """Parameters of the 12345 hotline."""

    report_uplift: float = nonnegative(0.3, "relative")
    report_delay_factor: float = probability(0.3)
    hotline_share: float = probability(0.5)
    compliance: float = probability(0.9)
    deadline_days: float = nonnegative(1.0, "days")
    time_limit_days: dict[str, float] = field(default_factory=_time_limits)
    urgency: dict[str, str] = field(default_factory=_urgency)


class Hotline(Mechanism):
    """The 12345 hotline: easier reporting, first-receiver ownership, time limits."""

    name = "hotline"
    label_zh = "百姓吹哨、接诉即办(12345)"
    effect = ("share of cases reported by residents ↑, days to being known ↓, share at or below "
              "the street ↑")
    source = "001 (从街巷吹哨到百姓吹哨), 002 (Dongguan 智网工程 ↔ 12345)"
    assumption = ("Reporting probability × (1 + report_uplift) and report delay × "
                  "report_delay_factor; a share hotline_share of reported cases come through "
                  "the hotline; when the street cannot settle such a case the departments "
                  "answer (probability compliance) and handle it at the street.")
    config_class = HotlineConfig

    def __init__(self, params: HotlineConfig, model: GovernanceModel) -> None:
        super().__init__(params, model)
        names = model.city.case_type_names
        limits = params.time_limit_days
        self.limit_by_type = np.array(
            [limits[params.urgency.get(name, "general")] for name in names])

    def apply(self, levers: Levers, intensity: float) -> None:
        """Easier and quicker reporting."""
        levers.report *= scaled(1.0 + self.params.report_uplift, intensity)
        levers.report_delay *= scaled(self.params.report_delay_factor, intensity)

    def on_admit(self, ledger: CaseLedger, ids: np.ndarray, intensity: float) -> None:
        """Mark the reported cases that come through the hotline."""
        via = ledger.reported[ids] & (ledger.u_channel[ids] < self.params.hotline_share)
        ledger.via_hotline[ids] = via

    def on_street_unsettled(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Departments must report to the street for a hotline case."""
        led = flow.ledger
        if not led.via_hotline[case]:
            return False
        led.whistled[case] = True
        flow.counters.whistles += 1
        joins = [flow.departments[s].answers_whistle(
                     led.next_draw(case, Purpose.CASE_ROUTE), self.params.compliance)
                 for s in flow.department_stations(case)]
        flow.handle_at_street(now, case, joins, now + self.params.deadline_days)
        return True

    def metrics(self, model: GovernanceModel, window: np.ndarray) -> dict[str, float]:
        """Share of hotline cases resolved within their time limit."""
        led = model.ledger
        n = len(led)
        hotline = window & led.via_hotline[:n]
        if not hotline.any():
            return {"hotline_within_limit_share": float("nan")}
        days = led.closed[:n][hotline] - led.known[:n][hotline]
        limit = self.limit_by_type[led.case_type[:n][hotline]]
        met = (led.status[:n][hotline] == Status.RESOLVED) & (days <= limit)
        return {"hotline_within_limit_share": float(met.mean())}
