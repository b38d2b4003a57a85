"""Start-up cost of the ``govsim`` command: import, ``--help``, ``list`` and single runs.

Each case runs in a fresh process (``python -m govsim ...``), several times; the table
gives the median wall and CPU time (user + system, from ``os.wait4``) and the largest peak
resident memory. For a single run it also gives the model's own time (the runs'
``wall_seconds`` in ``runs.parquet``: building and running the models) and what the
command spends besides it (start-up, composing, writing the results and the figure).

The benchmark runs a copy of the checkout's ``src``, ``conf`` and ``scenarios`` in a
temporary folder, with Python's bytecode cache on (whatever ``PYTHONDONTWRITEBYTECODE``
says), empty user caches (``NUMBA_CACHE_DIR``, ``XDG_CACHE_HOME``) and an environment of
its own (a virtual environment reaching this one's packages, whose set-up cache starts
empty). Its first rows are what a new machine pays: the first run with nothing compiled
(it compiles govsim's modules and the event loop), compiling the engine into the
environment at set-up (``python -m govsim.experiments.warmup``, as ``make setup`` does;
skipped for a checkout without it), and then a first run with an empty user cache again,
which finds the engine compiled at set-up (a checkout without it compiles again). The
cases after them load the compiled code from the caches, as every run after the first
does on an installed machine. Usage:

    python benchmarks/startup.py [--repeat 3] [--checkout PATH]

The last two rows are of one process that has already run the 100,000-resident
district-year once (imports done, compiled engine loaded): the same year again, end to end,
through :func:`govsim.run` (composing, checking, building, running, measuring; nothing
written) and through :func:`govsim.sweep` (a one-job sweep: its folder written as a
sweep's, without a figure); their CPU is the process's own for that call.

``--checkout`` measures another checkout (e.g. an older revision extracted with
``git archive``). Times are of this machine and its load: compare rows measured together.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
COPIED = ("src", "conf", "scenarios")
"""What a run needs of a checkout (``conf/scenario`` links to ``scenarios``)."""
SMALL_RUN = ["city=workshop", "days=30", "horizon_days=10", "replications=1"]
"""The demo city (about 5,000 residents), 30 days, one replication of both arms."""
DISTRICT_RUN = ["days=365", "replications=1", "reference=null"]
"""The default city (99,840 residents), a year, one run of the street whistle."""


WARM = """
import json, sys, time, tempfile
import govsim

overrides, repeat = sys.argv[1:-1], int(sys.argv[-1])
govsim.run(*overrides, "seed=0")  # imports, the compiled engine: what a warm process has done
samples = {"run": [], "sweep": []}
with tempfile.TemporaryDirectory() as folder:
    for k in range(1, repeat + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        result = govsim.run(*overrides, f"seed={k}")
        samples["run"].append((time.perf_counter() - wall, time.process_time() - cpu,
                               float(result.runs["wall_seconds"].sum())))
        wall, cpu = time.perf_counter(), time.process_time()
        swept = govsim.sweep(*overrides, f"seed={k}", folder=f"{folder}/{k}")
        samples["sweep"].append((time.perf_counter() - wall, time.process_time() - cpu,
                                 float(swept.runs["wall_seconds"].sum())))
print(json.dumps(samples))
"""
"""A child that runs the district-year once, then times it again ``repeat`` times."""


@dataclass(frozen=True)
class Sample:
    """One process: wall and CPU seconds, peak memory; a run's folder and model seconds."""

    wall: float
    cpu: float
    peak_mib: float
    out: Path | None = None
    model: float | None = None


def _copy(checkout: Path, folder: Path) -> dict[str, str]:
    """Copy what govsim needs of ``checkout`` into ``folder``; the environment to run it.

    Its Python (``PYTHON``) is a virtual environment of its own in ``folder``, reaching this
    environment's packages, so that the cache compiled into it at set-up starts empty.
    """
    for name in COPIED:
        shutil.copytree(
            checkout / name,
            folder / name,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }
    env["PYTHONPATH"] = str(folder / "src")
    (folder / "results").mkdir()
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    import site

    for packages in (venv / "lib").glob("python*/site-packages"):
        (packages / "reach.pth").write_text(
            "".join(f"import site; site.addsitedir({p!r})\n" for p in site.getsitepackages())
        )
    env["PYTHON"] = str(venv / "bin" / "python")
    return _empty_caches(env, folder)


def _empty_caches(env: dict[str, str], folder: Path) -> dict[str, str]:
    """``env`` with new, empty user caches of compiled code (Numba's and govsim's)."""
    caches = Path(tempfile.mkdtemp(dir=folder, prefix="caches-"))
    return {**env, "NUMBA_CACHE_DIR": str(caches / "numba"), "XDG_CACHE_HOME": str(caches)}


def _python(env: dict[str, str]) -> str:
    """The Python of ``env``: its own environment's (:func:`_copy`), else this one."""
    return env.get("PYTHON", sys.executable)


def _measure(args: list[str], env: dict[str, str], out: Path | None = None) -> Sample:
    """Run ``python ARGS`` once in the copy; with ``out``, a run whose results go there.

    This process imports nothing heavy before its children are done: a child starts as a
    copy of it, and its peak memory would count this process's.
    """
    argv = [_python(env), *args, *([f"hydra.run.dir={out}"] if out else [])]
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL, stderr=stderr
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            raise RuntimeError(
                f"{' '.join(argv)} failed ({process.returncode}): "
                f"{stderr.read().decode(errors='replace')}"
            )
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out)


