"""Docking with ciw: the same three-level network simulated by govsim and by ciw."""

from __future__ import annotations

import ciw
import numpy as np
from scipy import stats

from conftest import experiment
from govsim.model.model import GovernanceModel

ARRIVAL, P_GRID, P_STREET = 15.0, 0.4, 0.5
RATES, SERVERS = (10.0, 8.0, 6.0), (2, 2, 2)
WARMUP, WINDOW, REPLICATIONS, THIN = 30, 300, 10, 20


def govsim_sojourns(replication: int, *overrides: str) -> np.ndarray:
    cfg = experiment(
        "city=chain",
        "mechanism=baseline",
        "reference=null",
        f"warmup_days={WARMUP}",
        f"days={WARMUP + WINDOW}",
        *overrides,
    )
    model = GovernanceModel(cfg, replication=replication)
    model.run_model()
    model.drain()
    led = model.ledger
    n = len(led)
    window = (led.arisen[:n] >= WARMUP) & (led.arisen[:n] < WARMUP + WINDOW)
    return (led.closed[:n] - led.known[:n])[window]


def ciw_sojourns(seed: int) -> np.ndarray:
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(ARRIVAL), None, None],
        service_distributions=[ciw.dists.Exponential(r) for r in RATES],
        routing=[[0.0, 1 - P_GRID, 0.0], [0.0, 0.0, 1 - P_STREET], [0.0, 0.0, 0.0]],
        number_of_servers=list(SERVERS),
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(WARMUP + WINDOW + 20)
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    for record in sim.get_all_records():
        first[record.id_number] = min(first.get(record.id_number, np.inf), record.arrival_date)
        if record.destination == -1:
            last[record.id_number] = record.exit_date
    return np.array(
        [last[i] - first[i] for i in sorted(last) if WARMUP <= first[i] < WARMUP + WINDOW]
    )


def test_time_in_system_matches_ciw() -> None:
    ours = [govsim_sojourns(r) for r in range(REPLICATIONS)]
    theirs = [ciw_sojourns(1000 + r) for r in range(REPLICATIONS)]
    # means: the difference of replication means has a CI that contains zero
    ours_means = np.array([s.mean() for s in ours])
    theirs_means = np.array([s.mean() for s in theirs])
    welch = stats.ttest_ind(ours_means, theirs_means, equal_var=False)
    assert welch.pvalue > 0.01
    # distributions: thinned samples (every THIN-th case, nearly independent)
    sample_ours = np.concatenate([s[::THIN] for s in ours])
    sample_theirs = np.concatenate([s[::THIN] for s in theirs])
    assert min(len(sample_ours), len(sample_theirs)) > 1000
    assert stats.ks_2samp(sample_ours, sample_theirs).pvalue > 0.01


def test_docking_detects_a_different_network() -> None:
    """The comparison has power: a department at half the speed is told apart from ciw's network."""
    slow = "city.case_types.job.hours.department=8.0"
    samples = [govsim_sojourns(r, slow)[::THIN] for r in range(REPLICATIONS)]
    theirs = np.concatenate([ciw_sojourns(1000 + r)[::THIN] for r in range(REPLICATIONS)])
    assert stats.ks_2samp(np.concatenate(samples), theirs).pvalue < 0.01
