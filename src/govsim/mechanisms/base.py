"""The interface every mechanism implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from govsim.config import count

if TYPE_CHECKING:
    import numpy as np

    from govsim.flow import CaseFlow
    from govsim.ledger import CaseLedger
    from govsim.levers import Levers
    from govsim.model import GovernanceModel

__all__ = ["Mechanism", "MechanismConfig"]


@dataclass
class MechanismConfig:
    """Parameters every mechanism has: when it starts and how fast it is phased in.

    Staged roll-out (一年打基础、两年求突破、三年大提升, source 004): the mechanism acts from
    ``start_day``; its intensity rises linearly to full over ``ramp_days`` (0 = at once).
    """

    start_day: int = count(0, "day", minimum=0)
    ramp_days: int = count(0, "days", minimum=0)


class Mechanism:
    """A policy lever: one module, one config dataclass, and two ways to act.

    Subclasses set ``name`` (the option in ``conf/mechanism/``), ``label_zh``, ``source``
    (where the sources describe it), ``assumption`` (how the model represents it),
    ``effect`` (its expected direction) and ``config_class``, and override what they need:

    - :meth:`apply` scales the daily :class:`~govsim.levers.Levers` by the intensity;
    - :meth:`on_street_unsettled` takes charge of a case the street cannot settle alone,
      and :meth:`on_escalate` of a case going above the street; they are called only for
      the share of cases given by the intensity.
    """

    name: ClassVar[str]
    label_zh: ClassVar[str]
    source: ClassVar[str]
    assumption: ClassVar[str] = ""
    effect: ClassVar[str] = ""
    """The expected direction of the mechanism's effect (tested in tests/test_mechanisms.py)."""
    config_class: ClassVar[type[Any]] = MechanismConfig

    def __init__(self, params: Any, model: GovernanceModel) -> None:
        self.params = params
        self.model = model

    def intensity(self, day: int) -> float:
        """Share of full effect on ``day`` (staged roll-out)."""
        start = getattr(self.params, "start_day", 0)
        ramp = getattr(self.params, "ramp_days", 0)
        if day < start:
            return 0.0
        if ramp <= 0:
            return 1.0
        return min(1.0, (day - start + 1) / ramp)

    def apply(self, levers: Levers, intensity: float) -> None:
        """Act on the day's levers (no effect by default)."""

    def on_street_unsettled(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Take charge of a case the street cannot settle alone; False leaves it to routing."""
        return False

    def on_admit(self, ledger: CaseLedger, ids: np.ndarray, intensity: float) -> None:
        """See new cases as they are admitted (after reporting is decided)."""

    def metrics(self, model: GovernanceModel, window: np.ndarray) -> dict[str, float]:
        """Extra run metrics of this mechanism over the cases in ``window``."""
        return {}

    def on_escalate(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Take charge of a case going above the street; False sends it to the district."""
        return False

    def on_rung(self, flow: CaseFlow, case: int, rung: int, now: float) -> bool:
        """A case finished rung ``rung`` of this mechanism's ladder; False if not ours."""
        return False