def warm(
    env: dict[str, str],
    repeat: int,
    overrides: Sequence[str] = DISTRICT_RUN,
) -> dict[str, list[Sample]]:
    """A run again in one warm process (the district-year): samples per way of running it."""
    import json

    done = subprocess.run(
        [_python(env), "-c", WARM, *overrides, str(repeat)],
        env=env,
        cwd=env["PYTHONPATH"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the warm process failed ({done.returncode}): {done.stderr}")
    peak = float("nan")  # the process's peak includes its first run: not this row's
    return {
        way: [Sample(wall, cpu, peak, model=model) for wall, cpu, model in samples]
        for way, samples in json.loads(done.stdout.splitlines()[-1]).items()
    }


def _with_model_time(samples: list[Sample]) -> list[Sample]:
    """The samples of runs with the model's own seconds, read from their ``runs.parquet``."""
    import pandas as pd

    return [
        replace(s, model=float(pd.read_parquet(s.out / "runs.parquet")["wall_seconds"].sum()))
        if s.out
        else s
        for s in samples
    ]


def _row(label: str, samples: list[Sample]) -> str:
    wall = statistics.median(s.wall for s in samples)
    cpu = statistics.median(s.cpu for s in samples)
    peak = max(s.peak_mib for s in samples)
    peak_text = "" if peak != peak else f"{peak:.0f}"  # NaN: not measured
    models = [s.model for s in samples if s.model is not None]
    model = statistics.median(models) if models else None
    besides = f"{wall - model:.2f}" if model is not None else ""
    return (
        f"| {label} | {wall:.2f} | {cpu:.2f} | {peak_text} | "
        f"{'' if model is None else f'{model:.2f}'} | {besides} |"
    )


def main() -> None:
    """Measure every case and print a Markdown table."""
    parser = argparse.ArgumentParser(description="govsim start-up benchmark")
    parser.add_argument("--repeat", type=int, default=3, help="processes per case")
    parser.add_argument(
        "--checkout",
        type=Path,
        default=CHECKOUT,
        help="the govsim checkout to measure (default: this one)",
    )
    args = parser.parse_args()
    cases: list[tuple[str, list[str], bool]] = [
        ("import govsim.cli", ["-c", "import govsim.cli"], False),
        ("govsim --help", ["-m", "govsim", "--help"], False),
        ("govsim list", ["-m", "govsim", "list"], False),
        ("single run: workshop city, 30 days, 2 arms", ["-m", "govsim", *SMALL_RUN], True),
        ("single run: 99,840 residents, 365 days, 1 arm", ["-m", "govsim", *DISTRICT_RUN], True),
    ]
    rows: list[tuple[str, list[Sample]]] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = _copy(args.checkout.resolve(), folder)
        runs = (folder / "results" / f"run{k}" for k in range(10**6))
        rows.append(
            (
                "first single run, nothing compiled (compiles govsim's bytecode and event loop)",
                [_measure(["-m", "govsim", *SMALL_RUN], env, next(runs))],
            )
        )
        if (folder / "src" / "govsim" / "experiments" / "warmup.py").exists():
            rows.append(
                (
                    "set-up: the engine compiled into the environment "
                    "(`python -m govsim.experiments.warmup`)",
                    [_measure(["-m", "govsim.experiments.warmup"], env)],
                )
            )
        env = _empty_caches(env, folder)
        rows.append(
            (
                "first single run after set-up, empty user cache",
                [_measure(["-m", "govsim", *SMALL_RUN], env, next(runs))],
            )
        )
        for label, case, is_run in cases:
            rows.append(
                (
                    label,
                    [
                        _measure(case, env, next(runs) if is_run else None)
                        for _ in range(args.repeat)
                    ],
                )
            )
        rows = [(label, _with_model_time(samples)) for label, samples in rows]
        again = warm(env, args.repeat)
        rows.append(("the same district-year again in a warm process: `govsim.run`", again["run"]))
        rows.append(
            (
                "the same district-year again in a warm process: `govsim.sweep`, folder written",
                again["sweep"],
            )
        )
    print(f"govsim start-up, {args.checkout}: median of {args.repeat} processes\n")
    print("| case | wall (s) | CPU (s) | peak memory (MiB) | model (s) | besides the model (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, samples in rows:
        print(_row(label, samples))


if __name__ == "__main__":
    main()
