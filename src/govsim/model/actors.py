"""The staff who act, as Mesa agents.

Residents and cases are numpy columns (:mod:`govsim.model.residents`,
:mod:`govsim.model.ledger`); the staff who act are Mesa agents whose state the model reads:

- a station's staff are held in one place, the stations' servers
  (:class:`~govsim.model.stations.Stations`, from the city's staff counts); a street
  office's and a department's ``staff`` read them there;
- grid workers' patrol rates make up each grid's discovery rate
  (:mod:`govsim.model.discovery`);
- every day, each department and street office turns its standing in the rankings
  (its pressure: 0 at the top, 1 at the bottom) into its decisions — how often a
  department bounces a hand-off back, how long it takes to answer one, how readily it
  joins a case at the street; how much a street settles itself; how often either closes
  a case without solving it — and writes them into the engine's per-station tables; a
  department reads back its own record (joint parts, deadline breaches, bounces), which
  the per-unit results show.

Mediators (人民调解员, source 003) are no agents: they make no decisions of their own and are
the staff (capacity) of their community's station, which serves mediable cases.
"""

from __future__ import annotations

import mesa

from govsim.config.schema import DepartmentConfig
from govsim.model.state import EngineState

__all__ = ["Department", "GridWorker", "StreetOffice"]


class GridWorker(mesa.Agent):
    """A grid worker (网格员): patrols one grid and settles small matters on the spot.

    "人熟、地熟、信息源多" (source 003); "小事一格解决" (source 004).

    A grid worker makes no decisions of its own: its patrol rate is the city's
    (``city.patrol_discovery_rate_per_day``), which the patrol lever changes for every
    worker at once (:func:`govsim.model.schedule.set_patrol`: a schedule's change, the
    workshop's patrol effort), and the cases it settles are its grid station's work. It
    is an agent for the grid it patrols, whose discovery rate its patrol makes up.
    """

    def __init__(self, model: mesa.Model, grid: int, patrol_rate: float) -> None:
        super().__init__(model)
        self.grid = grid
        self.station = grid
        self.patrol_rate = patrol_rate
        """Rate (per day) at which this worker's patrols discover a case nobody reported."""


class StreetOffice(mesa.Agent):
    """A street office (街道办/乡镇): settles what it can; may whistle (吹哨, sources 001, 004)."""

    def __init__(self, model: mesa.Model, street: int, station: int) -> None:
        super().__init__(model)
        self.street = street
        self.station = station

    @property
    def staff(self) -> int:
        """The office's staff today (its station's servers)."""
        return int(self.model.stations.servers[self.station])

    def decide(self, state: EngineState) -> None:
        """Settle more alone under pressure (effort); maybe close unsolved, or decline."""
        state.street_failure[self.station] = 1.0 - state.effort[self.station]
        state.gaming[self.station] = state.gaming_pressure[self.station]
        state.declining[self.station] = state.declining_pressure[self.station]


class Department(mesa.Agent):
    """A functional department (职能部门) of a district, with its own office and queue."""

    def __init__(
        self, model: mesa.Model, name: str, district: int, station: int, config: DepartmentConfig
    ) -> None:
        super().__init__(model)
        self.name = name
        self.district = district
        self.station = station
        self.response_delay = config.response_delay_days
        self.bounce_prob = config.bounce_prob

    @property
    def staff(self) -> int:
        """The department's staff today (its station's servers)."""
        return int(self.model.stations.servers[self.station])

    def decide(self, state: EngineState) -> None:
        """Today's decisions on hand-offs and joint work, from the ranking pressure.

        Effort under pressure means fewer bounces, faster answers and more joining at the
        street; pressure also tempts the department to close cases without solving them.
        """
        effort = state.effort[self.station]
        state.bounce_prob[self.station] = self.bounce_prob * (1.0 - effort)
        state.response_delay[self.station] = self.response_delay * (1.0 - effort)
        state.join_factor[self.station] = 1.0 + effort
        state.gaming[self.station] = state.gaming_pressure[self.station]
