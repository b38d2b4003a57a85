"""Per-unit results: every service point of the city after a run.

One row per station (grid, community, street office, department, district petition office
and court): its staff, the jobs it received and finished, its utilisation and mean number
of jobs held since the warm-up. Streets also carry the measures of the window's cases
that arose in them and the whistles they blew; departments their record of joint parts,
deadline breaches and bounced hand-offs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govsim.city.levels import Level
from govsim.model.actors import Department, StreetOffice
from govsim.model.model import GovernanceModel
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.outcomes.metrics import tally, window

__all__ = ["unit_results"]


def unit_results(model: GovernanceModel) -> pd.DataFrame:
    """The per-unit table of a finished run."""
    city = model.city
    stats = model.stations.statistics(float(model.day))
    frame = pd.DataFrame({
        "unit": list(city.station_node),
        "level": [Level(v).name.lower() for v in city.station_level],
        "staff": np.asarray(model.stations.servers),
        "arrivals": stats["arrivals"], "completions": stats["completions"],
        "utilisation": stats["utilisation"], "mean_held": stats["mean_held"],
        "staff_days": model.stations.staff_days,
    })
    e = model.engine
    for office in model.agents_by_type[StreetOffice]:
        frame.loc[office.station, "whistles"] = office.whistles(e)
    for dept in model.agents_by_type[Department]:
        for key, value in dept.record(e).items():
            frame.loc[dept.station, key] = value
    led = model.ledger
    counted = window(model)
    street = led.street[: len(led)]
    for s in range(city.n_streets):
        counts = tally(led, counted & (street == s))
        row = city.street_station(s)
        frame.loc[row, "cases_arisen"] = counts.arisen
        for name in ("true_resolution_rate", HEADLINE, HANDLED, "satisfaction_rate",
                     "response_rate", "resolution_rate"):
            frame.loc[row, name] = getattr(counts, name)
    return frame
