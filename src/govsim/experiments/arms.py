"""The arms of an experiment: the treatment's mechanisms and the reference's.

Kept apart from :mod:`govsim.experiments.run` (which needs the model) so that checking a
sweep's jobs and counting their runs loads no model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govsim.composition.compose import mechanism_defaults
from govsim.config.schema import ExperimentConfig
from govsim.mechanisms import canonical

__all__ = ["Arm", "arms", "reference_is_treatment"]


@dataclass(frozen=True)
class Arm:
    """One configuration of mechanisms compared in an experiment."""

    role: str
    mechanisms: dict[str, Any]

    @property
    def label(self) -> str:
        """Mechanism names joined by '+' in registry order (e.g. ``whistle+hotline``)."""
        return "+".join(canonical(self.mechanisms))


def reference_is_treatment(cfg: ExperimentConfig) -> bool:
    """Whether the reference arm would be the treatment's own run.

    It is when the reference names the treatment's mechanisms and the treatment keeps
    every parameter of theirs at its default: the two arms would be one run twice (common
    random numbers), so it runs once and every paired difference is zero by construction.
    A treatment of the same mechanisms with other parameters is a comparison of its own.
    """
    if not cfg.reference or canonical(cfg.reference) != canonical(cfg.mechanism):
        return False
    return all(cfg.mechanism[name] == mechanism_defaults(name) for name in cfg.mechanism)


def arms(cfg: ExperimentConfig) -> list[Arm]:
    """The treatment arm and the reference arm, unless that is the treatment's own run."""
    treatment = Arm("treatment", dict(cfg.mechanism))
    if not cfg.reference or reference_is_treatment(cfg):
        return [treatment]
    reference = {name: mechanism_defaults(name) for name in canonical(cfg.reference)}
    return [treatment, Arm("reference", reference)]
