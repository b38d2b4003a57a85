"""Workshop mode: the live app for a room (``govsim app``; Solara on localhost, 推演演示).

Served from localhost with every asset local (solara-assets: ECharts, Vuetify, fonts) and
no telemetry or version check, so it works without network. Each browser session owns
its own :class:`~govsim.workshop.session.Session` (a reload starts afresh; two browsers
are independent): a design and its comparison design stepping side by side under common
random numbers, drawn in the browser by ECharts — the governance network with names,
levels, load, whistles and escalations as they happen (hover a node for its staff, jobs
and waiting cases), the headline with both attributions, the three rates and the open
cases, the counters of the last days (:mod:`govsim.workshop.counters`) and the charts,
each marking the days a lever moved. Live levers change the running models from the next
day; the city, the scenario, the designs, the seed and the staff apply on restart, and the
page says so and what the restart kept (:mod:`govsim.workshop.restart`). The run stops at
its last day with an end-of-run summary, and an extended run waits for play; the settings
in effect are shown as the ``govsim`` command that reproduces them and can be downloaded.
Opens in the language ``govsim app --lang`` chose. The page fills any 16:9 projector from
1280×720 to 2560×1440 (:mod:`~govsim.workshop.layout`), and an *about* panel explains the
model, the mechanisms and the measures (:mod:`~govsim.workshop.info`).
"""

from __future__ import annotations

import html
import os
import threading
import time
from dataclasses import replace

import solara

from govsim.mechanisms import REGISTRY, canonical
from govsim.outcomes.measures import HANDLED, HEADLINE
from govsim.report.display import LANGUAGES, format_difference, format_value, name
from govsim.report.names import city_name, design_name, scenario_name, street_name
from govsim.report.phrases import say
from govsim.workshop.charts import CHARTS, line_chart, network_chart
from govsim.workshop.counters import counters_view
from govsim.workshop.figure import figure
from govsim.workshop.info import info_panel, open_label
from govsim.workshop.layout import CSS
from govsim.workshop.restart import kept_note, restarted
from govsim.workshop.session import Session, open_session
from govsim.workshop.settings import CITIES, SCENARIOS, Settings, problem

__all__ = ["page", "scenario_design"]

NUMBERS = (
    HEADLINE,
    HANDLED,
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "backlog",
    "known_share",
    "patrol_found_share",
)
"""The numbers shown for each design above the charts."""

LANGUAGE = os.environ.get("GOVSIM_APP_LANG", "en")
"""The page's language when it opens (``govsim app --lang``)."""

FRAMES_PER_SECOND = 5
"""Frames drawn per second at most while playing: faster play shows several days a frame, so
the browser keeps up on a slow laptop and the simulated days per second hold."""


def scenario_design(scenario: str) -> tuple[str, tuple[str, ...]]:
    """A scenario preset's city and mechanisms (the default: the workshop city, whistle)."""
    if scenario == "default":
        return "workshop", ("whistle", "assessment")
    from govsim.composition.compositions import compose_in_process

    cfg = compose_in_process([f"scenario={scenario}"])
    return cfg.city.name, tuple(cfg.mechanism)


def _choices(codes: list[str], label) -> dict[str, str]:
    return {label(code): code for code in codes}


@solara.component
def numbers_view(session: Session, lang: str, tick: int) -> None:
    """The headline with both attributions, the three rates and open cases, per design."""
    head = "".join(f"<th>{name(m, lang)}</th>" for m in NUMBERS)
    rows = []
    for k, design in enumerate(session.designs):
        cells = "".join(
            f"<td id='{m}-{k}'>{format_value(m, design.latest(m), lang)}</td>" for m in NUMBERS
        )
        rows.append(f"<tr><th>{design_name(design.label, lang)}</th>{cells}</tr>")
    solara.HTML(
        tag="table",
        classes=["govsim-numbers"],
        unsafe_innerHTML=f"<tr><th></th>{head}</tr>{''.join(rows)}",
    )


