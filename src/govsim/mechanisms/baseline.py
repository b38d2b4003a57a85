"""Baseline routing (层级流转): the street forwards, departments act on their own queues.

A case the street cannot settle goes to each competent department in turn; each answers
after its response delay and by its own priorities, and each hand-off may bounce the case
back (条块分割、推诿扯皮, source 001). All of this is the engine's routing
(:mod:`govsim.model.routing`); the baseline mechanism declares nothing on top of it, so it
has no parameters and nothing to phase in.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.mechanisms.base import Mechanism

__all__ = ["BaselineConfig", "BaselineRouting"]


@dataclass
class BaselineConfig:
    """Baseline routing has no parameters: department behaviour belongs to the city."""


class BaselineRouting(Mechanism):
    """No reform: the routing every other mechanism is compared with."""

    name = "baseline"
    label_zh = "层级流转(基线)"
    effect = "reference: no change"
    config_class = BaselineConfig
    points = ()
    source = "001 (条块分割, information islands)"
    assumption = (
        "The street forwards a case to each competent department in turn; each "
        "answers after its response delay, by its own priorities, and may bounce "
        "the hand-off back to the street."
    )
