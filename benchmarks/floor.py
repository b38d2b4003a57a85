"""How far govsim's event engine is from the limit: one case flow in five simulators.

The flow is an M/M/c station (``conf/city/mmc.yaml``, the queueing checks of
``govsim.validation.checks``): Poisson arrivals at λ cases a day, exponential service at μ
a day per server, c servers, first come first served, ``--cases`` cases. Side by side:

- **govsim**: the ``mmc`` city at the same λ, μ and c for as many days as the cases take,
  timed whole (the day's Python: arrivals, reporting, the daily series) and its compiled
  event loop alone (``run_until``); its own random streams draw the cases, so its mean wait
  agrees with the others' only up to sampling noise;
- **Mesa**, idiomatically (Mesa 3.5's ``Model.schedule_event``: a case is an agent, its
  arrival and departure are events);
- **ciw** (a dev dependency; ``Sequential`` distributions replay the draws);
- **SimPy** (a process per case requesting a ``Resource`` of c servers);
- **a bare compiled event loop** (Numba; an array heap of arrivals and departures, a FIFO
  of waiting cases): the floor, what an event costs with nothing but the queue to do.

The last four replay the same interarrival and service times (one ``numpy`` Generator,
``--seed``), so their mean waits agree to rounding: a check that they simulate the same
flow. Events are each simulator's own count (arrivals and departures for the replays; the
engine's calendar for govsim). Times are CPU seconds of the run alone (no import, build or
compiling: each compiled loop runs once before it is timed), the median of ``--repeats``.

Usage:

    python benchmarks/floor.py [--cases 100000] [--servers 10] [--rho 0.9] [--mu 10]
                               [--repeats 3] [--engines govsim mesa ciw simpy floor]

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np

from govsim.validation.queueing import mmc


@dataclass(frozen=True)
class Flow:
    """The case flow: its rates and the draws the replaying simulators share."""

    arrival_rate: float
    service_rate: float
    servers: int
    gaps: np.ndarray
    """Days from one arrival to the next (the first from time 0)."""
    services: np.ndarray
    """Service days of each case, in order of arrival (= order of service: FIFO)."""

    @property
    def cases(self) -> int:
        """How many cases arrive."""
        return len(self.gaps)


@dataclass(frozen=True)
class Timing:
    """One run: the cases done, the simulator's events, CPU seconds and the mean wait."""

    cases: int
    events: int
    cpu_s: float
    mean_wait: float


def make_flow(cases: int, servers: int, rho: float, service_rate: float, seed: int) -> Flow:
    """``cases`` arrivals at ρ·c·μ a day, service at μ a day, drawn from one Generator."""
    rng = np.random.default_rng(seed)
    arrival_rate = rho * servers * service_rate
    return Flow(
        arrival_rate,
        service_rate,
        servers,
        rng.exponential(1 / arrival_rate, cases),
        rng.exponential(1 / service_rate, cases),
    )


@numba.njit(cache=False)
def _push(times: np.ndarray, items: np.ndarray, size: int, t: float, item: int) -> int:
    """Add ``item`` at time ``t`` to the binary heap of ``size`` entries; the new size."""
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if times[parent] <= t:
            break
        times[i], items[i] = times[parent], items[parent]
        i = parent
    times[i], items[i] = t, item
    return size + 1


