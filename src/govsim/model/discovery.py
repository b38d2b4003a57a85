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

import math
from collections.abc import Iterable

import numpy as np

from govsim.city.build import City
from govsim.mechanisms.levers import Levers
from govsim.model.actors import GridWorker
from govsim.model.channels import choose_channels
from govsim.model.demand import Demand
from govsim.model.engine import admit
from govsim.model.ledger import Channel
from govsim.model.residents import Residents
from govsim.model.state import EngineState
from govsim.model.stations import Stations

__all__ = ["Discovery"]


class Discovery:
    """The grids' patrols and the discovery race of each new case."""

    def __init__(self, city: City, state: EngineState) -> None:
        self._city = city
        self._latent_escalation = np.array(state.table.escalation_rate)
        self._mediable = np.array(state.table.mediable)
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

    def admit(self, ids: np.ndarray, state: EngineState, residents: Residents,
              demand: Demand) -> None:
        """Decide for new cases when and how they become known, or escalate unknown.

        Sets each case's channel, whether its resident reported it, whether it came through
        12345 and whether it crosses a boundary, and schedules its becoming known (or its
        escalation) in the engine.
        """
        led = state.ledger
        levers = state.levers
        cfg = self._city.config
        resident = led.resident[ids]
        arisen = led.arisen[ids]
        report = np.minimum(1.0, residents.report_probability(resident) * levers.report)
        report_time = np.where(
            led.u_report[ids] < report,
            arisen + led.e_report[ids] * cfg.residents.report_delay_days * levers.report_delay,
            math.inf)
        submissions = cfg.grid_reports_per_day * levers.grid_reports
        with np.errstate(divide="ignore", over="ignore"):
            found_time = (arisen + led.e_discover[ids] / self.rates(led.grid[ids], levers,
                                                                   state.stations)
                          + led.u_submit[ids] / submissions)
        reported = np.isfinite(report_time) & (report_time <= found_time)
        known = demand.known_at(arisen, np.where(reported, report_time, found_time))
        led.reported[ids] = reported
        led.channel[ids] = np.where(
            reported, choose_channels(residents, cfg.residents, levers.hotline_channel,
                                      resident, led.u_channel[ids]),
            np.where(np.isfinite(found_time), Channel.PATROL, Channel.NONE))
        led.via_hotline[ids] = led.channel[ids] == Channel.HOTLINE
        led.cross_region[ids] = led.u_cross[ids] < cfg.cross_region_share
        case_type = led.case_type[ids]
        escalation = self._latent_escalation[case_type] * levers.escalation * np.where(
            self._mediable[case_type], levers.dispute_escalation, 1.0)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # 0/0: NaN, never
            escalates = arisen + led.e_latent_escalation[ids] / escalation
        admit(state, ids, known, np.where(np.isnan(escalates), math.inf, escalates))
