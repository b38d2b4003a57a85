"""The words of reports, figures and the app in English and Chinese (界面与报告用语).

Measures have their own words (:mod:`govsim.report.display`), and so do mechanisms,
cities and units (:mod:`govsim.report.names`); everything else people read is here.
"""

from __future__ import annotations

from govsim.report.display import check_language

__all__ = ["PHRASES", "say"]

PHRASES: dict[str, tuple[str, str]] = {
    "versus": (" vs ", " 对比 "),
    "year": ("year", "年"),
    "day_axis": ("day", "天"),
    "day_n": ("day {day}", "第 {day} 天"),
    "days_n": ("{days} days", "{days} 天"),
    "per_period": (", per {days} days", "(每 {days} 天)"),
    "band_note": ("mean of {n} replications with a 95% band",
                  "{n} 次重复的平均值及 95% 区间"),
    "levels_axis": ("share of resolved cases", "占已解决案件的比例"),
    "levels_title": ("where resolved cases were resolved", "已解决案件的解决层级"),
    "report_title": ("Comparison report: {city}", "方案对比报告:{city}"),
    "summary": ("Executive summary", "摘要"),
    "what_compared": ("What was compared", "比较内容"),
    "the_answer": ("The answer", "结论"),
    "assumptions": ("Assumptions", "前提假设"),
    "caveats": ("Caveats", "注意事项"),
    "definitions": ("What the measures mean", "指标说明"),
    "figures": ("Figures", "图"),
    "compared": ("{designs} in {city}: {settings} setting(s), {replications} paired "
                 "replications of {days} simulated days each; each replication gives every "
                 "design the same residents and the same cases (common random numbers).",
                 "{city}:{designs};{settings} 组设置,每组 {replications} 次配对重复,每次模拟 "
                 "{days} 天;同一次重复中各方案面对相同的居民和相同的案件(共同随机数)。"),
    "answer": ("Against {reference}, {design} changes the share of cases settled at or below "
               "the street (where they are settled) by {headline}, and the share handled "
               "there by the street's own staff by {handled} (95% intervals; {rates}).",
               "与{reference}相比,{design}使街道及以下化解率(按化解地点)变化 {headline},"
               "街道及以下自行处置率(按处置人员)变化 {handled}(95% 置信区间;{rates})。"),
    "values": ("{design}: {values} (means with 95% intervals; no reference design to compare "
               "with).", "{design}:{values}(均值及 95% 置信区间;无对照方案)。"),
    "minus": ("{a} − {b}", "{a} − {b}"),
    "col_measure": ("Measure", "指标"),
    "col_better": ("Direction", "方向"),
    "col_unit": ("Unit", "单位"),
    "col_meaning": ("What it counts", "含义"),
    "col_comparison": ("Comparison", "比较"),
    "col_difference": ("Difference [95% interval]", "差值 [95% 置信区间]"),
    "col_variance_left": ("Variance left by pairing", "配对后剩余方差"),
    "col_design": ("Design", "方案"),
    "col_street": ("Street", "街道"),
    "table_measures": ("Measures: mean [95% interval] over replications",
                       "各项指标:均值 [95% 置信区间]"),
    "table_differences": ("Differences against the reference design (paired)",
                          "与对照方案的差值(配对比较)"),
    "table_streets": ("Per street: mean over replications", "分街道结果:各次重复的均值"),
    "table_levels": ("Where resolved cases were resolved", "已解决案件的解决层级"),
    "table_definitions": ("Definitions", "指标定义"),
    "assumption_0": ("The model's parameters are assumptions awaiting calibration "
                     "(docs/ODD.md): read the results as the behaviour of the mechanisms, not "
                     "as a forecast for a real city.",
                     "模型参数为待校准的假设(见 docs/ODD.md):结果反映机制的作用方式,"
                     "而非对真实城市的预测。"),
    "assumption_1": ("Each mechanism works as docs/mechanisms.md states (for instance, "
                     "departments answer a whistle with a fixed probability).",
                     "各机制按 docs/mechanisms.md 的描述运行(例如部门以固定概率响应吹哨)。"),
    "assumption_2": ("Every share is over the cases that arose: a case still open or closed "
                     "unresolved counts against it.",
                     "所有比例均以已发生案件为分母:未办结或未解决的案件计入分母。"),
    "assumption_3": ("Cases are counted if they arose after the warm-up and before the last "
                     "days of the run, and are followed to its end.",
                     "统计预热期之后、模拟末尾之前发生的案件,并跟踪至模拟结束。"),
    "caveat_0": ("Settled at the street is not the same as handled by the street: where "
                 "department staff come to the street, the venue moves but the work does not. "
                 "Read both attributions together.",
                 "在街道化解不等于由街道自行处置:部门人员到街道联合处置时,化解地点改变,"
                 "但工作仍由部门承担。两种口径应一并阅读。"),
    "caveat_1": ("Intervals are over replications of the model; they do not include the "
                 "uncertainty of the assumptions themselves.",
                 "置信区间只反映模型随机重复的差异,不包括假设本身的不确定性。"),
    "caveat_2": ("A small city or few replications give wide intervals; an interval that "
                 "includes zero means no difference was shown.",
                 "城市规模小或重复次数少时区间较宽;区间包含零表示未显示出差异。"),
    "variance_note": ("Variance left by pairing: the variance of the paired difference as a "
                      "share of an unpaired comparison's (below 100%: pairing helped).",
                      "配对后剩余方差:配对差值的方差占非配对比较方差的比例(低于 100% "
                      "说明配对提高了精度)。"),
}
"""Each phrase as (English, Chinese); ``{name}`` fields are filled by :func:`say`."""


def say(key: str, lang: str, **fields: object) -> str:
    """The phrase ``key`` in ``lang`` with its fields filled in."""
    en, zh = PHRASES[key]
    return (zh if check_language(lang) == "zh" else en).format(**fields)
