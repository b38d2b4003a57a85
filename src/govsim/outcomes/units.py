"""Per-unit results: every service point of the city after a run.

One row per station (grid, community, street office, department, district petition office
and court): its staff, the jobs it received and finished, its utilisation and mean number
of jobs held since the warm-up, and the unit's name (a city's own, or ``street/3``).
Streets and communities also carry the measures of the window's cases that arose in them,
streets the whistles they blew; departments their record of joint parts, deadline
breaches and bounced hand-offs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from govsim.city.build import City
from govsim.city.levels import Level
from govsim.model.model import GovernanceModel
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.outcomes.metrics import follow_up, tally_by, window

__all__ = ["DEPARTMENT_RECORDS", "UNIT_MEASURES", "unit_results"]

DEPARTMENT_RECORDS = ("joint_parts", "deadline_breaches", "bounced")
"""Departments' records, per station in the engine's state: joint parts taken, deadlines
breached, cases bounced (a street's record is its ``whistles``)."""

UNIT_MEASURES = (
    "true_resolution_rate",
    HEADLINE,
    HANDLED,
    "satisfaction_rate",
    "response_rate",
    "resolution_rate",
)
"""Measures of the window's cases given for each street and community where they arose."""


def unit_results(model: GovernanceModel, ids: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The per-unit table of a finished run; ``ids`` (the run's identifiers) end each row."""
    city = model.city
    stations = len(city.station_node)
    stats = model.stations.statistics(float(model.day))
    columns: dict[str, Any] = {
        "unit": list(city.station_node),
        "name": _names(city),
        "level": [Level(v).name.lower() for v in city.station_level],
        "staff": np.asarray(model.stations.servers),
        "arrivals": stats["arrivals"],
        "completions": stats["completions"],
        "utilisation": stats["utilisation"],
        "mean_held": stats["mean_held"],
        "staff_days": model.stations.staff_days,
    }
    e = model.engine
    streets = slice(city.street_station(0), city.street_station(0) + city.n_streets)
    departments = slice(city.department_station(0, 0), city.above_station(0))
    records = [("whistles", e.whistles, streets)] + [
        (name, getattr(e, name)[departments], departments) for name in DEPARTMENT_RECORDS
    ]
    for key, values, rows in records:
        columns[key] = np.full(stations, np.nan)
        columns[key][rows] = values
    led = model.ledger
    counted = window(model)
    measures: dict[str, np.ndarray] = {
        name: np.full(stations, np.nan) for name in ("cases_arisen", *UNIT_MEASURES)
    }
    for first, group, groups in (
        (city.street_station(0), led.street[: len(led)], city.n_streets),
        (city.community_station(0), city.grid_community[led.grid[: len(led)]], city.n_communities),
    ):
        counts = tally_by(led, counted, group, groups, follow_up(model))
        rows = slice(first, first + groups)
        measures["cases_arisen"][rows] = counts.arisen
        for name in UNIT_MEASURES:
            measures[name][rows] = getattr(counts, name)
    identifiers = {name: [value] * stations for name, value in (ids or {}).items()}
    return pd.DataFrame({**columns, **measures, **identifiers})


def _names(city: City) -> list[str]:
    """Each station's unit by name (a city's own names; ``street/3`` ... for an archetype)."""
    names = city.units
    districts = names.district_names
    return [
        *names.grid_names,
        *names.community_names,
        *names.street_names,
        *(
            f"{districts[d]}/{dept}"
            for d in range(city.n_districts)
            for dept in city.department_names
        ),
        *districts,
    ]
