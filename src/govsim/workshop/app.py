"""Workshop mode: a live Mesa SolaraViz app of the city and its cases (``govsim app``).

Served from localhost with every asset local (solara-assets) and telemetry off, so it
works in a workshop room without network. Shows the governance network coloured by load,
whistles and escalations as they happen, and live charts of the share settled at or
below the street (beside the share handled there without staff from above), backlogs
and satisfaction; levers are sliders; labels switch between English and Chinese.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.user_param import Slider

from govsim.city.levels import Level
from govsim.experiments.compose import compose
from govsim.model.model import GovernanceModel
from govsim.outcomes.daily import DAILY_REPORTERS, running_tally
from govsim.workshop.views import charts_figure, network_figure

__all__ = ["CHOICES", "LABELS", "WorkshopModel", "page"]

CHOICES: dict[str, list[str]] = {
    "baseline": ["mechanism=baseline"],
    "whistle": ["mechanism=[whistle,assessment]"],
    "whistle+hotline": ["mechanism=[whistle,hotline]"],
    "grid+centre": ["mechanism=[grid,centre]"],
    "guangdong": ["scenario=guangdong_grid_centre", "warmup_days=0"],
}
"""Mechanism choices offered in the app, as Hydra overrides."""

LABELS = {
    "en": {"share": "share of cases settled at or below the street",
           "handled": "handled there without staff from above", "backlog": "open cases",
           "departments": "open cases with departments", "satisfaction": "mean satisfaction",
           "network": "governance network (colour: load of each service point)",
           "day": "day", "events": "events", "whistle": "whistle blown in street",
           "petition": "grievance escalated (petition) in street", "none": "no events yet"},
    "zh": {"share": "街道及以下化解率", "handled": "其中无需上级人员处置", "backlog": "未结案件",
           "departments": "部门积压案件",
           "satisfaction": "平均满意度", "network": "治理网络(颜色:各处置点负荷)",
           "day": "第", "events": "事件", "whistle": "街道吹哨", "petition": "诉求升级(信访),街道",
           "none": "暂无事件"},
}


class WorkshopModel(GovernanceModel):
    """The governance model on the workshop city, set up from a few levers."""

    def __init__(self, mechanism: str = "whistle", patrol_rate: float = 0.2,
                 department_staff: int = 1,
                 assessment_weight: float = 0.5, language: str = "en", seed: int = 0,
                 city: str = "workshop") -> None:
        overrides = [f"city={city}", f"seed={seed}", "days=3650", "replications=1",
                     "reference=null", *CHOICES[mechanism],
                     f"city.patrol_discovery_rate_per_day={patrol_rate}"]
        cfg = compose(overrides)
        for dept in cfg.city.departments.values():
            dept.staff = int(department_staff)
        if "assessment" in cfg.mechanism:
            cfg.mechanism["assessment"].weight = assessment_weight
        super().__init__(cfg, reporters=DAILY_REPORTERS)
        self.choice = mechanism
        self.language = language if language in LABELS else "en"
        self.events: deque[tuple[int, str, int]] = deque(maxlen=8)
        self._seen = (0, 0)

    def step(self) -> None:
        """Advance a day and note the day's whistles and escalations per street."""
        before = list(self.engine.whistles)
        petitions = self.engine.counters.petitions
        super().step()
        for street, (old, now) in enumerate(zip(before, self.engine.whistles, strict=True)):
            if now > old:
                self.events.appendleft((self.day, "whistle", street))
        if self.engine.counters.petitions > petitions:
            led = self.ledger
            n = len(led)
            today = led.petitioned_at[:n] >= self.day - 1
            for street in np.unique(led.street[:n][today])[:3].tolist():
                self.events.appendleft((self.day, "petition", street))


def network_view(model: GovernanceModel) -> None:
    """The network panel (re-drawn by SolaraViz after every step)."""
    labels = LABELS[getattr(model, "language", "en")]
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"<b>{labels['network']}</b> — {labels['day']} <span id='day'>{model.day}</span>"))
    solara.FigureMatplotlib(network_figure(model), format="png", dependencies=[model.day])


def charts_view(model: GovernanceModel) -> None:
    """The chart panel, with the current values as text."""
    labels = LABELS[getattr(model, "language", "en")]
    c = model.engine.counters
    tally = running_tally(model)
    share = tally.share_arisen_settled_at_or_below_street
    handled = tally.share_arisen_handled_at_or_below_street
    satisfaction = tally.satisfaction_rate
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"1 {labels['share']}: <span id='headline'>{share:.3f}</span> "
        f"({labels['handled']}: <span id='handled'>{handled:.3f}</span>) · "
        f"2 {labels['backlog']}: {c.open} ({labels['departments']}: "
        f"{c.by_stage[Level.DEPARTMENT]}) · 3 {labels['satisfaction']}: {satisfaction:.3f} · "
        f"<span id='mechanism'>{getattr(model, 'choice', '')}</span>"))
    solara.FigureMatplotlib(charts_figure(model), format="png", dependencies=[model.day])


def events_view(model: GovernanceModel) -> None:
    """Whistles and escalations of the last days."""
    labels = LABELS[getattr(model, "language", "en")]
    events = getattr(model, "events", [])
    items = "".join(f"<li>{labels['day']} {day}: {labels[kind]} {street}</li>"
                    for day, kind, street in events)
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"<b>{labels['events']}</b><ul id='events'>{items or labels['none']}</ul>"))


MODEL_PARAMS = {
    "mechanism": {"type": "Select", "value": "whistle", "values": list(CHOICES),
                  "label": "mechanism / 机制"},
    "patrol_rate": Slider("patrol effort / 巡查力度", 0.2, 0.05, 1.0, 0.05),
    "department_staff": Slider("department staff / 部门人员", 1, 1, 6, 1),
    "assessment_weight": Slider("assessment weight / 考核权重", 0.5, 0.0, 1.0, 0.1),
    "language": {"type": "Select", "value": "en", "values": ["en", "zh"],
                 "label": "language / 语言"},
    "seed": 0,
}

model = WorkshopModel()
page = SolaraViz(model, components=[(network_view, 0), (charts_view, 0), (events_view, 0)],
                 model_params=MODEL_PARAMS, name="govsim workshop / 市域社会治理推演",
                 play_interval=300)
