"""What the workshop page shows and how to use it, in English and Chinese (使用说明).

Like NetLogo's Info tab: the model in a few lines, each mechanism with what it changes,
each measure shown with what it counts, and the controls. Mechanisms and measures speak
in the words the reports use (their names and descriptions are taken from
:mod:`govsim.mechanisms` and :mod:`govsim.report.display`, not written again here).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import solara

from govsim.mechanisms import REGISTRY
from govsim.report.display import check_language, describe, name
from govsim.report.names import mechanism_name

__all__ = ["TEXT", "info_panel", "info_text", "mechanism_about", "open_label"]

TEXT: dict[str, tuple[str, str]] = {
    "title": ("What is this, and how to use it", "这是什么、怎么用"),
    "open": ("about", "说明"),
    "close": ("close", "关闭"),
    "model_head": ("The model", "模型"),
    "model": (
        "An agent-based model of city-region governance. Residents meet problems and "
        "disputes; some report them (in person, to the grid worker, to the street or through "
        "the 12345 hotline), grid workers find others on patrol. Each case is handled at a "
        "level of the hierarchy — grid, community, street, the district's departments, the "
        "petition office or court — by staff who have limited time; cases not settled "
        "wait, move up, or turn into grievances. A design is a set of mechanisms that change "
        "who sees a case, who handles it and how fast. Two designs run side by side on the "
        "same residents and the same cases, so what differs comes from the mechanisms.",
        "这是一个市域社会治理的多主体仿真模型。居民遇到问题和矛盾纠纷,一部分会主动反映"
        "(当面、找网格员、到街道或拨打12345热线),另一部分由网格员巡查发现。每件案件在"
        "网格、社区、街道、区职能部门、信访或法院某一层级办理,办理人员的时间有限;未化解的"
        "案件会等待、上交,或演变为不满。一个方案是若干机制的组合,它们改变谁看到案件、谁来"
        "办理、办得多快。两个方案在同样的居民、同样的案件上并排运行,差别只来自机制本身。",
    ),
    "use_head": ("How to use it", "怎么用"),
    "use": (
        "Left: choose the scenario, city, design and comparison design, staff and seed, then "
        "press restart; the live levers below act from the next day without a restart. Top: "
        "play, pause, one step and the speed (simulated days per second). Centre: the "
        "governance network of each design — colour is the load, orange lines are the day's "
        "whistles, a red ring an escalation; hover a node for its staff and waiting cases. "
        "Bottom: the measures day by day (solid the design, dashed the comparison) and the "
        "govsim command that reproduces the run. The numbers come from an uncalibrated "
        "model: read directions and trade-offs, not forecasts.",
        "左侧:选择情景、城市、方案、对照方案、人员规模和随机种子,点击“重新开始”后生效;"
        "下方的实时参数从下一天起生效,无需重新开始。顶部:播放、暂停、单步和速度(每秒模拟"
        "天数)。中部:每个方案的治理网络——颜色表示负荷,橙色连线为当天的吹哨,红圈为矛盾"
        "上交;鼠标悬停可看人员和待办案件。底部:各项指标的逐日变化(实线为方案,虚线为"
        "对照)以及可复现本次运行的 govsim 命令。模型未经校准:请看方向与取舍,不作预测。",
    ),
    "mechanisms_head": ("The mechanisms", "机制"),
    "measures_head": ("The measures", "指标"),
}
"""The panel's own words, (English, Chinese), by key."""


def _say(key: str, lang: str) -> str:
    en, zh = TEXT[key]
    return zh if check_language(lang) == "zh" else en


def open_label(lang: str) -> str:
    """The label of the button that opens the panel."""
    return _say("open", lang)


def mechanism_about(code: str, lang: str) -> str:
    """What a mechanism is: its full Chinese label, or its English summary line."""
    mechanism = REGISTRY[code]
    if lang == "zh":
        return mechanism.label_zh
    return (mechanism.__doc__ or "").strip().splitlines()[0]


def _entries(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(
        f"<dt>{html.escape(term, quote=False)}</dt><dd>{html.escape(about, quote=False)}</dd>"
        for term, about in pairs
    )


def info_text(lang: str, measures: Iterable[str]) -> str:
    """The panel's body as HTML: the model, how to use the page, mechanisms, measures."""
    mechanisms = _entries(
        (mechanism_name(code, lang), mechanism_about(code, lang)) for code in REGISTRY
    )
    shown = _entries((name(m, lang), describe(m, lang)) for m in measures)
    return (
        f"<h2>{_say('title', lang)}</h2>"
        f"<h3>{_say('model_head', lang)}</h3><p>{_say('model', lang)}</p>"
        f"<h3>{_say('use_head', lang)}</h3><p>{_say('use', lang)}</p>"
        f"<h3>{_say('mechanisms_head', lang)}</h3><dl>{mechanisms}</dl>"
        f"<h3>{_say('measures_head', lang)}</h3><dl>{shown}</dl>"
    )


@solara.component
def info_panel(lang: str, measures: tuple[str, ...], on_close) -> None:
    """The panel over the page, with a button that closes it."""
    with solara.Div(classes=["govsim-info"]):
        solara.Button(
            _say("close", lang),
            icon_name="mdi-close",
            on_click=on_close,
            classes=["govsim-info-close"],
        )
        solara.HTML(
            tag="div", unsafe_innerHTML=info_text(lang, measures), attributes={"id": "info"}
        )
