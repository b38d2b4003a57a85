"""Units sized by a log's volumes when the city gives no populations."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import experiment
from govsim.cases.unit_volumes import residents_by_volume
from govsim.config.units import check_units
from govsim.model.model import GovernanceModel
from govsim.model.sizing import residents


def test_units_get_residents_in_proportion_to_their_volumes() -> None:
    city = experiment("city=workshop").city  # 2 streets × 3 communities × 4 grids × 300
    sized = residents_by_volume(city, {"street/0": 3.0, "street/1": 1.0}, "street")
    check_units(sized)
    grids = np.asarray(sized.units.grid_residents)
    assert grids[:12].tolist() == [450] * 12 and grids[12:].tolist() == [150] * 12
    assert residents(sized) == residents(city) == 7200
    assert sized.streets_per_district is None and sized.residents.per_grid is None
    quiet = residents_by_volume(city, {"street/0": 1.0}, "street")
    assert np.asarray(quiet.units.grid_residents)[12:].tolist() == [1] * 12  # no cases: 1 each
    with pytest.raises(ValueError, match="archetype"):
        residents_by_volume(sized, {"street/0": 1.0}, "street")


def test_a_sized_city_sees_each_unit_s_volume() -> None:
    """Simulated arrivals per street follow the volumes that sized them (3 : 1)."""
    per_street = np.zeros(2)
    for seed in range(4):  # about 2,000 cases: the ratio's noise is about 5%
        cfg = experiment("city=workshop", "days=120", "horizon_days=0", "mechanism=baseline",
                         "reference=null", f"seed={seed}")
        cfg.city = residents_by_volume(cfg.city, {"street/0": 3.0, "street/1": 1.0}, "street")
        model = GovernanceModel(cfg)
        model.run_model()
        led = model.ledger
        per_street += np.bincount(led.street[: len(led)], minlength=2)
    assert per_street[0] / per_street[1] == pytest.approx(3.0, rel=0.15)
