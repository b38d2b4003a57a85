"""Invariants that must hold after every step of any run."""

from __future__ import annotations

import numpy as np

from govsim.city.levels import Level
from govsim.model.ledger import Status
from govsim.model.model import GovernanceModel


def check_invariants(model: GovernanceModel) -> None:
    led = model.ledger
    n = len(led)
    c = model.engine.counters
    status = led.status[:n]
    assert n == c.arisen
    resolved = int((status == Status.RESOLVED).sum())
    unresolved = int((status == Status.UNRESOLVED).sum())
    still_open = int(((status == Status.LATENT) | (status == Status.OPEN)).sum())
    assert resolved == c.resolved and unresolved == c.unresolved
    assert resolved + unresolved + still_open == c.arisen  # conservation of cases
    assert sum(c.by_stage) == c.open == still_open
    stage = led.stage[:n]
    live = status == Status.OPEN
    for level in Level:
        assert c.by_stage[level] == int((live & (stage == level)).sum())
    closed = status >= Status.RESOLVED
    assert np.all(led.closed[:n][closed] >= led.arisen[:n][closed])
    assert np.all(led.closed[:n][closed] <= model.day + 1e-9)
    assert np.all((led.level[:n][closed] >= Level.GRID) & (led.level[:n][closed] <= Level.ABOVE))
    assert np.all(led.level[:n][~closed] == -1)
    st = model.stations
    for s in range(len(st)):
        assert 0 <= st.busy[s] <= st.servers[s]
        assert st.busy[s] <= st.held[s]
    low = (status == Status.RESOLVED) & (led.level[:n] <= Level.STREET)
    assert c.settled_at_or_below_street == int(low.sum())
    assert c.handled_at_or_below_street == int((low & ~led.handled_above[:n]).sum())
