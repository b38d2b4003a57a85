"""Regenerate ``example_log.csv``: a case log simulated by govsim, in a Chinese export's style.

The small workshop city (``city=workshop``) runs 60 days under baseline routing (seed 0);
its cases (:func:`govsim.outcomes.caselog.case_log`) are written with the column names of a
Chinese grid-governance export (事件编号, 上报时间, 办结时间, 二级分类, 镇街名称,
办结职能科室/部门, 事件状态) and times to the minute from 2025-05-01. Then a handful of
deliberately bad rows (:data:`BAD_ROWS`) are put in, so that ``govsim cases check`` has
something to reject. Generated data, not a real city's::

    PYTHONPATH=src .venv/bin/python docs/examples/make_example_log.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from govsim.composition.compose import compose
from govsim.model.model import GovernanceModel
from govsim.outcomes.caselog import case_log

HERE = Path(__file__).resolve().parent
OVERRIDES = ("city=workshop", "mechanism=baseline", "reference=null", "days=60",
             "horizon_days=0", "seed=0", "progress=false", "city.calendar.start_date=2025-05-01")
TIME = "%Y-%m-%d %H:%M"
HANDLERS = {"grid": "网格员", "community": "社区调委会", "street": "街道综治中心",
            "department": "区职能部门", "above": "区信访局", "": ""}
"""The level a case was closed at, as the closing unit's name (办结职能科室/部门)."""

BAD_ROWS = {
    10: ("bad created time", {"上报时间": "2025-05-32 10:00"}),
    40: ("closed before created", {"办结时间": "2025-04-30 09:00"}),
    80: ("unit not mapped", {"镇街名称": "街道9"}),
    120: ("duplicate id", {}),
    160: ("closed status without a closed time", {"办结时间": "", "事件状态": "归档"}),
    200: ("category not mapped", {"二级分类": "消费纠纷"}),
    240: ("open status with a closed time (a warning: kept)", {"事件状态": "受理"}),
}
"""Row (from 0) before which a copy of it is put in, with its own id (SIM2025900001 ...) or
the id of the row before (a duplicate id), and cells changed → what the copy has wrong."""


def simulated() -> pd.DataFrame:
    """The run's cases in the export's columns, before any bad row."""
    experiment = compose(list(OVERRIDES))
    model = GovernanceModel(experiment)
    model.run_model()
    cases = case_log(model, "street")
    labels = {name: t.label_zh for name, t in experiment.city.case_types.items()}
    street = cases["unit"].str.removeprefix("street/").astype(int) + 1
    closed = cases["closed"].dt.strftime(TIME).fillna("")
    return pd.DataFrame({
        "事件编号": [f"SIM2025{n:06d}" for n in range(1, len(cases) + 1)],
        "上报时间": cases["created"].dt.strftime(TIME),
        "办结时间": closed,
        "二级分类": cases["category"].map(labels),
        "镇街名称": "街道" + street.astype(str),
        "办结职能科室/部门": cases["handler"].map(HANDLERS),
        "事件状态": ["归档" if c else "受理" for c in closed],
    })


def example_log() -> pd.DataFrame:
    """The example log: the simulated cases with the bad rows put in."""
    log = simulated()
    parts, last = [], 0
    for k, (position, (_, cells)) in enumerate(sorted(BAD_ROWS.items())):
        bad = log.iloc[[position]].copy()
        bad["事件编号"] = f"SIM2025{900001 + k}"
        if not cells:  # the id of the row before it
            bad["事件编号"] = log["事件编号"].iloc[position - 1]
        for column, value in cells.items():
            bad[column] = value
        parts += [log.iloc[last:position], bad]
        last = position
    parts.append(log.iloc[last:])
    return pd.concat(parts, ignore_index=True)


def main(out: Path = HERE / "example_log.csv") -> Path:
    """Write the example log."""
    out.write_text(example_log().to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(f"wrote {main(*(Path(a) for a in sys.argv[1:2]))}")
