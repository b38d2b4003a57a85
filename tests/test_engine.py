"""The compiled engine: the same runs as its recorded fingerprints, and its parts.

The fingerprints in ``tests/data/engine_fingerprints.json`` were first computed by the event
loop in plain Python (a heapq calendar, per-station heaps of tuples, handlers on Python
lists), and regenerated only by intended changes of behaviour (see
``tests/engine_fingerprint.py``); the engine must reproduce every ledger column, counter and
station statistic of those runs bit for bit.
"""

from __future__ import annotations

import ast
import dataclasses
import heapq
import json
import os
import shutil
import subprocess
import sys
import time
from collections import namedtuple
from collections.abc import Sequence
from pathlib import Path

import numba
import numpy as np
import pytest

import govsim
from conftest import experiment
from engine_fingerprint import CONFIGS, FINGERPRINTS, fingerprint, run
from govsim.city.build import build_city
from govsim.city.levels import Level
from govsim.composition.compose import compose
from govsim.config.schema import LevelHoursConfig
from govsim.model import ledger as ledger_module
from govsim.model import state as state_module
from govsim.model.compiled import (
    SETUP_CACHE,
    STALE_DAYS,
    engine_digest,
    engine_sources,
    pack,
    prune_caches,
)
from govsim.model.events import Calendar, pop, schedule
from govsim.model.ledger import CaseLedger, Column
from govsim.model.model import GovernanceModel
from govsim.model.residents import satisfaction
from govsim.model.state import EngineState
from govsim.model.stations import Stations, enqueue, pop_job
from govsim.model.streams import RandomStreams
from govsim.model.worktime import WorkingTime, job_end


@pytest.mark.parametrize("name", list(CONFIGS))
def test_runs_match_their_fingerprints_column_by_column(name: str) -> None:
    expected = json.loads(FINGERPRINTS.read_text())[name]
    got = fingerprint(run(name))
    assert {k: got[k] for k in expected if got[k] != expected[k]} == {}


CalendarView = namedtuple("CalendarView", "ev_time ev_order ev_data ev_meta")


def test_calendar_pops_in_time_then_scheduling_order() -> None:
    rng = np.random.default_rng(3)
    calendar = Calendar(capacity=512)
    view = CalendarView(calendar.time, calendar.order, calendar.data, calendar.meta)
    reference: list[tuple[float, int, int]] = []
    popped, expected = [], []
    for step in range(400):
        if rng.random() < 0.6 or not reference:
            time = float(rng.integers(0, 20))  # many ties in time
            schedule(view, time, 2, step, -1, -1)
            heapq.heappush(reference, (time, step, step))
        else:
            popped.append(pop(view)[2])
            expected.append(heapq.heappop(reference)[2])
    assert popped == expected and len(calendar) == len(reference)
    waiting = calendar.data[: len(calendar)]  # each event's payload, by name
    assert sorted(waiting["case"]) == sorted(case for _, _, case in reference)
    assert set(waiting["kind"]) == {2} and set(waiting["station"]) == set(waiting["part"]) == {-1}


QueueView = namedtuple("QueueView", "q_head q_tail q_next q_data q_queued q_pool")


def test_station_queue_serves_by_priority_class_then_rank_then_arrival() -> None:
    rng = np.random.default_rng(5)
    stations = Stations(np.array([1, 1]), ranks=3, capacity=256)
    view = QueueView(
        stations.head,
        stations.tail,
        stations.job_next,
        stations.job_data,
        stations.job_queued,
        stations.pool,
    )
    reference: list[tuple[int, int, int, int]] = []
    served, expected = [], []
    for job in range(200):
        if rng.random() < 0.6 or not reference:
            priority, rank = int(rng.integers(0, 2)), int(rng.integers(0, 3))
            enqueue(view, 1, job, -1, 0, 0, 0.0, priority * 3 + rank)
            heapq.heappush(reference, (priority, rank, job, job))
        else:
            served.append(pop_job(view, 1)[0])
            expected.append(heapq.heappop(reference)[3])
    assert served == expected
    assert pop_job(view, 0)[0] == -1  # the other station's queue is empty
    assert int(stations.pool[2]) == len(reference)


WorkView = namedtuple("WorkView", "wt wt_capacity wt_before")


@pytest.mark.parametrize(
    "levels",
    [
        {},
        {
            "community": LevelHoursConfig(8.0, 9.0, 0.0),
            "street": LevelHoursConfig(7.0, 12.0, 1 / 3),
        },
    ],
)
def test_compiled_job_end_matches_the_working_calendar(levels: dict) -> None:
    calendar = experiment("city=workshop").city.calendar
    hours = WorkingTime(
        dataclasses.replace(
            calendar,
            start_date="2025-09-29",
            station_opens=8.0,
            station_hours=9.0,
            station_days_off=True,
            level_hours=levels,
        )
    )
    view = WorkView(hours.table, *hours.lay_out(800))
    rng = np.random.default_rng(11)
    for now, work in zip(rng.uniform(0, 400, 300), rng.exponential(2.0, 300), strict=True):
        for level in Level:
            assert job_end(view, float(now), float(work), int(level)) == hours.finish(
                float(now), float(work), level
            )


def test_a_second_process_loads_the_engine_from_the_disk_cache() -> None:
    script = (
        "from govsim.composition.compose import compose\n"
        "from govsim.model.compiled import compile_seconds\n"
        "from govsim.model.model import GovernanceModel\n"
        "m = GovernanceModel(compose(['city=workshop', 'days=40']))\n"
        "m.run_model()\n"
        "print(compile_seconds())\n"
    )
    seconds = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, done.stderr
        seconds.append(float(done.stdout.split()[-1]))
    assert seconds[1] == 0.0


