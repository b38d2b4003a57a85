"""What a restart keeps of the run before, and the line that says so (重新开始).

A restart runs the set-up waiting on the page. Within one scenario it keeps the live
levers the room moved (patrol effort, assessment weight ...), so a restart with another
seed or staff compares like with like. A new scenario sets its city, its design and its
levers afresh: nothing moved in the run before carries into it, and the page names what
was kept (the seed, the staff, the comparison, the last day).
"""

from __future__ import annotations

from dataclasses import replace

from govsim.report.names import design_name, scenario_name
from govsim.report.phrases import say
from govsim.workshop.settings import LIVE_LEVERS, Settings

__all__ = ["kept_note", "restarted"]


def restarted(before: Settings | None, wanted: Settings) -> Settings:
    """The settings a restart runs.

    ``wanted``, with the live levers of the run ``before`` kept unless the scenario changed.
    """
    same = before is not None and before.scenario == wanted.scenario
    return replace(wanted, levers=dict(before.levers) if same else {})


def _levers(settings: Settings, lang: str) -> str:
    names = {lv.key: lv.zh if lang == "zh" else lv.en for lv in LIVE_LEVERS}
    return "; ".join(f"{names[key]}: {value:g}" for key, value in sorted(settings.levers.items()))


def kept_note(before: Settings | None, started: Settings, lang: str) -> str | None:
    """The line the page shows after a restart (None for the first run, or nothing kept)."""
    if before is None:
        return None
    if before.scenario != started.scenario:
        comparison = "+".join(started.comparison) if started.comparison is not None else None
        kept = say(
            "kept_settings",
            lang,
            seed=started.seed,
            staff=f"{started.staff_scale:g}",
            days=started.days,
            comparison=design_name(comparison, lang) if comparison else say("no_comparison", lang),
        )
        return say(
            "scenario_reset", lang, scenario=scenario_name(started.scenario, lang), kept=kept
        )
    if started.levers:
        return say("levers_kept", lang, kept=_levers(started, lang))
    return None
