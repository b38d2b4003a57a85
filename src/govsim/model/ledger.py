"""The case ledger (案件台账): every case as one row of a struct of arrays.

Columns grow by doubling, so a year of a 10-million-resident city (about a million cases)
costs a few hundred megabytes. Each case also carries fixed blocks of random draws, one
block per purpose, taken from the purpose's stream when the case arises: the k-th service
episode of a case uses the k-th service draw whatever the mechanism, which keeps random
numbers common across scenarios (see :mod:`govsim.model.streams`). A case's blocks come from
its district's streams, and the draws it needs beyond them from a counter-based generator
keyed by the district and the case's number in it: a case's every draw is the same
whichever other cases or districts a run holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from govsim.model.compiled import compiled
from govsim.model.streams import Purpose, RandomStreams

__all__ = [
    "BLOCK",
    "CHECK",
    "COLUMNS",
    "DRAWS_PER_PURPOSE",
    "MAX_PARTS",
    "CaseLedger",
    "Channel",
    "PartState",
    "Status",
    "check_draw",
    "next_draw",
    "overflow_draw",
]

MAX_PARTS = 7
"""Department parts one case can have (``govsim.config.validate.MAX_DEPARTMENTS_PER_CASE``)."""

DRAWS_PER_PURPOSE = 8
"""Draws kept per case for each repeated decision; later ones are counter-based
(:func:`overflow_draw`)."""


class Status(IntEnum):
    """Where a case stands."""

    LATENT = 0
    """Arisen but not yet known to anyone who can act (not reported, not discovered)."""
    OPEN = 1
    """Known and being handled, waiting or in transit."""
    RESOLVED = 2
    """Resolved, at the level recorded in ``level``."""
    UNRESOLVED = 3
    """Closed without resolution (e.g. a petition or lawsuit that ends unresolved)."""


class Channel(IntEnum):
    """How a case became known to the system (the discovery race and the resident's channel)."""

    NONE = 0
    """Not known yet."""
    PATROL = 1
    """Found by a grid worker's patrol before the resident reported it."""
    GRID_WORKER = 2
    """Reported by the resident to their grid worker."""
    HOTLINE = 3
    """Reported by the resident to the 12345 hotline (dispatched to the grid, 002)."""
    STREET_OFFICE = 4
    """Reported by the resident at the street office."""
    PETITION = 5
    """Taken by the resident straight to the petition office (信访)."""
    ESCALATION = 6
    """Nobody knew of it until the grievance escalated into a petition."""


class PartState(IntEnum):
    """Where one department part of a case stands (a case needs 0–7 departments)."""

    NONE = 0
    """Not needed, or dropped when the case went above the street."""
    FORWARD = 1
    """To be handled by forwarding to the department's own office (baseline routing)."""
    JOINT = 2
    """Waiting for a department staff member to handle it jointly at the street."""
    DONE = 3
    """Handled."""
    JOINT_WORKING = 4
    """Being handled jointly at the street."""


@dataclass(frozen=True)
class Column:
    """A column of the case ledger, declared once (name, type, fill, who reads it).

    A value per case, or rows of values per case (``lead`` axes, the cases, ``trail`` axes).
    """

    dtype: type
    """Its numpy type."""
    fill: object | None
    """Its value until the case sets it (``None``: uninitialised, written before it is read)."""
    engine: bool = True
    """Whether the compiled engine reads or writes it (then it is the field of the engine's
    state of the same name); else only the model, in Python, does."""
    doc: str = ""
    """What it holds, where its name does not say."""
    lead: tuple[int, ...] = ()
    trail: tuple[int, ...] = ()

    def make(self, capacity: int, filled: bool = True) -> np.ndarray:
        """The column for ``capacity`` cases (``filled=False``: uninitialised, not filled)."""
        shape = (*self.lead, capacity, *self.trail)
        if self.fill is None or not filled:
            return np.empty(shape, self.dtype)
        if self.fill == 0:  # memory the system hands over zeroed: no pass to fill it
            return np.zeros(shape, self.dtype)
        return np.full(shape, self.fill, self.dtype)

    def cases(self, n: int) -> tuple[slice, ...]:
        """The index of the first ``n`` cases' values."""
        return (*(slice(None),) * len(self.lead), slice(0, n))


_COLUMNS: dict[str, Column] = {
    "case_type": Column(np.int16, -1),
    "resident": Column(
        np.int64,
        -1,
        engine=False,
        doc=("The resident whose case it is (their trust, channel and learning)."),
    ),
    "grid": Column(np.int32, -1),
    "street": Column(np.int32, -1),
    "district": Column(np.int32, -1),
    "serial": Column(
        np.int32,
        -1,
        doc=(
            "The case's number among its district's cases (0, 1, ...): with the district, a "
            "name for the case that does not depend on which other districts a run holds."
        ),
    ),
    "arisen": Column(np.float64, np.nan),
    "known": Column(np.float64, np.nan),
    "closed": Column(np.float64, np.nan),
    "petitioned_at": Column(np.float64, np.nan),
    "status": Column(np.int8, Status.LATENT),
    "level": Column(
        np.int8,
        -1,
        doc=("Venue of the resolution or closure (``Level``): where the case was settled."),
    ),
    "stage": Column(np.int8, -1),
    "station": Column(np.int32, -1),
    "reported": Column(
        np.bool_,
        False,
        engine=False,
        doc=("Whether the resident reported the case (the discovery race)."),
    ),
    "channel": Column(np.int8, Channel.NONE, doc="How the case became known (``Channel``)."),
    "escalated": Column(np.bool_, False),
    "petitioned": Column(np.bool_, False),
    "whistled": Column(np.bool_, False),
    "supervised": Column(
        np.bool_,
        False,
        doc=(
            "A breached joint part was put under supervision (督办): forwarded at the head of the "
            "department's queue, not to be bounced."
        ),
    ),
    "true_resolved": Column(
        np.bool_, False, doc=("Resolved in truth (not closed as resolved without being solved).")
    ),
    "reopened": Column(
        np.int16,
        0,
        doc=(
            "Times the case was reopened after a closure without a fix (callback, audit, repeat "
            "call)."
        ),
    ),
    "joint": Column(np.bool_, False),
    "via_hotline": Column(np.bool_, False),
    "cross_region": Column(np.bool_, False),
    "cross_waited": Column(np.bool_, False),
    "collective": Column(np.bool_, False),
    "reached_above": Column(np.bool_, False),
    "mediated": Column(np.bool_, False),
    "handled_above": Column(
        np.bool_,
        False,
        doc=("Staff above the street (departments, petition office, courts) worked on the case."),
    ),
    "bounces": Column(np.int16, 0),
    "handoffs": Column(
        np.int16,
        0,
        doc=("Hand-offs the resident lived through: forwards, bounces and escalations."),
    ),
    "joint_pending": Column(np.int16, 0),
    "joint_deadline": Column(np.float64, np.nan),
    "offer": Column(
        np.int8, -1, doc=("Slot of the joint-handling offer that took the case (-1: none).")
    ),
    "rung": Column(np.int8, -1),
    "waiting": Column(np.bool_, False),
    "clock_due": Column(
        np.float64, np.inf, doc=("When the running escalation clock rings (inf: no clock running).")
    ),
    "token": Column(np.int32, 0),
    "answer_due": Column(
        np.float64,
        np.inf,
        doc=("When the answer is due: becoming known + the time limit of the case type."),
    ),
    "overdue": Column(
        np.bool_, False, doc=("The resident has judged the case as failed for being overdue.")
    ),
    "satisfaction": Column(np.float32, np.nan),
    "satisfied": Column(np.bool_, False),
    "wait_days": Column(np.float64, 0.0),
    "queued_at": Column(
        np.float64,
        np.nan,
        doc=("When the case's current job of its own line was queued (for supervision)."),
    ),
    "staff_days": Column(np.float64, 0.0),
    "u_report": Column(
        np.float32,
        np.nan,
        engine=False,
        doc=("One-off draws, fixed at arrival: whether the resident reports."),
    ),
    "e_report": Column(np.float32, np.nan, engine=False, doc=("When the resident reports.")),
    "e_discover": Column(np.float32, np.nan, engine=False, doc=("When a patrol finds the case.")),
    "e_latent_escalation": Column(
        np.float32, np.nan, engine=False, doc=("When an unknown grievance escalates.")
    ),
    "u_settle_grid": Column(np.float32, np.nan),
    "u_settle_community": Column(np.float32, np.nan),
    "u_settle_street": Column(np.float32, np.nan),
    "u_settle_above": Column(np.float32, np.nan),
    "u_rollout": Column(np.float32, np.nan),
    "u_channel": Column(np.float32, np.nan, engine=False, doc=("The resident's channel.")),
    "u_cross": Column(
        np.float32, np.nan, engine=False, doc=("Whether the case crosses a boundary.")
    ),
    "u_satisfied": Column(np.float32, np.nan),
    "u_submit": Column(
        np.float32, np.nan, engine=False, doc=("When a patrol's find is submitted.")
    ),
    "u_entry": Column(
        np.float32,
        np.nan,
        doc=("Whether the case is sent straight to the community or the street office."),
    ),
}
"""The case columns, one value per case, declared once: the ledger holds them, and those the
engine reads (``engine``) are in its state (:meth:`CaseLedger.engine_view`)."""

COLUMNS = tuple(_COLUMNS)
"""The ledger's one-dimensional columns, by name."""

_BLOCKS: dict[Purpose, str] = {
    Purpose.CASE_SERVICE: "exponential",
    Purpose.CASE_WAIT: "exponential",
    Purpose.CASE_ROUTE: "uniform",
    Purpose.CASE_DELAY: "exponential",
}

BLOCK = {purpose: k for k, purpose in enumerate(_BLOCKS)}
"""Index of each repeated decision's block in ``CaseLedger.draws``."""
SERVICE, WAIT, ROUTE, DELAY = (
    BLOCK[p]
    for p in (Purpose.CASE_SERVICE, Purpose.CASE_WAIT, Purpose.CASE_ROUTE, Purpose.CASE_DELAY)
)
UNIFORM_BLOCK = ROUTE
"""The one block of uniform draws (the others are standard exponential)."""
CHECK = len(_BLOCKS)
"""Index, past the kept blocks, of the counter-based draws that decide whether a closure
without a fix is caught (:func:`check_draw`); no case keeps a block of them."""


_TABLES: dict[str, Column] = {
    "part_state": Column(
        np.int8,
        PartState.NONE,
        trail=(MAX_PARTS,),
        doc=("State of each department part (``PartState``)."),
    ),
    "part_token": Column(
        np.int16,
        0,
        trail=(MAX_PARTS,),
        doc=("Version of each department part's queued job (a changed token voids the job)."),
    ),
    "draws": Column(
        np.float32,
        None,
        lead=(len(_BLOCKS),),
        trail=(DRAWS_PER_PURPOSE,),
        doc=(
            "Each case's block of draws for each repeated decision (purposes in ``_BLOCKS`` order)."
        ),
    ),
    "drawn": Column(np.int32, 0, lead=(len(_BLOCKS),), doc="Draws of each block used so far."),
}
"""The columns of several values per case, declared once like :data:`_COLUMNS`."""


def _declared() -> dict[str, Column]:
    """Every column of the ledger, by name, as declared (read when a ledger is made)."""
    return {**_COLUMNS, **_TABLES}


_ONCE_EXPONENTIAL = ("e_report", "e_discover", "e_latent_escalation")
_ONCE_UNIFORM = (
    "u_settle_grid",
    "u_settle_community",
    "u_settle_street",
    "u_settle_above",
    "u_rollout",
    "u_channel",
    "u_cross",
    "u_satisfied",
    "u_submit",
)
"""A new case's one-off draws after ``u_report``, exponential then uniform, in the order
they are drawn from its district's stream."""
_ONCE = ("serial", "u_report", *_ONCE_EXPONENTIAL, *_ONCE_UNIFORM, "u_entry")
"""The columns a new case gets from its district's streams as it opens (its number first)."""


def _draw(rng: np.random.Generator, kind: str, size: tuple[int, ...]) -> np.ndarray:
    if kind == "uniform":
        return rng.random(size, dtype=np.float32)
    return rng.standard_exponential(size, dtype=np.float32)


class CaseLedger:
    """All cases of a run, as growable numpy columns with per-case random-draw blocks."""

    def __init__(
        self,
        streams: RandomStreams,
        capacity: int = 1024,
        districts: int = 1,
        filled: bool = True,
    ) -> None:
        """An empty ledger of ``capacity`` rows, each column filled with its initial value.

        ``filled=False`` leaves the columns unwritten, for a caller that writes them all.
        """
        self.n = 0
        self._streams = streams
        self.opened = np.zeros(districts, dtype=np.int64)
        """Cases opened so far in each district."""
        self.overflow_key = np.array(
            [streams.word(Purpose.OVERFLOW, d) for d in range(districts)], dtype=np.uint64
        )
        """Each district's key of the draws cases need beyond their blocks."""
        self._capacity = capacity
        self._declared = _declared()
        self._engine = tuple(name for name, c in self._declared.items() if c.engine)
        self._cols = {name: c.make(capacity, filled) for name, c in self._declared.items()}
        for name, column in self._cols.items():
            setattr(self, name, column)

    @classmethod
    def holding(cls, n: int) -> CaseLedger:
        """A ledger of ``n`` cases whose columns the caller fills, for reading.

        It opens no cases of its own (its blocks of draws are never drawn), and its columns
        are not filled first: the caller writes every one it reads (a finished run's
        columns, :data:`COLUMNS`, and ``part_state``), and the rest of the columns, the
        running model's working tables, are never read.
        """
        ledger = cls(RandomStreams(0), capacity=max(n, 1), filled=False)
        ledger.n = n
        return ledger

    def __len__(self) -> int:
        return self.n

    def engine_view(self) -> dict[str, np.ndarray]:
        """The columns and tables the compiled engine reads, by name (shared, not copied)."""
        return {name: self._cols[name] for name in self._engine}

    def column(self, name: str) -> np.ndarray:
        """The filled part of one column (a view)."""
        return self._cols[name][self._declared[name].cases(self.n)]

    def _grow(self, needed: int) -> None:
        capacity = self._capacity
        while capacity < needed:
            capacity *= 2
        if capacity == self._capacity:
            return
        for name, c in self._declared.items():
            grown, kept = c.make(capacity), c.cases(self.n)
            grown[kept] = self._cols[name][kept]
            self._cols[name] = grown
            setattr(self, name, grown)
        self._capacity = capacity

    def open_cases(
        self,
        case_type: np.ndarray,
        resident: np.ndarray,
        grid: np.ndarray,
        street: np.ndarray,
        district: np.ndarray,
        arisen: np.ndarray,
    ) -> np.ndarray:
        """Append new cases with their draw blocks; return their ids."""
        k = len(case_type)
        if k and int(np.max(district)) >= len(self.opened):
            raise ValueError(
                f"a case of district {int(np.max(district))} in a ledger of "
                f"{len(self.opened)} district(s)"
            )
        start = self.n
        self._grow(start + k)
        ids = np.arange(start, start + k)
        sl = slice(start, start + k)
        self.case_type[sl] = case_type
        self.resident[sl] = resident
        self.grid[sl] = grid
        self.street[sl] = street
        self.district[sl] = district
        self.arisen[sl] = arisen
        if k:
            self._draw_grouped(start, district)
        self.n = start + k
        return ids

    def _draw_grouped(self, start: int, district: np.ndarray) -> None:
        """The new rows' draws, from ``start`` on, district by district.

        The rows are grouped by district, each district's in order; each column is then
        written in one assignment.
        """
        grouped = np.argsort(district, kind="stable")
        districts, firsts = np.unique(district[grouped], return_index=True)
        drawn = [
            self._draws_for(int(d), int(n))
            for d, n in zip(districts, np.diff(np.append(firsts, len(district))), strict=True)
        ]
        rows = start + grouped
        once_values = zip(*(once for once, _ in drawn), strict=True)
        for name, values in zip(_ONCE, once_values, strict=True):
            self._cols[name][rows] = np.concatenate(values)
        for block, values in enumerate(zip(*(blocks for _, blocks in drawn), strict=True)):
            self.draws[block, rows] = np.concatenate(values)

    def _draws_for(self, district: int, k: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Number ``k`` new cases of one district and draw their one-off draws and blocks.

        From the district's streams, case after case; the values of each column of
        :data:`_ONCE`, then of each block of ``draws``.
        """
        first = self.opened[district]
        self.opened[district] = first + k
        once = self._streams.of_district(Purpose.CASE_ONCE, district)
        values = [np.arange(first, first + k), once.random(k, dtype=np.float32)]
        # one call a kind: a generator fills an array draw after draw, as call after call
        values.extend(once.standard_exponential((len(_ONCE_EXPONENTIAL), k), dtype=np.float32))
        values.extend(once.random((len(_ONCE_UNIFORM), k), dtype=np.float32))
        # a stream of its own, so that the draws before it stay what they were
        entry = self._streams.of_district(Purpose.CASE_ENTRY, district)
        values.append(entry.random(k, dtype=np.float32))
        blocks = [
            _draw(self._streams.of_district(p, district), kind, (k, DRAWS_PER_PURPOSE))
            for p, kind in _BLOCKS.items()
        ]
        return values, blocks

    def set_draws(self, case: int, purpose: Purpose, values: list[float]) -> None:
        """Fix a case's next draws of one purpose (for hand-made cases in tests and demos)."""
        block = BLOCK[purpose]
        k = int(self.drawn[block, case])
        self.draws[block, case, k : k + len(values)] = values


@compiled
def next_draw(s, case: int, block: int) -> float:
    """The case's next unused draw of a repeated decision (``block``: its index in ``draws``)."""
    k = s.drawn[block, case]
    s.drawn[block, case] = k + 1
    if k < DRAWS_PER_PURPOSE:
        return np.float64(s.draws[block, case, k])
    return overflow_draw(s.overflow_key[s.district[case]], s.serial[case], block, k)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1, _MIX_2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11, _S32 = (np.uint64(n) for n in (30, 27, 31, 11, 32))


@compiled
def _mix(z: np.uint64) -> np.uint64:
    """SplitMix64's finaliser: a bijection of 64-bit words that scatters every input bit."""
    z = (z ^ (z >> _S30)) * _MIX_1
    z = (z ^ (z >> _S27)) * _MIX_2
    return z ^ (z >> _S31)


@compiled
def _uniform(key: np.uint64, serial: int, block: int, k: int) -> float:
    """SplitMix64 of the district's key, the case's number and the draw's place, on [0, 1)."""
    z = _mix(key + np.uint64(serial) * _GOLDEN)
    z = _mix(z ^ (((np.uint64(block) << _S32) | np.uint64(k)) * _GOLDEN))
    return np.float64(z >> _S11) * (1.0 / 9007199254740992.0)


@compiled
def check_draw(s, case: int, k: int) -> float:
    """The ``k``-th uniform draw of a case's closure checks (callback, audit, repeat call).

    Counter-based like :func:`overflow_draw` but in a block of its own (:data:`CHECK`): a
    run that checks closures draws no number another run would use elsewhere, and the
    same closure meets the same draw in every run that holds the case.
    """
    return _uniform(s.overflow_key[s.district[case]], s.serial[case], CHECK, k)


@compiled
def overflow_draw(key: np.uint64, serial: int, block: int, k: int) -> float:
    """The ``k``-th draw of a case's repeated decision ``block`` beyond its kept ones.

    Counter-based (SplitMix64 of the district's key, the case's number in its district and
    the draw's place): the same value whatever was drawn before, so the draw is common to
    every run that holds the case. Uniform on [0, 1) for the uniform block, otherwise
    standard exponential, both in double precision.
    """
    u = _uniform(key, serial, block, k)
    if block == UNIFORM_BLOCK:
        return u
    return -np.log1p(-u)