@solara.component
def events_view(session: Session, lang: str, tick: int) -> None:
    """The whistles and escalations of the last days, per design."""
    items = []
    for design in session.designs:
        for e in design.events[:6]:
            items.append(
                f"<li>{say('day_n', lang, day=e.day)} · "
                f"{design_name(design.label, lang)} · {street_name(e.street, lang)} "
                f"{say('event_' + e.kind, lang, n=e.count)}</li>"
            )
    body = "".join(items) or f"<li>{say('no_events', lang)}</li>"
    solara.HTML(
        tag="div",
        classes=["govsim-events"],
        unsafe_innerHTML=f"<b>{say('events', lang)}</b><ul id='events'>{body}</ul>",
    )


@solara.component
def summary_view(session: Session, lang: str, tick: int) -> None:
    """The end-of-run summary: each measure per design and the difference."""
    designs = session.designs
    head = "".join(f"<th>{design_name(d.label, lang)}</th>" for d in designs)
    if len(designs) > 1:
        head += f"<th>{say('difference', lang)}</th>"
    rows = []
    for metric in NUMBERS:
        cells = "".join(f"<td>{format_value(metric, d.latest(metric), lang)}</td>" for d in designs)
        if len(designs) > 1:
            difference = designs[0].latest(metric) - designs[1].latest(metric)
            cells += f"<td>{format_difference(metric, difference, lang)}</td>"
        rows.append(f"<tr><th>{name(metric, lang)}</th>{cells}</tr>")
    solara.HTML(
        tag="div",
        classes=["govsim-summary"],
        unsafe_innerHTML=(
            f"<h3 id='summary'>{say('summary_title', lang, day=session.day)}</h3>"
            f"<table class='govsim-numbers'><tr><th></th>{head}</tr>{''.join(rows)}</table>"
            f"<p>{say('summary_note', lang)}</p>"
        ),
    )


@solara.component
def levers_view(session: Session, lang: str, tick: int, on_change) -> None:
    """Live levers: sliders that act on the running models from the next day."""
    solara.HTML(tag="div", unsafe_innerHTML=f"<b>{say('live_levers', lang)}</b>")
    for lever in session.levers():
        value = session.lever_value(lever.key)
        label = f"{lever.zh if lang == 'zh' else lever.en}: {value:g}"

        def change(v: float, key: str = lever.key) -> None:
            session.set_lever(key, float(v))
            on_change()

        solara.SliderFloat(
            label,
            value=value,
            min=lever.low,
            max=lever.high,
            step=lever.step,
            on_value=change,
            thumb_label=True,
        )


@solara.component
def refused_view(refused: str | None) -> None:
    """The one line saying why a value or a restart was not taken (nothing when all went well)."""
    if refused:
        solara.HTML(
            tag="div",
            classes=["govsim-refused"],
            unsafe_innerHTML=f"<span id='refused'>{html.escape(refused)}</span>",
        )


