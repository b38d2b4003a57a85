"""Levers changed on a day of the run: the schedule (按日调整的参数).

A schedule (the configuration's ``schedule``) lists timed changes of the levers the model
reads every day: ``[{day: 69, key: mechanism.assessment.weight, value: 0}]`` sets the
assessment weight to 0 before day 69 of the reform is simulated, exactly as a lever moved
in the workshop after day 69 acts from the next day on. So a workshop session whose levers
moved mid-run is re-run by one command (:meth:`govsim.workshop.session.Session.command`)
and gives the same daily series under the same seed: a change draws no random numbers.

A city lever (:data:`CITY_LEVERS`) changes every arm; a mechanism's lever changes it in
the arm that runs the configured mechanisms (the treatment), never in a reference arm of
other mechanisms, which keeps its defaults as ``reference=`` does. Several changes on one
day apply in the order listed.

Assumption: a lever moved between two days takes effect at once for every decision made
afterwards; work in progress is not redone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import Field, dataclass, fields
from typing import Any

from govsim.config.errors import ConfigError
from govsim.config.schema import ExperimentConfig
from govsim.config.validate import check_value

__all__ = [
    "CITY_LEVERS",
    "MECHANISM_LEVERS",
    "SCHEDULABLE",
    "Change",
    "apply_changes",
    "check_schedule",
    "schedule_of",
    "set_patrol",
]

Apply = Callable[[Any, float], None]
"""A lever's change on a model (a :class:`~govsim.model.model.GovernanceModel`)."""


def set_patrol(model: Any, rate: float) -> None:
    """Every grid worker's patrol discovery rate (per day), from now on."""
    from govsim.model.actors import GridWorker  # Mesa loads when a model runs, not to check

    for worker in model.agents_by_type[GridWorker]:
        worker.patrol_rate = rate
    model.update_patrol_rates()  # in a grid of n residents: × reference / n, as at the start


def _mechanism_param(mechanism: str, param: str) -> Apply:
    def apply(model: Any, value: float) -> None:
        for m in model.mechanisms:
            if m.name == mechanism:
                setattr(m.params, param, value)

    return apply


CITY_LEVERS: dict[str, Apply] = {"city.patrol_discovery_rate_per_day": set_patrol}
"""City levers the model reads every day: they change every arm."""

MECHANISM_LEVERS: dict[str, Apply] = {
    f"mechanism.{m}.{p}": _mechanism_param(m, p)
    for m, p in (("assessment", "weight"), ("whistle", "compliance"), ("hotline", "hotline_share"))
}
"""Mechanisms' levers the model reads every day: they change the treatment arm."""

SCHEDULABLE: dict[str, Apply] = {**CITY_LEVERS, **MECHANISM_LEVERS}
"""Every lever a schedule may change, by its configuration key."""


@dataclass(frozen=True)
class Change:
    """Set ``key`` to ``value`` before day ``day`` of the reform is simulated."""

    day: int
    key: str
    value: float


def _entry(item: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(item, Mapping) or set(item) != {"day", "key", "value"}:
        raise ConfigError(where, item, "a change {day: D, key: KEY, value: V}")
    return item


def _contract(cfg: ExperimentConfig, key: str, where: str) -> Field:
    """The field of the configuration whose contract bounds the lever ``key``."""
    if key not in SCHEDULABLE:
        raise ConfigError(f"{where}.key", key, "one of " + ", ".join(SCHEDULABLE))
    group, *rest = key.split(".")
    if group == "city":
        owner: Any = cfg.city
    else:
        if rest[0] not in cfg.mechanism:
            raise ConfigError(
                f"{where}.key",
                key,
                f"a lever of a mechanism that runs "
                f"({', '.join(cfg.mechanism)}); add {rest[0]} to mechanism=[...]",
            )
        owner = cfg.mechanism[rest[0]]
    return next(f for f in fields(owner) if f.name == rest[-1])


def schedule_of(cfg: ExperimentConfig) -> list[Change]:
    """The configuration's schedule, checked and in the order it applies.

    Raises :class:`ConfigError` naming the first entry with an unknown key, a day outside
    the run (``0 .. days − 1``) or a value the key's contract does not allow.
    """
    changes = []
    for k, item in enumerate(cfg.schedule or []):
        where = f"schedule[{k}]"
        entry = _entry(item, where)
        day = entry["day"]
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day < cfg.days:
            raise ConfigError(
                f"{where}.day",
                day,
                f"a whole day of the run, 0 .. {cfg.days - 1} (days={cfg.days})",
            )
        key = str(entry["key"])
        value = entry["value"]
        check_value(_contract(cfg, key, where), f"{where}.value ({key})", value)
        changes.append(Change(day, key, float(value)))
    return sorted(changes, key=lambda c: c.day)  # stable: a day's changes in listed order


def check_schedule(cfg: ExperimentConfig) -> None:
    """Raise :class:`ConfigError` on the first change the configuration does not allow."""
    schedule_of(cfg)


def apply_changes(model: Any, changes: Sequence[Change], day: int, treatment: bool) -> None:
    """Apply the changes due on ``day`` of the reform (mechanisms' levers in the treatment)."""
    for change in changes:
        if change.day == day and (treatment or change.key in CITY_LEVERS):
            SCHEDULABLE[change.key](model, change.value)
