"""Linked sweeps: keys that move together, crossed with the rest of the sweep."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

import govsim.experiments.job as job
from conftest import FAST, govsim_in_process, one_line
from govsim.composition.linked import link, linked_groups, override_value

STAFF = "{city.street_staff:[4,8],city.grid_workers_per_grid:[1,2]}"


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """The configurations the sweep's jobs were given (no model is run)."""
    seen: list[dict] = []

    def record(experiment, out, *args) -> None:
        seen.append(
            {
                "street_staff": experiment.city.street_staff,
                "grid_workers": experiment.city.grid_workers_per_grid,
                "mechanism": "+".join(experiment.mechanism),
            }
        )

    monkeypatch.setattr(job, "write_run", record)  # every launcher's jobs run through it
    return seen


def _planned(sweep: Path) -> list[list[str]]:
    return [run["overrides"] for run in json.loads((sweep / "sweep.json").read_text())["runs"]]


def test_linked_keys_move_together_crossed_with_the_rest(capsys, tmp_path: Path, jobs) -> None:
    sweep = tmp_path / "sweep"
    status, _, err = govsim_in_process(
        capsys,
        "-m",
        *FAST,
        "reference=null",
        f"+hydra.sweeper.linked.staff={STAFF}",
        "mechanism=baseline,whistle",
        f"hydra.sweep.dir={sweep}",
    )
    assert status == 0, err
    # 2 linked settings x 2 mechanisms, each setting's values together
    assert len(jobs) == len(_planned(sweep)) == 4
    assert {(j["street_staff"], j["grid_workers"]) for j in jobs} == {(4, 1), (8, 2)}
    assert {(j["street_staff"], j["mechanism"]) for j in jobs} == {
        (4, "baseline"),
        (8, "baseline"),
        (4, "whistle"),
        (8, "whistle"),
    }


def test_a_scenario_preset_can_link_keys(capsys, tmp_path: Path, jobs) -> None:
    (tmp_path / "extra" / "scenario").mkdir(parents=True)
    (tmp_path / "extra" / "scenario" / "staffing.yaml").write_text(
        "# @package _global_\nscenario: staffing\nhydra:\n  sweeper:\n    linked:\n"
        "      staff:\n        city.street_staff: [4, 8]\n"
        "        city:\n          grid_workers_per_grid: [1, 2]\n"
    )  # nested keys work too
    status, _, err = govsim_in_process(
        capsys,
        "-m",
        *FAST,
        "reference=null",
        "scenario=staffing",
        f"hydra.searchpath=[file://{tmp_path / 'extra'}]",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
    )
    assert status == 0, err
    assert sorted((j["street_staff"], j["grid_workers"]) for j in jobs) == [(4, 1), (8, 2)]


def test_a_bad_linked_group_is_refused_in_one_line(capsys, tmp_path: Path, jobs) -> None:
    group = "{city.street_staff:[4,8],city.grid_workers_per_grid:[1,2,3]}"
    status, _, err = govsim_in_process(
        capsys,
        "-m",
        *FAST,
        f"+hydra.sweeper.linked.staff={group}",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
    )
    assert status == 2 and (
        "hydra.sweeper.linked.staff: lists of different lengths "
        "(city.street_staff has 2, city.grid_workers_per_grid has 3)"
    ) in one_line(err)
    assert jobs == [] and not (tmp_path / "sweep" / "sweep.json").exists()


@pytest.mark.parametrize(
    ("linked", "given", "expected"),
    [
        (
            {"staff": {"city.street_staf": [4, 8]}},
            [],
            "hydra.sweeper.linked.staff: unknown key 'city.street_staf'; did you mean "
            "city.street_staff?",
        ),
        (
            {"staff": {"days": [30, 40]}},
            ["days"],
            "hydra.sweeper.linked.staff: days is also set on the command line",
        ),
        ({"staff": {"city.street_staff": 4}}, [], "hydra.sweeper.linked.staff.city.street_staff=4"),
        ([{"city.street_staff": [4]}], [], "hydra.sweeper.linked=[{"),
    ],
)
def test_bad_linked_groups_name_the_group(linked: object, given: list[str], expected: str) -> None:
    with pytest.raises(ValueError, match=re.escape(expected)):
        linked_groups(linked, given)


def test_two_groups_are_crossed_and_a_key_may_not_be_in_both() -> None:
    groups = linked_groups(
        {
            "a": {"city.street_staff": [4, 8]},
            "b": {
                "mechanism.whistle.compliance": [0.5, 0.7, 0.9],
                "mechanism.whistle.deadline_days": [1, 2, 3],
            },
        }
    )
    jobs = link([["seed=0"], ["seed=1"]], groups)
    assert len(jobs) == 2 * 2 * 3
    assert [
        "seed=1",
        "city.street_staff=8",
        "mechanism.whistle.compliance=0.7",
        "mechanism.whistle.deadline_days=2",
    ] in jobs
    with pytest.raises(
        ValueError,
        match=r"linked\.b: city\.street_staff is also set in "
        r"hydra\.sweeper\.linked\.a",
    ):
        linked_groups({"a": {"city.street_staff": [4]}, "b": {"city.street_staff": [8]}})


@pytest.mark.parametrize(
    "value",
    [
        3,
        0.1 + 0.2,
        -2.5e-7,
        True,
        None,
        "whistle",
        "a b,c",
        "true",
        "it's",
        "1.5",
        ["whistle", "hotline"],
        {"label_zh": "交通", "staff": 2},
    ],
)
def test_values_survive_hydras_override_syntax(value: object) -> None:
    parsed = OverridesParser.create().parse_override(f"key={override_value(value)}")
    assert parsed.value() == value
