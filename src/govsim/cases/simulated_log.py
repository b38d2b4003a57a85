"""``govsim cases simulate [--out DIR] [--unit-level LEVEL] [-- OVERRIDES]``: a run's cases.

It runs replication 0 of the treatment arm and writes its cases as ``simulated.csv`` (id,
created, closed, category, unit, handler; ISO times) with the ``config.yaml`` that ran:
the simulated counterpart of a real case log (:mod:`govsim.cases.log_check`).
"""

from __future__ import annotations

from pathlib import Path

from govsim.cases.folders import new_folder
from govsim.files import atomic_folder

__all__ = ["TIME_FORMAT", "simulate_cases"]

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
"""How written logs give times (ISO 8601)."""


def simulate_cases(
    overrides: list[str], out: Path | None = None, unit_level: str = "street"
) -> None:
    """``govsim cases simulate``: run one replication and write its cases as a log.

    ``out`` is a new folder (default ``results/cases/DATE/TIME-XXXXXX``); the units are
    named at ``unit_level``.
    """
    from govsim.composition.compose import compose, config_yaml

    experiment = compose(overrides)
    out = new_folder(out)
    from govsim.files import write_text
    from govsim.model.model import GovernanceModel
    from govsim.outcomes.caselog import case_log

    model = GovernanceModel(experiment)
    model.run_model()
    log = case_log(model, unit_level)
    with atomic_folder(out) as partial:
        write_text(partial / "simulated.csv", log.to_csv(index=False, date_format=TIME_FORMAT))
        write_text(partial / "config.yaml", config_yaml(experiment))
    print(
        f"{len(log):,} cases ({int(log['closed'].isna().sum()):,} open at the end), "
        f"from {log['created'].min()} to {log['created'].max()}"
    )
    print(f"results: {out}")
