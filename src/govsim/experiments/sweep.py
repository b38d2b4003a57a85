"""Run folders, completion status, locks and resuming for sweeps.

Every job of a sweep writes into a folder named by a hash of its overrides
(``hydra.sweep.subdir: ${run_id:${hydra.job.override_dirname}}``), so the same job always
lands in the same folder, whatever the launcher or the order. Before any job starts, the
sweep records the folder of every job it will run in ``sweep.json``
(:func:`write_manifest`). A job holds a lock on its folder while it runs (:func:`job_lock`:
a second process running the same job skips it), writes ``status.json`` as ``running``
when it starts and as ``done`` or ``failed`` last. A folder with ``"status": "done"`` and
the same resolved configuration is complete and is skipped when the sweep is run again;
any other folder (interrupted, failed, or configured differently) is run again.
:func:`sweep_state` sorts a sweep's runs into done, failed, incomplete and never started.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from omegaconf import OmegaConf

from govsim.composition.compose import config_yaml
from govsim.config.schema import UNRECORDED, ExperimentConfig
from govsim.files import unique_suffix, write_text

__all__ = [
    "MANIFEST",
    "STATUS",
    "Job",
    "SweepState",
    "is_complete",
    "job_lock",
    "read_status",
    "register_resolvers",
    "run_id",
    "summary",
    "sweep_state",
    "write_manifest",
    "write_status",
]

STATUS = "status.json"
MANIFEST = "sweep.json"
LOCK = ".lock"


def run_id(overrides: str) -> str:
    """A short, stable name for a job from its override string."""
    return "run-" + hashlib.sha256(overrides.encode("utf-8")).hexdigest()[:12]


def register_resolvers() -> None:
    """Make ``${run_id:...}`` and ``${unique:}`` (a random folder suffix) available."""
    if not OmegaConf.has_resolver("run_id"):
        OmegaConf.register_new_resolver("run_id", lambda s="": run_id(str(s)))
    if not OmegaConf.has_resolver("unique"):
        OmegaConf.register_new_resolver("unique", lambda: unique_suffix(), use_cache=True)


@functools.cache
def _git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


@functools.cache
def _version() -> str:
    return version("govsim")


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
    """True if the folder holds a finished run of exactly this configuration.

    Values that change no result (progress bars, figures, the processes sharing a run's
    districts: :data:`~govsim.config.schema.UNRECORDED`) may differ.
    """
    config = Path(folder) / "config.yaml"
    return (
        read_status(folder).get("status") == "done"
        and config.is_file()
        and _recorded(config.read_text(encoding="utf-8")) == _recorded(composed)
    )


def _recorded(config_yaml: str) -> list[str]:
    """The lines of a ``config.yaml`` without the top-level values that change no result."""
    return [
        line
        for line in config_yaml.splitlines()
        if not line.startswith(tuple(f"{key}:" for key in UNRECORDED))
    ]


def write_status(folder: Path, status: str, started: float, **extra: Any) -> None:
    """Write the run's status file (atomically, last)."""
    record = {
        "status": status,
        "started": started,
        "finished": time.time(),
        "wall_seconds": time.time() - started,
        "govsim_version": _version(),
        "git_revision": _git_revision(),
        **extra,
    }
    write_text(Path(folder) / STATUS, json.dumps(record, indent=2, default=str))


