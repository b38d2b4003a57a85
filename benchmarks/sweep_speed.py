"""Sweep speed: what a sweep costs besides its simulations, per launcher.

Each case is one ``govsim -m`` command in a fresh process: a sweep of ``--jobs`` small
jobs (the workshop city, ``--days`` days, one run each: ``seed=range(N)``,
``reference=null``, ``replications=1``), launched by

- ``govsim``: govsim's launcher in the command's own process (the default),
- ``govsim x2``: govsim's launcher with two worker processes (``hydra.launcher.workers=2``),
- ``joblib x2``: Hydra's joblib launcher with two processes (``hydra/launcher=joblib``),
- ``ray x2`` (with the ``ray`` extra; not by default): Hydra's Ray launcher on a Ray cluster
  the command starts, one head node with two CPUs on 127.0.0.1; its CPU time misses the
  Ray processes the command does not wait for, so it is a lower bound.

For each it reports the wall time and the CPU time (user + system of the command and every
process it waited for, from ``RUSAGE_CHILDREN``), runs per hour (of wall
time), the simulation's own seconds (the sum of the runs' ``wall_seconds`` in their
``runs.parquet``), the overhead per run (CPU seconds besides the simulation, divided by
the runs) and the wall time of the same command run again on the finished sweep (every job
skipped). With two sizes (``--jobs 10 40``) it adds the marginal overhead: the extra CPU
seconds besides the simulation per extra run, what a larger sweep pays per run once the
command has started. Usage:

    python benchmarks/sweep_speed.py [--jobs 10 40] [--days 30] [--launchers govsim joblib]

``--checkout PATH`` runs another checkout's ``src`` (e.g. an older revision), whose
command may lack govsim's launcher. Times are of this machine and its load.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
LAUNCHERS = {
    "govsim": [],
    "govsim x2": ["hydra/launcher=govsim", "hydra.launcher.workers=2"],
    "joblib x2": ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"],
    "basic": ["hydra/launcher=basic"],
    "ray x2": [
        "hydra/launcher=ray",
        "hydra.launcher.ray.init.address=local",
        "+hydra.launcher.ray.init.num_cpus=2",
        "+hydra.launcher.ray.init._node_ip_address=127.0.0.1",
        "+hydra.launcher.ray.init.include_dashboard=false",
    ],
}
"""The launchers measured, by name, and the overrides that choose them."""


@dataclass(frozen=True)
class Case:
    """One sweep command: its launcher, size and measurements."""

    launcher: str
    jobs: int
    wall: float
    cpu: float
    simulation: float
    resume_wall: float
    ok: bool

    @property
    def overhead(self) -> float:
        """CPU seconds besides the simulation, per run."""
        return (self.cpu - self.simulation) / self.jobs


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command(args: list[str], checkout: Path) -> tuple[float, float, int]:
    """Run ``python -m govsim ARGS``: its wall and CPU seconds and exit status."""
    paths = [str(checkout / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    before = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "govsim", *args],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return wall, _cpu_of_children() - before, done.returncode


def _simulation_seconds(sweep: Path) -> float:
    import pandas as pd

    return float(
        sum(pd.read_parquet(p)["wall_seconds"].sum() for p in sweep.glob("run-*/runs.parquet"))
    )


def measure(launcher: str, jobs: int, days: int, checkout: Path, folder: Path) -> Case:
    """Run the sweep, then run it again (all skipped)."""
    sweep = folder / f"{launcher.replace(' ', '-')}-{jobs}"
    args = [
        "-m",
        "city=workshop",
        f"days={days}",
        f"horizon_days={min(10, days - 1)}",
        "replications=1",
        "reference=null",
        "progress=false",
        f"seed=range({jobs})",
        *LAUNCHERS[launcher],
        f"hydra.sweep.dir={sweep}",
    ]
    wall, cpu, status = _command(args, checkout)
    resume_wall, _, again = _command(args, checkout)
    ran = len(list(sweep.glob("run-*/runs.parquet")))
    return Case(
        launcher,
        jobs,
        wall,
        cpu,
        _simulation_seconds(sweep),
        resume_wall,
        status == 0 and again == 0 and ran == jobs,
    )


def table(cases: list[Case]) -> str:
    """The cases as a Markdown table, with the marginal overhead between two sizes."""
    lines = [
        "| launcher | runs | wall s | CPU s | runs per hour | simulation s | "
        "overhead per run (CPU s) | marginal overhead per run (CPU s) | resume wall s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        smaller = [c for c in cases if c.launcher == case.launcher and c.jobs < case.jobs]
        marginal = ""
        if smaller:
            base = smaller[-1]
            extra = (case.cpu - case.simulation) - (base.cpu - base.simulation)
            marginal = f"{extra / (case.jobs - base.jobs):.3f}"
        flag = "" if case.ok else " (failed)"
        lines.append(
            f"| {case.launcher}{flag} | {case.jobs} | {case.wall:.2f} | "
            f"{case.cpu:.2f} | {3600 * case.jobs / case.wall:,.0f} | "
            f"{case.simulation:.2f} | "
            f"{case.overhead:.3f} | {marginal} | {case.resume_wall:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure every launcher at every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[10, 40])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--launchers",
        nargs="+",
        default=["govsim", "govsim x2", "joblib x2"],
        choices=list(LAUNCHERS),
    )
    parser.add_argument("--checkout", type=Path, default=CHECKOUT)
    args = parser.parse_args(argv)
    cases = []
    with tempfile.TemporaryDirectory(prefix="govsim-sweep-speed-") as folder:
        for launcher in args.launchers:
            for jobs in sorted(args.jobs):
                cases.append(
                    measure(launcher, jobs, args.days, args.checkout.resolve(), Path(folder))
                )
                print(f"measured {launcher}, {jobs} runs", file=sys.stderr, flush=True)
    print(table(cases))
    return 0 if all(case.ok for case in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
