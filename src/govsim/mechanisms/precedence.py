"""Which mechanism acts when two compete for the same decision (declared, never list order).

Every pair of mechanisms that can take the same decision has one entry in
:data:`PRECEDENCE` with its reason; :func:`ordered` turns the pairs into the order in
which the engine offers the decision (a topological order of the declared pairs), so that
``mechanism=[whistle,hotline]`` and ``mechanism=[hotline,whistle]`` are the same
experiment. ``tests/test_precedence.py`` checks that every competing pair is declared,
that the declarations are consistent, and that the declared winner acts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["PRECEDENCE", "Decision", "Precedence", "ordered"]


class Decision(StrEnum):
    """Decisions that several mechanisms may want to take for a case."""

    STREET_UNSETTLED = "street_unsettled"
    """Who handles a case the street cannot settle alone (joint handling offers)."""
    ESCALATION = "escalation"
    """What happens to a case going above the street (mediation ladders)."""


@dataclass(frozen=True)
class Precedence:
    """``first`` takes the decision before ``then`` is asked, for ``reason``."""

    decision: Decision
    first: str
    then: str
    reason: str


PRECEDENCE: tuple[Precedence, ...] = (
    Precedence(
        Decision.STREET_UNSETTLED,
        "hotline",
        "centre",
        "首接负责制 (first-receiver responsibility, 接诉即办): a resident's call obliges "
        "every department the case needs; the centre's stationed staff serve the "
        "cases nobody called in (001).",
    ),
    Precedence(
        Decision.STREET_UNSETTLED,
        "hotline",
        "whistle",
        "百姓吹哨 comes before 街巷吹哨 (001): a hotline case is already whistled by the "
        "resident, so the street does not whistle it again.",
    ),
    Precedence(
        Decision.STREET_UNSETTLED,
        "centre",
        "whistle",
        "一站式接收 (003): the departments' staff stationed in the centre take what they "
        "can at the street; the street whistles only when none of them can.",
    ),
)
"""Declared precedence for every pair of mechanisms that compete for one decision."""


def ordered(decision: Decision, names: Iterable[str]) -> list[str]:
    """The competitors among ``names`` for ``decision``, first to be asked first.

    Raises :class:`ValueError` if two of them have no declared precedence (or the
    declarations form a cycle).
    """
    import networkx as nx  # only when a model is built: listing mechanisms needs no graphs

    names = sorted(set(names))
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    for p in PRECEDENCE:
        if p.decision == decision and p.first in graph and p.then in graph:
            graph.add_edge(p.first, p.then)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if not (graph.has_edge(a, b) or graph.has_edge(b, a)):
                raise ValueError(f"no declared precedence between {a} and {b} for {decision}")
    if not nx.is_directed_acyclic_graph(graph):
        raise ValueError(f"precedence for {decision} is cyclic among {names}")
    return list(nx.lexicographical_topological_sort(graph))
