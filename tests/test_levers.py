"""Every lever moves an outcome somewhere in its range."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from conftest import experiment
from govsim.config.validate import validate
from govsim.experiments.levers import PENDING_BEHAVIOUR, Lever, catalogue, set_value
from govsim.experiments.run import run_experiment
from govsim.experiments.stats import paired_differences
from govsim.mechanisms import REGISTRY
from govsim.outcomes.metrics import BY_TYPE, LEVER_METRICS, by_type

BASE = ("city=workshop", "days=150", "horizon_days=30", "replications=5", "reference=null",
        "progress=false")
LEVERS = catalogue(experiment(*BASE))


def _runs(lever: Lever, value: float):
    cfg = copy.deepcopy(experiment(*BASE, *lever.acts_in))
    set_value(cfg, lever.key, int(value) if lever.integer else float(value))
    validate(cfg, REGISTRY)
    return run_experiment(cfg).runs


@pytest.mark.parametrize("lever", [lv for lv in LEVERS if lv.key not in PENDING_BEHAVIOUR],
                         ids=lambda lv: lv.key)
def test_lever_moves_an_outcome_from_its_minimum_to_its_maximum(lever: Lever) -> None:
    low, high = _runs(lever, lever.low), _runs(lever, lever.high)
    both = pd.concat([low.assign(arm="reference"), high.assign(arm="treatment")])
    metrics = list(LEVER_METRICS)
    if lever.key.startswith("city.case_types."):  # a case type's lever: its own outcomes too
        case_type = lever.key.split(".")[2]
        metrics += [by_type(measure, case_type) for measure in BY_TYPE]
    diffs = paired_differences(both, metrics).dropna(subset=["ci_low", "ci_high"])
    moved = diffs[(diffs["ci_low"] > 0) | (diffs["ci_high"] < 0)]
    assert not moved.empty, f"{lever.key} moves no outcome from {lever.low} to {lever.high}"


def test_the_catalogue_covers_every_mechanism_and_the_city() -> None:
    keys = {lv.key for lv in LEVERS}
    for name, mechanism in REGISTRY.items():
        if mechanism.config_class.__dataclass_fields__:
            assert any(k.startswith(f"mechanism.{name}.") for k in keys), name
    for key in ("city.staff_scale", "city.case_load_scale", "city.residents.trust_mean",
                "city.departments.housing.bounce_prob",
                "city.case_types.neighbour_dispute.hours.street"):
        assert key in keys
    assert not any(k.endswith(("rate_per_1000_per_year", ".staff", ".per_grid")) for k in keys)


def test_no_lever_waits_for_its_behaviour() -> None:
    assert frozenset() == PENDING_BEHAVIOUR
