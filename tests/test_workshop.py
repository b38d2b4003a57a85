"""The workshop session, its live levers, its command, and the animation (no browser)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from govsim.experiments.compose import compose
from govsim.model.model import GovernanceModel
from govsim.model.schedule import set_patrol
from govsim.outcomes.measures import HEADLINE
from govsim.workshop.animate import animate
from govsim.workshop.session import Session
from govsim.workshop.settings import Settings


def run(days: int, settings: Settings, lever: tuple[int, str, float] | None = None) -> Session:
    session = Session(settings)
    for _ in range(days):
        if lever and session.day == lever[0]:
            session.set_lever(lever[1], lever[2])
        session.step()
    return session


def test_designs_share_their_cases_and_differ_by_the_mechanism() -> None:
    session = run(30, Settings(days=30))
    design, comparison = (d.model.ledger for d in session.designs)
    n = min(len(design), len(comparison))
    np.testing.assert_array_equal(design.arisen[:n], comparison.arisen[:n])
    assert session.designs[0].latest(HEADLINE) > session.designs[1].latest(HEADLINE)


def test_a_live_lever_changes_what_follows_and_nothing_before() -> None:
    key = "city.patrol_discovery_rate_per_day"
    plain = run(60, Settings(days=60, comparison=None))
    changed = run(60, Settings(days=60, comparison=None), lever=(20, key, 1.0))
    before, after = plain.designs[0].history, changed.designs[0].history
    assert before["backlog"][:20] == after["backlog"][:20]
    assert before["backlog"][20:] != after["backlog"][20:]
    assert changed.lever_log == [(20, key, 1.0)] and changed.day == 60


def test_the_patrol_lever_at_the_city_s_own_rate_changes_nothing() -> None:
    """The live lever sets each worker's rate and the grids' rates follow as at the start."""
    cfg = compose(["city=workshop", "days=10", "horizon_days=0"])  # grids of 300, reference 520
    model = GovernanceModel(cfg)
    start = model.grid_patrol_rate.copy()
    set_patrol(model, cfg.city.patrol_discovery_rate_per_day)
    np.testing.assert_allclose(model.grid_patrol_rate, start)
    set_patrol(model, 2 * cfg.city.patrol_discovery_rate_per_day)
    np.testing.assert_allclose(model.grid_patrol_rate, 2 * start)


def test_the_command_reproduces_the_settings() -> None:
    settings = Settings(days=40, levers={"mechanism.assessment.weight": 0.0})
    command = settings.command()
    overrides = command.removeprefix("govsim ").replace("'", "").split()
    cfg = compose(overrides)
    assert cfg.days == 40 and cfg.mechanism["assessment"].weight == 0.0
    assert cfg.reference == ["baseline"] and list(cfg.mechanism) == ["whistle", "assessment"]


def test_the_animation_is_a_1080p_clip_with_a_frame_per_day(tmp_path: Path) -> None:
    out = animate(Session(Settings(days=5)), 5, tmp_path / "clip.gif", "zh")
    clip = Image.open(out)
    assert clip.size == (1920, 1080) and clip.n_frames == 5
    assert clip.info["duration"] == 100


def test_a_restart_keeps_only_the_levers_that_act_in_the_new_design() -> None:
    levers = {"mechanism.assessment.weight": 0.0, "city.patrol_discovery_rate_per_day": 0.5}
    session = Session(Settings(design=("grid",), comparison=None, days=10, levers=levers))
    assert session.settings.levers == {"city.patrol_discovery_rate_per_day": 0.5}
    compose(session.settings.command().removeprefix("govsim ").replace("'", "").split())


def test_charts_and_network_speak_the_language_and_show_the_load() -> None:
    import json
    import re

    from govsim.workshop.charts import CHARTS, line_chart, network_chart

    session = run(40, Settings(days=40))
    for chart in CHARTS:
        option = line_chart(session, chart, "zh")
        text = json.dumps(option, ensure_ascii=False)
        assert re.search(r"[\u4e00-\u9fff]", option["title"]["text"])
        assert option["xAxis"]["name"] == "天"
        assert not re.search(r'"name": "[a-z]+_[a-z_]+"', text)
        assert all(len(s["data"]) == 40 for s in option["series"])
    network = network_chart(session, session.designs[0], "zh")
    nodes = network["series"][0]["data"]
    tips = [n["tooltip"]["formatter"] for n in nodes]
    assert all("人员" in t and "等待" in t for t in tips)
    assert {"街道1", "街道2"} <= {n["name"] for n in nodes}
    held = sum(session.designs[0].model.stations.held)
    assert sum(int(re.search(r"在办:(\d+)", t).group(1)) for t in tips) <= held


def test_a_seed_beyond_what_the_configuration_allows_is_one_line_and_the_run_goes_on() -> None:
    from govsim.workshop.session import open_session
    from govsim.workshop.settings import problem

    running = open_session(Settings(days=5, comparison=None))
    assert isinstance(running, Session)
    for wrong in (Settings(seed=2**32), Settings(seed=-1), Settings(staff_scale=0.0)):
        said = problem(wrong)
        assert said is not None and "\n" not in said and "allowed:" in said
        assert open_session(wrong) == said
    assert "seed=4294967296" in problem(Settings(seed=2**32))
    assert problem(Settings(seed=2**32 - 1)) is None
    running.step()
    assert running.day == 1


def test_a_run_that_cannot_start_is_named_in_one_line_not_a_traceback(monkeypatch) -> None:
    from govsim.workshop import session as module

    def broken(settings: Settings) -> None:
        raise RuntimeError("no city\nFile \"/somewhere/model.py\", line 1")

    monkeypatch.setattr(module, "Session", broken)
    said = module.open_session(Settings(days=5))
    assert said == "could not start the run: RuntimeError: no city"


def test_the_page_refuses_a_seed_in_one_line_and_takes_the_next_good_one() -> None:
    import ipyvuetify as v
    import solara

    from govsim.workshop.app import page

    box, _ = solara.render(page(), handle_error=False)

    def widgets(widget=box):
        yield widget
        for child in getattr(widget, "children", None) or []:
            if hasattr(child, "keys"):
                yield from widgets(child)

    def said(marker: str) -> list[str]:
        return [w.unsafe_innerHTML for w in widgets()
                if marker in (getattr(w, "unsafe_innerHTML", "") or "")]

    def type_seed(text: str) -> None:
        seed = next(w for w in widgets()
                    if isinstance(w, v.TextField) and "seed" in (w.label or ""))
        seed.v_model = text
        seed.fire_event("focusout", None)

    type_seed(str(2**32))
    refused = said("id='refused'")
    assert len(refused) == 1 and "seed=4294967296" in refused[0] and "Traceback" not in refused[0]
    assert not said("id='pending'")  # the refused seed is not waiting to be used
    type_seed("7")
    assert not said("id='refused'") and said("id='pending'")


def test_an_exported_lever_value_reads_back_exactly() -> None:
    from govsim.workshop.settings import exact

    for value in (0.1234567, 1 / 3, 1e-7, 2.0, 3):
        assert float(exact(value)) == value
    assert exact(2.0) == "2"


def test_the_info_panel_names_every_mechanism_and_measure_in_both_languages() -> None:
    from govsim.mechanisms import REGISTRY
    from govsim.report.display import describe, name
    from govsim.report.names import mechanism_name
    from govsim.workshop.app import NUMBERS
    from govsim.workshop.info import info_text

    for lang in ("en", "zh"):
        text = info_text(lang, NUMBERS)
        for code in REGISTRY:
            assert mechanism_name(code, lang) in text
        for metric in NUMBERS:
            assert name(metric, lang) in text and describe(metric, lang) in text
    assert "枫桥经验" in info_text("zh", NUMBERS) and "Fengqiao" in info_text("en", NUMBERS)
