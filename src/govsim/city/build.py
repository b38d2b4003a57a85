"""The city: the governance network (networkx) and its service points.

A :class:`City` is built once from a :class:`~govsim.config.CityConfig` and never changes
during a run. It holds the hierarchy city → district → street (街道/乡镇) → community
(社区) → grid (网格), each district's functional departments with their jurisdiction over
its streets, and a flat table of *stations*: the service points (a grid's workers, a
community's mediators, a street office, a department, a district's petition and court
desk) that queue and handle cases. The units come from :mod:`govsim.city.layout` (an
archetype's uniform units or a city's own); every staff count is multiplied by
``city.staff_scale`` (rounded, at least one per station).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from govsim.city.layout import Layout, layout
from govsim.city.levels import Level
from govsim.config.schema import CityConfig

__all__ = ["City", "build_city", "scaled_staff"]


@dataclass(frozen=True)
class City:
    """The static structure of a city, as graph and as index arrays."""

    config: CityConfig
    graph: nx.DiGraph
    grid_community: np.ndarray
    community_street: np.ndarray
    street_district: np.ndarray
    grid_first_resident: np.ndarray
    grid_residents: np.ndarray
    grid_case_mix: np.ndarray
    """Each grid's rate of each case type relative to the city's (grids × case types; 1:
    units alike, ``city.units.case_mix``)."""
    department_names: tuple[str, ...]
    case_type_names: tuple[str, ...]
    station_level: np.ndarray
    station_servers: np.ndarray
    station_node: tuple[str, ...]
    station_time: np.ndarray
    """Each station's handling time relative to the case type's (1 but at the grids,
    communities and street office of a street with ``city.units.street_handling``)."""
    units: Layout
    """Every unit by level, with its name (a city's own names, or ``street/3`` ...)."""

    @property
    def n_grids(self) -> int:
        """Number of grids (网格)."""
        return len(self.grid_community)

    @property
    def n_communities(self) -> int:
        """Number of communities (社区)."""
        return len(self.community_street)

    @property
    def n_streets(self) -> int:
        """Number of streets / townships (街道/乡镇)."""
        return len(self.street_district)

    @property
    def n_districts(self) -> int:
        """Number of districts (区县)."""
        return len(self.units.district_names)

    @property
    def n_residents(self) -> int:
        """Number of residents (居民)."""
        return int(self.grid_residents.sum())

    @property
    def grid_street(self) -> np.ndarray:
        """Street of each grid."""
        return self.community_street[self.grid_community]

    @property
    def grid_district(self) -> np.ndarray:
        """District of each grid."""
        return self.street_district[self.grid_street]

    # Station numbering: grids, communities, streets, departments (district-major), above.
    def community_station(self, community: int) -> int:
        """Station of a community's mediators (调解委员会)."""
        return self.n_grids + community

    def street_station(self, street: int) -> int:
        """Station of a street office (街道办)."""
        return self.n_grids + self.n_communities + street

    def department_station(self, district: int, department: int) -> int:
        """Station of one functional department of a district."""
        base = self.n_grids + self.n_communities + self.n_streets
        return base + district * len(self.department_names) + department

    def above_station(self, district: int) -> int:
        """Station above the departments: petitions office and court (信访、法院)."""
        base = self.n_grids + self.n_communities + self.n_streets
        return base + self.n_districts * len(self.department_names) + district


def scaled_staff(staff: int, scale: float) -> int:
    """A staff count times ``city.staff_scale``, rounded, at least one per station."""
    return max(1, round(staff * scale))


def build_city(config: CityConfig) -> City:
    """Build the governance network and the station table of a city."""
    units = layout(config)
    street_district, community_street = units.street_district, units.community_street
    grid_community, grid_residents = units.grid_community, units.grid_residents
    n_districts, n_streets = len(units.district_names), len(street_district)
    n_communities, n_grids = len(community_street), len(grid_community)
    grid_first_resident = np.concatenate([[0], np.cumsum(grid_residents)[:-1]])
    departments = tuple(config.departments)
    case_types = tuple(config.case_types)
    case_mix = np.ones((n_grids, len(case_types)))
    for k, name in enumerate(case_types):
        if config.units is not None and name in config.units.case_mix:
            case_mix[:, k] = config.units.case_mix[name]

    graph = nx.DiGraph(name=config.name)
    graph.add_node("city", kind="city", index=0)
    nodes: list[str] = []
    levels: list[int] = []
    servers: list[int] = []
    times: list[float] = []
    own = config.units.street_handling if config.units is not None else []
    street_time = np.asarray(own, dtype=float) if len(own) else np.ones(n_streets)

    def station(node: str, level: Level, n_staff: int, time: float = 1.0) -> None:
        nodes.append(node)
        levels.append(int(level))
        servers.append(scaled_staff(int(n_staff), config.staff_scale))
        times.append(float(time))

    for d in range(n_districts):
        graph.add_node(f"district/{d}", kind="district", index=d, name=units.district_names[d])
        graph.add_edge("city", f"district/{d}", relation="hierarchy")
    for s in range(n_streets):
        node = f"street/{s}"
        graph.add_node(node, kind="street", index=s, name=units.street_names[s])
        graph.add_edge(f"district/{street_district[s]}", node, relation="hierarchy")
    for c in range(n_communities):
        graph.add_node(f"community/{c}", kind="community", index=c, name=units.community_names[c])
        graph.add_edge(f"street/{community_street[c]}", f"community/{c}", relation="hierarchy")
    for g in range(n_grids):
        graph.add_node(
            f"grid/{g}",
            kind="grid",
            index=g,
            residents=int(grid_residents[g]),
            name=units.grid_names[g],
        )
        graph.add_edge(f"community/{grid_community[g]}", f"grid/{g}", relation="hierarchy")
        station(
            f"grid/{g}",
            Level.GRID,
            units.grid_workers[g],
            street_time[community_street[grid_community[g]]],
        )
    for c in range(n_communities):
        station(
            f"community/{c}",
            Level.COMMUNITY,
            units.community_mediators[c],
            street_time[community_street[c]],
        )
    for s in range(n_streets):
        station(f"street/{s}", Level.STREET, units.street_staff[s], street_time[s])
    for d in range(n_districts):
        for k, name in enumerate(departments):
            node = f"department/{d}/{name}"
            graph.add_node(node, kind="department", index=k, district=d, name=name)
            graph.add_edge(f"district/{d}", node, relation="hierarchy")
            for s in np.flatnonzero(street_district == d):
                graph.add_edge(node, f"street/{s}", relation="jurisdiction")
            station(node, Level.DEPARTMENT, units.department_staff[d, k])
    for d in range(n_districts):
        station(f"district/{d}", Level.ABOVE, units.above_staff[d])

    return City(
        config=config,
        graph=graph,
        grid_community=grid_community,
        community_street=community_street,
        street_district=street_district,
        grid_first_resident=grid_first_resident,
        grid_residents=grid_residents,
        grid_case_mix=case_mix,
        department_names=departments,
        case_type_names=case_types,
        station_level=np.asarray(levels, dtype=np.int8),
        station_servers=np.asarray(servers, dtype=np.int64),
        station_node=tuple(nodes),
        station_time=np.asarray(times, dtype=float),
        units=units,
    )
