"""The staff who act, as Mesa agents.

Residents and cases are numpy columns (:mod:`govsim.model.residents`,
:mod:`govsim.model.ledger`); the staff are Mesa agents whose state the model reads:

- the service points' staffing is counted from them (grid workers, mediators) or read
  from them (a street office's and a department's staff), so a station's servers are its
  agents;
- grid workers' patrol rates make up each grid's discovery rate;
- every day, each department reports its decisions — how often it bounces a hand-off
  back, how long it takes to answer one — into the engine's per-station tables, and
  reads back its own record (joint parts, deadline breaches, bounces), which the
  per-unit results show.
"""

from __future__ import annotations

import mesa

from govsim.config.schema import DepartmentConfig
from govsim.model.state import EngineState

__all__ = ["Department", "GridWorker", "Mediator", "StreetOffice"]


class GridWorker(mesa.Agent):
    """A grid worker (网格员): patrols one grid and settles small matters on the spot.

    "人熟、地熟、信息源多" (source 003); "小事一格解决" (source 004).
    """

    def __init__(self, model: mesa.Model, grid: int, patrol_rate: float) -> None:
        super().__init__(model)
        self.grid = grid
        self.station = grid
        self.patrol_rate = patrol_rate
        """Rate (per day) at which this worker's patrols discover a case nobody reported."""


class Mediator(mesa.Agent):
    """A member of a community's people's mediation committee (人民调解员, source 003)."""

    def __init__(self, model: mesa.Model, community: int, station: int) -> None:
        super().__init__(model)
        self.community = community
        self.station = station


class StreetOffice(mesa.Agent):
    """A street office (街道办/乡镇): settles what it can; may whistle (吹哨, sources 001, 004)."""

    def __init__(self, model: mesa.Model, street: int, station: int, staff: int) -> None:
        super().__init__(model)
        self.street = street
        self.station = station
        self.staff = staff

    def whistles(self, state: EngineState) -> int:
        """Whistles this street has blown so far."""
        return state.whistles[self.street]


class Department(mesa.Agent):
    """A functional department (职能部门) of a district, with its own office and queue."""

    def __init__(self, model: mesa.Model, name: str, district: int, station: int,
                 config: DepartmentConfig, staff: int) -> None:
        super().__init__(model)
        self.name = name
        self.district = district
        self.station = station
        self.staff = staff
        self.response_delay = config.response_delay_days
        self.bounce_prob = config.bounce_prob

    def decide(self, state: EngineState) -> None:
        """Report today's decisions on hand-offs to the engine (bounce, response delay)."""
        state.bounce_prob[self.station] = self.bounce_prob
        state.response_delay[self.station] = self.response_delay

    def record(self, state: EngineState) -> dict[str, int]:
        """The department's record so far: joint parts, deadline breaches, bounces."""
        return {"joint_parts": state.joint_parts[self.station],
                "deadline_breaches": state.deadline_breaches[self.station],
                "bounced": state.bounced[self.station]}
