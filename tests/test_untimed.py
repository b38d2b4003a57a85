"""Delays a log does not time are taken from the responses it does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govsim.cases.handling import HandlingFit
from govsim.cases.untimed import untimed_text, with_untimed_delays


@pytest.fixture
def workshop_city():
    from govsim.cases.city import load_city

    return load_city("workshop")


def _fit(street: float, departments: float, own: dict[str, float]) -> HandlingFit:
    rows = [
        {"level": "street", "department": "", "response_days": street},
        {"level": "department", "department": "", "response_days": departments},
    ]
    rows += [
        {"level": "department", "department": name, "response_days": value}
        for name, value in own.items()
    ]
    return HandlingFit(levels=pd.DataFrame(rows), types=pd.DataFrame(), skipped={})


def test_unseen_departments_and_cross_boundary_waits_take_the_log_s_responses(
    workshop_city,
) -> None:
    names = sorted(workshop_city.departments)
    seen, unseen = names[0], names[1:]
    city, table = with_untimed_delays(workshop_city, _fit(0.3, 0.1, {seen: 0.05}))
    assert city.cross_region_delay_days == 0.3
    assert workshop_city.cross_region_delay_days != 0.3
    assert city.departments[seen] == workshop_city.departments[seen]  # its own stays
    for name in unseen:
        assert city.departments[name].response_delay_days == 0.1
    assert len(table) == 1 + len(unseen)
    assert "cross_region_delay_days" in untimed_text(table)


def test_without_responses_the_city_keeps_its_delays(workshop_city) -> None:
    city, table = with_untimed_delays(workshop_city, _fit(np.nan, np.nan, {}))
    assert city == workshop_city
    assert table.empty