FIRST_RUN = "import sys, govsim\nprint(govsim.run(*sys.argv[1:]).runs['compile_seconds'].sum())\n"
"""A run in a fresh process that prints the seconds it spent compiling."""


def _set_up_cache() -> Path:
    """This engine version's cache in the environment; the test is skipped without it."""
    folder = SETUP_CACHE / engine_digest()
    if not any(folder.rglob("*.nbi")):
        pytest.skip(
            f"no engine compiled into this environment ({SETUP_CACHE}): "
            "`make setup` (or `python -m govsim.experiments.warmup`) compiles it"
        )
    return folder


def _first_run(tmp_path: Path, before: Sequence[str] = ()) -> float:
    """Compile seconds of a 30-day workshop run with empty user caches (after ``before``)."""
    src = str(Path(govsim.__file__).resolve().parents[1])
    empty = {
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    }
    run = ["city=workshop", "days=30", "horizon_days=10", "replications=1"]
    done = subprocess.run(
        [*before, sys.executable, "-c", FIRST_RUN, *run],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **empty},
    )
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.rglob("*.nbi"))  # nothing compiled into the user's cache
    return float(done.stdout.split()[-1])


def test_a_first_run_loads_the_engine_compiled_into_the_environment(tmp_path: Path) -> None:
    _set_up_cache()
    assert _first_run(tmp_path) == 0.0


def test_the_engine_compiled_into_the_environment_may_be_read_only(tmp_path: Path) -> None:
    folder = _set_up_cache()
    probe = ["unshare", "-m", "--propagation", "private", "true"]
    if shutil.which("unshare") is None or subprocess.run(probe, capture_output=True).returncode:
        pytest.skip(
            "making the cache read-only for one process needs a private mount "
            "namespace (unshare -m, as root)"
        )
    read_only = [
        "unshare",
        "-m",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
        str(SETUP_CACHE),
    ]
    files = sorted(folder.rglob("*"))
    assert _first_run(tmp_path, read_only) == 0.0
    assert sorted(folder.rglob("*")) == files


def test_the_cache_key_covers_every_module_the_engine_compiles_or_imports_from() -> None:
    package = Path(govsim.__file__).parent
    imported = set()
    sources = set(engine_sources())
    for name in sources:
        for node in ast.walk(ast.parse((package / name).read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("govsim."):
                path = "/".join(node.module.split(".")[1:])
                imported.add(
                    f"{path}.py" if (package / f"{path}.py").exists() else f"{path}/__init__.py"
                )
    assert imported <= sources
    # the cache finds code by the digest alone, not by its module's modification time
    compiling = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "@compiled" in path.read_text(encoding="utf-8")
    }
    assert compiling <= sources


def test_compiled_satisfaction_is_pythons_to_the_last_bit() -> None:
    rng = np.random.default_rng(2)
    for days, handoffs, half_life in zip(
        rng.exponential(20.0, 3000),
        rng.integers(0, 9, 3000),
        rng.uniform(5.0, 60.0, 3000),
        strict=True,
    ):
        args = (True, float(days), int(handoffs), float(half_life), 0.85)
        assert satisfaction(*args, 0.5) == satisfaction.py_func(*args)


def test_rebinding_an_array_the_engine_holds_packs_the_state_again() -> None:
    model = GovernanceModel(compose(["city=workshop", "days=40"]))
    engine = model.engine
    packed = engine.compiled()
    assert engine.compiled() is packed  # unchanged: the same bundle
    engine.gaming = np.full(len(model.stations), 1.0)
    assert engine.compiled() is not packed


@numba.njit
def _probe(s, case: int) -> int:
    return s.probe[case]


def test_an_engine_column_is_one_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ledger_module._COLUMNS, "probe", Column(np.int16, 7))
    monkeypatch.setitem(ledger_module._COLUMNS, "noted", Column(np.int16, 0, engine=False))
    monkeypatch.setattr(state_module, "pack", numba.njit(pack.py_func))  # not cached on disk
    city = build_city(experiment("city=workshop").city)
    ledger = CaseLedger(RandomStreams(0), capacity=2)
    engine = EngineState(city, ledger, Stations(city.station_servers), days=10)
    assert ledger.probe.tolist() == [7, 7] and ledger.noted.tolist() == [0, 0]
    fields = engine.flat()._fields
    assert "probe" in fields and "noted" not in fields
    one, two = np.zeros(1, dtype=np.int64), np.zeros(2, dtype=np.int64)
    ledger.open_cases(one, one, one, one, one, np.zeros(1))
    ledger.probe[0] = 3
    assert _probe(engine.compiled(), 0) == 3  # the ledger's array, read by name
    ledger.open_cases(two, two, two, two, two, np.zeros(2))  # the ledger grows to four cases
    assert ledger.column("probe").tolist() == [3, 7, 7]
    ledger.probe[2] = 5
    assert _probe(engine.compiled(), 2) == 5


def test_other_versions_caches_unused_for_a_month_are_removed(tmp_path: Path) -> None:
    current, stale, recent = (
        tmp_path / name for name in ("0123456789abcdef", "fedcba9876543210", "00000000000000ff")
    )
    other = tmp_path / "someone-elses"
    for folder in (current, stale, recent, other):
        folder.mkdir()
        (folder / "compile.lock").touch()
    month_ago = time.time() - (STALE_DAYS + 1) * 86_400
    for folder in (current, stale, other):
        os.utime(folder, (month_ago, month_ago))
    prune_caches(current)
    assert current.exists() and recent.exists() and other.exists()
    assert not stale.exists()
