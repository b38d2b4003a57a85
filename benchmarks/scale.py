"""Time, CPU and memory of one simulated year by city size and case load, beside Mesa.

For each size and load, one fresh process builds and runs a city for a year and reports:
the whole process's wall time, the import time of govsim and Mesa, seconds spent
compiling the event engine (0 when it comes from the disk cache: a first process warms
it), build and run wall time, the CPU time of the run, cases per CPU-second and CPU µs per
case, of which the compiled event loop's own CPU µs per case, events per second, peak
memory, and govsim's own time estimate (``govsim.composition.budget``, whose costs per
case, day and resident come from this benchmark: re-measure them here).

Loads are cases per 1,000 residents a year (the default district carries 289, field load
being 200–400 per ``../shared/DOMAIN.md`` and ``docs/ODD.md``; 73 is a city of disputes and
few demands), set through ``city.case_load_scale``, with every staff count scaled by the
same factor so the city stays loaded but not overloaded. Beside govsim, idiomatic Mesa
steps one agent per resident each day (``AgentSet.shuffle_do``), each drawing whether a
case arises and only counting it: a lower bound on what a per-resident Mesa model costs
(its "events" are agent steps).

With ``--district-workers N``, each city's districts run in N processes
(``govsim.experiments.districts``) and are merged: build and run are then timed together
(as "run"), the CPU time and peak memory add up the workers' (peaks from ``/proc``), and the
event loop's own share and events are not measured. ``--district-backend threads`` runs
them in N threads of the measuring process instead (``district_backend=threads``).

Usage:

    python benchmarks/scale.py [--sizes 1e4 1e5 1e6] [--loads 73 365 730] [--mesa 1e4]
                               [--district-workers 2] [--district-backend threads]

Cities grow by adding districts of the default shape (4 streets x 6 communities x 8
grids); below one district, grids hold fewer residents. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

GRIDS_PER_DISTRICT = 4 * 6 * 8
PER_GRID = 520
DAYS = 365


def shape(residents: int) -> list[str]:
    """Overrides for a city of about ``residents`` people."""
    districts = max(1, round(residents / (GRIDS_PER_DISTRICT * PER_GRID)))
    per_grid = max(1, round(residents / (districts * GRIDS_PER_DISTRICT)))
    return [f"city.districts={districts}", f"city.residents.per_grid={per_grid}"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _workers_cpu_and_peak() -> tuple[float, float]:
    """CPU seconds and summed peak MiB of this process's live child processes (Linux)."""
    import psutil

    cpu, peak = 0.0, 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
            cpu += times.user + times.system
            status = Path(f"/proc/{child.pid}/status").read_text()
        except (psutil.Error, OSError):
            continue
        peak += next(
            (
                int(line.split()[1]) / 1024
                for line in status.splitlines()
                if line.startswith("VmHWM:")
            ),
            0.0,
        )
    return cpu, peak


def measure_districts(
    residents: int, load: float, mechanism: str, workers: int, backend: str = "loky"
) -> dict[str, float]:
    """Build and run one city for a year with its districts in ``workers`` workers.

    ``backend`` is a value of ``district_backend`` (processes or threads).
    """
    started = time.perf_counter()
    from govsim.city.build import build_city
    from govsim.composition.budget import run_seconds
    from govsim.experiments.districts import simulate

    imported = time.perf_counter()
    cfg = _config(residents, load, mechanism)
    estimate = run_seconds(cfg)
    built_at, cpu_at = time.perf_counter(), _cpu()
    merged = simulate(cfg, cfg.mechanism, 0, build_city(cfg.city), workers, backend)
    done = time.perf_counter()
    workers_cpu, workers_peak = _workers_cpu_and_peak()
    nan = float("nan")
    return {
        "residents": merged.city.n_residents,
        "load": load,
        "cases": merged.engine.counters.arisen,
        "import_s": imported - started,
        "build_s": nan,
        "run_s": done - built_at,
        "cpu_s": _cpu() - cpu_at + workers_cpu,
        "events": nan,
        "estimate_s": estimate,
        "engine_cpu_s": nan,
        "compile_s": 0.0,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + workers_peak,
    }


def _config(residents: int, load: float, mechanism: str) -> Any:
    """The benchmark city at ``load`` cases per 1,000 residents a year, staff scaled alike."""
    from govsim.composition.compose import compose

    base = compose([f"mechanism={mechanism}", f"days={DAYS}", *shape(residents)])
    scale = load / sum(t.rate_per_1000_per_year for t in base.city.case_types.values())
    return compose(
        [
            f"mechanism={mechanism}",
            f"days={DAYS}",
            *shape(residents),
            f"city.case_load_scale={scale:.6g}",
            f"city.staff_scale={scale:.6g}",
        ]
    )


def measure(residents: int, load: float, mechanism: str) -> dict[str, float]:
    """Build and run one model for a year at ``load`` cases per 1,000 residents a year."""
    started = time.perf_counter()
    import govsim.model.model as model_module
    from govsim.composition.budget import run_seconds
    from govsim.model.compiled import compile_seconds
    from govsim.model.model import GovernanceModel

    engine_cpu = [0.0]
    run_until = model_module.run_until

    def timed_run_until(*args: object) -> None:
        """The event loop, its CPU time counted apart from the rest of the day."""
        before = time.process_time()
        run_until(*args)
        engine_cpu[0] += time.process_time() - before

    model_module.run_until = timed_run_until

    imported = time.perf_counter()
    cfg = _config(residents, load, mechanism)
    estimate = run_seconds(cfg)
    built_at = time.perf_counter()
    model = GovernanceModel(cfg)
    ran_at, cpu_at = time.perf_counter(), _cpu()
    model.run_model()
    done, cpu = time.perf_counter(), _cpu() - cpu_at
    calendar = model.engine.calendar
    events = calendar.scheduled - len(calendar)
    cases = model.engine.counters.arisen
    return {
        "residents": model.city.n_residents,
        "load": load,
        "cases": cases,
        "import_s": imported - started,
        "build_s": ran_at - built_at,
        "run_s": done - ran_at,
        "cpu_s": cpu,
        "events": events,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "estimate_s": estimate,
        "engine_cpu_s": engine_cpu[0],
        "compile_s": compile_seconds(),
    }


