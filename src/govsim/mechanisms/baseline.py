"""Baseline routing (层级流转): the street forwards, departments act on their own queues.

A case the street cannot settle goes to each competent department in turn; each answers
after its response delay and by its own priorities, and each hand-off may bounce the case
back (条块分割、推诿扯皮, source 001). All of this lives in :mod:`govsim.flow`; the
baseline mechanism adds nothing to it.
"""

from __future__ import annotations

from govsim.mechanisms.base import Mechanism, MechanismConfig

__all__ = ["BaselineRouting"]


class BaselineRouting(Mechanism):
    """No reform: the routing every other mechanism is compared with."""

    name = "baseline"
    label_zh = "层级流转(基线)"
    effect = "reference: no change"
    config_class = MechanismConfig
    source = "001 (条块分割, information islands)"
    assumption = ("The street forwards a case to each competent department in turn; each "
                  "answers after its response delay, by its own priorities, and may bounce "
                  "the hand-off back to the street.")
