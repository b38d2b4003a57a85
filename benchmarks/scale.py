"""Wall time and peak memory of one simulated year at 10^4, 10^5 and 10^6 residents.

Beside the measured time it prints govsim's own estimate (``govsim.experiments.budget``),
whose costs per case, day and resident come from this benchmark: re-measure them here.

Each size runs in a fresh process, so its peak memory is its own. Usage:

    python benchmarks/scale.py [--sizes 1e4 1e5 1e6 1e7] [--mechanism whistle]

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

GRIDS_PER_DISTRICT = 4 * 6 * 8
PER_GRID = 520


def shape(residents: int) -> list[str]:
    """Overrides for a city of about ``residents`` people."""
    districts = max(1, round(residents / (GRIDS_PER_DISTRICT * PER_GRID)))
    per_grid = max(1, round(residents / (districts * GRIDS_PER_DISTRICT)))
    return [f"city.districts={districts}", f"city.residents.per_grid={per_grid}"]


def measure(residents: int, mechanism: str) -> dict[str, float]:
    """Build and run one model for a year; report times and peak memory."""
    from govsim.experiments.budget import run_seconds
    from govsim.experiments.compose import compose
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.metrics import run_metrics

    cfg = compose([f"mechanism={mechanism}", "days=365", *shape(residents)])
    estimate = run_seconds(cfg)
    started = time.perf_counter()
    model = GovernanceModel(cfg)
    built = time.perf_counter()
    model.run_model()
    ran = time.perf_counter()
    metrics = run_metrics(model)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"residents": model.city.n_residents, "cases": metrics["cases_arisen"],
            "build_s": built - started, "run_s": ran - built, "total_s": ran - started,
            "peak_mib": peak_mib, "estimate_s": estimate}


def main() -> None:
    """Run each size in its own process and print one table row per size."""
    parser = argparse.ArgumentParser(description="govsim scale benchmark")
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6])
    parser.add_argument("--mechanism", default="whistle")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(int(args.child), args.mechanism)))
        return
    print(f"mechanism: {args.mechanism}; one simulated year (365 daily steps)\n")
    print("| residents | cases / year | build (s) | run (s) | total (s) | estimate (s) | "
          "peak memory (MiB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(size), "--mechanism",
                              args.mechanism], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {r['residents']:,} | {r['cases']:,} | {r['build_s']:.2f} | {r['run_s']:.2f} | "
              f"{r['total_s']:.2f} | {r['estimate_s']:.2f} | {r['peak_mib']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
