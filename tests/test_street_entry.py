"""Cases the intake dispatches straight to the street office or the community skip the grid."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import experiment
from govsim.city.levels import Level
from govsim.model.model import GovernanceModel


def _run(*extra: str) -> GovernanceModel:
    cfg = experiment(
        "city=workshop", "days=60", "horizon_days=0", "mechanism=baseline", "reference=null", *extra
    )
    model = GovernanceModel(cfg)
    model.run_model()
    return model


def test_a_type_dispatched_to_the_street_is_never_handled_below_it() -> None:
    neighbour = "city.case_types.neighbour_dispute.street_entry_prob"
    at_grid = _run()
    at_street = _run(f"{neighbour}=1")
    for model, below in ((at_grid, True), (at_street, False)):
        led = model.ledger
        n = len(led)
        names = np.asarray(model.city.case_type_names)[led.case_type[:n]]
        mine = (names == "neighbour_dispute") & (led.status[:n] >= 2)  # closed
        closed_below = (led.level[:n][mine] >= 0) & (led.level[:n][mine] < int(Level.STREET))
        assert closed_below.any() == below
    # the other types still start at the grid
    led = at_street.ledger
    n = len(led)
    names = np.asarray(at_street.city.case_type_names)[led.case_type[:n]]
    others = (names != "neighbour_dispute") & (led.level[:n] == int(Level.GRID))
    assert others.any()


def test_a_type_dispatched_to_the_community_is_never_closed_at_the_grid() -> None:
    model = _run("city.case_types.neighbour_dispute.community_entry_prob=1")
    led = model.ledger
    n = len(led)
    names = np.asarray(model.city.case_type_names)[led.case_type[:n]]
    mine = (names == "neighbour_dispute") & (led.status[:n] >= 2)
    assert mine.any()
    assert not (led.level[:n][mine] == int(Level.GRID)).any()
    assert (led.level[:n][mine] == int(Level.COMMUNITY)).any()


def test_entry_shares_over_one_are_refused() -> None:
    from govsim.config.validate import ConfigError

    with pytest.raises(ConfigError, match=r"neighbour_dispute\.community_entry_prob"):
        experiment(
            "city=workshop",
            "city.case_types.neighbour_dispute.street_entry_prob=0.7",
            "city.case_types.neighbour_dispute.community_entry_prob=0.5",
        )
