"""A composite governance index in the spirit of Guangzhou's 红棉指数 "5+1" (source 003).

Five dimensions, each a share in [0, 1] computed from a run's metrics, and the "+1" risk
dimension reported beside them:

| dimension | 红棉指数 | formula |
| --- | --- | --- |
| ``index_social_safety`` | 社会治安 | 1 − (petitions + collective incidents) / cases arisen |
| ``index_rule_of_law`` | 法治保障 | true resolution rate: cases truly resolved / cases arisen |
| ``index_moral_governance`` | 德治教化 | satisfaction rate: residents satisfied / cases arisen |
| ``index_public_participation`` | 公众参与 | share of cases reported by residents themselves |
| ``index_smart_support`` | 智治支撑 | 1 / (1 + mean days from arising to being known) |
| ``index_risk`` (+1) | 风险预警 | 1 − cases escalated above the street / cases arisen |

``governance_index`` = 100 × the mean of the five dimensions. The field index weights and
indicators are not published in the sources; this one only mirrors its structure.
"""

from __future__ import annotations

import math

__all__ = ["INDEX_COLUMNS", "governance_index"]

INDEX_COLUMNS = [
    "governance_index",
    "index_social_safety",
    "index_rule_of_law",
    "index_moral_governance",
    "index_public_participation",
    "index_smart_support",
    "index_risk",
]


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else math.nan


def governance_index(m: dict[str, float]) -> dict[str, float]:
    """The index and its dimensions from a run's metrics (:mod:`govsim.outcomes.metrics`)."""
    arisen = m["cases_arisen"]
    dims = {
        "index_social_safety": 1.0 - _ratio(m["petitions"] + m["collective_incidents"], arisen),
        "index_rule_of_law": m["true_resolution_rate"],
        "index_moral_governance": m["satisfaction_rate"],
        "index_public_participation": m["reported_share"],
        "index_smart_support": 1.0 / (1.0 + m["discovery_days_mean"]),
    }
    return {
        "governance_index": 100.0 * sum(dims.values()) / len(dims),
        **dims,
        "index_risk": 1.0 - _ratio(m["cases_escalated_above_street"], arisen),
    }
