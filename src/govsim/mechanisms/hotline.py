"""Residents whistle, departments report: the 12345 hotline (百姓吹哨、接诉即办; 001, 002).

From streets whistling to residents whistling (001); Dongguan links 12345 to its grids
(002). A hotline exists in every city (``residents.hotline_channel_share`` of reporting residents
call it); the reform makes it the front door: more residents call it, reporting becomes
easier and quicker, and the unit that first receives a hotline case owns it (首接负责制):
when the street cannot settle it, the departments it needs must report to the street as
for a street whistle (residents' calls trigger the same obligation). Hotline cases still
unanswered past their time limit (``city.time_limit_days``) are put under supervision
(督办), and streets and departments are ranked monthly on the three rates of their hotline
cases (接诉即办, DOMAIN.md), which moves their effort — and tempts them to close cases that
are not solved.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, integer, number, probability
from govsim.mechanisms.base import JointHandling, Mechanism, Point, Ranking, joint_deadline
from govsim.mechanisms.levers import Levers, scaled
from govsim.mechanisms.precedence import Decision

__all__ = ["Hotline", "HotlineConfig"]


@dataclass
class HotlineConfig(MechanismConfig):
    """Parameters of the 12345 hotline."""

    report_uplift: float = number(0.0, 5.0, "relative")
    report_delay_factor: float = probability("factor")
    hotline_share: float = probability("share of reporting residents")
    compliance: float = probability()
    deadline_days: float = joint_deadline(acts_in=("mechanism=hotline", "city.case_load_scale=3"))
    """Days for departments to start joint work (matters where they are loaded: acts_in)."""
    ranking_weight: float = probability("weight")
    ranking_period_days: int = integer(1, 365, "days")
    ranking_effort_gain: float = probability()
    ranking_gaming: float = probability()


class Hotline(Mechanism):
    """The 12345 hotline: easier reporting, first-receiver ownership."""

    name = "hotline"
    label_zh = "百姓吹哨、接诉即办(12345)"
    effect = (
        "share of cases reported by residents ↑, days to being known ↓, share settled "
        "at or below the street ↑"
    )
    source = "001 (从街巷吹哨到百姓吹哨), 002 (Dongguan 智网工程 ↔ 12345)"
    assumption = (
        "Reporting probability × (1 + report_uplift) and report delay × "
        "report_delay_factor; a share hotline_share of reporting residents call the "
        "hotline; when the street cannot settle such a case the departments answer "
        "(probability compliance × department_compliance) and handle it at the "
        "street, or are supervised after deadline_days; overdue hotline cases are "
        "supervised (head of their queue); units are ranked every "
        "ranking_period_days on their hotline cases (weight ranking_weight, effort "
        "ranking_effort_gain, gaming ranking_gaming at full pressure) and serve "
        "hotline cases first."
    )
    points = (Point.DAILY, Point.STREET_UNSETTLED, Point.DEADLINE, Point.RANKING)
    supervises_overdue = True
    decisions = frozenset({Decision.STREET_UNSETTLED})
    config_class = HotlineConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Easier and quicker reporting."""
        p: HotlineConfig = self.params
        levers.report *= scaled(1.0 + p.report_uplift, intensity)
        levers.report_delay *= scaled(p.report_delay_factor, intensity)
        base = self.city.config.residents.hotline_channel_share
        levers.hotline_channel = base + (p.hotline_share - base) * intensity

    def ranking(self) -> Ranking:
        """The monthly three-rate ranking of units on their hotline cases (接诉即办)."""
        p: HotlineConfig = self.params
        return Ranking(
            p.ranking_weight,
            p.ranking_period_days,
            p.ranking_effort_gain,
            p.ranking_gaming,
            hotline_only=True,
        )

    def joint_handling(self, levers: Levers) -> JointHandling:
        """Departments must report to the street for a hotline case."""
        p: HotlineConfig = self.params
        return JointHandling(
            join_probability=min(1.0, p.compliance * levers.department_compliance),
            deadline_days=p.deadline_days,
            hotline_only=True,
            whistle=True,
        )
