"""Discovery (发现): when and through which channel a new case becomes known.

The discovery race: the resident reports (with probability propensity × trust, after an
exponential delay) and a grid worker's patrol finds the case (after an exponential time at
the grid's patrol rate, then waits for the next submission of finds); whichever comes first
makes the case known. A reporting resident chooses a channel
(:mod:`govsim.model.channels`). If the grievance escalates before either, it becomes a
petition. The time to becoming known elapses on the intake clock of the calendar's
profiles (:meth:`govsim.model.demand.Demand.known_at`).

A grid's patrol rate is the sum of its grid workers' (:class:`~govsim.model.actors.GridWorker`)
× the reference grid size / the grid's residents; grid workers overloaded with jobs find
less (``grid_overload_sensitivity``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from govsim.city.build import City
from govsim.mechanisms.levers import Levers
from govsim.model.actors import GridWorker
from govsim.model.channels import channel_shares, hotline_shares
from govsim.model.demand import Demand
from govsim.model.engine import admit
from govsim.model.race import race
from govsim.model.residents import Residents
from govsim.model.state import EngineState
from govsim.model.stations import Stations

__all__ = ["Discovery"]

_RACE_COLUMNS = (
    "resident",
    "arisen",
    "grid",
    "case_type",
    "u_report",
    "e_report",
    "e_discover",
    "u_submit",
    "u_channel",
    "u_cross",
    "e_latent_escalation",
    "reported",
    "channel",
    "via_hotline",
    "cross_region",
)
"""The ledger's columns the race reads and writes (:func:`govsim.model.race.race`)."""


class Discovery:
    """The grids' patrols and the discovery race of each new case."""

    def __init__(self, city: City, state: EngineState) -> None:
        self._city = city
        self._latent_escalation = np.array(state.table.escalation_rate)
        self._mediable = np.array(state.table.mediable, dtype=bool)
        self._grids = np.arange(city.n_grids)
        self.patrol_rate = np.zeros(city.n_grids)
        """Rate at which patrols find a given unreported case in each grid: the sum over its
        grid workers, × the reference grid size / the grid's residents."""

    def patrol_from(self, workers: Iterable[GridWorker]) -> None:
        """Each grid's patrol rate again from its grid workers' patrol rates."""
        workers = list(workers)
        self.patrol_rate[:] = 0.0
        np.add.at(self.patrol_rate, [w.grid for w in workers], [w.patrol_rate for w in workers])
        self.patrol_rate *= self._city.config.grid_reference_residents / self._city.grid_residents

    def rates(self, grids: np.ndarray, levers: Levers, stations: Stations) -> np.ndarray:
        """Patrol discovery rate of each grid today: lower where grid workers are overloaded."""
        cfg = self._city.config
        n_grids = self._city.n_grids
        rate = self.patrol_rate[grids] * levers.discovery
        if cfg.grid_overload_sensitivity > 0.0:
            held = np.asarray(stations.held[:n_grids], dtype=float)[grids]
            workers = np.asarray(stations.servers[:n_grids], dtype=float)[grids]
            rate = rate / (1.0 + cfg.grid_overload_sensitivity * held / workers)
        return rate + levers.discovery_extra

    def admit(
        self, ids: np.ndarray, state: EngineState, residents: Residents, demand: Demand
    ) -> None:
        """Decide for new cases when and how they become known, or escalate unknown.

        Sets each case's channel, whether its resident reported it, whether it came through
        12345 and whether it crosses a boundary (the compiled race,
        :func:`govsim.model.race.race`), and schedules its becoming known (or its escalation)
        in the engine.
        """
        led = state.ledger
        levers = state.levers
        cfg = self._city.config
        ids = np.asarray(ids, dtype=np.int64)
        when, escalates = np.empty(len(ids)), np.empty(len(ids))
        numbers = (
            *(
                float(x)
                for x in (
                    levers.report,
                    levers.report_delay,
                    levers.escalation,
                    levers.dispute_escalation,
                    cfg.residents.report_delay_days,
                    cfg.grid_reports_per_day * levers.grid_reports,
                    cfg.cross_region_share,
                )
            ),
            *channel_shares(cfg.residents),
        )
        race(
            ids,
            tuple(getattr(led, name) for name in _RACE_COLUMNS),
            (residents.report_propensity, residents.trust),
            hotline_shares(residents, cfg.residents, levers.hotline_channel, led.resident[ids]),
            self.rates(self._grids, levers, state.stations),
            (self._latent_escalation, self._mediable),
            numbers,
            when,
            escalates,
        )
        admit(state, ids, demand.known_at(led.arisen[ids], when, led.street[ids]), escalates)
