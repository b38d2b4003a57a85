"""The process's compositions (``govsim.run``, ``govsim.compose``): Hydra's configuration, faster.

Each configuration composed through the process's :class:`Compositions` must be the one
Hydra composes from scratch (:func:`govsim.composition.compose.compose`), whatever was
composed before it in the process; a bad request is refused with the same message; and a
change to a file of ``conf/`` is seen by the next composition.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import govsim
import govsim.composition.compositions as compositions
from govsim.composition.compose import CONF_DIR, compose, config_yaml
from govsim.config.errors import ConfigError
from govsim.config.schema import ExperimentConfig

SEQUENCE = [
    ["city=workshop", "seed=1", "mechanism=whistle", "city.departments.housing.staff=2"],
    ["city=workshop", "mechanism=whistle", "days=50"],  # the previous staff and seed undone
    ["city=workshop", "mechanism=whistle", "seed=4", "reference=[hotline]"],
    ["scenario=beijing_2019_hotline", "mechanism.hotline.start_day=3", "reference=null"],
    [
        "mechanism=[whistle,hotline]",
        "city=workshop",
        "+city.departments.transport="
        '{label_zh:"交通",staff:2,response_delay_days:1,bounce_prob:0.1}',
    ],
    ["city=workshop", "mechanism=whistle", "~city.departments.housing"],  # refused: in use
    [],
    ["city=workshop", "seed=1", "mechanism=whistle", "city.departments.housing.staff=2"],
    ["city=workshop", "mechanism=whistle"],
]
"""Jobs in an order that makes later ones undo earlier ones' changes."""


@pytest.fixture
def fresh(monkeypatch) -> compositions._Process:
    """A process composer of its own, so that other tests' compositions do not count."""
    process = compositions._Process()
    monkeypatch.setattr(compositions, "_process", process)
    return process


def _composed(overrides: list[str], composer=compositions.compose_in_process) -> str:
    """The configuration as YAML, or the message refusing it."""
    try:
        return config_yaml(composer(overrides))
    except ConfigError as error:
        return f"refused: {error}"


def test_each_composition_is_hydras_own_whatever_came_before(fresh) -> None:
    for overrides in SEQUENCE:
        assert _composed(overrides) == _composed(overrides, compose), overrides
    groups = fresh.compositions.groups
    assert len(groups) < len(SEQUENCE)  # jobs that choose the same groups share one
    assert config_yaml(govsim.compose("city=workshop", "days=90")) == config_yaml(
        compose(["city=workshop", "days=90"])
    )


@pytest.mark.parametrize(
    "bad",
    [
        ["days=-3"],
        ["city=atlantis"],
        ["city.stret_staff=2"],
        ["city=workshop", "seed=7", "days=abc"],  # seed applied, then days refused
        ["city=workshop", "seed=7", "days=${nope}"],
        ["city=workshop", "days=${seed}x"],
        # a sweep's values, refused outside a sweep as Hydra refuses them
        ["scenario_label_zh=a,b"],
        ["city=workshop", "city.label_zh=glob(*)"],
        ["seed=range(1,3)"],
        ["district_backend=loky,ray"],
        ["mechanism=whistle,hotline"],
    ],
)
def test_a_bad_request_is_refused_as_hydra_composing_refuses_it(fresh, bad: list[str]) -> None:
    _composed(["city=workshop", "seed=5"])  # the group composed before, in use
    refused = _composed(bad, compose)
    assert refused.startswith("refused: ") and _composed(bad) == refused
    # and the next request is unharmed by the half-applied one
    assert _composed(["city=workshop"]) == _composed(["city=workshop"], compose)


def _touch(path: Path, old: str, new: str) -> None:
    """Change a file's text, its change time moved on (as a later save would)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_a_changed_preset_is_composed_again(fresh, monkeypatch, tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    shutil.copytree(CONF_DIR, conf, symlinks=True)  # conf/scenario links to ../scenarios
    shutil.copytree(CONF_DIR.parent / "scenarios", tmp_path / "scenarios")
    monkeypatch.setattr(compositions, "CONF_DIR", conf)
    city = ["city=workshop", "days=60"]
    scenario = ["scenario=beijing_2019_hotline", "reference=null"]
    before = [compositions.compose_in_process(job) for job in (city, scenario)]
    again = fresh.compositions
    assert compositions.compose_in_process(["city=workshop", "days=61"]).days == 61
    assert fresh.compositions is again  # nothing changed: the same compositions
    _touch(conf / "city" / "workshop.yaml", "street_staff: 2", "street_staff: 5")
    assert compositions.compose_in_process(city).city.street_staff == 5
    assert before[0].city.street_staff == 2 and fresh.compositions is not again
    _touch(
        conf / "scenario" / "beijing_2019_hotline.yaml", "hotline_share: 0.6", "hotline_share: 0.7"
    )
    assert before[1].mechanism["hotline"].hotline_share == 0.6
    assert compositions.compose_in_process(scenario).mechanism["hotline"].hotline_share == 0.7


def test_hydras_own_settings_are_composed_by_hydra(fresh, tmp_path: Path) -> None:
    extra = tmp_path / "city"
    extra.mkdir()
    (extra / "tiny.yaml").write_text(
        "defaults:\n  - workshop\n  - _self_\n\nname: tiny\nstreet_staff: 3\n", encoding="utf-8"
    )
    overrides = ["city=tiny", f"hydra.searchpath=[file://{tmp_path}]"]
    assert compositions.compose_in_process(overrides).city.street_staff == 3
    assert fresh.compositions is None  # Hydra composed it; the process composer was not made


def test_threads_composing_at_once_each_get_their_own(fresh) -> None:
    """The workshop app composes from a thread per browser: no job sees another's values,
    whether it is composed in place, by Hydra in full or by the reference composition."""
    jobs = [
        ["city=workshop", f"seed={k}", f"days={40 + k}", *extra]
        for k in range(24)
        for extra in ([], ["hydra.job.name=x"])
    ]

    def each(k_job: tuple[int, list[str]]) -> ExperimentConfig:
        k, job = k_job
        return (compose if k % 5 == 0 else compositions.compose_in_process)(job)

    with ThreadPoolExecutor(max_workers=6) as pool:
        composed = list(pool.map(each, enumerate(jobs)))
    assert [(c.seed, c.days) for c in composed] == [
        (k, 40 + k) for k in range(24) for _ in range(2)
    ]


def test_the_process_keeps_a_bounded_number_of_compositions(fresh, monkeypatch) -> None:
    monkeypatch.setattr(compositions, "GROUPS_KEPT", 3)
    lists = ["whistle", "hotline", "grid", "centre", "[whistle,hotline]"]
    for mechanism in lists:
        job = ["city=workshop", f"mechanism={mechanism}"]
        assert _composed(job) == _composed(job, compose)
        assert len(fresh.compositions.groups) <= 3
