"""The settings of a workshop run and the ``govsim`` command that reproduces them (推演设置).

A workshop run compares a design (the mechanisms chosen, or a scenario's) with a
comparison design under common random numbers, on one city, for a number of days. Its
levers are of two kinds: *live* levers (:data:`LIVE_LEVERS`) are read by the model every
day, so a change takes effect from the next day without a restart; the rest (city,
scenario, designs, seed, staff) shape the model and apply when the run restarts.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields

from govsim.composition.compose import CONF_DIR
from govsim.config.errors import ConfigError
from govsim.config.schema import CityConfig, ExperimentConfig
from govsim.config.validate import check_value
from govsim.mechanisms import canonical
from govsim.model.model import GovernanceModel
from govsim.model.schedule import SCHEDULABLE, Change

__all__ = ["CITIES", "LIVE_LEVERS", "SCENARIOS", "LiveLever", "Settings", "problem"]

CITIES = tuple(sorted(p.stem for p in (CONF_DIR / "city").glob("*.yaml")))
SCENARIOS = ("default", *sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml")))


@dataclass(frozen=True)
class LiveLever:
    """A lever the model reads every day: it changes mid-run without a restart."""

    key: str
    """Its Hydra override key."""
    en: str
    zh: str
    low: float
    high: float
    step: float
    mechanism: str | None = None
    """The mechanism it belongs to (shown only when the design has it), or None for the city."""

    @property
    def apply(self) -> Callable[[GovernanceModel, float], None]:
        """Its change on a model: the one a schedule makes (:mod:`govsim.model.schedule`)."""
        return SCHEDULABLE[self.key]


LIVE_LEVERS: tuple[LiveLever, ...] = (
    LiveLever(
        "city.patrol_discovery_rate_per_day",
        "patrol effort (per grid worker per day)",
        "巡查力度(每名网格员每天)",
        0.05,
        1.0,
        0.05,
    ),
    LiveLever(
        "mechanism.assessment.weight", "assessment weight", "考核权重", 0.0, 1.0, 0.1, "assessment"
    ),
    LiveLever(
        "mechanism.whistle.compliance",
        "departments answering a whistle",
        "部门响应吹哨的概率",
        0.0,
        1.0,
        0.1,
        "whistle",
    ),
    LiveLever(
        "mechanism.hotline.hotline_share",
        "reports through 12345",
        "经12345热线反映的比例",
        0.0,
        1.0,
        0.1,
        "hotline",
    ),
)
"""Levers that change mid-run. City levers act on both designs; a mechanism's lever on the
design (not on the comparison design, which keeps its defaults, as ``reference=`` does)."""


@dataclass
class Settings:
    """Everything that sets up a workshop run."""

    city: str = "workshop"
    scenario: str = "default"
    design: tuple[str, ...] = ("whistle", "assessment")
    comparison: tuple[str, ...] | None = ("baseline",)
    """Mechanisms of the comparison design, or None to run the design alone."""
    seed: int = 0
    staff_scale: float = 1.0
    days: int = 90
    """Run to this day, then show the end-of-run summary."""
    levers: dict[str, float] = field(default_factory=dict)
    """Live levers set away from the configuration's values, by key."""

    def overrides(self) -> list[str]:
        """Hydra overrides of the design's configuration (run long; stopped at ``days``).

        A workshop run starts on the reform's first day: no pre-reform days, no warm-up.
        """
        scenario = [] if self.scenario == "default" else [f"scenario={self.scenario}"]
        return [
            *scenario,
            f"city={self.city}",
            f"mechanism=[{','.join(canonical(self.design))}]",
            f"seed={self.seed}",
            f"city.staff_scale={self.staff_scale}",
            "prereform_days=0",
            "warmup_days=0",
            "horizon_days=0",
            "replications=1",
            "reference=null",
            "progress=false",
        ]

    def command(self, changes: Sequence[Change] = ()) -> str:
        """The ``govsim`` command that runs these settings (one replication of each design).

        ``changes`` are the levers moved during the run, written as its ``schedule``: each
        acts from its day on, as it did in the session.
        """
        reference = (
            "null" if self.comparison is None else f"[{','.join(canonical(self.comparison))}]"
        )
        parts = [o for o in self.overrides() if not o.startswith(("reference=", "progress="))]
        parts = [o for o in parts if o != "horizon_days=0"]
        parts += [f"reference={reference}", f"days={self.days}", "horizon_days=0"]
        parts += [f"{key}={exact(value)}" for key, value in sorted(self.levers.items())]
        if changes:
            entries = ", ".join(
                f"{{day: {c.day}, key: {c.key}, value: {exact(c.value)}}}" for c in changes
            )
            parts.append(f"schedule=[{entries}]")
        return "govsim " + " ".join(shlex.quote(p) for p in parts)


def exact(value: float) -> str:
    """A lever's value as text that reads back to the same number (whole numbers bare)."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


_BOXES = (("seed", ExperimentConfig), ("city.staff_scale", CityConfig), ("days", ExperimentConfig))
"""The settings typed or slid in the page, by key, each with the configuration class whose
field of the same name bounds it."""


def problem(settings: Settings) -> str | None:
    """The first setting the configuration does not allow, in one line; None if all do.

    Each box is held to its field's own contract (the seed to what numpy's generators and
    the configuration accept), so the page can say what is wrong before a restart tries it.
    """
    for key, schema in _BOXES:
        name = key.rpartition(".")[2]
        contract = next(f for f in fields(schema) if f.name == name)
        try:
            check_value(contract, key, getattr(settings, name))
        except ConfigError as error:
            return str(error)
    return None
