"""The interface every mechanism implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from govsim.flow import CaseFlow
    from govsim.model import GovernanceModel

__all__ = ["Mechanism", "MechanismConfig"]


@dataclass
class MechanismConfig:
    """Parameters shared by all mechanisms (none yet)."""


class Mechanism:
    """A policy lever: one module, one config dataclass, hooks into the case flow.

    Subclasses set ``name`` (the Hydra option in ``conf/mechanism/``), ``label_zh``,
    ``source`` (where the sources describe it) and ``config_class``, and override the
    hooks they need. A hook that does nothing leaves baseline routing in place.
    """

    name: ClassVar[str]
    label_zh: ClassVar[str]
    source: ClassVar[str]
    config_class: ClassVar[type[Any]] = MechanismConfig

    def __init__(self, params: Any, model: GovernanceModel) -> None:
        self.params = params
        self.model = model

    def on_street_unsettled(self, flow: CaseFlow, case: int, now: float) -> bool:
        """Take charge of a case the street cannot settle alone; False leaves it to routing."""
        return False
