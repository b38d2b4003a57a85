"""Mechanisms (policy levers), one module each, selected by ``conf/mechanism/``."""

from govsim.mechanisms.assessment import Assessment, AssessmentConfig
from govsim.mechanisms.base import Mechanism, MechanismConfig
from govsim.mechanisms.baseline import BaselineRouting
from govsim.mechanisms.burden import BurdenConfig, BurdenReduction
from govsim.mechanisms.centre import CentreConfig, OneStopCentre
from govsim.mechanisms.cross_region import CrossRegion, CrossRegionConfig
from govsim.mechanisms.fengqiao import Fengqiao, FengqiaoConfig
from govsim.mechanisms.grid import GridConfig, GridManagement
from govsim.mechanisms.hotline import Hotline, HotlineConfig
from govsim.mechanisms.ladder import LadderConfig, MediationLadder
from govsim.mechanisms.psych import PsychConfig, PsychServices
from govsim.mechanisms.smart_dispatch import SmartDispatch, SmartDispatchConfig
from govsim.mechanisms.volunteers import Volunteers, VolunteersConfig
from govsim.mechanisms.whistle import StreetWhistle, WhistleConfig

__all__ = [
    "REGISTRY", "Assessment", "AssessmentConfig", "BaselineRouting", "BurdenConfig",
    "BurdenReduction", "CentreConfig", "CrossRegion", "CrossRegionConfig", "Fengqiao",
    "FengqiaoConfig", "GridConfig", "GridManagement", "Hotline", "HotlineConfig",
    "LadderConfig", "Mechanism", "MechanismConfig", "MediationLadder", "OneStopCentre",
    "PsychConfig", "PsychServices", "SmartDispatch", "SmartDispatchConfig", "StreetWhistle",
    "Volunteers", "VolunteersConfig", "WhistleConfig",
]

REGISTRY: dict[str, type[Mechanism]] = {
    m.name: m for m in (
        BaselineRouting, StreetWhistle, Hotline, GridManagement, OneStopCentre, SmartDispatch,
        MediationLadder, Fengqiao, CrossRegion, BurdenReduction, PsychServices, Volunteers,
        Assessment)
}
"""Every mechanism by its configuration name, in the order of DOMAIN.md's list."""
