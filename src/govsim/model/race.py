"""The discovery race of each new case, as compiled code (:mod:`govsim.model.discovery`).

Case by case: whether and when the resident reports (propensity × trust, after an
exponential delay), when a patrol's find is submitted, which comes first, the reporting
resident's channel (:func:`govsim.model.channels.channel_of`), whether the case crosses a
boundary and when its grievance would escalate unknown. The arithmetic is numpy's to the
last bit: the residents' single-precision values and the case's single-precision draws meet
Python numbers in single precision, as numpy casts them, and divisions by zero give numpy's
infinities and NaNs.
"""

from __future__ import annotations

import math

import numpy as np

from govsim.model.channels import channel_of
from govsim.model.compiled import compiled
from govsim.model.ledger import Channel

__all__ = ["race"]

_NONE, _PATROL, _HOTLINE = int(Channel.NONE), int(Channel.PATROL), int(Channel.HOTLINE)


@compiled
def _divide(a: float, b: float) -> float:
    """``a / b`` as numpy divides: ± infinity or NaN where ``b`` is 0."""
    if b != 0.0:
        return a / b
    if a == 0.0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


@compiled
def race(
    ids: np.ndarray,
    led: tuple,
    people: tuple,
    hotline: np.ndarray,
    patrol: np.ndarray,
    escalation: tuple,
    numbers: tuple,
    when: np.ndarray,
    escalates: np.ndarray,
) -> None:
    """Run the discovery race of cases ``ids``; write the ledger's outcome columns.

    Args:
        ids: the new cases.
        led: the ledger's columns: resident, arisen, grid, case type, the draws u_report,
            e_report, e_discover, u_submit, u_channel, u_cross and e_latent_escalation, and
            the written reported, channel, via_hotline and cross_region.
        people: every resident's reporting propensity and trust.
        hotline: each case's resident's share of calls to 12345.
        patrol: each grid's patrol discovery rate today.
        escalation: each case type's latent escalation rate and whether it is mediable.
        numbers: the levers report, report_delay, escalation and dispute_escalation, the
            report delay in days, the patrols' submissions a day, the cross-region share and
            the channels' shares (:func:`govsim.model.channels.channel_shares`).
        when: written: the time each case would be known in plain days (inf: never).
        escalates: written: the time its grievance escalates unknown (inf: never).

    """
    (
        resident,
        arisen,
        grid,
        case_type,
        u_report,
        e_report,
        e_discover,
        u_submit,
        u_channel,
        u_cross,
        e_latent,
        reported,
        channel,
        via_hotline,
        cross_region,
    ) = led
    propensity, trust = people
    latent, mediable = escalation
    (
        report_lever,
        delay_lever,
        escalation_lever,
        dispute_lever,
        delay_days,
        submissions,
        cross_share,
        street_share,
        petition_threshold,
        petition_propensity,
    ) = numbers
    report_lever32, delay_lever32 = np.float32(report_lever), np.float32(delay_lever)
    delay32, submissions32 = np.float32(delay_days), np.float32(submissions)
    cross32 = np.float32(cross_share)
    for k in range(len(ids)):
        case = ids[k]
        r = resident[case]
        t0 = arisen[case]
        report = min(np.float32(1.0), propensity[r] * trust[r] * report_lever32)
        report_time = math.inf
        if u_report[case] < report:
            report_time = t0 + np.float64(e_report[case] * delay32 * delay_lever32)
        found = (
            t0
            + _divide(np.float64(e_discover[case]), patrol[grid[case]])
            + np.float64(np.float32(_divide(u_submit[case], submissions32)))
        )
        known = math.isfinite(report_time) and report_time <= found
        reported[case] = known
        if known:
            chosen = channel_of(
                np.float64(u_channel[case]),
                trust[r],
                hotline[k],
                street_share,
                petition_threshold,
                petition_propensity,
            )
            when[k] = report_time
        else:
            chosen = _PATROL if math.isfinite(found) else _NONE
            when[k] = found
        channel[case] = chosen
        via_hotline[case] = chosen == _HOTLINE
        cross_region[case] = u_cross[case] < cross32
        kind = case_type[case]
        rate = latent[kind] * escalation_lever * (dispute_lever if mediable[kind] else 1.0)
        latest = t0 + _divide(np.float64(e_latent[case]), rate)
        escalates[k] = math.inf if math.isnan(latest) else latest
