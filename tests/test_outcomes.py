"""Outcome accounting that cannot be gamed: relabelling, overload and the case window."""

from __future__ import annotations

from itertools import pairwise
from types import MappingProxyType

import pandas as pd
import pytest

from conftest import admit, experiment, inject, quiet_city
from govsim.city.levels import Level
from govsim.experiments.compose import mechanism_defaults
from govsim.experiments.run import Arm, run_experiment
from govsim.experiments.stats import mean_ci, paired_differences
from govsim.mechanisms import REGISTRY, BaselineConfig, BaselineRouting
from govsim.model.model import GovernanceModel
from govsim.model.residents import satisfaction
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.outcomes.metrics import KEY_METRICS, LEVER_METRICS, run_metrics

REPS = 5
STRAIN_REPS = 8


class Relabel(BaselineRouting):
    """A test mechanism that only renames the venue of department resolutions."""

    name = "relabel"
    venue_relabel = MappingProxyType({Level.DEPARTMENT: Level.STREET})


def test_a_mechanism_that_only_renames_the_venue_moves_the_venue_share_and_nothing_else(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRY, "relabel", Relabel)
    cfg = experiment("city=workshop", "days=150", f"replications={REPS}", "progress=false")
    arms = [Arm("treatment", {"baseline": BaselineConfig(), "relabel": BaselineConfig()}),
            Arm("reference", {"baseline": BaselineConfig()})]
    runs = run_experiment(cfg, experiment_arms=arms).runs
    metrics = [m for m in dict.fromkeys([*KEY_METRICS, *LEVER_METRICS]) if m != HEADLINE]
    diffs = paired_differences(runs, [HEADLINE, *metrics]).set_index("metric")
    assert diffs.loc[HEADLINE, "ci_low"] > 0  # the venue share moves …
    for metric in metrics:  # … and nothing a resident feels, nor who did the work
        assert diffs.loc[metric, "difference"] == 0, metric


def _runs_at(knob: str, value: float, mechanism: str) -> pd.DataFrame:
    cfg = experiment("days=200", f"replications={STRAIN_REPS}", "reference=null",
                     "progress=false", f"mechanism={mechanism}", f"city.{knob}={value}")
    return run_experiment(cfg).runs


@pytest.mark.parametrize("mechanism", ["baseline", "whistle"])
@pytest.mark.parametrize(("knob", "values"), [("staff_scale", (1.0, 0.5, 0.25)),
                                              ("case_load_scale", (1.0, 2.0, 4.0))])
def test_a_city_under_strain_never_scores_better(mechanism: str, knob: str,
                                                 values: tuple[float, ...]) -> None:
    """Less staff or more cases never raise a share above the 95% interval it had before."""
    runs = [_runs_at(knob, value, mechanism) for value in values]
    for easier, harder in pairwise(runs):
        for share in (HEADLINE, HANDLED):
            _, _, high = mean_ci(easier[share].to_numpy())
            assert harder[share].mean() <= high, (share, knob)
        assert harder["never_resolved"].mean() > easier["never_resolved"].mean()


def test_cases_of_the_last_days_are_followed_but_not_counted() -> None:
    cfg = quiet_city("days=60", "horizon_days=20")
    model = GovernanceModel(cfg, {"baseline": BaselineConfig()})
    early = inject(model, "urban_environment", 5.5)
    late = inject(model, "urban_environment", 55.5)
    model.ledger.u_settle_grid[[early, late]] = 1.0  # neither settles in the grid
    admit(model, early, late)
    model.run_model()
    metrics = run_metrics(model)
    assert len(model.ledger) == 2  # both cases are followed …
    assert metrics["cases_arisen"] == 1  # … but the late one is outside the window


def test_an_open_case_counts_against_every_share() -> None:
    cfg = quiet_city("days=40", "horizon_days=5")
    model = GovernanceModel(cfg, {"baseline": BaselineConfig()})
    settled = inject(model, "urban_environment", 1.5)
    stuck = inject(model, "urban_environment", 1.6)
    led = model.ledger
    led.u_settle_grid[settled] = 0.0
    led.u_report[stuck] = 1.0  # never reported, never discovered, never escalates
    led.e_discover[stuck] = 1e9
    led.e_latent_escalation[stuck] = 1e9
    admit(model, settled, stuck)
    model.run_model()
    metrics = run_metrics(model)
    assert metrics["cases_arisen"] == 2 and metrics["never_resolved"] == 1
    assert metrics["resolution_rate"] == metrics[HEADLINE] == 0.5
    assert metrics["share_of_resolved_at_or_below_street"] == 1.0  # the old, flattering share


def test_satisfaction_follows_the_outcome() -> None:
    quick = satisfaction(True, 2.0, 0, 21.0, 0.9)
    assert satisfaction(False, 2.0, 0, 21.0, 0.9) == 0.0  # not resolved
    assert satisfaction(True, 30.0, 0, 21.0, 0.9) < quick  # slower
    assert satisfaction(True, 2.0, 3, 21.0, 0.9) < quick  # passed around
    assert satisfaction(True, 2.0, 3, 21.0, 1.0) == quick  # hand-offs free of penalty


def test_the_whistle_moves_the_venue_more_than_the_work() -> None:
    cfg = experiment("days=200", f"replications={REPS}", "progress=false")
    diffs = paired_differences(run_experiment(cfg).runs, [HEADLINE, HANDLED]).set_index("metric")
    assert diffs.loc[HEADLINE, "ci_low"] > 0.05
    # what moves the work is congestion (the street waits less), an order of magnitude less
    assert abs(diffs.loc[HANDLED, "difference"]) < 0.1 * diffs.loc[HEADLINE, "difference"]


def test_the_reference_arm_takes_its_parameters_from_the_yaml() -> None:
    cfg = experiment("mechanism=whistle", "reference=[hotline]", "mechanism.whistle.compliance=0.1")
    assert cfg.reference == ["hotline"]
    assert mechanism_defaults("hotline").compliance == 0.9
    assert experiment("reference=baseline").reference == ["baseline"]
