"""Timed lever changes: a schedule the command accepts, checked, recorded, and applied by
the model on its day, so a workshop session re-runs from its exported command."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from omegaconf import OmegaConf

import govsim
from conftest import FAST, govsim_in_process, one_line
from govsim.composition.compose import compose
from govsim.config.errors import ConfigError
from govsim.workshop.session import SERIES, Session
from govsim.workshop.settings import Settings

WEIGHT = "mechanism.assessment.weight"
PATROL = "city.patrol_discovery_rate_per_day"


def test_the_exported_command_replays_a_session_with_levers_moved_mid_run() -> None:
    session = Session(Settings(days=40, design=("whistle", "assessment"), seed=3))
    for _ in range(40):
        if session.day == 12:
            session.set_lever(PATROL, 0.6)
        if session.day == 25:
            session.set_lever(WEIGHT, 0.0)
        session.step()
    command = session.command()
    assert "schedule=" in command and f"{WEIGHT}=" not in command.split("schedule=")[0]
    result = govsim.run(*shlex.split(command)[1:])
    daily = result.daily
    compared = [s for s in SERIES if s in daily.columns]
    assert {"resolution_rate", "backlog", "satisfaction_rate"} <= set(compared)
    for design in session.designs:
        rows = daily[daily["mechanism"] == design.label].sort_values("day")
        assert len(rows) == 40
        for series in compared:
            assert rows[series].tolist() == pytest.approx(
                design.history[series], rel=1e-12, abs=1e-12
            ), series


def test_a_change_acts_from_its_day_and_in_the_treatment_only() -> None:
    base = [
        "city=workshop",
        "days=30",
        "horizon_days=0",
        "replications=1",
        "mechanism=[whistle,assessment]",
    ]
    plain = govsim.run(*base).daily
    moved = govsim.run(*base, f"schedule=[{{day: 10, key: {WEIGHT}, value: 0}}]").daily
    for label, changes in (("whistle+assessment", True), ("baseline", False)):
        a = plain[plain["mechanism"] == label].sort_values("day")["backlog"].tolist()
        b = moved[moved["mechanism"] == label].sort_values("day")["backlog"].tolist()
        assert a[:10] == b[:10]
        assert (a[10:] != b[10:]) is changes


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("{day: 5, key: city.staff_scale, value: 2}", "schedule[0].key"),
        ("{day: 30, key: city.patrol_discovery_rate_per_day, value: 0.5}", "schedule[0].day"),
        ("{day: -1, key: city.patrol_discovery_rate_per_day, value: 0.5}", "schedule[0].day"),
        ("{day: 5, key: mechanism.assessment.weight, value: 7}", "schedule[0].value"),
        ("{day: 5, key: mechanism.hotline.hotline_share, value: 0.5}", "schedule[0].key"),
        ("{day: 5, key: mechanism.assessment.weight}", "schedule[0]"),
    ],
)
def test_a_bad_change_is_refused_naming_it(entry: str, says: str) -> None:
    with pytest.raises(ConfigError, match=rf"{says.replace('[', '.').replace(']', '.')}"):
        compose(
            [
                "city=workshop",
                "days=30",
                "horizon_days=0",
                "mechanism=[whistle,assessment]",
                f"schedule=[{entry}]",
            ]
        )


def test_the_command_refuses_a_bad_schedule_in_one_line(capsys, tmp_path: Path) -> None:
    status, _, err = govsim_in_process(
        capsys,
        *FAST,
        "schedule=[{day: 9999, key: city.patrol_discovery_rate_per_day, value: 0.5}]",
        f"hydra.run.dir={tmp_path / 'run'}",
    )
    line = one_line(err)
    assert status == 2 and "schedule[0].day" in line and "0 .." in line


def test_the_schedule_is_recorded_in_the_run_s_configuration(capsys, tmp_path: Path) -> None:
    out = tmp_path / "run"
    status, _, _ = govsim_in_process(
        capsys,
        *FAST,
        "mechanism=[whistle,assessment]",
        f"schedule=[{{day: 3, key: {WEIGHT}, value: 0.2}}]",
        f"hydra.run.dir={out}",
    )
    assert status == 0
    saved = OmegaConf.load(next(out.rglob("config.yaml")))
    assert OmegaConf.to_container(saved.schedule) == [{"day": 3, "key": WEIGHT, "value": 0.2}]
