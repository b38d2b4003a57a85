"""Grid management (网格化管理; sources 003, 004).

小事一格解决、大事全网联动 (004); grid workers know people and places, 人熟、地熟、信息源多 (003).
Grid workers patrol more (the "7362" pattern: 7 days a week, 3 patrols and 6 hours a day,
2 reports; 6 of 8 working hours, a share 0.75 of the day), so unreported cases are
discovered sooner, at the price of the hours left for cases (a grid worker's day is patrol
plus cases); small matters close inside the grid; and grid workers' familiarity with
people and places grows with tenure, raising what they can settle on the spot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govsim.config.errors import ConfigError
from govsim.config.schema import CityConfig, MechanismConfig, integer, number, probability
from govsim.mechanisms.base import Mechanism
from govsim.mechanisms.levers import Levers, scaled

if TYPE_CHECKING:
    from govsim.city.build import City

__all__ = ["GridConfig", "GridManagement", "case_time_factor", "patrol_factor"]


@dataclass
class GridConfig(MechanismConfig):
    """Parameters of grid management."""

    patrol_days_per_week: int = integer(1, 7, "days")
    patrols_per_day: int = integer(1, 10, "patrols")
    patrol_share: float = number(0.05, 0.95, "share of a grid worker's working day")
    reports_per_day: int = integer(1, 20, "reports")
    small_matter_gain: float = probability()
    familiarity_gain: float = probability()
    familiarity_days: float = number(1.0, 3650.0, "days")
    reporting_gain: float = number(0.0, 5.0, "relative")


def patrol_factor(p: GridConfig, base_share: float) -> float:
    """Discovery of the reformed patrol relative to one round of the city's patrol a day."""
    n, ratio = p.patrols_per_day, p.patrol_share / base_share
    rounds = n * (1.0 - math.exp(-ratio / n)) / (1.0 - math.exp(-1.0))
    return p.patrol_days_per_week / 7 * rounds


def case_time_factor(p: GridConfig, base_share: float) -> float:
    """Time a grid case takes under the reform relative to the city's patrol.

    The day's hours left for cases, 1 − share, averaged over the week (no patrol on the
    days off patrol, as discovery has none).
    """
    reformed = p.patrol_share * p.patrol_days_per_week / 7
    return (1.0 - base_share) / (1.0 - reformed)


class GridManagement(Mechanism):
    """More patrol, small matters settled in the grid, familiarity growing with tenure."""

    name = "grid"
    label_zh = "网格化管理(小事一格解决、大事全网联动)"
    effect = (
        "days to being known ↓ (more patrol), grid handling slower (fewer hours for "
        "cases), grid settlements ↑, growing with tenure"
    )
    source = "004 (大事全网联动、小事一格解决; big data + grids + iron feet), 003 (人熟地熟)"
    assumption = (
        "Patrol discovery rate × (days per week / 7) × n(1 − e^(−s / (n s₀))) / "
        "(1 − e^(−1)) for n patrols taking a share s of the working day against the "
        "city's share s₀ in one round (each round finds a case with probability 1 − "
        "e^(−s / (n s₀)): more, shorter rounds find cases sooner, with diminishing "
        "returns); grid hours per case × (1 − s₀) / (1 − s × days per week / 7), the "
        "day left for cases; finds are submitted reports_per_day times a day; grid "
        "failure to settle × (1 − small_matter_gain) × (1 − familiarity_gain × (1 − "
        "e^(−tenure / familiarity_days))); reporting × (1 + reporting_gain)."
    )
    config_class = GridConfig

    def __init__(self, params: GridConfig, city: City) -> None:
        self.check_city(city.config)
        super().__init__(params, city)

    @classmethod
    def check_city(cls, city: CityConfig) -> None:
        """The reform's patrol is measured against the city's, which must exist."""
        if city.patrol_share <= 0:
            raise ConfigError(
                "city.patrol_share",
                city.patrol_share,
                "more than 0 with the grid mechanism (its patrol is measured against the city's)",
            )

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Patrol effort, report rounds, on-the-spot settlement and familiarity."""
        p: GridConfig = self.params
        base = self.city.config.patrol_share
        levers.discovery *= scaled(patrol_factor(p, base), intensity)
        levers.grid_time *= scaled(case_time_factor(p, base), intensity)
        levers.grid_reports *= scaled(
            p.reports_per_day / self.city.config.grid_reports_per_day, intensity
        )
        tenure = max(0, day - p.start_day)
        familiarity = p.familiarity_gain * (1.0 - math.exp(-tenure / p.familiarity_days))
        levers.grid_failure *= scaled((1 - p.small_matter_gain) * (1 - familiarity), intensity)
        levers.report *= scaled(1.0 + p.reporting_gain, intensity)
