"""Cases the intake dispatches straight to the street office or the community skip the grid."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import experiment
from govsim.city.levels import Level
from govsim.model.demand import working_days
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


def test_a_street_office_closed_when_the_case_becomes_known_leaves_it_to_the_grid() -> None:
    """The stations keep office hours (9:00 to 16:00, closed on days off): a case of a type
    dispatched to the street at once reaches it only if it became known on a working day
    before 16:00; the others start at the grid, and some close below the street."""
    model = _run(
        "city.case_types.neighbour_dispute.street_entry_prob=1",
        "city.calendar.station_opens=9",
        "city.calendar.station_hours=7",
        "city.calendar.station_days_off=true",
    )
    led = model.ledger
    n = len(led)
    names = np.asarray(model.city.case_type_names)[led.case_type[:n]]
    mine = np.flatnonzero((names == "neighbour_dispute") & (led.status[:n] >= 2))
    known = led.known[:n][mine]
    day = np.floor(known).astype(int)
    working = working_days(str(model.city.config.calendar.start_date), int(day.max()) + 1)
    taken = working[day] & (known - day < 16 / 24)
    below = (led.level[:n][mine] >= 0) & (led.level[:n][mine] < int(Level.STREET))
    assert taken.any() and (~taken).any()
    assert not below[taken].any()
    assert below[~taken].any()


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
