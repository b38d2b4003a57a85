"""A workshop session: a design and its comparison design stepping side by side (推演会话).

Each browser session owns one :class:`Session`. Both designs share the city, the seed and
the replication, so they see the same residents and the same cases (common random
numbers): what differs between them comes from the mechanisms. Every day each design
records the running measures (:func:`govsim.outcomes.daily.running_tally`), the day's counts
(:func:`govsim.workshop.recent.day_counts`, read over the last days by the charts) and the
day's whistles and escalations per street.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

import numpy as np

from govsim.city.build import build_city
from govsim.city.levels import Level
from govsim.composition.compose import mechanism_defaults
from govsim.composition.compositions import compose_in_process
from govsim.composition.overrides import COMPOSITION_ERRORS, translate
from govsim.config.errors import RequestError
from govsim.mechanisms import canonical
from govsim.model.model import GovernanceModel
from govsim.model.schedule import Change
from govsim.outcomes.daily import running_tally
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.workshop.recent import DAY_COUNTS, day_counts
from govsim.workshop.settings import LIVE_LEVERS, Settings, problem

__all__ = ["SERIES", "Design", "Event", "Session", "open_session"]

SERIES = (
    HEADLINE,
    HANDLED,
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "backlog",
    "department_backlog",
    "petitions",
    "whistles",
    "known_share",
    "patrol_found_share",
)
"""The daily series each design records."""


@dataclass(frozen=True)
class Event:
    """A whistle blown or a grievance escalated in a street on a day."""

    day: int
    kind: str
    """``whistle`` or ``petition``."""
    street: int
    count: int


@dataclass
class Design:
    """One design running: its model, its daily series and its recent events."""

    label: str
    """Mechanisms joined by ``+`` in registry order."""
    model: GovernanceModel
    history: dict[str, list[float]] = field(
        default_factory=lambda: {s: [] for s in (*SERIES, *DAY_COUNTS)}
    )
    """Each day's running measures (:data:`SERIES`) and the day's own counts
    (:data:`~govsim.workshop.recent.DAY_COUNTS`)."""
    events: list[Event] = field(default_factory=list)
    today: list[Event] = field(default_factory=list)

    def step(self) -> None:
        """Advance one day; record the series and the day's whistles and escalations."""
        model = self.model
        whistles = np.array(model.engine.whistles)
        before = model.engine.counters.counts.copy()
        petitions = model.engine.counters.petitions
        model.step()
        self.today = []
        for street in np.flatnonzero(np.array(model.engine.whistles) > whistles).tolist():
            blown = int(model.engine.whistles[street] - whistles[street])
            self.today.append(Event(model.day, "whistle", street, blown))
        if model.engine.counters.petitions > petitions:
            led = model.ledger
            n = len(led)
            new = led.petitioned_at[:n] >= model.day - 1
            streets, counts = np.unique(led.street[:n][new], return_counts=True)
            self.today += [
                Event(model.day, "petition", int(s), int(c))
                for s, c in zip(streets, counts, strict=True)
            ]
        self.events = (self.today + self.events)[:12]
        self._record()
        for key, value in day_counts(model, before).items():
            self.history[key].append(value)

    def _record(self) -> None:
        tally = running_tally(self.model)
        c = self.model.engine.counters
        values = {
            HEADLINE: tally.share_arisen_settled_at_or_below_street,
            HANDLED: tally.share_arisen_handled_at_or_below_street,
            "response_rate": tally.response_rate,
            "resolution_rate": tally.resolution_rate,
            "satisfaction_rate": tally.satisfaction_rate,
            "backlog": c.open,
            "department_backlog": c.by_stage[Level.DEPARTMENT],
            "petitions": c.petitions,
            "whistles": c.whistles,
            "known_share": tally.known_share,
            "patrol_found_share": tally.patrol_found_share,
        }
        for key, value in values.items():
            self.history[key].append(float(value))

    def latest(self, series: str) -> float:
        """The series' value today (NaN before the first day)."""
        values = self.history[series]
        return values[-1] if values else float("nan")


class Session:
    """A design and its comparison design on one city, stepped together."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        cfg = compose_in_process([*settings.overrides(), f"days={max(settings.days, 1)}"])
        self.config = cfg
        city = build_city(cfg.city)
        self.designs = [Design("+".join(cfg.mechanism), GovernanceModel(cfg, city=city))]
        if settings.comparison is not None:
            names = canonical(settings.comparison)
            chosen = {n: mechanism_defaults(n) for n in names}
            self.designs.append(Design("+".join(names), GovernanceModel(cfg, chosen, city=city)))
        self.lever_log: list[tuple[int, str, float]] = []
        """Live lever changes: (day, key, value)."""
        acting = {lever.key for lever in self.levers()}
        settings.levers = {k: v for k, v in settings.levers.items() if k in acting}
        self.initial_levers = dict(settings.levers)
        """The live levers set away from the configuration's values from day 0."""
        for key, value in settings.levers.items():
            self.set_lever(key, value, log=False)

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return self.designs[0].model.day

    @property
    def finished(self) -> bool:
        """True once the run has reached its last day."""
        return self.day >= self.settings.days

    def step(self) -> None:
        """Advance every design one day."""
        for design in self.designs:
            design.step()

    def command(self) -> str:
        """The ``govsim`` command that re-runs this session, lever changes on their days."""
        start = replace(self.settings, levers=dict(self.initial_levers))
        return start.command([Change(day, key, value) for day, key, value in self.lever_log])

    def levers(self) -> list:
        """The live levers that act in this session (city levers and the design's own)."""
        running = set(self.config.mechanism)
        return [lv for lv in LIVE_LEVERS if lv.mechanism is None or lv.mechanism in running]

    def lever_value(self, key: str) -> float:
        """A live lever's value in effect."""
        if key in self.settings.levers:
            return self.settings.levers[key]
        _, group, *rest = ["", *key.split(".")]
        if group == "city":
            return float(getattr(self.config.city, rest[0]))
        return float(getattr(self.config.mechanism[rest[0]], rest[1]))

    def set_lever(self, key: str, value: float, log: bool = True) -> None:
        """Change a live lever from the next day on (city levers on both designs)."""
        lever = next(lv for lv in LIVE_LEVERS if lv.key == key)
        targets = self.designs if lever.mechanism is None else self.designs[:1]
        for design in targets:
            lever.apply(design.model, value)
        self.settings.levers[key] = value
        if log:
            self.lever_log.append((self.day, key, value))


def open_session(settings: Settings) -> Session | str:
    """A session for the settings, or the one line the page shows instead of starting one.

    Settings the configuration does not allow are named with what it allows; a failure
    while building the models is named in one line too (its traceback goes to the server's
    log, never to the page), so the page and the session running before stay usable.
    """
    refused = problem(settings)
    if refused is not None:
        return refused
    try:
        return Session(settings)
    except (RequestError, *COMPOSITION_ERRORS) as error:  # as the command says it
        return " ".join(str(translate(error)).split())
    except Exception as error:  # the room sees one line; the server's log the traceback
        logging.getLogger(__name__).exception("the workshop run could not start")
        return f"could not start the run: {type(error).__name__}: {error}".splitlines()[0]