@solara.component
def setup_view(
    pending: Settings,
    set_pending,
    running: Settings,
    lang: str,
    restart,
    refused: str | None,
    set_refused,
) -> None:
    """Settings that shape the model: they apply when the run restarts.

    A value the configuration does not allow is not taken: the page says in one line what
    is wrong and what is allowed (``refused``), and the run and the settings go on as before.
    """

    def take(wanted: Settings) -> None:
        reason = problem(wanted)
        set_refused(reason)
        if reason is None:
            set_pending(wanted)

    cities = _choices(list(CITIES), lambda c: city_name(c, lang))
    scenarios = _choices(list(SCENARIOS), lambda s: scenario_name(s, lang))
    mechanisms = _choices([m for m in REGISTRY if m != "baseline"], lambda m: design_name(m, lang))
    comparisons = {
        say("no_comparison", lang): "",
        **_choices(list(REGISTRY), lambda m: design_name(m, lang)),
    }
    by_code = {v: k for k, v in mechanisms.items()}

    def pick_scenario(label: str) -> None:
        code = scenarios[label]
        city, design = scenario_design(code)
        set_pending(replace(pending, scenario=code, city=city, design=design))

    solara.HTML(tag="div", unsafe_innerHTML=f"<b>{say('setup', lang)}</b>")
    solara.Select(
        say("scenario", lang),
        values=list(scenarios),
        value=scenario_name(pending.scenario, lang),
        on_value=pick_scenario,
    )
    solara.Select(
        say("city", lang),
        values=list(cities),
        value=city_name(pending.city, lang),
        on_value=lambda c: set_pending(replace(pending, city=cities[c])),
    )
    solara.SelectMultiple(
        say("design", lang),
        all_values=list(mechanisms),
        values=[by_code[m] for m in pending.design if m in by_code],
        on_value=lambda ms: set_pending(
            replace(pending, design=tuple(canonical([mechanisms[m] for m in ms])) or ("baseline",))
        ),
    )
    comparison = "+".join(pending.comparison or ())
    solara.Select(
        say("comparison", lang),
        values=list(comparisons),
        value=next(
            (k for k, v in comparisons.items() if v == comparison), say("no_comparison", lang)
        ),
        on_value=lambda c: set_pending(
            replace(pending, comparison=(comparisons[c],) if comparisons[c] else None)
        ),
    )
    solara.SliderFloat(
        f"{say('staff_scale', lang)}: {pending.staff_scale:g}",
        value=pending.staff_scale,
        min=0.5,
        max=3.0,
        step=0.5,
        on_value=lambda v: take(replace(pending, staff_scale=float(v))),
    )
    solara.InputInt(
        say("seed", lang),
        value=pending.seed,
        on_value=lambda v: take(replace(pending, seed=int(v))),
    )
    waiting = (
        pending.city,
        pending.scenario,
        pending.design,
        pending.comparison,
        pending.seed,
        pending.staff_scale,
    ) != (
        running.city,
        running.scenario,
        running.design,
        running.comparison,
        running.seed,
        running.staff_scale,
    )
    refused_view(refused)
    if waiting:
        solara.HTML(
            tag="div",
            classes=["govsim-pending"],
            unsafe_innerHTML=f"<span id='pending'>{say('pending', lang)}</span>",
        )
    solara.Button(say("restart", lang), on_click=restart, color="primary" if waiting else None)


