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
    "band_note": ("mean of {n} replications with a 95% band", "{n} 次重复的平均值及 95% 区间"),
    "levels_axis": ("share of resolved cases", "占已解决案件的比例"),
    "levels_title": ("where resolved cases were resolved", "已解决案件的解决层级"),
    "report_title": ("{designs}: {city}", "{city}:{designs}"),
    "summary": ("Executive summary", "摘要"),
    "partial": ("Partial sweep: {state}.", "不完整的扫描(部分运行未完成):{state}。"),
    "no_reference": (
        "{reference} did not run: no paired differences.",
        "{reference}未运行:无配对差异。",
    ),
    "the_answer": ("The answer", "结论"),
    "assumptions": ("Assumptions", "前提假设"),
    "caveats": ("Caveats", "注意事项"),
    "definitions": ("What the measures mean", "指标说明"),
    "figures": ("Figures", "图"),
    "compared": (
        "{designs} in {city}: each design run {replications} times over {days} "
        "simulated days, every time with the same residents and the same cases as "
        "the others.",
        "{city}:{designs};每种方案模拟 {days} 天、重复 {replications} 次,"
        "每次各方案面对相同的居民和相同的案件。",
    ),
    "compared_settings": (
        "Results are given separately for {settings} settings.",
        "以下按 {settings} 组条件分别给出结果。",
    ),
    "answer": (
        "Against {reference}, {design}: cases settled at or below the street (where "
        "they are settled) {headline}; handled there by the street's own staff "
        "{handled} (95% intervals; {rates}).",
        "与{reference}相比,{design}:街道及以下化解率(按化解地点){headline};"
        "街道及以下自行处置率(按处置人员){handled}(95% 置信区间;{rates})。",
    ),
    "values": (
        "{design}: {values} (means with 95% intervals; no reference design to compare with).",
        "{design}:{values}(均值及 95% 置信区间;无对照方案)。",
    ),
    "minus": ("{a} − {b}", "{a} − {b}"),
    "n_of": ("n = {n} of {of}", "n = {n}/{of}"),
    "col_measure": ("Measure", "指标"),
    "col_better": ("Direction", "方向"),
    "col_unit": ("Unit", "单位"),
    "col_meaning": ("What it counts", "含义"),
    "col_comparison": ("Comparison", "比较"),
    "col_difference": ("Difference [95% interval]", "差值 [95% 置信区间]"),
    "col_change": ("Difference", "差值"),
    "col_variance_left": ("Variance left by pairing", "配对后剩余方差"),
    "col_design": ("Design", "方案"),
    "col_setting": ("Setting", "设置组"),
    "col_street": ("Street", "街道"),
    "table_measures": (
        "Measures: mean [95% interval] over replications",
        "各项指标:均值 [95% 置信区间]",
    ),
    "table_differences": (
        "Differences against the reference design (paired)",
        "与对照方案的差值(配对比较)",
    ),
    "table_streets": ("Per street: mean over replications", "分街道结果:各次重复的均值"),
    "table_levels": ("Where resolved cases were resolved", "已解决案件的解决层级"),
    "table_definitions": ("Definitions", "指标定义"),
    "assumption_0": (
        "The model's parameters are assumptions awaiting calibration (see the "
        "model's description): read the results as the behaviour of the "
        "mechanisms, not as a forecast for a real city.",
        "模型参数为待校准的假设(见模型说明):结果反映机制的作用方式,而非对真实城市的预测。",
    ),
    "assumption_1": (
        "Each mechanism works as the model's description of the mechanisms "
        "states (for instance, departments answer a whistle with a fixed "
        "probability).",
        "各机制按模型说明中的描述运行(例如部门以固定概率响应吹哨)。",
    ),
    "assumption_2": (
        "Every share is over the cases that arose: a case still open or closed "
        "unresolved counts against it.",
        "所有比例均以已发生案件为分母:未办结或未解决的案件计入分母。",
    ),
    "assumption_3": (
        "Cases are counted if they arose after the warm-up and before the last "
        "days of the run, and are followed to its end.",
        "统计预热期之后、模拟末尾之前发生的案件,并跟踪至模拟结束。",
    ),
    "caveat_0": (
        "Settled at the street is not the same as handled by the street: where "
        "department staff come to the street, the venue moves but the work does not. "
        "Read both attributions together.",
        "在街道化解不等于由街道自行处置:部门人员到街道联合处置时,化解地点改变,"
        "但工作仍由部门承担。两种口径应一并阅读。",
    ),
    "caveat_1": (
        "Intervals are over replications of the model; they do not include the "
        "uncertainty of the assumptions themselves.",
        "置信区间只反映模型随机重复的差异,不包括假设本身的不确定性。",
    ),
    "caveat_2": (
        "A small city or few replications give wide intervals; an interval that "
        "includes zero means no difference was shown.",
        "城市规模小或重复次数少时区间较宽;区间包含零表示未显示出差异。",
    ),
    "first_against": ("{design} against {reference}: ", "{design}与{reference}相比:"),
    "lead_residents": ("For residents", "对居民"),
    "lead_cost": ("What it costs", "成本"),
    "lead_work": ("Who does the work", "谁在做事"),
    "lead_sure": ("How sure we are", "把握多大"),
    "lead_caveat": ("The caveat that matters", "最重要的提醒"),
    "first_resolution_days_mean": ("days to resolution {change}", "平均解决用时 {change}"),
    "first_escalated_per_1000_cases": (
        "cases going above the street {change}",
        "上交街道以上的案件 {change}",
    ),
    "first_satisfaction_rate": ("satisfaction {change}", "满意率 {change}"),
    "interval_clear": (" (95% interval {low} to {high})", "(95% 区间 {low} 至 {high})"),
    "interval_unclear": (
        " (95% interval {low} to {high}: not clearly different from none)",
        "(95% 区间 {low} 至 {high},不能确定有差异)",
    ),
    "sentence_join": ("; ", ";"),
    "list_join": (", ", "、"),
    "full_stop": (".", "。"),
    "reported_equals_true": (
        "Reported and true resolution are equal here: only a unit "
        "ranked on its closures (the assessment mechanism) closes cases "
        "without solving them, and none did in these runs.",
        "此处上报解决率与实际解决率相同:只有按结案情况排名考核的单位"
        "(考核机制)才会把未解决的案件报结,这些运行中没有出现。",
    ),
    "first_cost": (
        "Staff time per case {change}: from {before} to {after} staff days per "
        "case, every level counted.",
        "每件案件耗用人力 {change}:由 {before} 变为 {after} 人·天/件(各层级合计)。",
    ),
    "first_work": (
        "Cases settled at or below the street (where they close): {s0} → {s1}, "
        "{settled}; handled there by the street's own staff, no department staff "
        "working on them: {h0} → {h1}, {handled}.",
        "在街道及以下化解的案件(按结案地点):{s0} → {s1},{settled};"
        "其中由街道及以下人员自行处置、没有部门人员参与的:{h0} → {h1},{handled}。",
    ),
    "first_work_departments": (
        "For the other {gap}, cases now close at the street but "
        "department staff still do the work: the venue moved, the "
        "work did not.",
        "其余 {gap}的案件虽在街道结案,工作仍由部门人员承担:变的是结案地点,不是做事的人。",
    ),
    "first_sure": (
        "Each figure is the mean difference over {n} runs in which both designs "
        "face the same residents and the same cases; with 95% confidence the "
        "model's difference lies in the interval given.",
        "每个数字是 {n} 次运行的平均差值,每次两种方案面对相同的居民和相同的案件;"
        "模型中的差值有 95% 的把握落在所给区间内。",
    ),
    "first_all_clear": (
        "Every difference above is clear: no interval includes zero.",
        "以上差异都明确:没有区间包含零。",
    ),
    "first_none_clear": (
        "No difference above is clear: every interval includes zero ({measures}).",
        "以上差异都不明确:每个区间都包含零({measures})。",
    ),
    "first_unclear": (
        "Every difference above is clear except {measures}: its interval "
        "includes zero, so no difference was shown.",
        "除{measures}外,以上差异都明确;其区间包含零,未显示出差异。",
    ),
    "first_caveat": (
        "The model's parameters are assumptions awaiting calibration against a "
        "real city's records: read the direction and rough size of each change, "
        "not a forecast of this place's figures.",
        "模型参数是尚待用真实城市数据校准的假设:请看各项变化的方向和大致幅度,"
        "不要当作对本地数字的预测。",
    ),
    "glossary": ("Terms used", "术语说明"),
    "col_term": ("Term", "术语"),
    "glossary_interval_term": ("95% interval", "95% 区间"),
    "glossary_interval": (
        "The range in which the mean lies with 95% confidence over the "
        "model's runs; an interval that includes zero means no difference "
        "was shown.",
        "均值在模型多次运行中以 95% 的把握所处的范围;区间包含零表示未显示出差异。",
    ),
    "glossary_paired_term": ("paired runs (common random numbers)", "配对运行(共同随机数)"),
    "glossary_paired": (
        "Each run gives every design the same residents and the same cases, "
        "so a difference comes from the design and not from chance.",
        "每次运行中各方案面对相同的居民和相同的案件,差值因此来自方案本身而非偶然。",
    ),
    "glossary_setting_term": ("setting", "设置组"),
    "glossary_setting": (
        "One value of everything that varies between the runs other than the "
        "designs (scenario, city, days, …); runs of different settings are "
        "never pooled or paired.",
        "除方案外各次运行之间变化的全部取值(情景、城市、天数等);不同设置组的运行不合并、不配对。",
    ),
    "glossary_variance_left_term": ("variance left by pairing", "配对后剩余方差"),
    "glossary_variance_left": (
        "The variance of the paired difference as a share of an "
        "unpaired comparison's: below 100%, pairing made the figure "
        "more precise.",
        "配对差值的方差占非配对比较方差的比例:低于 100% 说明配对提高了精度。",
    ),
    "glossary_window_term": ("cases counted", "统计范围"),
    "glossary_window": (
        "Cases that arose after the warm-up and before the last days of the "
        "run, followed to its end; every share is over them.",
        "预热期之后、模拟最后若干天之前发生的案件,跟踪至模拟结束;所有比例均以其为分母。",
    ),
    "sheet_summary": ("Summary", "摘要"),
    "sheet_measures": ("Measures", "各项指标"),
    "sheet_differences": ("Differences", "差值"),
    "sheet_streets": ("Streets", "分街道"),
    "sheet_levels": ("Levels", "解决层级"),
    "sheet_definitions": ("Definitions", "指标定义"),
    "sheet_glossary": ("Terms", "术语说明"),
    "sheet_caveats": ("Caveats", "注意事项"),
    "col_reference_value": ("Reference", "对照方案"),
    "col_design_value": ("Design", "本方案"),
    "col_low": ("95% low", "95% 下限"),
    "col_high": ("95% high", "95% 上限"),
    "col_mean": ("Mean", "均值"),
    "col_runs": ("Runs", "运行次数"),
    "col_point": ("Point", "要点"),
    "col_text": ("What it says", "内容"),
    "warmup": ("warm-up (not counted)", "预热期(不计入)"),
    "prereform": ("before the reform", "改革前"),
    "app_title": ("govsim workshop", "市域社会治理推演"),
    "starting": ("Setting up the city…", "正在准备城市模型…"),
    "loading": ("Loading the workshop…", "正在加载推演…"),
    "day_word": ("day", "第"),
    "play": ("play", "播放"),
    "pause": ("pause", "暂停"),
    "step": ("step", "单步"),
    "speed": ("days per second", "每秒天数"),
    "run_days": ("run to day", "运行至第几天"),
    "setup": ("Set-up (applies on restart)", "基本设置(重新开始后生效)"),
    "scenario": ("scenario", "情景"),
    "city": ("city", "城市"),
    "design": ("design (mechanisms)", "方案(机制)"),
    "comparison": ("compare with", "对照方案"),
    "no_comparison": ("no comparison", "不对照"),
    "staff_scale": ("staff (× every count)", "人员配置(倍数)"),
    "seed": ("seed (same seed, same cases)", "随机种子(相同种子,相同案件)"),
    "pending": ("Changes wait for a restart.", "有设置尚未生效:请点击“重新开始”。"),
    "restart": ("restart", "重新开始"),
    "live_levers": ("Live levers (act from the next day)", "实时调节(次日生效)"),
    "events": ("Whistles and escalations", "吹哨与升级事件"),
    "no_events": ("none yet", "暂无事件"),
    "event_whistle": ("whistled ({n})", "吹哨({n} 次)"),
    "event_petition": ("escalated to petition ({n})", "诉求升级为信访({n} 件)"),
    "dashes": ("solid: design; dashed: comparison", "实线:本方案;虚线:对照方案"),
    "legend_settled": ("settled (where settled)", "化解率(按化解地点)"),
    "legend_handled": ("handled (by whose staff)", "自行处置率(按处置人员)"),
    "chart_kpi": ("Street and below, so far (%)", "街道及以下:累计(%)"),
    "chart_recent": ("Street and below, last {days} days (%)", "街道及以下:近 {days} 天(%)"),
    "recent_settled": (
        "settled at or below the street, last {days} days",
        "街道及以下化解率(近 {days} 天)",
    ),
    "recent_handled": (
        "handled at or below the street, last {days} days",
        "街道及以下自行处置率(近 {days} 天)",
    ),
    "recent_whistle_answers": ("departments answering a whistle", "部门响应吹哨"),
    "recent_patrol_found": ("found on patrol", "巡查发现占比"),
    "recent_discovery_days": ("days to discovery", "发现用时"),
    "recent_petitions": ("petitions", "信访"),
    "recent_closures": ("closures by level", "各层级办结"),
    "counter_window": ("last {days} days", "近 {days} 天"),
    "counter_total": ("{n} in all", "累计 {n}"),
    "days_unit": ("{n} days", "{n} 天"),
    "closure_levels": ("grid|community|street|departments|above", "网格|社区|街道|部门|信访法院"),
    "no_whistle": ("no whistle in that design", "该方案无吹哨"),
    "levers_moved": ("levers moved", "调节"),
    "scenario_reset": (
        "{scenario}: city, design and live levers as the scenario sets them; kept: {kept}.",
        "{scenario}:城市、方案与实时调节按情景设置;保留:{kept}。",
    ),
    "kept_settings": (
        "seed {seed}, staff ×{staff}, compared with {comparison}, run to day {days}",
        "种子 {seed}、人员 ×{staff}、对照 {comparison}、运行至第 {days} 天",
    ),
    "levers_kept": ("Kept from the run before: {kept}.", "沿用上一轮的设置:{kept}。"),
    "chart_rates": ("The three rates (%)", "三率:响应率、解决率、满意率(%)"),
    "chart_open": ("Open cases (cases)", "未结案件(件)"),
    "network_legend": (
        "colour: jobs per staff member (pale idle, red ≥ 3); orange: whistle; red ring: escalation",
        "颜色:人均在办案件(浅色空闲,红色≥3);橙线:吹哨;红圈:诉求升级",
    ),
    "node_tooltip": (
        "{name}<br/>staff: {staff}<br/>jobs held: {held}<br/>waiting: {waiting}",
        "{name}<br/>人员:{staff}<br/>在办:{held}<br/>等待:{waiting}",
    ),
    "summary_title": ("End of run: day {day}", "运行结束:第 {day} 天"),
    "summary_note": (
        "Shares are over the cases arisen so far; the difference is design − "
        "comparison, same residents and cases.",
        "比例以迄今已发生案件为分母;差值为方案 − 对照,两者居民与案件相同。",
    ),
    "difference": ("difference", "差值"),
    "in_effect": ("Settings in effect:", "当前设置:"),
    "changed": ("changed during the run", "运行中调整"),
    "export": ("export", "导出"),
}
"""Each phrase as (English, Chinese); ``{name}`` fields are filled by :func:`say`."""


def say(key: str, lang: str, **fields: object) -> str:
    """The phrase ``key`` in ``lang`` with its fields filled in."""
    en, zh = PHRASES[key]
    return (zh if check_language(lang) == "zh" else en).format(**fields)
