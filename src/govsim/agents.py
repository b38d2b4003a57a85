"""The actors who make decisions, as Mesa agents.

Residents and cases are numpy columns (:mod:`govsim.population`, :mod:`govsim.ledger`);
the staff who decide are Mesa agents. Each agent stands for one actor and holds the
station (service point) it staffs or runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from govsim.config import DepartmentConfig

if TYPE_CHECKING:
    from govsim.model import GovernanceModel

__all__ = ["Department", "GridWorker", "Mediator", "StreetOffice"]


class GridWorker(mesa.Agent):
    """A grid worker (网格员): patrols one grid, discovers cases, settles small ones.

    "人熟、地熟、信息源多" (source 003); "小事一格解决" (source 004).
    """

    def __init__(self, model: GovernanceModel, grid: int) -> None:
        super().__init__(model)
        self.grid = grid
        self.station = grid

    @property
    def discovery_rate(self) -> float:
        """Rate (per day) at which patrols discover a case nobody reported."""
        return float(self.model.grid_discovery_rate[self.grid])


class Mediator(mesa.Agent):
    """A member of a community's people's mediation committee (人民调解员, source 003)."""

    def __init__(self, model: GovernanceModel, community: int, station: int) -> None:
        super().__init__(model)
        self.community = community
        self.station = station


class StreetOffice(mesa.Agent):
    """A street office (街道办/乡镇): settles what it can; may whistle (吹哨, sources 001, 004)."""

    def __init__(self, model: GovernanceModel, street: int, station: int) -> None:
        super().__init__(model)
        self.street = street
        self.station = station
        self.whistles = 0


class Department(mesa.Agent):
    """A functional department (职能部门) of a district, with its own office and queue."""

    def __init__(self, model: GovernanceModel, name: str, district: int, station: int,
                 config: DepartmentConfig) -> None:
        super().__init__(model)
        self.name = name
        self.district = district
        self.station = station
        self.staff = config.staff
        self.response_delay = config.response_delay_days
        self.bounce_prob = config.bounce_prob
        self.whistles_received = 0
        self.whistles_answered = 0
        self.deadline_breaches = 0

    def answers_whistle(self, draw: float, compliance: float) -> bool:
        """Decide whether to report to the street (部门报到) for a whistled case."""
        self.whistles_received += 1
        answered = draw < compliance
        self.whistles_answered += answered
        return answered

    @property
    def backlog(self) -> int:
        """Jobs held at this department, waiting or in service."""
        return self.model.stations.held[self.station]
