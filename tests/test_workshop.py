"""The workshop session, its live levers, its command, and the animation (no browser)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import numpy as np
from PIL import Image

from govsim.composition.compose import compose
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
        raise RuntimeError('no city\nFile "/somewhere/model.py", line 1')

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
        return [
            w.unsafe_innerHTML
            for w in widgets()
            if marker in (getattr(w, "unsafe_innerHTML", "") or "")
        ]

    def type_seed(text: str) -> None:
        seed = next(
            w for w in widgets() if isinstance(w, v.TextField) and "seed" in (w.label or "")
        )
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


def test_the_day_s_counts_add_up_to_the_run_s_and_a_window_sums_its_last_days() -> None:
    from govsim.workshop.recent import ENGINE_COUNTS, window_sum

    session = run(30, Settings(days=30))
    for design in session.designs:
        counters = design.model.engine.counters
        for key in ENGINE_COUNTS:
            assert sum(design.history[f"day_{key}"]) == getattr(counters, key), key
        closed = sum(sum(v) for k, v in design.history.items() if k.startswith("day_closed_"))
        assert closed >= counters.resolved > 0
    np.testing.assert_array_equal(window_sum([1, 2, 3, 4, 5], days=2), [1, 3, 5, 7, 9])


def test_the_whistle_counter_follows_how_often_departments_answer() -> None:
    from govsim.workshop.recent import window_share

    key = "mechanism.whistle.compliance"
    answered = {}
    for compliance in (0.0, 1.0):
        session = run(40, Settings(days=40, comparison=None), lever=(0, key, compliance))
        history = session.designs[0].history
        assert sum(history["day_whistled_parts"]) > 0  # whistles are blown either way
        answered[compliance] = window_share(history, "recent_whistle_answers")[-1]
    assert answered[0.0] == 0.0 and answered[1.0] > 0.5


def test_more_patrol_finds_cases_sooner_and_a_larger_share_on_patrol() -> None:
    from govsim.workshop.recent import window_share

    key = "city.patrol_discovery_rate_per_day"
    low, high = (
        run(60, Settings(days=60, comparison=None), lever=(30, key, rate)).designs[0].history
        for rate in (0.05, 1.0)
    )
    assert (
        window_share(high, "recent_discovery_days")[-1]
        < window_share(low, "recent_discovery_days")[-1]
    )
    assert (
        window_share(high, "recent_patrol_found")[-1] > window_share(low, "recent_patrol_found")[-1]
    )


def test_every_chart_marks_the_day_a_lever_was_moved() -> None:
    from govsim.workshop.charts import CHARTS, SMALL_CHARTS, line_chart, small_chart

    session = run(30, Settings(days=30), lever=(12, "mechanism.assessment.weight", 0.0))
    options = [line_chart(session, c, "en") for c in CHARTS]
    options += [small_chart(session, c, "zh") for c in SMALL_CHARTS]
    for option in options:
        marks = option["series"][0]["markLine"]["data"]
        assert [m["xAxis"] for m in marks] == [12]
    assert "assessment weight 0" in options[0]["series"][0]["markLine"]["data"][0]["name"]


def _font_sizes(option) -> list[float]:
    """Every ``fontSize`` an ECharts option sets, however deep."""
    if isinstance(option, dict):
        return [v for k, v in option.items() if k == "fontSize"] + [
            size for v in option.values() for size in _font_sizes(v)
        ]
    if isinstance(option, list):
        return [size for v in option for size in _font_sizes(v)]
    return []


def test_no_chart_text_is_smaller_than_a_label_on_a_projector() -> None:
    """Charts grow with the page from 1280×720: a text of 11 px there is 16.5 px at 1080p,
    the smallest a label may be; the counters' small charts and the network's names too."""
    from govsim.workshop.charts import (
        CHARTS,
        SMALL_CHARTS,
        line_chart,
        network_chart,
        small_chart,
    )

    session = run(20, Settings(days=20), lever=(12, "mechanism.assessment.weight", 0.0))
    options = [line_chart(session, c, "zh") for c in CHARTS]
    options += [small_chart(session, c, "zh") for c in SMALL_CHARTS]
    options += [network_chart(session, d, "zh") for d in session.designs]
    sizes = [size for option in options for size in _font_sizes(option)]
    assert sizes and min(sizes) * 21 / 14 >= 16, sorted(set(sizes))


def test_neighbouring_departments_name_themselves_on_opposite_sides() -> None:
    """Department names in the network stand alternately above and below their row, so a
    name has the width of two nodes; names that would still touch are hidden."""
    from govsim.workshop.charts import network_chart

    session = run(2, Settings(days=2))
    option = network_chart(session, session.designs[0], "en")
    row = min(node["value"][1] for node in option["series"][0]["data"])
    departments = sorted(
        (n for n in option["series"][0]["data"] if n["value"][1] == row),
        key=lambda n: n["value"][0],
    )
    sides = [n["label"]["position"] for n in departments]
    assert len(sides) > 2 and all(a != b for a, b in pairwise(sides))
    assert option["series"][0]["labelLayout"] == {"hideOverlap": True}


def test_a_new_scenario_sets_its_levers_afresh_and_says_what_it_kept() -> None:
    from govsim.workshop.restart import kept_note, restarted

    before = Settings(days=180, seed=3, levers={"city.patrol_discovery_rate_per_day": 0.05})
    again = restarted(before, Settings(days=180, seed=4))
    assert again.levers == before.levers and again.levers is not before.levers
    assert "0.05" in kept_note(before, again, "en")
    guangdong = restarted(before, Settings(scenario="guangdong_grid_centre", seed=3, days=180))
    assert guangdong.levers == {}
    note = kept_note(before, guangdong, "zh")
    assert "广东" in note and "种子 3" in note and "180" in note
    assert kept_note(None, again, "en") is None


def test_the_loading_screen_speaks_the_app_s_language_without_credits() -> None:
    import jinja2
    import solara.server.server as server

    import govsim
    from govsim.report.display import LANGUAGES

    folders = [
        Path(govsim.__file__).parent / "templates",
        Path(server.__file__).parent / "templates",
    ]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=True)
    shown = {}
    for lang in LANGUAGES:
        page = "".join(
            env.get_template(f"loader-govsim-{lang}.{kind}").render() for kind in ("html", "css")
        )
        assert 'mount-id="solara-main"' in page and "Solara" not in page
        shown[lang] = page
    assert re.search(r"[\u4e00-\u9fff]", shown["zh"]) and not re.search(
        r"[\u4e00-\u9fff]", shown["en"]
    )


def test_a_recent_share_read_while_the_design_steps_keeps_to_the_days_both_counts_hold() -> None:
    from govsim.workshop.recent import window_share

    history = {"day_patrol_found": [1.0, 2.0, 3.0], "day_known": [2.0, 4.0]}
    np.testing.assert_allclose(window_share(history, "recent_patrol_found", days=2), [0.5, 0.5])


def test_a_run_extended_the_moment_it_ends_waits_for_play() -> None:
    import time

    import ipyvuetify as v
    import solara

    from govsim.workshop.app import page

    box, _ = solara.render(page(), handle_error=False)

    def widgets(widget=box):
        yield widget
        for child in getattr(widget, "children", None) or []:
            if hasattr(child, "keys"):
                yield from widgets(child)

    def shown(marker: str) -> str:
        return " ".join(
            w.unsafe_innerHTML
            for w in list(widgets())
            if marker in (getattr(w, "unsafe_innerHTML", "") or "")
        )

    def slider(label: str) -> v.Slider:
        return next(w for w in widgets() if isinstance(w, v.Slider) and label in (w.label or ""))

    def button(label: str) -> v.Btn:
        return next(w for w in widgets() if isinstance(w, v.Btn) and label in w.children)

    slider("run to day").v_model = 10
    slider("days per second").v_model = 30
    button("play").fire_event("click", None)
    deadline = time.monotonic() + 60
    while "id='summary'" not in shown("id='summary'") and time.monotonic() < deadline:
        time.sleep(0.005)
    slider("run to day").v_model = 20  # as soon as the end is on the page
    time.sleep(1.0)  # a run playing on would be days further by now (30 a second)
    assert "<span id='day'>10</span> / 20" in shown("id='day'")
    assert not button("play").disabled


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
