"""Learning (学习): what the day teaches staff and residents.

Staff learn the reformed work: from the roll-out of a reform on, each station's handling
time falls with the jobs it has finished (:class:`~govsim.model.adaptation.Learning`).
Residents learn from their cases: a resident whose case closed today moves their trust
toward their satisfaction with it; one whose case is still unanswered past its time limit
judges the service as failed (satisfaction 0) once, then again by the outcome when the
case closes (:meth:`govsim.model.residents.Residents.learn`). With a memory of the service
every resident's trust moves toward their district's felt service too
(:class:`~govsim.model.adaptation.FeltService`).
"""

from __future__ import annotations

import numpy as np

from govsim.city.build import City
from govsim.model.adaptation import FeltService, Learning
from govsim.model.ledger import CaseLedger
from govsim.model.residents import Residents

__all__ = ["DayLearning"]


class DayLearning:
    """Staff learning the reformed work and residents learning from their cases.

    Args:
        city: the city (its learning curve and residents' memory).
        station_time: each station's handling time before the reform (set in place).
        staff: each station's staff at the start.
        districts: the simulated districts.

    """

    def __init__(
        self, city: City, station_time: np.ndarray, staff: np.ndarray, districts: tuple[int, ...]
    ) -> None:
        cfg = city.config
        self.felt = FeltService(city, cfg.residents.trust_memory_days)
        """Residents' memory of their district's service."""
        self.staff = Learning(cfg, station_time, staff)
        """Staff learning the reformed work."""
        self._districts = districts

    def teach_staff(self, finished: np.ndarray, station_time: np.ndarray, reforming: bool) -> None:
        """Count the jobs each station ``finished`` today while a reform acts."""
        if self.staff.active and reforming:
            self.staff.learn(finished, station_time)

    def teach_residents(
        self,
        residents: Residents,
        ledger: CaseLedger,
        closed: np.ndarray,
        scores: np.ndarray,
        overdue: np.ndarray,
    ) -> None:
        """Residents learn from today's ``closed`` cases (``scores``) and ``overdue`` ones."""
        people = np.concatenate([ledger.resident[closed], ledger.resident[overdue]])
        satisfaction = np.concatenate([scores, np.zeros(len(overdue), np.float32)])
        residents.learn(people, satisfaction)
        if self.felt.active:
            self.felt.update(
                residents,
                np.concatenate([ledger.grid[closed], ledger.grid[overdue]]),
                satisfaction,
                self._districts,
            )
