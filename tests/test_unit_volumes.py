"""Units sized by a log's volumes when the city gives no populations."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import experiment
from govsim.cases.unit_volumes import sized_by_volume
from govsim.config.units import check_units
from govsim.model.model import GovernanceModel
from govsim.model.sizing import residents


def test_units_get_grids_in_proportion_to_their_volumes() -> None:
    city = experiment("city=workshop").city  # 2 streets × 3 communities × 4 grids × 300
    sized = sized_by_volume(city, {"street/0": 3.0, "street/1": 1.0}, "street")
    check_units(sized)
    units = sized.units
    # relative volumes 1.5 and 0.5: 6 and 2 grids in each community, 300 residents each
    assert [units.grid_community.count(c) for c in units.communities] == [6, 6, 6, 2, 2, 2]
    assert set(units.grid_residents) == {300} and residents(sized) == residents(city) == 7200
    assert sized.streets_per_district is None and sized.residents.per_grid is None
    quiet = sized_by_volume(city, {"street/0": 1.0}, "street")
    assert [quiet.units.grid_community.count(c) for c in quiet.units.communities] == [
        8,
        8,
        8,
        1,
        1,
        1,
    ]  # no cases: one grid each
    by_grid = sized_by_volume(city, {"grid/0": 23.0, "grid/1": 1.0}, "grid")
    assert by_grid.units.grid_residents[:3] == [6900, 300, 1]  # residents, where grids are
    with pytest.raises(ValueError, match="archetype"):
        sized_by_volume(sized, {"street/0": 1.0}, "street")


def test_a_sized_city_sees_each_unit_s_volume() -> None:
    """Simulated arrivals per street follow the volumes that sized them (3 : 1)."""
    per_street = np.zeros(2)
    for seed in range(4):  # about 2,000 cases: the ratio's noise is about 5%
        cfg = experiment(
            "city=workshop",
            "days=120",
            "horizon_days=0",
            "mechanism=baseline",
            "reference=null",
            f"seed={seed}",
        )
        cfg.city = sized_by_volume(cfg.city, {"street/0": 3.0, "street/1": 1.0}, "street")
        model = GovernanceModel(cfg)
        model.run_model()
        led = model.ledger
        per_street += np.bincount(led.street[: len(led)], minlength=2)
    assert per_street[0] / per_street[1] == pytest.approx(3.0, rel=0.15)