@numba.njit(cache=False)
def _pop(times: np.ndarray, items: np.ndarray, size: int) -> int:
    """Remove the heap's earliest entry (read it at index 0 first); the new size."""
    size -= 1
    t, item = times[size], items[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and times[child + 1] < times[child]:
            child += 1
        if times[child] >= t:
            break
        times[i], items[i] = times[child], items[child]
        i = child
    times[i], items[i] = t, item
    return size


@numba.njit(cache=False)
def _floor_loop(gaps: np.ndarray, services: np.ndarray, servers: int) -> tuple[int, float]:
    """The M/M/c station as a heap of events; (events, summed waits).

    An item ``k >= 0`` is the arrival of case ``k``; ``-1`` a departure (a server freed).
    """
    n = len(gaps)
    times, items = np.empty(servers + 1), np.empty(servers + 1, np.int64)
    arrived = np.empty(n)
    waiting = np.empty(n, np.int64)  # FIFO of cases, head .. tail
    head = tail = 0
    size = _push(times, items, 0, gaps[0], 0)
    free, events, waits = servers, 0, 0.0
    while size > 0:
        now, item = times[0], items[0]
        size = _pop(times, items, size)
        events += 1
        if item >= 0:
            arrived[item] = now
            if item + 1 < n:
                size = _push(times, items, size, now + gaps[item + 1], item + 1)
            if free > 0:
                free -= 1
                size = _push(times, items, size, now + services[item], -1)
            else:
                waiting[tail] = item
                tail += 1
        elif head < tail:
            case = waiting[head]
            head += 1
            waits += now - arrived[case]
            size = _push(times, items, size, now + services[case], -1)
        else:
            free += 1
    return events, waits


def run_floor(flow: Flow) -> Timing:
    """The bare compiled event loop."""
    before = time.process_time()
    events, waits = _floor_loop(flow.gaps, flow.services, flow.servers)
    return Timing(flow.cases, events, time.process_time() - before, waits / flow.cases)


def run_simpy(flow: Flow) -> Timing:
    """SimPy: a process per case, a ``Resource`` of c servers."""
    import simpy

    env = simpy.Environment()
    station = simpy.Resource(env, capacity=flow.servers)
    waits = [0.0]
    gaps, services = flow.gaps.tolist(), flow.services.tolist()

    def case(service: float):
        arrived = env.now
        with station.request() as turn:
            yield turn
            waits[0] += env.now - arrived
            yield env.timeout(service)

    def arrivals():
        for gap, service in zip(gaps, services, strict=True):
            yield env.timeout(gap)
            env.process(case(service))

    before = time.process_time()
    env.process(arrivals())
    env.run()
    return Timing(flow.cases, 2 * flow.cases, time.process_time() - before, waits[0] / flow.cases)


def run_ciw(flow: Flow) -> Timing:
    """ciw: the draws replayed by ``Sequential`` distributions, run past the last departure."""
    import ciw

    end = _floor_end(flow)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Sequential([*flow.gaps.tolist(), end])],
        service_distributions=[ciw.dists.Sequential(flow.services.tolist())],
        number_of_servers=[flow.servers],
    )
    before = time.process_time()
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(end)
    cpu = time.process_time() - before
    waits = [r.waiting_time for r in simulation.get_all_records() if r.id_number <= flow.cases]
    if len(waits) != flow.cases:
        raise RuntimeError(f"ciw finished {len(waits)} of {flow.cases} cases")
    return Timing(flow.cases, 2 * flow.cases, cpu, math.fsum(waits) / flow.cases)


def _floor_end(flow: Flow) -> float:
    """A time after every departure (the arrivals' span plus all service: a bound)."""
    return float(flow.gaps.sum() + flow.services.sum() + 1.0)


def run_mesa(flow: Flow) -> Timing:
    """Idiomatic Mesa: a case is an agent; arrivals and departures are scheduled events."""
    import mesa

    class Case(mesa.Agent):
        """A case at the station: when it arrived and how long its service takes."""

        def __init__(self, model: Station, service: float) -> None:
            super().__init__(model)
            self.arrived, self.service = model.time, service

        def depart(self) -> None:
            self.model.depart(self)

    class Station(mesa.Model):
        """c servers and a queue of cases."""

        def __init__(self) -> None:
            super().__init__(rng=0)
            self.free, self.queue, self.next, self.waits = flow.servers, deque(), 0, 0.0
            self.gaps, self.services = flow.gaps.tolist(), flow.services.tolist()
            self.schedule_event(self.arrive, after=self.gaps[0])

        def arrive(self) -> None:
            case = Case(self, self.services[self.next])
            self.next += 1
            if self.next < len(self.gaps):
                self.schedule_event(self.arrive, after=self.gaps[self.next])
            if self.free:
                self.free -= 1
                self.serve(case)
            else:
                self.queue.append(case)

        def serve(self, case: Case) -> None:
            self.waits += self.time - case.arrived
            self.schedule_event(case.depart, after=case.service)

        def depart(self, case: Case) -> None:
            case.remove()
            if self.queue:
                self.serve(self.queue.popleft())
            else:
                self.free += 1

    before = time.process_time()
    station = Station()
    station.run_until(_floor_end(flow))
    return Timing(
        flow.cases, 2 * flow.cases, time.process_time() - before, station.waits / flow.cases
    )


