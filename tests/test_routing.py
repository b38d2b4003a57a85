"""Each step of the case flow, on hand-made cases with fixed draws."""

from __future__ import annotations

import pytest

from conftest import admit, inject, quiet_city
from govsim.city.levels import Level
from govsim.composition.compose import mechanism_defaults
from govsim.mechanisms import BaselineConfig, BaselineRouting
from govsim.model.ledger import Status
from govsim.model.model import GovernanceModel
from govsim.model.streams import Purpose

NEVER, ALWAYS = 1.0, 0.0  # a uniform draw that never / always passes a probability test


def model_with(mechanism: str = "baseline", days: int = 60, **city: object) -> GovernanceModel:
    cfg = quiet_city(f"days={days}")
    for key, value in city.items():
        target = cfg.city
        *path, last = key.split("__")
        for part in path:
            target = getattr(target, part) if not isinstance(target, dict) else target[part]
        if isinstance(target, dict):
            target[last] = value
        else:
            setattr(target, last, value)
    if mechanism == "baseline":
        return GovernanceModel(cfg, {"baseline": BaselineConfig()})
    whistle = mechanism_defaults("whistle")
    whistle.compliance = 1.0
    return GovernanceModel(cfg, {"whistle": whistle})


def case(
    model: GovernanceModel,
    kind: str,
    time: float = 0.25,
    *,
    grid: bool = False,
    community: bool = False,
    street: bool = False,
    above: bool = True,
) -> int:
    """A reported case whose settle draws succeed where asked; service takes its mean."""
    c = inject(model, kind, time)
    led = model.ledger
    led.e_report[c] = 0.0
    led.u_settle_grid[c] = ALWAYS if grid else NEVER
    led.u_settle_community[c] = ALWAYS if community else NEVER
    led.u_settle_street[c] = ALWAYS if street else NEVER
    led.u_settle_above[c] = ALWAYS if above else NEVER
    led.u_cross[c] = NEVER  # not a cross-boundary case
    led.set_draws(c, Purpose.CASE_SERVICE, [1.0] * 8)
    led.set_draws(c, Purpose.CASE_ROUTE, [NEVER] * 8)
    led.set_draws(c, Purpose.CASE_DELAY, [1.0] * 8)
    led.set_draws(c, Purpose.CASE_WAIT, [50.0] * 8)  # no escalation while waiting
    return c


def run(model: GovernanceModel, days: int) -> None:
    for _ in range(days):
        model.step()


def hours(model: GovernanceModel, kind: str, level: str) -> float:
    cfg = model.city.config
    duty = {"grid": cfg.patrol_share, "community": cfg.community_burden_share}.get(level, 0.0)
    burden = 1 / (1 - duty)  # the hours left for cases after patrol or tasks from above
    return getattr(cfg.case_types[kind].hours, level) * burden / cfg.working_hours_per_day


def test_grid_worker_settles_on_the_spot() -> None:
    m = model_with()
    c = case(m, "neighbour_dispute", grid=True)
    admit(m, c)
    run(m, 1)
    assert m.ledger.status[c] == Status.RESOLVED
    assert m.ledger.level[c] == Level.GRID
    assert m.ledger.closed[c] == pytest.approx(0.25 + hours(m, "neighbour_dispute", "grid"))


def test_dispute_goes_to_community_mediation() -> None:
    m = model_with()
    c = case(m, "neighbour_dispute", community=True)
    admit(m, c)
    run(m, 2)
    assert m.ledger.level[c] == Level.COMMUNITY
    expected = (
        0.25 + hours(m, "neighbour_dispute", "grid") + hours(m, "neighbour_dispute", "community")
    )
    assert m.ledger.closed[c] == pytest.approx(expected)


def test_non_mediable_case_skips_mediation_and_street_settles() -> None:
    m = model_with()
    c = case(m, "urban_environment", street=True)
    admit(m, c)
    run(m, 2)
    assert m.ledger.level[c] == Level.STREET
    assert m.stations.staff_days[m.city.n_grids : m.city.street_station(0)].sum() == 0.0


def test_baseline_forwards_to_each_department_in_turn() -> None:
    m = model_with()
    c = case(m, "labour_wage_dispute")
    admit(m, c)
    run(m, 60)
    led = m.ledger
    assert led.status[c] == Status.RESOLVED
    assert led.level[c] == Level.DEPARTMENT
    assert led.escalated[c]
    cfg = m.city.config
    delays = sum(
        cfg.departments[d].response_delay_days
        for d in cfg.case_types["labour_wage_dispute"].departments
    )
    handling = sum(
        hours(m, "labour_wage_dispute", lv) for lv in ("grid", "community", "street")
    ) + 2 * hours(m, "labour_wage_dispute", "department")
    assert led.closed[c] == pytest.approx(0.25 + handling + delays)


