"""Where a simulated year's CPU goes: each named step of the model's day, per case.

Builds the city of ``benchmarks/scale.py`` (its size and load; staff scaled with the load)
and steps it a year, timing every step of :attr:`govsim.model.model.GovernanceModel.DAY`
with the process's CPU clock. Prints a Markdown table: each step's CPU seconds over the
year and CPU µs per case, then the whole year's. The clock is read twice a step, about a
microsecond a day. Usage:

    python benchmarks/day_steps.py [--size 1e5] [--load 365] [--repeat 3]

Each repeat builds and runs a fresh model in this process (the compiled engine loaded
once); the table gives each step's median. Times are of this machine and its load: compare
rows measured together.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scale import _config  # the benchmark city, beside this file


def step_seconds(size: int, load: float, mechanism: str) -> tuple[dict[str, float], int]:
    """CPU seconds of each named step over one simulated year, and the cases arisen."""
    from govsim.model.model import GovernanceModel

    model = GovernanceModel(_config(size, load, mechanism))
    spent = dict.fromkeys(model.DAY, 0.0)
    steps = [(name, getattr(model, name)) for name in model.DAY]
    clock = time.process_time
    while model.running:
        for name, step in steps:
            started = clock()
            step()
            spent[name] += clock() - started
    return spent, model.engine.counters.arisen


def main() -> None:
    """Time the named steps and print the table."""
    parser = argparse.ArgumentParser(description="govsim CPU by step of the day")
    parser.add_argument("--size", type=float, default=1e5, help="residents")
    parser.add_argument("--load", type=float, default=365, help="cases per 1,000 residents a year")
    parser.add_argument("--mechanism", default="whistle")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [step_seconds(int(args.size), args.load, args.mechanism) for _ in range(args.repeat)]
    cases = runs[0][1]
    print(
        f"{cases:,} cases a year, {args.size:,.0f} residents at load {args.load:g} "
        f"({args.mechanism}); median of {args.repeat}\n"
    )
    print("| step | CPU s | CPU µs per case |")
    print("|---|---:|---:|")
    for name in runs[0][0]:
        seconds = statistics.median(spent[name] for spent, _ in runs)
        print(f"| {name} | {seconds:.3f} | {1e6 * seconds / cases:.2f} |")
    whole = statistics.median(sum(spent.values()) for spent, _ in runs)
    print(f"| the day | {whole:.3f} | {1e6 * whole / cases:.2f} |")


if __name__ == "__main__":
    main()
