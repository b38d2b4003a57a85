"""``govsim collect SWEEP``: gather a sweep's run folders into two tidy tables.

- ``collected/runs.parquet``: one row per run and arm/replication, with the run folder,
  status, wall time, govsim version, git revision, the resolved configuration (YAML) and
  every configuration value and metric as columns (:mod:`govsim.experiments.columns`); a
  run that is not done (failed, incomplete, never started) is one row with its status,
  its error if any, and no metrics.
- ``collected/long.parquet``: the daily series in long form — sweep, run, scenario,
  mechanism, arm, seed, replication, every configuration value that varies across the
  sweep, day, metric, value.

A sweep whose runs are not all done (failed, interrupted, or never started: the sweep
records its jobs in ``sweep.json`` before the first starts) is refused, with the runs
named, unless ``--allow-partial`` is given; then the tables hold what is done and the
missing runs are listed. Collecting again rereads every folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from govsim.config.errors import IncompleteResultsError, PathError
from govsim.experiments.columns import RUN_IDS, varying_parameters
from govsim.experiments.sweep import SweepState, read_status, sweep_state
from govsim.files import require_writable, write_parquet

__all__ = [
    "RUN_KEYS",
    "collect",
    "read_runs_table",
    "read_table",
    "require_folder",
    "require_whole",
    "tables",
    "write_collected",
]


def require_folder(path: Path) -> Path:
    """``path`` as a folder that exists, or a :class:`PathError`."""
    path = Path(path)
    if not path.is_dir():
        problem = "is not a folder" if path.exists() else "does not exist"
        raise PathError(path, problem, "a run folder or a sweep folder (hydra.sweep.dir)")
    return path


def read_table(path: Path) -> pd.DataFrame:
    """A parquet table written by govsim, or a :class:`PathError` naming the file."""
    try:
        return pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several kinds for a damaged file
        reason = " ".join(str(error).split())[:120]
        raise PathError(
            path,
            f"cannot be read ({type(error).__name__}: {reason})",
            "a table written by govsim; run it again",
        ) from None


RUN_KEYS = ("scenario", "mechanism", "arm", "seed", "replication")
"""Columns every runs table names each run by: a comparison pairs and sorts on them."""


def read_runs_table(path: Path) -> pd.DataFrame:
    """A run's ``runs.parquet``, or a :class:`PathError` naming the file and what it lacks."""
    table = read_table(path)
    missing = [c for c in RUN_KEYS if c not in table]
    if missing:
        raise PathError(
            path,
            f"is a runs table without the column{'s' if len(missing) > 1 else ''}"
            f" {', '.join(missing)}",
            f"a runs table written by govsim, with the columns {', '.join(RUN_KEYS)}; run it again",
        )
    return table


def require_whole(state: SweepState, allow_partial: bool) -> None:
    """Refuse a sweep that is not whole, unless partial results are allowed (then warn)."""
    if not (state.done or state.failed or state.incomplete or state.missing):
        raise PathError(
            state.sweep,
            "holds no runs",
            "a run folder, or a sweep folder (hydra.sweep.dir) with runs",
        )
    if state.whole:
        return
    if not allow_partial:
        raise IncompleteResultsError(
            state.sweep,
            f"is not whole: {state.describe()}",
            "a finished sweep (run the sweep again to finish it), or --allow-partial",
        )
    print(f"govsim: partial sweep {state.sweep}: {state.describe()}", file=sys.stderr)


def _read(
    sweep: Path, with_units: bool = False
) -> tuple[pd.DataFrame, list[pd.DataFrame], list[pd.DataFrame]]:
    """The runs table of a sweep, and the daily (and units) tables of its finished runs."""
    sweep = require_folder(sweep)
    state = sweep_state(sweep)
    runs: list[pd.DataFrame] = []
    daily: list[pd.DataFrame] = []
    units: list[pd.DataFrame] = []
    by_state = [
        ("done", state.done),
        ("failed", state.failed),
        ("incomplete", state.incomplete),
        ("missing", state.missing),
    ]
    for run, name in sorted((run, name) for name, names in by_state for run in names):
        folder = sweep / run
        status = read_status(folder)
        config = folder / "config.yaml"
        meta = {
            "sweep": sweep.name,
            "run": run,
            "status": name,
            "error": status.get("error", ""),
            "run_wall_seconds": status.get("wall_seconds"),
            "govsim_version": status.get("govsim_version", ""),
            "git_revision": status.get("git_revision", ""),
            "config": config.read_text(encoding="utf-8") if config.is_file() else "",
        }
        if name == "done":
            runs.append(read_runs_table(folder / "runs.parquet").assign(**meta))
            daily.append(read_table(folder / "daily.parquet").assign(sweep=meta["sweep"], run=run))
            if with_units:
                units.append(
                    read_table(folder / "units.parquet").assign(sweep=meta["sweep"], run=run)
                )
        else:
            runs.append(pd.DataFrame([meta]))
    if not runs:
        raise PathError(sweep, "holds no runs", "a sweep folder (hydra.sweep.dir) with run folders")
    runs_table = pd.concat(runs, ignore_index=True)
    first = ["sweep", "run", "status"]
    return runs_table[first + [c for c in runs_table if c not in first]], daily, units


def _first(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The tables one below the other, the sweep and run folder first."""
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    return table[["sweep", "run"] + [c for c in table if c not in ("sweep", "run")]]


def tables(sweep: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every run folder under ``sweep`` read as three tables: runs, daily and units.

    ``runs`` is the table ``collect`` writes (every run folder, done or not); ``daily``
    and ``units`` are the finished runs' own tables, each row with its sweep and run folder.
    """
    runs, daily, units = _read(sweep, with_units=True)
    return runs, _first(daily), _first(units)


def collect(sweep: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every run folder under ``sweep``; return (runs, long) tables."""
    runs_table, daily, _ = _read(sweep)
    if not daily:
        return runs_table, pd.DataFrame()
    varying = varying_parameters(runs_table[runs_table["status"] == "done"])
    keys = ["sweep", "run", "arm", "replication"]
    daily_table = pd.concat(daily, ignore_index=True).merge(
        runs_table[keys + varying], on=keys, how="left"
    )
    id_vars = ["sweep", "run", *RUN_IDS, *varying, "day"]
    long = daily_table.melt(id_vars=id_vars, var_name="metric", value_name="value")
    return runs_table, long


def write_collected(sweep: Path, out: Path | None = None, allow_partial: bool = False) -> str:
    """Collect a sweep folder and write the two tables into ``out``.

    ``out`` defaults to ``SWEEP/collected``. Returns what was collected, in a line.
    """
    require_whole(sweep_state(require_folder(sweep)), allow_partial)
    out = require_writable(out or sweep / "collected", "--out")
    runs, long = collect(sweep)
    write_parquet(out / "runs.parquet", runs)
    write_parquet(out / "long.parquet", long)
    counts = runs.drop_duplicates("run")["status"].value_counts().to_dict()
    return f"collected {len(runs.drop_duplicates('run'))} runs ({counts}) into {out}"