def job_lock(folder: Path) -> FileLock | None:
    """Hold the lock of a job's folder, or None if another process holds it."""
    lock = FileLock(Path(folder) / LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    return lock


@dataclass(frozen=True)
class Job:
    """One job of a sweep: its folder, its checked configuration and the overrides that made it."""

    folder: Path
    experiment: ExperimentConfig
    overrides: tuple[str, ...]

    @classmethod
    def of(cls, folder: Path, experiment: ExperimentConfig, overrides: Sequence[str]) -> Job:
        """The job that runs ``experiment`` into ``folder``."""
        return cls(Path(folder), experiment, tuple(overrides))

    @functools.cached_property
    def composed(self) -> str:
        """The configuration as ``config.yaml`` holds it (:func:`config_yaml`), made once."""
        return config_yaml(self.experiment)

    def is_done(self) -> bool:
        """Whether its folder holds it finished (:func:`is_complete`)."""
        return read_status(self.folder).get("status") == "done" and is_complete(
            self.folder, self.composed
        )


def write_manifest(sweep: Path, runs: list[dict[str, Any]]) -> None:
    """Record every job of a sweep (its folder and overrides) before any job starts."""
    write_text(Path(sweep) / MANIFEST, json.dumps({"runs": runs}, indent=1))


def _planned(sweep: Path) -> list[str]:
    path = Path(sweep) / MANIFEST
    try:
        return [run["run"] for run in json.loads(path.read_text(encoding="utf-8"))["runs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


@dataclass
class SweepState:
    """A sweep's runs by state (folder names relative to the sweep)."""

    sweep: Path
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        """Every run of the sweep is done."""
        return bool(self.done) and not (self.failed or self.incomplete or self.missing)

    def describe(self) -> str:
        """The states in one line, naming a few runs of each state that is not done."""
        total = len(self.done) + len(self.failed) + len(self.incomplete) + len(self.missing)
        parts = [f"{len(self.done)} of {total} runs done"]
        for what, runs in (
            ("failed", self.failed),
            ("incomplete (interrupted or running)", self.incomplete),
            ("never started", self.missing),
        ):
            if runs:
                more = f", +{len(runs) - 3} more" if len(runs) > 3 else ""
                parts.append(f"{len(runs)} {what} ({', '.join(runs[:3])}{more})")
        return "; ".join(parts)


def sweep_state(sweep: Path) -> SweepState:
    """Sort the runs of a sweep folder: done, failed, incomplete, never started."""
    sweep = Path(sweep)
    folders = {p.parent for p in sweep.rglob(STATUS)}
    folders |= {p for p in sweep.glob("run-*") if p.is_dir()}
    planned = _planned(sweep)
    state = SweepState(sweep)
    for name in planned:
        if not (sweep / name).is_dir():
            state.missing.append(name)
    for folder in sorted(folders | {sweep / name for name in planned if (sweep / name).is_dir()}):
        name = folder.relative_to(sweep).as_posix()
        status = read_status(folder).get("status")
        bucket = {"done": state.done, "failed": state.failed}.get(status, state.incomplete)
        bucket.append(name)
    return state


def summary(sweep: Path) -> str:
    """How many of a sweep's jobs ran, were skipped or failed, in lines to print at its end.

    The jobs are the sweep's own (``sweep.json``): run folders that earlier sweeps left in
    the same folder are not counted with them, only named as there too (``govsim collect``
    and ``compare`` read every run folder of a sweep folder). Counted from the status files.
    """
    sweep = Path(sweep)
    folders = sorted(p.parent.relative_to(sweep).as_posix() for p in sweep.rglob(STATUS))
    jobs = _planned(sweep) or folders
    counts: dict[str, int] = {}
    failed = []
    for name in jobs:
        status = read_status(sweep / name)
        state = status.get("outcome", status.get("status", "never started"))
        counts[state] = counts.get(state, 0) + 1
        if status.get("status") == "failed":
            failed.append(f"{name}: {status.get('error', '')}")
    counted = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    others = len(set(folders) - set(jobs))
    earlier = (
        ""
        if not others
        else "; 1 run folder of an earlier sweep is there too"
        if others == 1
        else f"; {others} run folders of earlier sweeps are there too"
    )
    lines = [f"sweep {sweep}: {counted or 'no runs'}{earlier}"]
    lines += [f"  failed {line}" for line in failed]
    state = sweep_state(sweep)
    if not state.whole:
        lines.append(f"  not whole: {state.describe()}")
    return "\n".join(lines)