def test_a_bounced_hand_off_returns_to_the_street_and_is_forwarded_again() -> None:
    m = model_with()
    c = case(m, "property_dispute")
    m.ledger.set_draws(c, Purpose.CASE_ROUTE, [ALWAYS, NEVER])  # first hand-off bounces
    admit(m, c)
    run(m, 60)
    led = m.ledger
    assert led.bounces[c] == 1
    assert led.level[c] == Level.DEPARTMENT
    no_bounce = model_with()
    d = case(no_bounce, "property_dispute")
    admit(no_bounce, d)
    run(no_bounce, 60)
    extra = (
        hours(m, "property_dispute", "street")
        + m.city.config.departments["housing"].response_delay_days
    )
    assert led.closed[c] == pytest.approx(no_bounce.ledger.closed[d] + extra)


def test_a_bounced_part_waiting_at_the_street_is_supervised_as_that_part() -> None:
    """Supervision (督办) of a case whose bounced part waits at the street: the part goes to
    its department again at the head of the queue; the street's step is not run again, so
    the part already handled is not forwarded a second time."""
    from govsim.model.engine import supervise_all

    m = model_with(street_staff=1)
    c = case(m, "labour_wage_dispute")  # two departments, handled one after the other
    m.ledger.set_draws(c, Purpose.CASE_ROUTE, [NEVER, ALWAYS] + [NEVER] * 6)  # 2nd bounces
    blocker = case(m, "property_dispute", time=0.3)  # holds the street from day 2 to ~22
    m.ledger.set_draws(blocker, Purpose.CASE_SERVICE, [1.0, 1.0, 40.0] + [1.0] * 5)
    admit(m, c, blocker)
    led = m.ledger
    street = m.city.street_station(0)
    while not (led.bounces[c] == 1 and led.waiting[c] and led.station[c] == street):
        m.step()
        assert m.day < 30, "the bounced part should wait behind the blocker at the street"
    assert led.handoffs[c] == 3  # forwarded, forwarded, bounced
    supervise_all(m.engine, float(m.day), [c])
    run(m, 20)
    assert led.status[c] == Status.RESOLVED and led.supervised[c]
    assert led.handoffs[c] == 4  # and the bounced part forwarded once more, nothing else
    labour, justice = (
        m.city.department_station(0, m.city.department_names.index(name))
        for name in ("labour", "justice")
    )
    assert m.stations.completions[labour] == 1 and m.stations.completions[justice] == 1


def test_whistle_resolves_at_street_with_departments_in_parallel() -> None:
    m = model_with("whistle")
    c = case(m, "public_safety_hazard")
    m.ledger.set_draws(c, Purpose.CASE_ROUTE, [ALWAYS] * 8)  # both departments answer
    admit(m, c)
    run(m, 5)
    led = m.ledger
    assert led.whistled[c]
    assert not led.escalated[c]
    assert led.level[c] == Level.STREET
    before = sum(hours(m, "public_safety_hazard", lv) for lv in ("grid", "street"))
    assert led.closed[c] == pytest.approx(0.25 + before + hours(m, "public_safety_hazard", "joint"))
    assert m.engine.counters.whistles == 1
    assert m.ledger.handled_above[c]  # department staff did the joint work


def test_a_department_that_does_not_answer_gets_the_part_forwarded() -> None:
    m = model_with("whistle")
    c = case(m, "public_safety_hazard")
    m.ledger.set_draws(c, Purpose.CASE_ROUTE, [ALWAYS, NEVER, NEVER])  # 2nd dept refuses
    m.mechanisms[0].params.compliance = 0.5
    admit(m, c)
    run(m, 30)
    led = m.ledger
    assert led.whistled[c] and led.escalated[c]
    assert led.level[c] == Level.DEPARTMENT


def test_whistle_threshold_leaves_single_department_cases_to_baseline() -> None:
    m = model_with("whistle")
    m.mechanisms[0].params.min_departments = 2
    c = case(m, "livelihood_need")
    admit(m, c)
    run(m, 30)
    assert not m.ledger.whistled[c]
    assert m.ledger.level[c] == Level.DEPARTMENT


def test_unattended_latent_grievance_becomes_a_petition() -> None:
    m = model_with(patrol_discovery_rate_per_day=0.0)
    c = case(m, "labour_wage_dispute")
    m.ledger.u_report[c] = 1.0  # never reported, never discovered
    m.ledger.e_latent_escalation[c] = 0.03 * 2.0  # escalates 2 days after arising
    admit(m, c)
    run(m, 10)
    led = m.ledger
    assert led.petitioned[c] and led.escalated[c]
    assert led.known[c] == pytest.approx(2.25) == led.petitioned_at[c]
    assert led.level[c] == Level.ABOVE


