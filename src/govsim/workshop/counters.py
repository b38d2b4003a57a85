"""Counters of the last days, each over a small chart (近期计数).

How often departments answer a whistle (部门报到), how many days cases wait to be found and
the share a patrol found first, the petitions (信访), and where cases were closed (by
level): each as a number over the last :data:`~govsim.workshop.recent.WINDOW` days for the
design and its comparison (the closures for the design alone, as its chart has them), over
a small chart of the same through the run with the lever moves marked. The row's sizes
are in the page's ems (:mod:`~govsim.workshop.layout`), so it grows with the projector,
and the small charts are :func:`~govsim.workshop.figure.figure` s. Each number has an id
(``counter-<name>-<design>``) the browser test reads.
"""

from __future__ import annotations

import solara

from govsim.report.phrases import say
from govsim.workshop.charts import SMALL_CHARTS, small_chart
from govsim.workshop.figure import figure
from govsim.workshop.recent import CLOSED, RATIOS, WINDOW, window_share, window_sum
from govsim.workshop.session import Design, Session

__all__ = ["counter_text", "counters_view"]


def _recent(design: Design, key: str) -> float:
    values = window_sum(design.history[key])
    return float(values[-1]) if len(values) else 0.0


def counter_text(design: Design, counter: str, lang: str) -> str:
    """A counter's value for one design, as shown (— before the first case it counts)."""
    if counter in RATIOS:
        values = window_share(design.history, counter)
        value = float(values[-1]) if len(values) else float("nan")
        if value != value:
            whistleless = "whistle" not in design.label.split("+")
            return (
                say("no_whistle", lang)
                if (counter == "recent_whistle_answers" and whistleless)
                else "—"
            )
        if RATIOS[counter].percent:
            return f"{100.0 * value:.1f}%"
        return say("days_unit", lang, n=f"{value:.1f}")
    if counter == "recent_petitions":
        total = sum(design.history["day_petitions"])
        return (
            f"{_recent(design, 'day_petitions'):.0f} · "
            f"{say('counter_total', lang, n=f'{total:.0f}')}"
        )
    levels = say("closure_levels", lang).split("|")
    # a level and its count stay on one line
    return " · ".join(
        f"{level}\u00a0{_recent(design, key):.0f}"
        for level, key in zip(levels, CLOSED, strict=True)
    )


@solara.component
def counters_view(session: Session, lang: str, tick: int) -> None:
    """A row of counters, each with its small chart (design first, then the comparison)."""
    roles = (say("col_design_value", lang), say("col_reference_value", lang))
    window = say("counter_window", lang, days=WINDOW)
    with solara.Div(classes=["govsim-counters"]):
        for counter in SMALL_CHARTS:
            one = len(SMALL_CHARTS[counter]) == 1
            shown = session.designs if one else session.designs[:1]
            values = "".join(
                f"<div>{roles[k]} <b id='counter-{counter}-{k}'>"
                f"{counter_text(design, counter, lang)}</b></div>"
                for k, design in enumerate(shown)
            )
            with solara.Div(classes=["govsim-counter"]):
                solara.HTML(
                    tag="div",
                    classes=["govsim-counter-text"],
                    unsafe_innerHTML=(
                        f"<div><b>{say(counter, lang)}</b> "
                        f"<span class='govsim-window'>{window}</span>"
                        f"</div>{values}"
                    ),
                )
                figure(small_chart(session, counter, lang), "small-chart")