def govsim_runs(flow: Flow) -> tuple[Callable[[], Timing], Callable[[], Timing]]:
    """govsim's ``mmc`` city at the flow's rates: timed whole, and its event loop alone.

    Both come from one run (the second reads the event loop's share of the first).
    """
    import govsim.model.model as model_module
    from govsim.composition.compose import compose
    from govsim.model.ledger import Status
    from govsim.model.model import GovernanceModel

    days = math.ceil(flow.cases / flow.arrival_rate)
    cfg = compose(
        [
            "city=mmc",
            f"city.grid_workers_per_grid={flow.servers}",
            f"city.case_types.job.rate_per_1000_per_year={flow.arrival_rate * 365}",
            f"city.case_types.job.hours.grid={24.0 / flow.service_rate}",
            "mechanism=baseline",
            "reference=null",
            "horizon_days=0",
            "warmup_days=0",
            f"days={days}",
        ]
    )
    run_until = model_module.run_until
    loop_cpu = [0.0]

    def timed_run_until(*args: object) -> None:
        before = time.process_time()
        run_until(*args)
        loop_cpu[0] += time.process_time() - before

    last: list[Timing] = []

    def whole() -> Timing:
        model = GovernanceModel(cfg)
        loop_cpu[0] = 0.0
        model_module.run_until = timed_run_until
        try:
            before = time.process_time()
            model.run_model()
            cpu = time.process_time() - before
        finally:
            model_module.run_until = run_until
        led, n = model.ledger, len(model.ledger)
        served = led.status[:n] == Status.RESOLVED
        calendar = model.engine.calendar
        events = calendar.scheduled - len(calendar)
        cases = int(model.engine.counters.arisen)
        wait = float(led.wait_days[:n][served].mean()) if served.any() else math.nan
        last[:] = [Timing(cases, events, loop_cpu[0], wait)]
        return Timing(cases, events, cpu, wait)

    def loop() -> Timing:
        return last[0]

    return whole, loop


def _median(runs: list[Timing]) -> Timing:
    """The median CPU time of the runs, with the first run's counts."""
    return Timing(
        runs[0].cases, runs[0].events, statistics.median(r.cpu_s for r in runs), runs[0].mean_wait
    )


ENGINES = ("govsim", "mesa", "ciw", "simpy", "floor")


def measure(flow: Flow, engines: list[str], repeats: int) -> dict[str, Timing]:
    """Each engine's median run, by row label (govsim gives two rows)."""
    out: dict[str, Timing] = {}
    for engine in engines:
        if engine == "govsim":
            whole, loop = govsim_runs(flow)
            whole()  # the engine loaded (or compiled) before timing
            runs = [(whole(), loop()) for _ in range(repeats)]
            out["govsim, whole day"] = _median([w for w, _ in runs])
            out["govsim, event loop alone"] = _median([lp for _, lp in runs])
            continue
        run = {"mesa": run_mesa, "ciw": run_ciw, "simpy": run_simpy, "floor": run_floor}[engine]
        if engine == "floor":
            run(make_flow(10, flow.servers, 0.5, flow.service_rate, 0))  # compile first
        label = {
            "mesa": "Mesa (events)",
            "ciw": "ciw",
            "simpy": "SimPy",
            "floor": "bare compiled event loop",
        }[engine]
        out[label] = _median([run(flow) for _ in range(repeats)])
    return out


def table(rows: dict[str, Timing]) -> list[str]:
    """Markdown rows: CPU per case and per event, and each against the floor's per event."""
    floor = rows.get("bare compiled event loop")
    floor_ns = 1e9 * floor.cpu_s / max(floor.events, 1) if floor else math.nan
    lines = [
        "| engine | cases | events | run CPU s | CPU µs per case | CPU ns per event | "
        "× the floor per event | mean wait (days) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in rows.items():
        per_event = 1e9 * r.cpu_s / max(r.events, 1)
        lines.append(
            f"| {label} | {r.cases:,} | {r.events:,} | {r.cpu_s:.3f} | "
            f"{1e6 * r.cpu_s / max(r.cases, 1):.2f} | {per_event:,.0f} | "
            f"{per_event / floor_ns:,.1f} | {r.mean_wait:.5f} |"
        )
    return lines


def main() -> None:
    """Run the engines on one flow and print the table."""
    parser = argparse.ArgumentParser(description="govsim against the floor on an M/M/c flow")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--servers", type=int, default=10)
    parser.add_argument("--rho", type=float, default=0.9, help="utilisation λ / (c μ)")
    parser.add_argument("--mu", type=float, default=10.0, help="services a day per server")
    parser.add_argument("--repeats", type=int, default=3, help="runs per engine (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    args = parser.parse_args()
    flow = make_flow(args.cases, args.servers, args.rho, args.mu, args.seed)
    rows = measure(flow, args.engines, args.repeats)
    theory = mmc(flow.arrival_rate, flow.service_rate, flow.servers).wq
    print(
        f"M/M/{args.servers}, ρ = {args.rho:g}, μ = {args.mu:g} a day per server, "
        f"{args.cases:,} cases (govsim: {math.ceil(args.cases / flow.arrival_rate)} days at "
        f"the same rates, its own draws); mean wait in steady state {theory:.5f} days "
        f"(Erlang C); CPU seconds of the run alone, median of {args.repeats}; numba "
        f"{numba.__version__}.\n"
    )
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