def test_waiting_case_escalates_and_leaves_the_queue() -> None:
    m = model_with(grid_workers_per_grid=1, patrol_share=0.0)  # the grid's whole day on cases
    first = case(m, "urban_environment", grid=True)
    m.ledger.set_draws(first, Purpose.CASE_SERVICE, [40.0])  # occupies the grid worker 40x
    second = case(m, "urban_environment", time=0.3, grid=True)
    m.ledger.set_draws(second, Purpose.CASE_WAIT, [0.01 * 1.0])  # escalates after 1 day
    admit(m, first, second)
    run(m, 10)
    led = m.ledger
    assert led.petitioned[second]
    assert led.known[second] == pytest.approx(0.3)
    g = m.city.config.severity_growth_per_day  # hazard h0(1 + g·age); E/h0 = 1 day
    assert led.petitioned_at[second] == pytest.approx(0.3 + ((1 + 2 * g) ** 0.5 - 1) / g)
    assert m.stations.held[0] == 0


def test_case_with_no_competent_department_goes_above_without_petition() -> None:
    m = model_with(case_types__neighbour_dispute__departments=[])
    c = case(m, "neighbour_dispute", above=False)
    admit(m, c)
    run(m, 10)
    led = m.ledger
    assert led.status[c] == Status.UNRESOLVED
    assert led.escalated[c] and not led.petitioned[c]


def test_single_grid_worker_serves_in_arrival_order() -> None:
    m = model_with()
    a = case(m, "urban_environment", time=0.1, grid=True)
    b = case(m, "urban_environment", time=0.11, grid=True)
    admit(m, a, b)
    run(m, 1)
    h = hours(m, "urban_environment", "grid")
    assert m.ledger.closed[a] == pytest.approx(0.1 + h)
    assert m.ledger.closed[b] == pytest.approx(0.1 + 2 * h)


def test_whistle_jobs_jump_the_department_queue() -> None:
    m = model_with("whistle", patrol_share=0.0)  # the three pass the grid within hours
    station = m.city.department_station(0, m.city.department_names.index("civil_affairs"))
    m.stations.servers[station] = 1
    m.mechanisms[0].params.min_departments = 1
    waiting = []
    for t in (0.01, 0.02):  # forwarded: whistle refused
        c = case(m, "livelihood_need", time=t)
        m.ledger.set_draws(c, Purpose.CASE_ROUTE, [NEVER] * 8)
        m.ledger.set_draws(c, Purpose.CASE_DELAY, [0.0] * 8)
        waiting.append(c)
    m.mechanisms[0].params.compliance = 0.5
    late = case(m, "livelihood_need", time=0.03)
    m.ledger.set_draws(late, Purpose.CASE_ROUTE, [ALWAYS] * 8)  # answered whistle
    admit(m, *waiting, late)
    run(m, 10)
    led = m.ledger
    assert led.level[late] == Level.STREET
    # the whistled case, although last to arrive, finishes before the second forwarded one
    assert led.closed[late] < led.closed[waiting[1]]


def test_baseline_mechanism_declares_nothing() -> None:
    m = model_with()
    baseline = m.mechanisms[0]
    assert isinstance(baseline, BaselineRouting)
    assert baseline.points == () and not baseline.decisions
    assert baseline.joint_handling(m.engine.levers) is None and baseline.ladder() == ()
    m.step()
    assert m.engine.offers == [] and m.engine.ladder == ()


def test_cross_boundary_case_waits_for_the_other_side() -> None:
    plain, crossing = model_with(), model_with()
    a = case(plain, "urban_environment", street=True)
    b = case(crossing, "urban_environment", street=True)
    crossing.ledger.u_cross[b] = ALWAYS
    admit(plain, a)
    admit(crossing, b)
    run(plain, 20)
    run(crossing, 20)
    wait = crossing.city.config.cross_region_delay_days
    assert crossing.ledger.cross_region[b] and not plain.ledger.cross_region[a]
    assert crossing.ledger.closed[b] == pytest.approx(plain.ledger.closed[a] + wait)


def test_mediation_ladder_settles_a_dispute_on_its_first_rung() -> None:
    cfg = quiet_city("days=60", "mechanism=mediation_ladder")
    m = GovernanceModel(cfg)
    c = case(m, "labour_wage_dispute")
    m.ledger.u_report[c] = 1.0
    m.ledger.e_latent_escalation[c] = 0.0  # petitions at once
    m.ledger.set_draws(c, Purpose.CASE_ROUTE, [NEVER, ALWAYS])  # not collective; settles
    admit(m, c)
    run(m, 60)
    led = m.ledger
    assert led.petitioned[c] and led.status[c] == Status.RESOLVED
    assert led.level[c] == Level.DEPARTMENT  # administrative mediation
    rung_days = cfg.mechanism["mediation_ladder"].administrative_days
    assert led.closed[c] == pytest.approx(0.25 + rung_days)
    assert not led.reached_above[c]
