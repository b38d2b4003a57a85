"""Grid management (网格化管理; sources 003, 004).

小事一格解决、大事全网联动 (004); grid workers know people and places, 人熟、地熟、信息源多 (003).
Grid workers patrol more (the "7362" pattern: 7 days a week, 3 patrols and 6 hours a day,
2 reports), so unreported cases are discovered sooner, at the price of the hours left for
cases (a grid worker's day is patrol plus cases); small matters close inside the grid; and
grid workers' familiarity with people and places grows with tenure, raising what they can
settle on the spot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from govsim.config.schema import MechanismConfig, integer, number, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

__all__ = ["GridConfig", "GridManagement"]


@dataclass
class GridConfig(MechanismConfig):
    """Parameters of grid management."""

    patrol_days_per_week: int = integer(1, 7, "days")
    patrols_per_day: int = integer(1, 10, "patrols")
    patrol_hours_per_day: float = number(0.5, 12.0, "h", acts_in=(
        "mechanism=grid", "city.working_hours_per_day=13"))
    reports_per_day: int = integer(1, 20, "reports")
    small_matter_gain: float = probability()
    familiarity_gain: float = probability()
    familiarity_days: float = number(1.0, 3650.0, "days")
    reporting_gain: float = number(0.0, 5.0, "relative")


def patrol_factor(p: GridConfig, base_hours: float) -> float:
    """Discovery of the reformed patrol relative to one round of ``base_hours`` a day."""
    n, ratio = p.patrols_per_day, p.patrol_hours_per_day / base_hours
    rounds = n * (1.0 - math.exp(-ratio / n)) / (1.0 - math.exp(-1.0))
    return p.patrol_days_per_week / 7 * rounds


class GridManagement(Mechanism):
    """More patrol, small matters settled in the grid, familiarity growing with tenure."""

    name = "grid"
    label_zh = "网格化管理(小事一格解决、大事全网联动)"
    effect = ("days to being known ↓ (more patrol), grid handling slower (fewer hours for "
              "cases), grid settlements ↑, growing with tenure")
    source = "004 (大事全网联动、小事一格解决; big data + grids + iron feet), 003 (人熟地熟)"
    assumption = ("Patrol discovery rate × (days per week / 7) × n(1 − e^(−h / (n h₀))) / "
                  "(1 − e^(−1)) for n patrols and h hours a day against the city's h₀ base "
                  "hours in one round (each round finds a case with probability 1 − "
                  "e^(−h / (n h₀)): more, shorter rounds find cases sooner, with diminishing "
                  "returns), h₀ = patrol_share × H the city's patrol hours and H its working "
                  "hours a day; grid hours per case × (H − h₀) / (H − h), the hours left for "
                  "cases; finds are submitted reports_per_day times a day; grid failure to "
                  "settle × (1 − small_matter_gain) × (1 − familiarity_gain × (1 − "
                  "e^(−tenure / familiarity_days))); reporting × (1 + reporting_gain).")
    config_class = GridConfig

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Patrol effort, report rounds, on-the-spot settlement and familiarity."""
        p: GridConfig = self.params
        city = self.city.config
        day_hours = city.working_hours_per_day
        base = city.patrol_share * day_hours
        levers.discovery *= scaled(patrol_factor(p, base), intensity)
        levers.grid_time *= scaled((day_hours - base) / (day_hours - p.patrol_hours_per_day),
                                   intensity)
        levers.grid_reports *= scaled(
            p.reports_per_day / self.city.config.grid_reports_per_day, intensity)
        tenure = max(0, day - p.start_day)
        familiarity = p.familiarity_gain * (1.0 - math.exp(-tenure / p.familiarity_days))
        levers.grid_failure *= scaled((1 - p.small_matter_gain) * (1 - familiarity), intensity)
        levers.report *= scaled(1.0 + p.reporting_gain, intensity)
