"""Mechanisms compose by declared precedence, never by the order of the list."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from conftest import admit, experiment, inject, quiet_city
from govsim.city.levels import Level
from govsim.composition.compose import mechanism_defaults
from govsim.mechanisms import (
    PRECEDENCE,
    REGISTRY,
    Decision,
    Levers,
    Mechanism,
    canonical,
    ordered,
)
from govsim.model.model import GovernanceModel
from govsim.model.streams import Purpose

NAMES = list(REGISTRY)


def competitors(decision: Decision) -> list[str]:
    return [n for n, m in REGISTRY.items() if decision in m.decisions]


@pytest.mark.parametrize("decision", list(Decision))
def test_every_pair_that_competes_for_a_decision_has_a_declared_winner(decision) -> None:
    names = competitors(decision)
    assert ordered(decision, names) == ordered(decision, reversed(names))
    for a, b in itertools.combinations(names, 2):
        declared = [p for p in PRECEDENCE if p.decision == decision and {p.first, p.then} == {a, b}]
        assert len(declared) == 1 and declared[0].reason, (a, b)


def test_declared_decisions_match_what_mechanisms_declare() -> None:
    city = GovernanceModel(quiet_city("days=1", "horizon_days=0")).city
    for name, cls in REGISTRY.items():
        mechanism: Mechanism = cls(mechanism_defaults(name), city)
        offers = mechanism.joint_handling(Levers()) is not None
        assert offers == (Decision.STREET_UNSETTLED in cls.decisions), name
        assert bool(mechanism.ladder()) == (Decision.ESCALATION in cls.decisions), name
    assert all(p.first in REGISTRY and p.then in REGISTRY for p in PRECEDENCE)


def test_an_undeclared_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="no declared precedence"):
        ordered(Decision.STREET_UNSETTLED, ["whistle", "grid_of_nowhere"])


def test_the_order_of_every_subset_of_up_to_four_mechanisms_changes_nothing() -> None:
    for size in range(1, 5):
        for subset in itertools.combinations(NAMES, size):
            plans = {
                (
                    tuple(canonical(list(p))),
                    *(
                        tuple(ordered(d, [n for n in p if d in REGISTRY[n].decisions]))
                        for d in Decision
                    ),
                )
                for p in itertools.permutations(subset)
            }
            assert len(plans) == 1, subset


def _ledger(mechanisms: dict) -> dict[str, np.ndarray]:
    cfg = experiment("city=workshop", "days=60", "horizon_days=10", "seed=3")
    model = GovernanceModel(cfg, mechanisms)
    model.run_model()
    return {
        c: model.ledger.column(c).copy()
        for c in ("closed", "level", "status", "offer", "bounces", "wait_days", "staff_days")
    }


@pytest.mark.parametrize(
    "subset",
    [
        ("whistle", "hotline", "centre", "mediation_ladder"),
        ("grid", "smart_dispatch", "assessment", "whistle"),
    ],
)
def test_every_permutation_gives_identical_runs(subset: tuple[str, ...]) -> None:
    params = {name: mechanism_defaults(name) for name in subset}
    first = None
    for permutation in itertools.permutations(subset):
        ledger = _ledger({name: params[name] for name in permutation})
        if first is None:
            first = ledger
            continue
        for column, values in ledger.items():
            np.testing.assert_array_equal(values, first[column], err_msg=column)


@pytest.mark.parametrize("order", [["whistle", "hotline"], ["hotline", "whistle"]])
def test_the_declared_winner_takes_a_hotline_case(order: list[str]) -> None:
    cfg = quiet_city("days=30", "horizon_days=0")
    whistle, hotline = mechanism_defaults("whistle"), mechanism_defaults("hotline")
    whistle.compliance, hotline.compliance = 0.0, 1.0
    params = {"whistle": whistle, "hotline": hotline}
    model = GovernanceModel(cfg, {name: params[name] for name in order})
    case = inject(model, "public_safety_hazard", 0.25)
    led = model.ledger
    led.e_report[case] = 0.0
    led.u_settle_grid[case] = led.u_settle_street[case] = 1.0
    led.set_draws(case, Purpose.CASE_WAIT, [50.0] * 8)
    admit(model, case)
    led.via_hotline[case] = True
    model.run_model()
    assert [m.name for m in model._offering] == ["hotline", "whistle"]
    assert model._offering[led.offer[case]].name == "hotline"
    assert led.level[case] == Level.STREET and not led.escalated[case]  # all joined (hotline)