@solara.component
def page() -> None:
    """The workshop page: one session per browser."""
    lang, set_lang = solara.use_state(LANGUAGE)
    pending, set_pending = solara.use_state(Settings())
    session, set_session = solara.use_state(None)
    tick, set_tick = solara.use_state(0)
    playing, set_playing = solara.use_state(False)
    speed, set_speed = solara.use_state(15)
    days, set_days = solara.use_state(pending.days)
    refused, set_refused = solara.use_state(None)
    kept, set_kept = solara.use_state(None)
    info, set_info = solara.use_state(False)

    def start() -> None:
        before = session.settings if session is not None else None
        opened = open_session(restarted(before, replace(pending, days=days)))
        if isinstance(opened, str):  # the run before, if any, goes on
            set_refused(opened)
            return
        set_refused(None)
        set_kept(None if before is None else (before, opened.settings))
        set_session(opened)
        set_playing(False)

    solara.use_effect(lambda: (start(), None)[1], [])

    def play(cancel: threading.Event) -> None:
        if session is None or not playing:
            return
        interval = 1.0 / max(1, speed)
        next_day = next_frame = time.perf_counter()
        ended = session.finished
        while not cancel.is_set() and not ended:
            # the days due by now, then one frame; at most FRAMES_PER_SECOND frames
            while next_day <= time.perf_counter() and not session.finished:
                session.step()
                next_day += interval
            # ended before the last frame is drawn: a run extended once the room sees its
            # end waits for play, however soon after the extension comes
            ended = session.finished
            set_tick(time.monotonic_ns())
            next_frame = max(next_frame + 1.0 / FRAMES_PER_SECOND, time.perf_counter())
            if not ended:
                time.sleep(max(0.0, max(next_day, next_frame) - time.perf_counter()))
        if ended:
            set_playing(False)

    solara.use_thread(play, dependencies=[playing, speed, session], intrusive_cancel=False)

    solara.Title(say("app_title", lang))
    solara.Style(CSS)
    if session is None:
        with solara.Column(style={"align-items": "center", "padding": "4em"}):
            solara.SpinnerSolara()
            solara.HTML(
                tag="div", unsafe_innerHTML=f"<span id='starting'>{say('starting', lang)}</span>"
            )
            refused_view(refused)
        return

    def refresh() -> None:
        set_tick(time.monotonic_ns())

    def step_once() -> None:
        if not session.finished:
            session.step()
            set_tick(time.monotonic_ns())

    def set_run_days(value: int) -> None:
        set_days(int(value))
        session.settings.days = int(value)
        refresh()

    with solara.Div(classes=["govsim-page"]):
        with solara.Div(classes=["govsim-side"]):
            solara.ToggleButtonsSingle(
                value=lang, values=list(LANGUAGES), on_value=set_lang, dense=True
            )
            setup_view(pending, set_pending, session.settings, lang, start, refused, set_refused)
            note = kept_note(*kept, lang) if kept else None
            if note:
                solara.HTML(
                    tag="div", unsafe_innerHTML=f"<span id='kept'>{html.escape(note)}</span>"
                )
            solara.SliderInt(
                f"{say('run_days', lang)}: {days}",
                value=days,
                min=10,
                max=720,
                step=10,
                on_value=set_run_days,
            )
            levers_view(session, lang, tick, refresh)
        with solara.Div(classes=["govsim-main"]):
            with solara.Div(classes=["govsim-bar"]):
                solara.HTML(
                    tag="span", classes=["govsim-title"], unsafe_innerHTML=say("app_title", lang)
                )
                solara.HTML(
                    tag="span",
                    classes=["govsim-day"],
                    unsafe_innerHTML=(
                        f"{say('day_word', lang)} <span id='day'>{session.day}</span> / "
                        f"{session.settings.days}"
                    ),
                )
                solara.Button(
                    say("pause" if playing else "play", lang),
                    icon_name="mdi-pause" if playing else "mdi-play",
                    on_click=lambda: set_playing(not playing),
                    disabled=session.finished,
                    color="primary",
                )
                solara.Button(
                    say("step", lang),
                    on_click=step_once,
                    icon_name="mdi-skip-next",
                    disabled=playing or session.finished,
                )
                with solara.Div(classes=["govsim-speed"]):
                    solara.SliderInt(
                        f"{say('speed', lang)}: {speed}",
                        value=speed,
                        min=1,
                        max=30,
                        on_value=set_speed,
                    )
                solara.Button(
                    open_label(lang),
                    icon_name="mdi-information-outline",
                    on_click=lambda: set_info(True),
                    classes=["govsim-about"],
                )
            numbers_view(session, lang, tick)
            counters_view(session, lang, tick)
            with solara.Div(classes=["govsim-networks"]):
                if session.finished:
                    summary_view(session, lang, tick)
                else:
                    for design in session.designs:
                        with solara.Div(classes=["govsim-design"]):
                            solara.HTML(
                                tag="div",
                                classes=["govsim-design-name"],
                                unsafe_innerHTML=design_name(design.label, lang),
                            )
                            figure(network_chart(session, design, lang), "network")
                with solara.Div(classes=["govsim-aside"]):
                    events_view(session, lang, tick)
                    solara.HTML(
                        tag="div",
                        classes=["govsim-key"],
                        unsafe_innerHTML=say("network_legend", lang),
                    )
            with solara.Div(classes=["govsim-charts"]):
                for chart in CHARTS:
                    figure(line_chart(session, chart, lang), "chart")
            settings_view(session, lang, tick)
        if info:
            info_panel(lang, NUMBERS, lambda: set_info(False))


@solara.component
def settings_view(session: Session, lang: str, tick: int) -> None:
    """The settings in effect, as the ``govsim`` command that reproduces them."""
    command = session.command()
    changes = "; ".join(
        f"{key}={value:g} ({say('day_n', lang, day=day)})" for day, key, value in session.lever_log
    )
    text = f"<span class='govsim-command' id='command'>{command}</span>"
    if changes:
        text += f"<br><span id='lever-log'>{say('changed', lang)}: {changes}</span>"
    with solara.Div(classes=["govsim-settings"]):
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>{say('in_effect', lang)}</b> {text}")
        solara.FileDownload(
            command + "\n", filename="govsim-settings.sh", label=say("export", lang)
        )
