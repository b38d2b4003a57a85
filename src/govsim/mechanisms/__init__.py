"""Mechanisms (policy levers), one module each, selected by ``conf/mechanism/``."""

from govsim.mechanisms.assessment import Assessment, AssessmentConfig
from govsim.mechanisms.base import JointHandling, Mechanism, Point, Ranking, Rung
from govsim.mechanisms.baseline import BaselineConfig, BaselineRouting
from govsim.mechanisms.burden import BurdenConfig, BurdenReduction
from govsim.mechanisms.centre import CentreConfig, OneStopCentre
from govsim.mechanisms.cross_region import CrossRegion, CrossRegionConfig
from govsim.mechanisms.fengqiao import Fengqiao, FengqiaoConfig
from govsim.mechanisms.grid import GridConfig, GridManagement
from govsim.mechanisms.hotline import Hotline, HotlineConfig
from govsim.mechanisms.ladder import LadderConfig, MediationLadder
from govsim.mechanisms.levers import Levers, scaled
from govsim.mechanisms.precedence import PRECEDENCE, Decision, ordered
from govsim.mechanisms.psych import PsychConfig, PsychServices
from govsim.mechanisms.smart_dispatch import SmartDispatch, SmartDispatchConfig
from govsim.mechanisms.volunteers import Volunteers, VolunteersConfig
from govsim.mechanisms.whistle import StreetWhistle, WhistleConfig

__all__ = [
    "PRECEDENCE",
    "REGISTRY",
    "Assessment",
    "AssessmentConfig",
    "BaselineConfig",
    "BaselineRouting",
    "BurdenConfig",
    "BurdenReduction",
    "CentreConfig",
    "CrossRegion",
    "CrossRegionConfig",
    "Decision",
    "Fengqiao",
    "FengqiaoConfig",
    "GridConfig",
    "GridManagement",
    "Hotline",
    "HotlineConfig",
    "JointHandling",
    "LadderConfig",
    "Levers",
    "Mechanism",
    "MediationLadder",
    "OneStopCentre",
    "Point",
    "PsychConfig",
    "PsychServices",
    "Ranking",
    "Rung",
    "SmartDispatch",
    "SmartDispatchConfig",
    "StreetWhistle",
    "Volunteers",
    "VolunteersConfig",
    "WhistleConfig",
    "canonical",
    "ordered",
    "scaled",
]

REGISTRY: dict[str, type[Mechanism]] = {
    m.name: m
    for m in (
        BaselineRouting,
        StreetWhistle,
        Hotline,
        GridManagement,
        OneStopCentre,
        SmartDispatch,
        MediationLadder,
        Fengqiao,
        CrossRegion,
        BurdenReduction,
        PsychServices,
        Volunteers,
        Assessment,
    )
}
"""Every mechanism by its configuration name, in the order of DOMAIN.md's list."""


def canonical(names: list[str] | tuple[str, ...] | dict) -> list[str]:
    """Mechanism names in registry order: the order the user listed them changes nothing."""
    chosen = set(names)
    return [name for name in REGISTRY if name in chosen]
