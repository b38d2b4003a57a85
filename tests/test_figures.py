"""Figures that can be shown: bounded bands, per-period shares, phases, a Chinese font."""

from __future__ import annotations

import types

import numpy as np
import pandas as pd
import pytest

from govsim.outcomes.measures import HEADLINE
from govsim.report import figures, fonts
from govsim.report.display import Kind, measure
from govsim.report.figures import Phase, band, per_period, phases, title


def test_bands_stay_within_a_measures_bounds() -> None:
    runs = pd.DataFrame(
        {
            "day": [1, 1, 1, 2, 2, 2],
            HEADLINE: [1.0, 0.9, 0.98, 0.0, 0.1, 0.02],
            "backlog": [0, 5, 1, 0, 9, 0],
        }
    )
    share = band(runs, HEADLINE, HEADLINE)
    assert (share["high"] <= 1.0).all() and (share["low"] >= 0.0).all()
    assert share["high"].iloc[0] == 1.0 and share["low"].iloc[1] == 0.0
    counts = band(runs, "backlog", "backlog")
    assert (counts["low"] >= 0).all() and counts["low"].iloc[1] == 0.0


def test_per_period_shares_are_of_the_cases_arisen_in_each_period() -> None:
    # 10 cases a day; all settled in the first 30 days, none in the next 30
    days = np.arange(1, 61)
    arisen = 10 * days
    settled = np.minimum(arisen, 300)
    daily = pd.DataFrame(
        {
            "mechanism": "x",
            "seed": 0,
            "replication": 0,
            "day": days,
            "cases_arisen": arisen,
            HEADLINE: settled / arisen,
        }
    )
    shares = per_period(daily, HEADLINE, 30)
    assert shares[HEADLINE].tolist() == pytest.approx([1.0, 0.0])
    assert shares["day"].tolist() == [30, 60]


def test_phases_of_a_staged_roll_out_and_none_for_a_design_at_once() -> None:
    staged = {
        "mechanism.whistle.start_day": 365,
        "mechanism.whistle.ramp_days": 180,
        "mechanism.grid.start_day": 0,
        "mechanism.grid.ramp_days": 0,
    }
    assert phases(staged) == [Phase(365, "whistle")]
    assert phases({"mechanism.whistle.start_day": 0, "mechanism.whistle.ramp_days": 0}) == []


def test_titles_name_city_scenario_and_designs_in_the_language() -> None:
    daily = pd.DataFrame(
        {
            "scenario": ["beijing_2018_street_whistle"] * 2,
            "mechanism": ["whistle+assessment", "baseline"],
        }
    )
    zh = title(daily, "zh", "workshop", "演示小城")
    assert zh.startswith("演示小城 · 北京") and "街巷吹哨" in zh and "层级流转" in zh
    assert "_" not in title(daily, "en", "workshop")


def test_a_missing_chinese_font_is_an_error(monkeypatch) -> None:
    empty = types.SimpleNamespace(ttflist=[], __init__=lambda: None)
    monkeypatch.setattr(fonts.font_manager, "fontManager", empty)
    with pytest.raises(fonts.MissingFontError, match="fonts-wqy-microhei"):
        fonts.cjk_family.__wrapped__()


def test_the_days_before_the_reform_and_the_warm_up_are_shaded_and_named(
    monkeypatch, tmp_path
) -> None:
    from govsim.report import figures
    from govsim.report.phrases import say

    drawn = []
    monkeypatch.setattr(figures, "save_figure", lambda fig, path, **_: drawn.append(fig) or path)
    rng = np.random.default_rng(0)
    days = np.arange(-10, 40)
    daily = pd.DataFrame(
        [
            {
                "day": d,
                "mechanism": m,
                "replication": r,
                **{p: rng.random() for p in figures.PANELS},
            }
            for m in ("whistle", "baseline")
            for r in range(2)
            for d in days
        ]
    )
    figures.plot_comparison(daily, tmp_path / "f.png", "zh", warmup=15)
    spans = [
        (p.get_x(), p.get_x() + p.get_width(), p.get_label())
        for p in drawn[0].axes[0].patches
        if p.get_label().startswith(("改革", "预热"))
    ]
    assert spans == [(-10, 0, say("prereform", "zh")), (0, 15, say("warmup", "zh"))]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_comparison_figure_keeps_its_texts_inside_and_apart(
    monkeypatch, tmp_path, lang: str
) -> None:
    drawn = []
    monkeypatch.setattr(figures, "save_figure", lambda fig, path, **_: drawn.append(fig))
    days = np.arange(1, 366)
    rng = np.random.default_rng(4)
    daily = pd.DataFrame(
        {
            "mechanism": "whistle",
            "seed": 0,
            "replication": 0,
            "day": days,
            "scenario": "beijing_2018_street_whistle",
            "cases_arisen": 9000 * days,
        }
    )
    for panel in figures.PANELS:  # shares in 0–1; counts up to seven digits
        share = measure(panel).kind is Kind.SHARE
        daily[panel] = rng.random(len(days)) * (1.0 if share else 2_400_000)
    figures.plot_comparison(
        daily,
        tmp_path / "comparison.png",
        lang,
        city="workshop",
        city_label_zh="演示小城",
        marks=[Phase(200, "whistle")],
    )
    fig = drawn[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]
    boxes.append(fig._suptitle.get_window_extent(renderer))
    for k, box in enumerate(boxes):
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1
        assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1
        assert not any(box.overlaps(other) for other in boxes[k + 1 :])
