"""Parameter recovery of the demand and routing fits: whether their 95% intervals cover the truth.

A log the model generates with a known demand — a weekday profile, a holiday factor and a
daily over-dispersion — and known routing — each case type's settlement probabilities at
the grid, the community and the street — is fitted by :func:`govsim.cases.fit.fit_demand`
and :func:`govsim.cases.case_types.routing_table`, and each true value is checked against
its interval: the rates per category, the weekday weights, the holiday factor, the
dispersion, and each type's share of closures at each level (its ladder's,
:func:`govsim.cases.case_types.expected_shares`; a level a type never reaches, a
non-mediable type's community, is left out, its interval covering 0 by construction). The
city is the workshop city with load and staff × 5 and every case reported at once (a log's
report times are then the times cases arose), run for 120 days from 1 January 2025 (New
Year and the Spring Festival fall in it); every case enters at the grid (no resident goes
to the street office first) and no grievance escalates, so that the closures follow the
ladder the fitted routing assumes. Over many seeds, the share of intervals covering the
truth should be near 95%: ``benchmarks/fit_recovery.py`` counts it over any number of
seeds, the tests over 20. Handling hours are recovered in ``tests/test_handling.py``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

__all__ = ["DISPERSION", "HOLIDAY", "PROFILE", "covered"]

PROFILE = (1.5, 1.3, 1.2, 1.0, 0.8, 0.6, 0.6)
"""The true weekday profile, Monday to Sunday (relative)."""
HOLIDAY, DISPERSION, LOAD = 0.4, 0.3, 5
FIRST, UNTIL = date(2025, 1, 1), date(2025, 4, 30)
OVERRIDES = (
    "city=workshop",
    "mechanism=baseline",
    "reference=null",
    "days=120",
    "horizon_days=0",
    "progress=false",
    f"city.case_load_scale={LOAD}",
    f"city.staff_scale={LOAD}",
    "city.residents.trust_mean=1.0",
    "city.residents.report_propensity_mean=1.0",
    "city.residents.report_delay_days=0",
    "city.residents.trust_learning_rate=0",
    "city.residents.street_channel_share=0",
    f"city.calendar.weekday_profile=[{','.join(map(str, PROFILE))}]",
    f"city.calendar.holiday_factor={HOLIDAY}",
    f"city.calendar.daily_dispersion={DISPERSION}",
)


def covered(seed: int) -> dict[str, list[bool]]:
    """Whether each true value lies in its fitted 95% interval, by parameter group."""
    from govsim.cases.case_types import LEVELS, expected_shares, routing_table
    from govsim.cases.fit import fit_demand, observed
    from govsim.composition.compose import compose
    from govsim.model.model import GovernanceModel
    from govsim.model.sizing import residents
    from govsim.outcomes.caselog import case_log

    types = compose(list(OVERRIDES)).city.case_types
    cfg = compose(
        [
            *OVERRIDES,
            f"seed={seed}",
            *(f"city.case_types.{t}.escalation_rate_per_day=0" for t in types),
        ]
    )
    model = GovernanceModel(cfg)
    model.run_model()
    log = case_log(model)
    cases = observed(
        log.assign(created=pd.to_datetime(log["created"]), closed=pd.to_datetime(log["closed"])),
        UNTIL,
    )
    fit = fit_demand(cases, FIRST, UNTIL, np.random.default_rng(seed))
    per_day = {
        t: residents(cfg.city) * c.rate_per_1000_per_year * LOAD / 1000 / 365
        for t, c in cfg.city.case_types.items()
    }
    rates = fit.rates
    truth = np.array([per_day[c] for c in rates["category"]])
    weekly = np.array(PROFILE) / np.mean(PROFILE)
    w, h, d = fit.weekday_profile, fit.holiday_factor.iloc[0], fit.dispersion.iloc[0]
    routing = routing_table(cases, cfg.city.departments)
    reached = np.array(
        [
            cfg.city.case_types[c].mediable or level != "community"
            for c, level in zip(routing["category"], routing["level"], strict=True)
        ]
    )
    routing = routing[reached]
    share = np.array(
        [
            expected_shares(cfg.city.case_types[c])[LEVELS.index(level)]
            for c, level in zip(routing["category"], routing["level"], strict=True)
        ]
    )
    return {
        "rate per category": ((rates["low"] <= truth) & (truth <= rates["high"])).tolist(),
        "weekday profile": ((w["low"] <= weekly) & (weekly <= w["high"])).tolist(),
        "holiday factor": [bool(h.low <= HOLIDAY <= h.high)],
        "daily dispersion": [bool(d.low <= DISPERSION <= d.high)],
        "routing share": ((routing["low"] <= share) & (share <= routing["high"])).tolist(),
    }