def measure_mesa(residents: int, load: float) -> dict[str, float]:
    """Idiomatic Mesa: one agent per resident stepped each day, a case drawn and counted."""
    started = time.perf_counter()
    import mesa

    imported = time.perf_counter()
    chance = load / 1000 / 365

    class Resident(mesa.Agent):
        def step(self) -> None:
            if self.random.random() < chance:
                self.model.cases += 1

    class City(mesa.Model):
        def __init__(self) -> None:
            super().__init__(rng=0)
            self.cases = 0
            Resident.create_agents(self, residents)

        def step(self) -> None:
            self.agents.shuffle_do("step")

    built_at = time.perf_counter()
    model = City()
    ran_at, cpu_at = time.perf_counter(), _cpu()
    for _ in range(DAYS):
        model.step()
    done, cpu = time.perf_counter(), _cpu() - cpu_at
    return {
        "residents": residents,
        "load": load,
        "cases": model.cases,
        "import_s": imported - started,
        "build_s": ran_at - built_at,
        "run_s": done - ran_at,
        "cpu_s": cpu,
        "events": residents * DAYS,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "estimate_s": float("nan"),
        "engine_cpu_s": float("nan"),
        "compile_s": 0.0,
    }


def _row(engine: str, r: dict[str, float]) -> str:
    cases = max(r["cases"], 1)
    return (
        f"| {engine} | {r['residents']:,.0f} | {r['load']:.0f} | {r['cases']:,.0f} | "
        f"{r['process_s']:.2f} | {r['import_s']:.2f} | {r['compile_s']:.1f} | "
        f"{r['build_s']:.2f} | {r['run_s']:.2f} | {r['cpu_s']:.2f} | "
        f"{cases / max(r['cpu_s'], 1e-9):,.0f} | {1e6 * r['cpu_s'] / cases:.0f} | "
        f"{1e6 * r['engine_cpu_s'] / cases:.1f} | "
        f"{r['events'] / max(r['run_s'], 1e-9):,.0f} | {r['estimate_s']:.2f} | "
        f"{r['peak_mib']:,.0f} |"
    )


def _child(args: list[str]) -> dict[str, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return {
        **json.loads(out.stdout.strip().splitlines()[-1]),
        "process_s": time.perf_counter() - started,
    }


def main() -> None:
    """Run each size and load in its own process and print one table row each."""
    parser = argparse.ArgumentParser(description="govsim scale benchmark")
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6])
    parser.add_argument(
        "--loads",
        nargs="+",
        type=float,
        default=[73, 365, 730],
        help="cases per 1,000 residents a year",
    )
    parser.add_argument(
        "--mesa",
        nargs="*",
        type=float,
        default=[1e4],
        help="sizes of the idiomatic Mesa reference (none to skip)",
    )
    parser.add_argument("--mechanism", default="whistle")
    parser.add_argument(
        "--district-workers",
        type=int,
        default=1,
        help="workers sharing each city's districts (1: one process)",
    )
    parser.add_argument(
        "--district-backend",
        choices=("loky", "threads"),
        default="loky",
        help="the workers: processes (loky) or threads of the measuring process",
    )
    parser.add_argument("--child", nargs=2, type=float, help=argparse.SUPPRESS)
    parser.add_argument("--mesa-child", nargs=2, type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        size, load = int(args.child[0]), args.child[1]
        print(
            json.dumps(
                measure(size, load, args.mechanism)
                if args.district_workers == 1
                else measure_districts(
                    size, load, args.mechanism, args.district_workers, args.district_backend
                )
            )
        )
        return
    if args.mesa_child:
        print(json.dumps(measure_mesa(int(args.mesa_child[0]), args.mesa_child[1])))
        return
    warm = _child(["--child", "2000", "73", "--mechanism", args.mechanism])
    print(
        f"mechanism: {args.mechanism}; one simulated year ({DAYS} daily steps); times in "
        "seconds; load in cases per 1,000 residents a year; staff scaled with the load. "
        f"A first process compiled the event engine in {warm['compile_s']:.1f} s (0: its "
        "code was already cached); the rows load it from the cache.\n"
    )
    print(
        "| engine | residents | load | cases | process | import | compile | build | run | "
        "run CPU | cases per CPU-s | CPU µs per case | engine CPU µs per case | "
        "events per s | estimate | peak MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        for load in args.loads:
            row = _child(
                [
                    "--child",
                    str(size),
                    str(load),
                    "--mechanism",
                    args.mechanism,
                    "--district-workers",
                    str(args.district_workers),
                    "--district-backend",
                    args.district_backend,
                ]
            )
            label = (
                "govsim"
                if args.district_workers == 1
                else f"govsim, {args.district_workers} district "
                + ("threads" if args.district_backend == "threads" else "processes")
            )
            print(_row(label, row), flush=True)
    for size in args.mesa:
        for load in args.loads:
            print(
                _row("Mesa (agents stepped)", _child(["--mesa-child", str(size), str(load)])),
                flush=True,
            )


if __name__ == "__main__":
    main()
