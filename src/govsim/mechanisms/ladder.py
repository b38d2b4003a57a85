"""Diversified dispute resolution: the mediation ladder (多元解纷; sources 001, 003).

People's mediation is strengthened at the base; a dispute that still goes above the
street climbs a ladder — administrative mediation, then judicial (court-annexed)
mediation — before it reaches litigation (consultation → mediation → arbitration →
administrative reconsideration → litigation, source 001; people's, administrative and
judicial mediation complement each other, source 003).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from govsim.config import nonnegative, probability
from govsim.levels import Level
from govsim.levers import scaled
from govsim.mechanisms.base import Mechanism, MechanismConfig
from govsim.streams import Purpose

if TYPE_CHECKING:
    from govsim.flow import CaseFlow
    from govsim.levers import Levers

__all__ = ["LadderConfig", "MediationLadder"]


@dataclass
class LadderConfig(MechanismConfig):
    """Parameters of the mediation ladder."""

    peoples_mediation_gain: float = probability(0.5)
    administrative_success: float = probability(0.5)
    administrative_days: float = nonnegative(10.0, "days")
    judicial_success: float = probability(0.6)
    judicial_days: float = nonnegative(23.0, "days")


class MediationLadder(Mechanism):
    """Stronger people's mediation; administrative and judicial mediation before litigation."""

    name = "mediation_ladder"
    label_zh = "多元解纷(人民调解、行政调解、司法调解)"
    effect = "disputes reaching petition office or court ↓, community settlements ↑"
    source = "001 (协商→调解→仲裁→行政复议→诉讼), 003 (大调解: 人民、行政、司法调解)"
    assumption = ("Community mediation failure × (1 − peoples_mediation_gain); a dispute "
                  "going above the street first tries administrative mediation (level "
                  "DEPARTMENT) then judicial mediation (level ABOVE), each an exponential "
                  "delay with its mean and a success probability, before litigation.")
    config_class = LadderConfig

    def apply(self, levers: Levers, intensity: float) -> None:
        """Stronger people's mediation."""
        levers.mediation_failure *= scaled(1.0 - self.params.peoples_mediation_gain, intensity)

    def _rungs(self) -> list[tuple[float, float, Level]]:
        p: LadderConfig = self.params
        return [(p.administrative_success, p.administrative_days, Level.DEPARTMENT),
                (p.judicial_success, p.judicial_days, Level.ABOVE)]

    def on_escalate(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Disputes climb the ladder instead of going straight to petition or court."""
        if not flow.mediable[int(flow.ledger.case_type[case])]:
            return False
        self._climb(flow, case, 0, now)
        return True

    def _climb(self, flow: CaseFlow, case: int, rung: int, now: float) -> None:
        days = self._rungs()[rung][1]
        flow.climb(now, case, rung, flow.ledger.next_draw(case, Purpose.CASE_DELAY) * days)

    def on_rung(self, flow: CaseFlow, case: int, rung: int, now: float) -> bool:
        """Settle on this rung, climb the next, or go on to litigation."""
        rungs = self._rungs()
        success, _, level = rungs[rung]
        if flow.ledger.next_draw(case, Purpose.CASE_ROUTE) < success:
            flow.resolve(now, case, level)
        elif rung + 1 < len(rungs):
            self._climb(flow, case, rung + 1, now)
        else:
            flow.to_above(now, case)
        return True
