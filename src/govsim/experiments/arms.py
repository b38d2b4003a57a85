"""The arms of an experiment: the treatment's mechanisms and the reference's.

Kept apart from :mod:`govsim.experiments.run` (which needs the model) so that checking a
sweep's jobs and counting their runs loads no model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govsim.config.schema import ExperimentConfig
from govsim.experiments.compose import mechanism_defaults
from govsim.mechanisms import canonical

__all__ = ["Arm", "arms"]


@dataclass(frozen=True)
class Arm:
    """One configuration of mechanisms compared in an experiment."""

    role: str
    mechanisms: dict[str, Any]

    @property
    def label(self) -> str:
        """Mechanism names joined by '+' in registry order (e.g. ``whistle+hotline``)."""
        return "+".join(canonical(self.mechanisms))


def arms(cfg: ExperimentConfig) -> list[Arm]:
    """The treatment arm and, unless it is the same, the reference arm."""
    treatment = Arm("treatment", dict(cfg.mechanism))
    if not cfg.reference or canonical(cfg.reference) == canonical(cfg.mechanism):
        return [treatment]
    reference = {name: mechanism_defaults(name) for name in canonical(cfg.reference)}
    return [treatment, Arm("reference", reference)]
