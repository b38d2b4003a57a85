"""The interface every mechanism implements, and the data mechanisms declare.

A mechanism never touches the engine. It acts at named points of a case's life
(:class:`Point`) by *declaring* what happens there, as data the engine reads:

- every day, it scales the :class:`~govsim.mechanisms.levers.Levers` by its roll-out
  intensity (``apply``) and states its offer of joint handling (``joint_handling``);
- it may declare a ladder of mediation rungs for cases going above the street
  (``ladder``), a periodic ranking of streets and departments (``ranking``), supervision
  of overdue cases (``supervises_overdue``) and how the venue of a resolution is counted
  (``venue_relabel``).

Where two mechanisms compete for the same decision, the winner is declared in
:mod:`govsim.mechanisms.precedence`, never taken from the order of the mechanism list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from govsim.city.levels import Level
from govsim.config.schema import LONGEST_JOINT_WAIT, CityConfig, MechanismConfig, number
from govsim.mechanisms.levers import Levers
from govsim.mechanisms.precedence import Decision

if TYPE_CHECKING:  # a mechanism is given its city; naming mechanisms builds none
    from govsim.city.build import City

__all__ = ["JointHandling", "Mechanism", "Point", "Ranking", "Rung", "joint_deadline"]


class Point(StrEnum):
    """The named points of a case's life (and of the day) at which mechanisms act."""

    DAILY = "daily levers"
    """Every day: multipliers on the city's behaviour (reporting, settling, delays …)."""
    STREET_UNSETTLED = "street unsettled"
    """When the street cannot settle a case alone: who handles it, where."""
    DEADLINE = "deadline"
    """When a joint job's deadline or a case's time limit passes: supervision (督办)."""
    ESCALATION = "escalation"
    """When a case goes above the street: a ladder of mediation before litigation."""
    RANKING = "ranking"
    """Every period: streets and departments ranked on the three rates (考核排名)."""
    CLOSE = "close"
    """When a case is resolved: how its venue is counted."""


def joint_deadline(acts_in: tuple[str, ...] | None = None) -> Any:
    """The field of a mechanism's deadline for joint handling (``JointHandling.deadline_days``).

    It acts up to the longest wait of a joint part in the city: every part has started by
    then, and no deadline falls. ``acts_in``: the configurations it acts in, where its
    mechanism alone makes too few joint parts wait.
    """
    return number(0.0, 30.0, "days", acts_in=acts_in, acts_up_to=LONGEST_JOINT_WAIT)


@dataclass(frozen=True)
class JointHandling:
    """An offer of joint handling at the street (the ``STREET_UNSETTLED`` decision).

    It is made for a case the street cannot settle alone. Each department part of the case
    joins with ``join_probability``: a joining department puts the part at the head of its
    queue and one staff member handles it at the street (``hours.joint``). Parts that do not
    join are forwarded as in baseline routing.
    """

    join_probability: float
    deadline_days: float
    """Departments must start joint work within this many days; a part not started by then
    is put under supervision (督办): it goes to the department's office at the head of its
    queue, and the case is above the street."""
    min_departments: int = 1
    """Only cases that need at least this many departments are taken."""
    hotline_only: bool = False
    """Only cases that came through the 12345 hotline are taken."""
    whistle: bool = False
    """Taking the case blows a whistle (吹哨), counted as such."""
    needs_a_joiner: bool = False
    """When no part joins, the offer is declined and the case goes to the next offer."""


@dataclass(frozen=True)
class Ranking:
    """A periodic ranking of streets and departments on the three rates (考核, 接诉即办).

    Every ``period_days`` the units are scored on the cases they closed in the period —
    answered within the time limit (响应率), reported resolved (解决率), resident satisfied
    (满意率) — and ranked among their peers (the streets, or the departments, of a
    district). A unit's *pressure* is its rank from the top, 0 (best) to 1 (worst); with
    ``weight`` it raises the unit's effort by ``effort_gain`` (fewer bounces, faster
    answers, more joining, more settled at the street) and makes it close a case as
    resolved without solving it with probability ``gaming`` (at full pressure and weight).
    """

    weight: float
    period_days: int
    effort_gain: float
    gaming: float
    hotline_only: bool = False
    """Score only the cases that came through the 12345 hotline (and serve them first)."""
    decline: float = 0.0
    """Probability (at full pressure and weight) that a street office closes a case it
    cannot settle alone as outside its remit (解释说明, 不予受理) instead of passing it on."""


@dataclass(frozen=True)
class Rung:
    """One rung of a mediation ladder: its level, success probability and mean duration."""

    level: Level
    success: float
    mean_days: float


class Mechanism:
    """A policy lever: one module, one config dataclass, declared effects.

    Subclasses set ``name`` (the option in ``conf/mechanism/``), ``label_zh``, ``source``
    (where the sources describe it), ``assumption`` (how the model represents it),
    ``effect`` (its expected direction, tested), ``points`` (where it acts),
    ``decisions`` (the decisions it competes for) and ``config_class``.
    """

    name: ClassVar[str]
    label_zh: ClassVar[str]
    source: ClassVar[str]
    assumption: ClassVar[str] = ""
    effect: ClassVar[str] = ""
    points: ClassVar[tuple[Point, ...]] = (Point.DAILY,)
    decisions: ClassVar[frozenset[Decision]] = frozenset()
    venue_relabel: ClassVar[Mapping[Level, Level]] = {}
    """Levels whose resolutions this mechanism counts at another level (none by default)."""
    supervises_overdue: ClassVar[bool] = False
    """Hotline cases unanswered past their time limit are put under supervision (督办): their
    waiting job moves to the head of its queue."""
    config_class: ClassVar[type[Any]] = MechanismConfig

    def __init__(self, params: Any, city: City) -> None:
        self.params = params
        self.city = city

    @classmethod
    def check_city(cls, city: CityConfig) -> None:
        """Raise ``ConfigError`` if ``city`` lacks what the mechanism needs (by default nothing)."""

    def intensity(self, day: int) -> float:
        """Share of full effect on ``day`` (staged roll-out)."""
        start = getattr(self.params, "start_day", 0)
        ramp = getattr(self.params, "ramp_days", 0)
        if day < start:
            return 0.0
        if ramp <= 0:
            return 1.0
        return min(1.0, (day - start + 1) / ramp)

    def apply(self, levers: Levers, intensity: float, day: int) -> None:
        """Act on the day's levers (no effect by default)."""

    def joint_handling(self, levers: Levers) -> JointHandling | None:
        """Today's offer of joint handling at the street, if this mechanism makes one."""
        return None

    def ladder(self) -> tuple[Rung, ...]:
        """Rungs of mediation a dispute climbs before litigation (none by default)."""
        return ()

    def ranking(self) -> Ranking | None:
        """The periodic ranking this mechanism runs, if any."""
        return None
