"""How each measure is shown: name, unit, direction and format (指标名称、单位、方向与格式).

In English and Chinese.
The one place reports, figures, the workshop app and animations take a measure's words
from. Shares are shown as percentages and their differences in percentage points; counts
with thousands separators; every measure of one kind with the same precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from govsim.city.levels import Level
from govsim.outcomes.measures import HANDLED, HEADLINE

__all__ = [
    "BOUNDS",
    "LANGUAGES",
    "MEASURES",
    "Kind",
    "Measure",
    "bounds",
    "check_language",
    "describe",
    "difference_unit",
    "difference_value",
    "direction",
    "format_difference",
    "format_interval",
    "format_value",
    "measure",
    "name",
    "number_format",
    "unit",
]

LANGUAGES = ("en", "zh")
"""The languages of every text govsim shows."""


def check_language(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else a ValueError naming them."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: allowed: {', '.join(LANGUAGES)}")
    return lang


class Kind(StrEnum):
    """What a number is, which fixes its unit, bounds and precision."""

    SHARE = "share"
    COUNT = "count"
    DAYS = "days"
    PER_1000 = "per 1000"
    STAFF_DAYS = "staff days"
    SCORE = "score"
    INDEX = "index"


BOUNDS: dict[Kind, tuple[float, float]] = {
    Kind.SHARE: (0.0, 1.0),
    Kind.COUNT: (0.0, math.inf),
    Kind.DAYS: (0.0, math.inf),
    Kind.PER_1000: (0.0, 1000.0),
    Kind.STAFF_DAYS: (0.0, math.inf),
    Kind.SCORE: (0.0, 1.0),
    Kind.INDEX: (0.0, 100.0),
}
"""The values a measure of each kind can take (bands and intervals are kept within them)."""

UNITS: dict[Kind, dict[str, str]] = {
    Kind.SHARE: {"en": "% of cases", "zh": "占案件 %"},
    Kind.COUNT: {"en": "cases", "zh": "件"},
    Kind.DAYS: {"en": "days", "zh": "天"},
    Kind.PER_1000: {"en": "per 1,000 cases", "zh": "每千件"},
    Kind.STAFF_DAYS: {"en": "staff days per case", "zh": "人·天/件"},
    Kind.SCORE: {"en": "score 0–1", "zh": "分值 0–1"},
    Kind.INDEX: {"en": "index 0–100", "zh": "指数 0–100"},
}

DIGITS: dict[Kind, int] = {
    Kind.SHARE: 1,
    Kind.COUNT: 0,
    Kind.DAYS: 1,
    Kind.PER_1000: 0,
    Kind.STAFF_DAYS: 2,
    Kind.SCORE: 2,
    Kind.INDEX: 1,
}
"""Decimals shown (of percentage points for shares)."""


@dataclass(frozen=True)
class Measure:
    """How one measure is shown."""

    en: str
    zh: str
    kind: Kind
    higher_is_better: bool | None
    """True or False; None where neither direction is better (workload, counts of events, a
    route or a cost that also falls when cases are left waiting). A city with less staff or
    more cases never does better on a measure with a direction (``tests/test_outcomes.py``)."""
    about_en: str = ""
    about_zh: str = ""


def _share(en: str, zh: str, about_en: str, about_zh: str, better: bool | None = True) -> Measure:
    return Measure(en, zh, Kind.SHARE, better, about_en, about_zh)


MEASURES: dict[str, Measure] = {
    "true_resolution_rate": _share(
        "truly resolved",
        "实际解决率",
        "cases whose problem was actually solved, of all cases that arose (a closure "
        "reported as resolved that did not solve the problem does not count)",
        "已发生案件中问题真正得到解决的比例(报结但未解决的不计入)",
    ),
    "resolution_rate": _share(
        "resolution rate (as reported)",
        "解决率(上报口径)",
        "cases closed as resolved, of all cases that arose: what the units report and rankings see",
        "已发生案件中以“已解决”办结的比例:各单位上报、排名所用的口径",
    ),
    "reopen_rate": _share(
        "reopened",
        "重复诉求重启率",
        "cases reopened after a closure that did not solve them (callback, audit or repeat call)",
        "报结未解决、居民再次来电而重新启动的案件比例",
        better=False,
    ),
    "resolution_days_mean": Measure(
        "days to resolution (mean within the horizon)",
        "平均解决用时(观察期内)",
        Kind.DAYS,
        False,
        "mean days from a case arising to its true resolution over every case that "
        "arose, a case counting at most the horizon (a case not resolved by then counts the "
        "whole horizon)",
        "所有已发生案件从发生到真正解决的平均天数,每件最多计观察期天数(届时仍未解决的按观察期计)",
    ),
    "resolution_days_median": Measure(
        "days to resolution (median)",
        "解决用时中位数",
        Kind.DAYS,
        False,
        "days by which half the cases that arose were truly resolved (cases still unresolved "
        "at the end included, as not resolved by then)",
        "已发生案件中一半得到真正解决所需的天数(期末仍未解决的案件计为届时未解决)",
    ),
    "resolution_days_p90": Measure(
        "days to resolution (90th percentile)",
        "解决用时第90百分位",
        Kind.DAYS,
        False,
        "days by which 90% of the cases that arose were truly resolved; beyond the run if "
        "fewer were resolved by its end",
        "已发生案件中90%得到真正解决所需的天数;若期末前未达到,则超出模拟期",
    ),
    "escalated_per_1000_cases": Measure(
        "cases going above the street",
        "上交街道以上的案件",
        Kind.PER_1000,
        None,
        "cases forwarded, petitioned or sent above the street, per 1,000 cases that arose: a "
        "route, not a result (an overloaded street also sends fewer up, keeping them "
        "waiting); read it beside the cases never resolved",
        "每千件已发生案件中转交部门、信访或上交街道以上的案件:是流转路径而非结果"
        "(街道超负荷时上交也会减少,案件只是在等待);须与未解决案件一并解读",
    ),
    "satisfaction_rate": _share(
        "satisfaction rate",
        "满意率",
        "residents satisfied with the outcome, of all cases that arose",
        "已发生案件中居民对结果满意的比例",
    ),
    HEADLINE: _share(
        "settled at or below the street (venue)",
        "街道及以下化解率(按化解地点)",
        "cases settled in the grid, community or street, department staff coming to the "
        "street included: the policy's own target",
        "在网格、社区或街道化解的案件比例(含部门到街道联合处置):政策本身的考核指标",
    ),
    HANDLED: _share(
        "handled at or below the street (by whose staff)",
        "街道及以下自行处置率(按处置人员)",
        "cases resolved with no staff from above the street working on them",
        "没有街道以上人员参与处置而解决的案件比例",
    ),
    "response_rate": _share(
        "response rate",
        "响应率",
        "cases answered within the time limit of their type",
        "在规定时限内答复的案件比例",
    ),
    "staff_days_per_arisen_case": Measure(
        "staff time per case",
        "每件案件耗用人力",
        Kind.STAFF_DAYS,
        None,
        "staff days worked per case that arose, at every level: a cost, not a result (fewer "
        "staff also spend fewer days per case, leaving cases waiting)",
        "各层级每件已发生案件耗用的人·天:是成本而非结果(人手减少时每件耗用也减少,案件只是在等待)",
    ),
    "known_share": _share(
        "cases known",
        "案件知晓率",
        "cases that became known at all (reported, found on patrol or petitioned), of all "
        "cases that arose",
        "已发生案件中被知晓(居民上报、巡查发现或信访)的比例",
    ),
    "patrol_found_share": _share(
        "found on patrol",
        "巡查发现占比",
        "of the cases that became known, those a grid worker's patrol found before anyone "
        "reported them",
        "已知晓案件中由网格员巡查先于居民上报发现的比例",
        better=None,
    ),
    "backlog_end": Measure(
        "open cases at the end",
        "期末未结案件",
        Kind.COUNT,
        False,
        "cases still open on the last day, unknown ones included",
        "最后一天仍未办结的案件(含尚未发现的)",
    ),
    "never_resolved": Measure(
        "cases never resolved",
        "未解决案件",
        Kind.COUNT,
        False,
        "cases open at the end or closed unresolved",
        "期末未结或办结但未解决的案件",
    ),
    "cases_arisen": Measure("cases arisen", "已发生案件", Kind.COUNT, None),
    "cases_resolved": Measure("cases resolved", "已解决案件", Kind.COUNT, None),
    "backlog": Measure(
        "open cases",
        "未结案件",
        Kind.COUNT,
        False,
        "cases arisen and not yet closed",
        "已发生尚未办结的案件",
    ),
    "department_backlog": Measure("open cases with departments", "部门积压案件", Kind.COUNT, False),
    "cases_escalated_above_street": Measure(
        "cases above the street", "上交街道以上案件", Kind.COUNT, False
    ),
    "petitions": Measure(
        "petitions (信访)",
        "信访",
        Kind.COUNT,
        False,
        "unattended grievances that became petitions",
        "未及时处置而升级为信访的诉求",
    ),
    "whistles": Measure("whistles", "吹哨", Kind.COUNT, None),
    "mean_trust": Measure("residents' trust", "居民信任度", Kind.SCORE, True),
    "mean_trust_end": Measure("residents' trust at the end", "期末居民信任度", Kind.SCORE, True),
    "governance_index": Measure("governance index", "治理指数", Kind.INDEX, True),
    **{
        f"resolved_share_{lv.name.lower()}": _share(
            f"resolved at the {en}",
            f"{zh}解决占比",
            f"resolved cases resolved at the {en}",
            f"已解决案件中在{zh}解决的比例",
            better=None,
        )
        for lv, en, zh in zip(
            Level,
            ("grid", "community", "street", "departments", "petition office or court"),
            ("网格", "社区", "街道", "职能部门", "信访或法院"),
            strict=True,
        )
    },
}
"""Every measure people see, by its column name."""


def measure(metric: str) -> Measure:
    """The display of ``metric`` (a KeyError names a measure that has none)."""
    try:
        return MEASURES[metric]
    except KeyError:
        raise KeyError(
            f"no display for measure {metric!r}: add it to govsim.report.display.MEASURES"
        ) from None


def name(metric: str, lang: str) -> str:
    """The measure's name in ``lang``."""
    m = measure(metric)
    return m.zh if check_language(lang) == "zh" else m.en


