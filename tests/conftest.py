"""Shared helpers: compose configs as the CLI does, and build models for hand-made cases."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from govsim.composition.compose import compose
from govsim.config.schema import ExperimentConfig
from govsim.model.model import GovernanceModel


def experiment(*overrides: str) -> ExperimentConfig:
    """Compose and validate a configuration exactly as ``govsim`` would."""
    return compose(list(overrides))


def quiet_city(*overrides: str) -> ExperimentConfig:
    """The workshop city with no spontaneous cases (for hand-made ones)."""
    cfg = experiment("city=workshop", *overrides)
    for case_type in cfg.city.case_types.values():
        case_type.rate_per_1000_per_year = 0.0
    return cfg


def inject(
    model: GovernanceModel, case_type: str, time: float, grid: int = 0, reported: bool = True
) -> int:
    """Add one case that arises at ``time`` in ``grid``; return its id."""
    city = model.city
    k = city.case_type_names.index(case_type)
    street = city.grid_street[grid]
    ids = model.ledger.open_cases(
        np.array([k]),
        np.array([city.grid_first_resident[grid]]),
        np.array([grid]),
        np.array([street]),
        np.array([city.street_district[street]]),
        np.array([time]),
    )
    led = model.ledger
    led.u_report[ids] = 0.0 if reported else 1.0
    return int(ids[0])


def admit(model: GovernanceModel, *cases: int) -> None:
    """Schedule hand-made cases (after their draws have been set)."""
    model.admit(np.array(cases, dtype=np.int64))


@pytest.fixture
def make_experiment():
    return experiment


FAST = (
    "city=workshop",
    "days=20",
    "warmup_days=0",
    "horizon_days=5",
    "replications=1",
    "progress=false",
)
"""A run of the small city that takes well under a second."""


SLOW_MODULES = {
    "test_levers": "every lever at its minimum, midpoint and maximum, four replications each",
    "test_sweeps": "sweeps through launchers in subprocesses, killed and resumed",
    "test_batch": "sweeps through govsim's own launcher",
    "test_results": "run folders written, locked and resumed in subprocesses",
    "test_queueing_validation": "long degenerate runs against queueing theory",
    "test_properties": "Hypothesis over whole runs",
    "test_flow_properties": "whole runs in separate processes",
    "test_precedence": "every order of the mechanisms",
    "test_fuzz": "Hypothesis over command lines",
    "test_fuzz_logs": "Hypothesis over case logs",
    "test_fuzz_tables": "Hypothesis over unit tables and mappings",
    "test_benchmarks": "the benchmarks' scripts in subprocesses",
    "test_startup": "fresh processes composing and loading the engine",
    "test_docking": "the model against ciw",
    "test_field_load": "field-load cities",
    "test_log_calibration": "calibration trials and held-out validation",
    "test_fit": "fits recovered over many seeds",
    "test_level_hours": "working hours recovered from synthetic logs",
    "test_districts": "districts in parallel processes",
    "test_design": "design sweeps",
    "test_explore": "exploratory sweeps and scenario discovery",
    "test_effects": "a Morris sweep and its sensitivity",
    "test_notebook": "the example notebook executed",
}
"""Test modules left out of the quick tier (``make test-quick``), with what makes them slow.

Every test still runs in ``make test``; the quick tier is the model, its measures and the
command line's contract, run on every change.
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`SLOW_MODULES` ``slow``."""
    for item in items:
        if item.module is not None and item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _root_logging_put_back():
    """The root logger's handlers and level as they were before the test.

    A run or sweep in this process sets up Hydra's logging, which hands the root logger a
    handler writing to the test's captured output; a later test's log records must not go
    to that stream, closed by then.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def local_ray():
    """A Ray cluster started for the tests: one head node with two CPUs, on 127.0.0.1 only.

    ``address="local"`` starts a new cluster rather than joining one already running; this
    process is its first driver, and other processes join it at
    ``ray.get_runtime_context().gcs_address``. It stops when the session ends. Tests that
    use it are marked ``ray`` and skipped where Ray is not installed (``make test-ray``).
    """
    ray = pytest.importorskip("ray")
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
    )
    yield ray
    ray.shutdown()


def govsim_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the govsim command in this process: (exit status, stdout, stderr)."""
    from govsim.cli import main

    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def fit_log(
    capsys: pytest.CaptureFixture[str], log, mapping, until: str, out, report, *extra: str
) -> tuple[int, str, str]:
    """``govsim cases fit`` of ``log`` onto the workshop city up to ``until``, in process."""
    mapped = (str(log), "--mapping", str(mapping), "--city", "workshop", "--until", until)
    written = ("--out", str(out), "--report", str(report))
    return govsim_in_process(capsys, "cases", "fit", *mapped, *written, *extra)


def import_units(
    capsys: pytest.CaptureFixture[str], units, out, *extra: str
) -> tuple[int, str, str]:
    """``govsim city import`` of the unit table ``units`` over the workshop city, in process."""
    return govsim_in_process(
        capsys, "city", "import", str(units), "--base", "workshop", "--out", str(out), *extra
    )


def one_line(err: str) -> str:
    """The single line an error writes to stderr (fails if there is more or less)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govsim: "), err
    assert "Traceback" not in err
    return lines[0]
