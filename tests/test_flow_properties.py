"""Conservation, common random numbers and determinism."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import experiment
from govsim.composition.compose import CONF_DIR, mechanism_defaults
from govsim.model.model import GovernanceModel
from invariants import check_invariants


@pytest.mark.parametrize("mechanism", ["baseline", "whistle"])
def test_cases_are_conserved_every_day(mechanism: str) -> None:
    cfg = experiment(f"mechanism={mechanism}", "days=120", "city.streets_per_district=2")
    for dept in cfg.city.departments.values():
        dept.staff = 1  # congested, so queues, waits and petitions all occur
    model = GovernanceModel(cfg)
    while model.running:
        model.step()
        check_invariants(model)
    c = model.engine.counters
    assert c.arisen > 1000 and c.petitions > 0 and c.bounces > 0 and c.open > 0


def test_arrivals_are_common_across_mechanisms() -> None:
    cfg = experiment("days=60", "city=workshop")
    baseline = GovernanceModel(cfg, {"baseline": mechanism_defaults("baseline")})
    whistle = GovernanceModel(cfg, {"whistle": mechanism_defaults("whistle")})
    baseline.run_model()
    whistle.run_model()
    n = len(baseline.ledger)
    assert n == len(whistle.ledger) > 50
    for column in ("arisen", "case_type", "resident", "grid", "u_report", "u_settle_street"):
        np.testing.assert_array_equal(baseline.ledger.column(column), whistle.ledger.column(column))
    np.testing.assert_array_equal(
        baseline.residents.report_propensity, whistle.residents.report_propensity
    )
    assert whistle.engine.counters.whistles > 0  # the paths did differ


def test_replications_and_seeds_give_different_cases() -> None:
    cfg = experiment("days=30", "horizon_days=5", "city=workshop")
    a = GovernanceModel(cfg, replication=0)
    b = GovernanceModel(cfg, replication=1)
    a.run_model()
    b.run_model()
    assert not np.array_equal(a.ledger.column("arisen")[:20], b.ledger.column("arisen")[:20])


def _run_cli(folder) -> None:
    code = "from govsim.cli import main; import sys; sys.exit(main(sys.argv[1:]))"
    subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "city=workshop",
            "replications=2",
            "days=60",
            "seed=7",
            "progress=false",
            f"hydra.run.dir={folder}",
        ],
        check=True,
        capture_output=True,
        cwd=CONF_DIR.parent,
    )


def test_same_config_and_seed_give_identical_results_in_separate_processes(tmp_path) -> None:
    _run_cli(tmp_path / "a")
    _run_cli(tmp_path / "b")
    timings = ["wall_seconds", "compile_seconds"]
    for name in ("runs.parquet", "daily.parquet"):
        a = pd.read_parquet(tmp_path / "a" / name).drop(columns=timings, errors="ignore")
        b = pd.read_parquet(tmp_path / "b" / name).drop(columns=timings, errors="ignore")
        pd.testing.assert_frame_equal(a, b)
