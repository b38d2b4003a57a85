"""Fingerprints of whole runs: what the event engine did, case by case, as digests.

``tests/data/engine_fingerprints.json`` holds the fingerprints of the configurations below;
``tests/test_engine.py`` checks that the engine gives the same, column by column. They were
first computed by the interpreted event loop (heapq and Python lists, replaced by the
compiled engine), which the compiled engine matched bit for bit in all six. Regenerated
since, by intended changes: the streams keyed per district (cases, then residents), with
counter-based draws beyond a case's blocks (the one-district ``workshop_whistle`` and
``mmc_baseline``, which draw no such draws, are still the interpreted loop's), and the
residents' learning from a closure when its case reopens the same day, and the streets'
busy days on their intake clocks (``workshop_many_hours``, the one with a daily dispersion:
its cases arise as before and become known on the busy days). After an intended
change of the model's behaviour, regenerate them with ``python tests/engine_fingerprint.py``
and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from govsim.composition.compose import compose
from govsim.model.ledger import _COLUMNS
from govsim.model.model import GovernanceModel

FINGERPRINTS = Path(__file__).parent / "data" / "engine_fingerprints.json"

_LADDER = ["mechanism.mediation_ladder.start_day=30", "mechanism.mediation_ladder.ramp_days=20"]

CONFIGS: dict[str, list[str]] = {
    "workshop_whistle": ["city=workshop", "mechanism=whistle", "days=60"],
    "mmc_baseline": ["city=mmc", "mechanism=baseline", "days=200"],
    "pingliang_three_step": [
        "scenario=pingliang_three_step",
        "prereform_days=20",
        "days=100",
        "city.case_load_scale=0.15",
        "mechanism.whistle.start_day=10",
        "mechanism.assessment.start_day=20",
        *_LADDER,
    ],
    "beijing_hotline": ["scenario=beijing_2019_hotline", "days=90"],
    "workshop_many_hours": [
        "city=district",
        "days=90",
        "seed=7",
        "mechanism=[hotline,assessment,cross_region,fengqiao,volunteers,smart_dispatch,"
        "burden_reduction,psych]",
        "city.calendar.station_hours=9",
        "city.calendar.station_opens=8",
        "city.calendar.station_days_off=true",
        "city.calendar.daily_dispersion=0.2",
    ],
    "guangdong_grid_centre": ["scenario=guangdong_grid_centre", "days=100"],
}
"""Configurations whose runs are fingerprinted (Hydra overrides)."""


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:16]


def fingerprint(model: GovernanceModel) -> dict[str, str]:
    """Digest of every ledger column, the counters and the stations' statistics."""
    led = model.ledger
    n = len(led)
    out = {name: _digest(led.column(name)) for name in _COLUMNS}
    out["part_state"] = _digest(led.part_state[:n])
    counters = model.engine.counters
    for name in (
        "arisen",
        "resolved",
        "true_resolved",
        "reopened",
        "unresolved",
        "responded",
        "escalated_above_street",
        "petitions",
        "whistles",
        "joint_parts",
        "joint_deadline_breaches",
        "supervised",
        "bounces",
        "satisfied",
        "settled_at_or_below_street",
        "handled_at_or_below_street",
    ):
        out[f"counters.{name}"] = str(int(getattr(counters, name)))
    out["counters.satisfaction_sum"] = repr(float(counters.satisfaction_sum))
    out["counters.resolution_days_sum"] = repr(float(counters.resolution_days_sum))
    stats = model.stations.statistics(float(model.day))
    for name in ("arrivals", "completions", "mean_held", "utilisation"):
        out[f"stations.{name}"] = _digest(np.asarray(stats[name], dtype=np.float64))
    out["stations.staff_days"] = _digest(np.asarray(model.stations.staff_days, np.float64))
    e = model.engine
    for name in ("whistles", "bounced", "joint_parts", "deadline_breaches"):
        out[f"units.{name}"] = _digest(np.asarray(getattr(e, name), dtype=np.int64))
    return out


def run(name: str) -> GovernanceModel:
    """Run one fingerprinted configuration to its end."""
    cfg = compose(CONFIGS[name])
    model = GovernanceModel(cfg)
    while model.running:
        model.step()
    return model


if __name__ == "__main__":
    import time

    prints = {}
    for config in CONFIGS:
        started = time.perf_counter()
        model = run(config)
        prints[config] = fingerprint(model)
        print(config, len(model.ledger), f"{time.perf_counter() - started:.1f}s")
    FINGERPRINTS.write_text(json.dumps(prints, indent=1, sort_keys=True) + "\n")
