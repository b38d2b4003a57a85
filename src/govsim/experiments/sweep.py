"""Run folders, completion status and resuming for sweeps.

Every job of a sweep writes into a folder named by a hash of its overrides
(``hydra.sweep.subdir: ${run_id:${hydra.job.override_dirname}}``), so the same job always
lands in the same folder, whatever the launcher or the order. A job writes
``status.json`` last: a folder with ``"status": "done"`` and the same resolved
configuration is complete and is skipped when the sweep is run again; any other folder
(interrupted, failed, or configured differently) is run again.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from govsim.experiments.files import write_text

__all__ = ["STATUS", "SweepSummary", "is_complete", "read_status", "register_resolvers",
           "run_id", "write_status"]

STATUS = "status.json"


def run_id(overrides: str) -> str:
    """A short, stable name for a job from its override string."""
    return "run-" + hashlib.sha256(overrides.encode("utf-8")).hexdigest()[:12]


def register_resolvers() -> None:
    """Make ``${run_id:...}`` available to Hydra configs."""
    if not OmegaConf.has_resolver("run_id"):
        OmegaConf.register_new_resolver("run_id", lambda s="": run_id(str(s)))


def _git_revision() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def read_status(folder: Path) -> dict[str, Any]:
    """The status of a run folder ({} if it has none)."""
    path = Path(folder) / STATUS
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def is_complete(folder: Path, composed: str) -> bool:
    """True if the folder holds a finished run of exactly this configuration."""
    config = Path(folder) / "config.yaml"
    return (read_status(folder).get("status") == "done" and config.is_file()
            and config.read_text(encoding="utf-8") == composed)


def write_status(folder: Path, status: str, started: float, **extra: Any) -> None:
    """Write the run's status file (atomically, last)."""
    record = {"status": status, "started": started, "finished": time.time(),
              "wall_seconds": time.time() - started, "govsim_version": version("govsim"),
              "git_revision": _git_revision(), **extra}
    write_text(Path(folder) / STATUS, json.dumps(record, indent=2, default=str))


class SweepSummary(Callback):
    """At the end of a sweep, print how many runs were done, skipped and failed."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Count the status files under the sweep folder."""
        sweep = Path(config.hydra.sweep.dir)
        counts: dict[str, int] = {}
        failed = []
        for path in sorted(sweep.glob(f"*/{STATUS}")):
            status = read_status(path.parent)
            state = status.get("outcome", status.get("status", "unknown"))
            counts[state] = counts.get(state, 0) + 1
            if status.get("status") == "failed":
                failed.append(f"{path.parent.name}: {status.get('error', '')}")
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        print(f"sweep {sweep}: {summary or 'no runs'}")
        for line in failed:
            print(f"  failed {line}")
