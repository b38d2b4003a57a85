"""Arrivals (案件发生): the day's cases arising among residents, district by district.

For every grid and case type the day's count is Poisson with the grid's rate of the type
(:func:`govsim.model.tables.grid_arrival_rates`) × the day's factors of the calendar
(:class:`~govsim.model.demand.Demand`); each case gets an hour of the day and a resident of
its grid. Each district draws from its own streams, so models of disjoint districts
together give the cases of the whole city. The new cases are opened in the case ledger
(latent: nobody knows of them yet); :mod:`govsim.model.discovery` decides when each
becomes known.
"""

from __future__ import annotations

import numpy as np

from govsim.city.build import City
from govsim.model.demand import Demand
from govsim.model.ledger import CaseLedger
from govsim.model.streams import Purpose, RandomStreams

__all__ = ["Arrivals", "busy_day_streams"]


def busy_day_streams(
    city: City, districts: tuple[int, ...], streams: RandomStreams
) -> list[tuple[np.ndarray, np.random.Generator]]:
    """Each simulated district's streets and its stream of busy days (``Purpose.DEMAND``)."""
    return [
        (
            np.flatnonzero(city.street_district == district),
            streams.of_district(Purpose.DEMAND, district),
        )
        for district in districts
    ]


class Arrivals:
    """The day's new cases of the simulated districts, each district from its own streams.

    Args:
        city: the city (grids' residents, streets and districts).
        districts: the districts whose cases arise, in increasing order.
        demand: the calendar's day factors and hours.
        rates: each grid's daily rate of each case type (grids × case types).
        streams: the run's random streams.

    """

    def __init__(
        self,
        city: City,
        districts: tuple[int, ...],
        demand: Demand,
        rates: np.ndarray,
        streams: RandomStreams,
    ) -> None:
        self._city = city
        self._districts = districts
        self._demand = demand
        self._rates = rates
        self._streams = streams
        self._grids = [np.flatnonzero(city.grid_district == d) for d in districts]
        """Each simulated district's grids."""

    def arise(self, day: int, ledger: CaseLedger) -> np.ndarray:
        """Open the day's cases in ``ledger``, in order of the time they arise; their ids."""
        city = self._city
        drawn = [
            self._arise_in(day, d, grids)
            for d, grids in zip(self._districts, self._grids, strict=True)
        ]
        grid, case_type, times, pick = (
            np.concatenate(column) for column in zip(*drawn, strict=True)
        )
        order = np.argsort(times, kind="stable")
        grid, case_type, times, pick = grid[order], case_type[order], times[order], pick[order]
        resident = city.grid_first_resident[grid] + (pick * city.grid_residents[grid]).astype(
            np.int64
        )
        street = city.grid_street[grid]
        return ledger.open_cases(
            case_type, resident, grid, street, city.street_district[street], times
        )

    def _arise_in(self, day: int, district: int, grids: np.ndarray) -> tuple[np.ndarray, ...]:
        """The day's cases of one district from its streams: grid, type, time, resident pick."""
        rates = self._demand.rates(self._rates[grids], day, self._city.grid_street[grids])
        rng = self._streams.of_district(Purpose.ARRIVALS, district)
        counts = rng.poisson(rates).ravel()
        n_types = self._rates.shape[1]
        cell = np.repeat(np.arange(counts.size), counts)
        row, case_type = np.divmod(cell, n_types)
        times = day + self._demand.time_of_day(rng.random(len(cell)))
        return grids[row], case_type, times, rng.random(len(cell))
