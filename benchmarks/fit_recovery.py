"""Parameter recovery of ``govsim cases fit``: do its 95% intervals cover the truth?

Runs :func:`govsim.cases.recovery.covered` (a log the model generated with a known
demand, fitted, each true value checked against its 95% interval) over the seeds and
prints, per parameter group, how many intervals covered the truth. Usage:

    python benchmarks/fit_recovery.py [--seeds 20]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    from govsim.cases.recovery import covered

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    totals: dict[str, list[bool]] = {}
    for seed in range(args.seeds):
        for group, hits in covered(seed).items():
            totals.setdefault(group, []).extend(hits)
    print(f"| parameters | intervals covering the truth (of {args.seeds} seeds) | coverage |")
    print("|---|---:|---:|")
    for group, hits in totals.items():
        print(f"| {group} | {sum(hits)} of {len(hits)} | {np.mean(hits):.0%} |")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
