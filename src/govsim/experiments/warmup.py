"""Compile the event engine into the environment at set-up, so that no user of it compiles.

``python -m govsim.experiments.warmup`` (run by ``make setup``, ``make test`` and
``make run`` after installing) makes this engine version's folder in the environment's
cache (:data:`~govsim.model.compiled.SETUP_CACHE`, inside ``.venv``) and runs the workshop
city in a fresh process, which finds the folder and fills it with the compiled engine. A
first run after it, with an empty user cache, loads the engine instead of compiling it
(about 40 CPU-seconds). With the folder already filled it only loads the engine again. A
change to the engine's sources is a new engine version, compiled once more.
"""

from __future__ import annotations

import subprocess
import sys

from govsim.model.compiled import SETUP_CACHE, engine_digest

__all__ = ["WARM_RUN", "main"]

WARM_RUN = ("city=workshop", "days=30", "horizon_days=10", "replications=1")
"""What compiles the engine: the demo city, both arms (every entry point, every handler)."""


def main() -> None:
    """Fill the environment's cache of this engine version; say the run's output if it fails."""
    folder = SETUP_CACHE / engine_digest()
    folder.mkdir(parents=True, exist_ok=True)
    print(f"govsim: compiling the event engine into {folder} (once a version)", flush=True)
    script = "import sys, govsim; govsim.run(*sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", script, *WARM_RUN], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{done.stdout}{done.stderr}govsim: compiling the event engine failed")


if __name__ == "__main__":
    main()
