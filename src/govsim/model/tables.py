"""Parameter tables: the city's configuration as flat per-type and per-station lists.

The engine reads every parameter of a case's path from these tables by integer index
(case type, station, department part), never from configuration objects, so the event
loop works on plain numbers only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govsim.city.build import City
from govsim.city.levels import Level
from govsim.model.ledger import MAX_PARTS
from govsim.model.weibull import mean_over_scale

__all__ = [
    "JOINT_SHAPE",
    "CaseTypeTable",
    "case_type_table",
    "grid_arrival_rates",
    "handling_shapes",
]

JOINT_SHAPE = len(Level)
"""Index of departments' joint jobs in :func:`handling_shapes` (after the levels')."""


@dataclass(frozen=True)
class CaseTypeTable:
    """Per case type (index = ``case_type``): handling, settling and escalation parameters."""

    service_days: list[list[float]]
    """Mean staff days of one job, by type and ``Level``: a job's hours over the hours a day its
    staff have for cases (a grid worker's day less the patrol, ``city.patrol_share``;
    a community's less the tasks pushed down, ``city.community_burden_share``)."""
    joint_days: list[float]
    """Mean staff days of a department's joint handling at the street."""
    street_entry: list[float]
    """Share of the type's known cases the intake dispatches straight to the street office."""
    community_entry: list[float]
    """Share the intake dispatches straight to the community (mediation)."""
    grid_settle: list[float]
    mediable: list[bool]
    mediation_settle: list[float]
    street_settle: list[float]
    escalation_rate: list[float]
    collective: list[float]
    priority: list[int]
    time_limit: list[float]
    """Days from becoming known within which the case should be answered."""
    parts: list[int]
    """Departments each type needs (its department parts)."""
    part_station: np.ndarray
    """Station of each department part: (districts, types, ``MAX_PARTS``), -1 beyond."""
    arrivals_per_resident_day: np.ndarray
    """Rate at which a resident raises cases of each type, per day (× ``case_load_scale``)."""


def case_type_table(city: City) -> CaseTypeTable:
    """The parameter table of a city's case types."""
    cfg = city.config
    types = list(cfg.case_types.values())
    hours = cfg.working_hours_per_day
    burden = 1.0 / (1.0 - cfg.community_burden_share)
    patrol = 1.0 / (1.0 - cfg.patrol_share)
    dept_index = {name: k for k, name in enumerate(city.department_names)}
    part_station = np.full((city.n_districts, len(types), MAX_PARTS), -1, dtype=np.int32)
    for t, case_type in enumerate(types):
        for p, name in enumerate(case_type.departments):
            for d in range(city.n_districts):
                part_station[d, t, p] = city.department_station(d, dept_index[name])
    service = []
    for t in types:
        by_level = {
            Level.GRID: t.hours.grid * patrol,
            Level.COMMUNITY: t.hours.community * burden,
            Level.STREET: t.hours.street,
            Level.DEPARTMENT: t.hours.department,
            Level.ABOVE: t.hours.above,
        }
        service.append([by_level[level] / hours for level in Level])
    rates = np.array([t.rate_per_1000_per_year for t in types]) * cfg.case_load_scale
    return CaseTypeTable(
        service_days=service,
        joint_days=[t.hours.joint / hours for t in types],
        street_entry=[t.street_entry_prob for t in types],
        community_entry=[t.community_entry_prob for t in types],
        grid_settle=[t.grid_settle_prob for t in types],
        mediable=[bool(t.mediable) for t in types],
        mediation_settle=[t.mediation_settle_prob for t in types],
        street_settle=[t.street_settle_prob for t in types],
        escalation_rate=[t.escalation_rate_per_day for t in types],
        collective=[t.collective_incident_prob for t in types],
        priority=[t.priority for t in types],
        time_limit=[cfg.time_limit_days[t.urgency] for t in types],
        parts=[len(t.departments) for t in types],
        part_station=part_station,
        arrivals_per_resident_day=rates / 1000.0 / 365.0,
    )


def grid_arrival_rates(city: City, table: CaseTypeTable) -> np.ndarray:
    """Cases a day of each type arising in each grid (grids × types), before the calendar.

    Its residents × the type's rate per resident × the grid's relative rate of the type
    (``city.units.case_mix``: units that differ in their mix of cases).
    """
    return (
        city.grid_residents[:, None] * table.arrivals_per_resident_day[None, :] * city.grid_case_mix
    )


def handling_shapes(city: City) -> tuple[np.ndarray, np.ndarray]:
    """1 / k and Γ(1 + 1/k) of each level's handling-time shape k, then joint jobs'.

    Indexed by ``Level``, joint jobs at :data:`JOINT_SHAPE`.

    A job's time is mean × E^(1/k) / Γ(1 + 1/k) for its standard exponential draw E: a
    Weibull of shape k with the mean kept (E[E^(1/k)] = Γ(1 + 1/k)), the same draw mapped
    monotonically, so arms keep their common random numbers; k = 1 (a level the city's
    ``handling_shape`` does not name) is the exponential.
    """
    given = city.config.handling_shape
    names = [level.name.lower() for level in Level] + ["joint"]
    k = np.array([float(given.get(name, 1.0)) for name in names])
    return 1.0 / k, np.array([mean_over_scale(v) for v in k])
