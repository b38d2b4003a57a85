"""Mechanisms (policy levers), one module each, selected by ``conf/mechanism/``."""

from govsim.mechanisms.base import Mechanism, MechanismConfig
from govsim.mechanisms.baseline import BaselineRouting
from govsim.mechanisms.whistle import StreetWhistle, WhistleConfig

__all__ = ["REGISTRY", "BaselineRouting", "Mechanism", "MechanismConfig", "StreetWhistle",
           "WhistleConfig"]

REGISTRY: dict[str, type[Mechanism]] = {m.name: m for m in (BaselineRouting, StreetWhistle)}
"""Every mechanism by its configuration name."""
