"""``govsim collect SWEEP``: gather a sweep's run folders into two tidy tables.

- ``collected/runs.parquet``: one row per run and arm/replication, with the run folder,
  status (done or failed), wall time, govsim version, git revision, the resolved
  configuration (YAML) and every parameter and metric; a failed run is one row with its
  error and no metrics.
- ``collected/long.parquet``: the daily series in long form — sweep, run, scenario,
  mechanism, arm, the parameters that vary across the sweep, seed, replication, day,
  metric, value.

Collecting again rereads every folder, so it can run while a sweep is still going.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from govsim.experiments.files import write_parquet
from govsim.experiments.sweep import STATUS, read_status

__all__ = ["collect", "main", "varying_parameters"]

ID_COLUMNS = ["scenario", "mechanism", "arm", "seed", "replication"]


def varying_parameters(runs: pd.DataFrame) -> list[str]:
    """Parameter columns (dotted override names, days, warm-up) that differ between runs."""
    params = [c for c in runs.columns if "." in c or c in ("days", "warmup_days")]
    return [c for c in params if runs[c].nunique(dropna=False) > 1]


def collect(sweep: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every run folder under ``sweep``; return (runs, long) tables."""
    sweep = Path(sweep)
    runs: list[pd.DataFrame] = []
    daily: list[pd.DataFrame] = []
    for status_path in sorted(sweep.rglob(STATUS)):
        folder = status_path.parent
        status = read_status(folder)
        config = folder / "config.yaml"
        meta = {"sweep": sweep.name, "run": folder.relative_to(sweep).as_posix(),
                "status": status.get("status", "unknown"), "error": status.get("error", ""),
                "run_wall_seconds": status.get("wall_seconds"),
                "govsim_version": status.get("govsim_version", ""),
                "git_revision": status.get("git_revision", ""),
                "config": config.read_text(encoding="utf-8") if config.is_file() else ""}
        table = folder / "runs.parquet"
        if meta["status"] == "done" and table.is_file():
            runs.append(pd.read_parquet(table).assign(**meta))
            daily.append(pd.read_parquet(folder / "daily.parquet").assign(
                sweep=meta["sweep"], run=meta["run"]))
        else:
            runs.append(pd.DataFrame([meta]))
    if not runs:
        raise FileNotFoundError(f"no run folders (with {STATUS}) under {sweep}")
    runs_table = pd.concat(runs, ignore_index=True)
    first = ["sweep", "run", "status"]
    runs_table = runs_table[first + [c for c in runs_table if c not in first]]
    if not daily:
        return runs_table, pd.DataFrame()
    varying = varying_parameters(runs_table[runs_table["status"] == "done"])
    keys = ["sweep", "run", "arm", "replication"]
    daily_table = pd.concat(daily, ignore_index=True).merge(
        runs_table[keys + varying], on=keys, how="left")
    id_vars = ["sweep", "run", *ID_COLUMNS, *varying, "day"]
    long = daily_table.melt(id_vars=id_vars, var_name="metric", value_name="value")
    return runs_table, long


def main(argv: list[str]) -> None:
    """Collect a sweep folder and write the two tables."""
    parser = argparse.ArgumentParser(prog="govsim collect", description=__doc__)
    parser.add_argument("sweep", type=Path, help="a sweep folder (hydra.sweep.dir)")
    parser.add_argument("--out", type=Path, help="output folder (default SWEEP/collected)")
    args = parser.parse_args(argv)
    out = args.out or args.sweep / "collected"
    runs, long = collect(args.sweep)
    write_parquet(out / "runs.parquet", runs)
    write_parquet(out / "long.parquet", long)
    done = runs.drop_duplicates("run")["status"].value_counts().to_dict()
    print(f"collected {len(runs.drop_duplicates('run'))} runs ({done}) into {out}")