def unit(metric: str, lang: str) -> str:
    """The measure's unit in ``lang``."""
    return UNITS[measure(metric).kind][check_language(lang)]


def describe(metric: str, lang: str) -> str:
    """What the measure counts, in plain words."""
    m = measure(metric)
    return (m.about_zh or m.zh) if check_language(lang) == "zh" else (m.about_en or m.en)


def direction(metric: str, lang: str) -> str:
    """Say "higher is better", "lower is better" or "neither" in ``lang``."""
    better = measure(metric).higher_is_better
    words = {
        ("en", True): "higher is better",
        ("en", False): "lower is better",
        ("en", None): "neither",
        ("zh", True): "越高越好",
        ("zh", False): "越低越好",
        ("zh", None): "无优劣方向",
    }
    return words[check_language(lang), better]


def _number(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


def format_value(metric: str, value: float, lang: str = "en") -> str:
    """A value for people: ``92.3%``, ``1,234``, ``4.7``; ``–`` for a missing value."""
    check_language(lang)
    if value == math.inf and measure(metric).kind is Kind.DAYS:
        return "超出模拟期" if lang == "zh" else "beyond the run"
    if value is None or not math.isfinite(value):
        return "–"
    kind = measure(metric).kind
    if kind is Kind.SHARE:
        return f"{_number(100.0 * value, DIGITS[kind])}%"
    return _number(value, DIGITS[kind])


DIFFERENCE_UNITS: dict[Kind, dict[str, str]] = {
    Kind.SHARE: {"en": " points", "zh": " 个百分点"},
    Kind.COUNT: {"en": " cases", "zh": " 件"},
    Kind.DAYS: {"en": " days", "zh": " 天"},
    Kind.PER_1000: {"en": " per 1,000 cases", "zh": " 件/千件"},
    Kind.STAFF_DAYS: {"en": " staff days per case", "zh": " 人·天/件"},
    Kind.SCORE: {"en": "", "zh": ""},
    Kind.INDEX: {"en": "", "zh": ""},
}
"""The unit written after a difference (shares differ in percentage points, 个百分点)."""

NO_DIFFERENCE = {"en": "no difference", "zh": "无差异"}
"""A difference, and its interval, that round to zero."""

NUMBER_FORMATS: dict[Kind, str] = {
    Kind.SHARE: "0.0%",
    Kind.COUNT: "#,##0",
    Kind.DAYS: "0.0",
    Kind.PER_1000: "#,##0",
    Kind.STAFF_DAYS: "0.00",
    Kind.SCORE: "0.00",
    Kind.INDEX: "0.0",
}
"""The spreadsheet number format of a value of each kind (shares stored as fractions)."""


def _scaled(metric: str, value: float) -> float:
    """A difference in the unit it is shown in: percentage points for shares."""
    return 100.0 * value if measure(metric).kind is Kind.SHARE else value


def _rounded(metric: str, value: float) -> str:
    """A difference's magnitude at the measure's precision (counts as whole numbers)."""
    return _number(abs(_scaled(metric, value)), DIGITS[measure(metric).kind])


def _is_zero(metric: str, value: float) -> bool:
    return float(_rounded(metric, value).replace(",", "")) == 0.0


def _signed(metric: str, value: float) -> str:
    text = _rounded(metric, value)
    if _is_zero(metric, value):
        return text
    return f"{'+' if value > 0 else '−'}{text}"


def difference_unit(metric: str, lang: str) -> str:
    """The unit of a difference of ``metric``, with its leading space (``" 个百分点"``)."""
    return DIFFERENCE_UNITS[measure(metric).kind][check_language(lang)]


def difference_value(metric: str, value: float) -> float:
    """A difference as a number in the unit it is shown in (percentage points for shares)."""
    return _scaled(metric, value)


def number_format(metric: str, difference: bool = False) -> str:
    """The spreadsheet number format of a value, or of a signed difference, of ``metric``."""
    kind = measure(metric).kind
    if not difference:
        return NUMBER_FORMATS[kind]
    digits = NUMBER_FORMATS[Kind.DAYS if kind is Kind.SHARE else kind].replace("%", "")
    return f'+{digits};"−"{digits};{digits}'


def format_difference(metric: str, value: float, lang: str = "en") -> str:
    """A signed difference with its unit: ``+18.1 points`` (个百分点), ``−1.6 days``, ``−12 cases``.

    A difference that rounds to zero is ``no difference`` (无差异).
    """
    check_language(lang)
    if value is None or not math.isfinite(value):
        return "–"
    if _is_zero(metric, value):
        return NO_DIFFERENCE[lang]
    return _signed(metric, value) + difference_unit(metric, lang)


def format_interval(
    metric: str, mean: float, low: float, high: float, lang: str = "en", difference: bool = False
) -> str:
    """``92.3% [91.9%, 92.6%]``, or as a difference ``+18.1 [+17.8, +18.4] points``.

    A difference whose mean and interval all round to zero is ``no difference`` (无差异).
    """
    check_language(lang)
    if not (low is not None and math.isfinite(low) and math.isfinite(high)):
        return (format_difference if difference else format_value)(metric, mean, lang)
    if mean is None or not math.isfinite(mean):
        return "–"
    if difference:
        if all(_is_zero(metric, v) for v in (mean, low, high)):
            return NO_DIFFERENCE[lang]
        return (
            f"{_signed(metric, mean)} [{_signed(metric, low)}, {_signed(metric, high)}]"
            + difference_unit(metric, lang)
        )
    return (
        f"{format_value(metric, mean, lang)} [{format_value(metric, low, lang)}, "
        f"{format_value(metric, high, lang)}]"
    )


def bounds(metric: str) -> tuple[float, float]:
    """The values the measure can take."""
    return BOUNDS[measure(metric).kind]
