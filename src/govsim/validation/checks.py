"""Docking govsim with queueing theory: degenerate configurations and the match protocol.

Each :class:`QueueCheck` is a degenerate city (``conf/city/mmc.yaml`` or
``conf/city/chain.yaml`` with overrides) whose steady state has a closed form
(:mod:`govsim.queueing`). :func:`run_check` simulates independent replications after a
warm-up of ten relaxation times, drains the cases of the window, and compares each
measure with theory. The protocol of shared/VALIDATION.md: a measure passes when the
analytic value lies inside the 95% confidence interval **and** the interval is tight —
half-width at most 1% of the value for throughput and utilisation, 3% for time in system
and probability of waiting, 5% for mean wait. Little's law (L = λW) is checked on every
replication.

With several measures per check, a 95% interval misses its true value by chance about
once in twenty; the test suite therefore accepts at most one miss per check, and only
inside the 99.9% interval, while every interval must be tight.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govsim.analysis.stats import mean_ci
from govsim.config.schema import ExperimentConfig
from govsim.model.ledger import Status
from govsim.model.model import GovernanceModel
from govsim.validation.queueing import (
    MG1,
    MMc,
    jackson,
    mg1,
    mmc,
    relaxation_time,
    weibull_second_moment,
)

__all__ = ["CHECKS", "TOLERANCE", "QueueCheck", "run_check"]

TOLERANCE = {
    "throughput": 0.01,
    "utilisation": 0.01,
    "time_in_system": 0.03,
    "p_wait": 0.03,
    "mean_wait": 0.05,
}
"""Largest allowed CI half-width, relative to the analytic value, per kind of measure."""

LITTLE_TOLERANCE = 0.01
"""Largest relative gap, in any replication, between the time-average number of cases held
and λW (Little's law, L = λW, measured on each run)."""


@dataclass(frozen=True)
class QueueCheck:
    """A degenerate configuration and the length of its runs."""

    name: str
    overrides: tuple[str, ...]
    expected: Callable[[], dict[str, float]]
    warmup_days: int
    window_days: int
    replications: int = 30


def _expected(queue: MMc | MG1) -> Callable[[], dict[str, float]]:
    """The grid station's measures as the queue's formulas give them."""

    def expected() -> dict[str, float]:
        return {
            "throughput@grid": queue.arrival_rate,
            "utilisation@grid": queue.utilisation,
            "time_in_system": queue.w,
            "p_wait": queue.p_wait,
            "mean_wait": queue.wq,
        }

    return expected


def _mmc_check(
    servers: int, rho: float, service_rate: float = 10.0, customers: int = 40_000
) -> QueueCheck:
    arrival = rho * servers * service_rate
    hours = 24.0 / service_rate
    queue = mmc(arrival, service_rate, servers)
    warmup = math.ceil(10 * relaxation_time(service_rate, servers, rho))
    window = math.ceil(customers / arrival)
    overrides = (
        "city=mmc",
        f"city.grid_workers_per_grid={servers}",
        f"city.case_types.job.rate_per_1000_per_year={arrival * 365}",
        f"city.case_types.job.hours.grid={hours}",
    )

    label = f"M/M/{servers} rho={rho} muD={service_rate:g}"
    return QueueCheck(label, overrides, _expected(queue), warmup, window)


def _mg1_check(shape: float, rho: float, customers: int, service_rate: float = 100.0) -> QueueCheck:
    """M/G/1 with Weibull handling of shape k at the grid (``city.handling_shape.grid``).

    The warm-up is ten of M/M/1's relaxation times × (1 + c²) / 2, c the service time's
    coefficient of variation (the heavy-traffic scaling of the M/G/1 queue's time scale).
    """
    arrival = rho * service_rate
    mean = 1.0 / service_rate
    second = weibull_second_moment(mean, shape)
    queue = mg1(arrival, mean, second)
    spread = second / mean**2 / 2.0  # (1 + c²) / 2, with c² = E[S²] / mean² − 1
    warmup = math.ceil(10 * relaxation_time(service_rate, 1, rho) * spread)
    overrides = (
        "city=mmc",
        f"city.case_types.job.rate_per_1000_per_year={arrival * 365}",
        f"city.case_types.job.hours.grid={24.0 / service_rate}",
        f"+city.handling_shape.grid={shape}",
    )

    label = f"M/G/1 Weibull k={shape:g} rho={rho} muD={service_rate:g}"
    return QueueCheck(label, overrides, _expected(queue), warmup, math.ceil(customers / arrival))


def _chain_check(bounce: float, customers: int = 10_000) -> QueueCheck:
    arrival, p_grid, p_street = 150.0, 0.4, 0.5
    rates = np.array([100.0, 80.0, 60.0])
    servers = np.array([2, 2, 2])
    # Nodes: grid, street, department. A bounce returns a hand-off to the street; the
    # street then forwards it again, so the street → department flow is 1 / (1 − b) per
    # case sent up, of which a share b returns.
    up = arrival * (1 - p_grid) * (1 - p_street)
    street = arrival * (1 - p_grid) + up * bounce / (1 - bounce)
    department = up
    external = np.array([arrival, 0.0, 0.0])
    bounced = up * bounce / (1 - bounce)
    # Routing probabilities from the flows (multi-class routing, one service rate per node:
    # the product form holds, BCMP).
    routing = np.array(
        [
            [0.0, 1 - p_grid, 0.0],
            [0.0, bounced / street, department / street],
            [0.0, 0.0, 0.0],
        ]
    )
    hours = 24.0 / rates
    overrides = (
        "city=chain",
        f"city.departments.desk.bounce_prob={bounce}",
        f"city.case_types.job.rate_per_1000_per_year={arrival * 365}",
        f"city.case_types.job.grid_settle_prob={p_grid}",
        f"city.case_types.job.street_settle_prob={p_street}",
        f"city.case_types.job.hours.grid={hours[0]}",
        f"city.case_types.job.hours.street={hours[1]}",
        f"city.case_types.job.hours.department={hours[2]}",
    )

    def expected() -> dict[str, float]:
        nodes, sojourn = jackson(external, routing, rates, servers)
        assert math.isclose(nodes[1].arrival_rate, street)
        out = {"time_in_system": sojourn}
        for label, node in zip(("grid", "street", "department"), nodes, strict=True):
            out[f"throughput@{label}"] = node.arrival_rate
        return out

    slowest = max(
        relaxation_time(mu, c, lam / (c * mu))
        for lam, mu, c in zip((arrival, street, department), rates, servers, strict=True)
    )
    label = "Jackson chain " + ("with returns b=" + f"{bounce:g}" if bounce else "tandem")
    return QueueCheck(
        label, overrides, expected, math.ceil(10 * slowest), math.ceil(customers / arrival)
    )


# Customers per replication for M/M/1 and M/M/10 at each ρ (the CI half-width shrinks
# with the square root of the run length).
_CUSTOMERS = {
    1: {0.5: 10_000, 0.75: 20_000, 0.9: 70_000},
    10: {0.5: 30_000, 0.75: 20_000, 0.9: 55_000},
}

CHECKS: list[QueueCheck] = [
    *(_mmc_check(1, rho, 100.0, n) for rho, n in _CUSTOMERS[1].items()),
    *(_mmc_check(10, rho, 10.0, n) for rho, n in _CUSTOMERS[10].items()),
    _mmc_check(10, 0.9, service_rate=1.0, customers=40_000),
    _mg1_check(0.6, 0.5, customers=40_000),
    _mg1_check(2.0, 0.75, customers=20_000),
    _chain_check(0.0),
    _chain_check(0.3),
]
"""The checks of the protocol: M/M/1 (μΔ = 0.01 per daily step) and M/M/10 (μΔ = 0.1) at
ρ = 0.5, 0.75, 0.9; M/M/10 at ρ = 0.9 with one completion per handler per day (μΔ = 1,
where a per-step completion probability gets the mean wait 48% wrong); M/G/1 with Weibull
handling times of shape 0.6 (c² ≈ 3.1) at ρ = 0.5 and of shape 2 (c² ≈ 0.27) at ρ = 0.75
(Pollaczek–Khinchine); a tandem chain and a chain with returns. Run lengths (customers
per replication) grow with ρ and with the spread of the handling times so that the
confidence intervals meet the tolerance."""


def _station_of(model: GovernanceModel, label: str) -> int:
    city = model.city
    return {
        "grid": 0,
        "street": city.street_station(0),
        "department": city.department_station(0, 0),
    }[label]


def _replication(cfg: ExperimentConfig, replication: int, measures: list[str]) -> dict[str, float]:
    model = GovernanceModel(cfg, replication=replication)
    model.run_model()
    end = float(model.day)
    stats = model.stations.statistics(end)
    model.drain()  # every case of the window completes
    led = model.ledger
    n = len(led)
    window = (led.arisen[:n] >= cfg.warmup_days) & (led.arisen[:n] < end)
    assert np.all(led.status[:n][window] == Status.RESOLVED)
    sojourn = (led.closed[:n] - led.known[:n])[window]
    waits = led.wait_days[:n][window]
    held = float(np.sum(stats["mean_held"]))
    arrivals = stats["arrivals"][0] / stats["window"][0]
    out = {
        "time_in_system": float(sojourn.mean()),
        "p_wait": float((waits > 0).mean()),
        "mean_wait": float(waits.mean()),
        "littles_law": held / (arrivals * float(sojourn.mean())) - 1.0,
    }
    for measure in measures:
        if "@" in measure:
            kind, label = measure.split("@")
            s = _station_of(model, label)
            value = (
                stats["completions"][s] / stats["window"][s]
                if kind == "throughput"
                else (stats["utilisation"][s])
            )
            out[measure] = float(value)
    return out


def run_check(
    check: QueueCheck,
    compose: Callable[[list[str]], ExperimentConfig],
    replications: int | None = None,
) -> pd.DataFrame:
    """Run a check; one row per measure with theory, estimate, CI and verdict.

    ``compose`` turns Hydra overrides into a validated configuration (as the CLI does).
    """
    reps = replications or check.replications
    cfg = compose(
        [
            *check.overrides,
            "mechanism=baseline",
            "reference=null",
            "horizon_days=0",
            f"warmup_days={check.warmup_days}",
            f"days={check.warmup_days + check.window_days}",
        ]
    )
    expected = check.expected()
    runs = pd.DataFrame([_replication(cfg, r, list(expected)) for r in range(reps)])
    rows = []
    for measure, value in expected.items():
        values = runs[measure].to_numpy()
        mean, low, high = mean_ci(values)
        _, wide_low, wide_high = mean_ci(values, level=0.999)
        kind = measure.split("@")[0]
        half = (high - low) / 2
        within = low <= value <= high
        tight = half <= TOLERANCE[kind] * abs(value)
        rows.append(
            {
                "check": check.name,
                "measure": measure,
                "theory": value,
                "mean": mean,
                "ci_low": low,
                "ci_high": high,
                "half_width_rel": half / abs(value),
                "tolerance": TOLERANCE[kind],
                "within_ci": within,
                "within_ci_999": wide_low <= value <= wide_high,
                "tight": tight,
                "passed": within and tight,
            }
        )
    little = runs["littles_law"].abs().max()
    rows.append(
        {
            "check": check.name,
            "measure": "littles_law",
            "theory": 0.0,
            "mean": float(runs["littles_law"].mean()),
            "ci_low": float(runs["littles_law"].min()),
            "ci_high": float(runs["littles_law"].max()),
            "half_width_rel": float(little),
            "tolerance": LITTLE_TOLERANCE,
            "within_ci": True,
            "within_ci_999": True,
            "tight": bool(little <= LITTLE_TOLERANCE),
            "passed": bool(little <= LITTLE_TOLERANCE),
        }
    )
    frame = pd.DataFrame(rows)
    return frame.assign(
        replications=reps, warmup_days=check.warmup_days, window_days=check.window_days
    )
