"""Channel choice (渠道选择): where a reporting resident takes their case.

One uniform draw per case: below ``petition_trust_threshold`` of trust a resident goes
straight to the petition office (信访) with probability ``petition_propensity``; otherwise
to the 12345 hotline (``hotline_channel_share``, or the hotline mechanism's
``hotline_share``; the more readily the more the resident trusts it, with
``hotline_trust_slope``), the street office (``street_channel_share``) or the grid worker.
Compiled: the discovery race (:mod:`govsim.model.race`) chooses case by case.
"""

from __future__ import annotations

import numpy as np

from govsim.config.schema import ResidentsConfig
from govsim.model.compiled import compiled
from govsim.model.ledger import Channel
from govsim.model.residents import Residents

__all__ = ["channel_of", "channel_shares", "hotline_shares"]

_PETITION, _HOTLINE = int(Channel.PETITION), int(Channel.HOTLINE)
_STREET_OFFICE, _GRID_WORKER = int(Channel.STREET_OFFICE), int(Channel.GRID_WORKER)


def channel_shares(config: ResidentsConfig) -> tuple[float, np.float32, float]:
    """The street office's share, the petitioning trust threshold and the petition propensity.

    As :func:`channel_of` takes them: the threshold in the residents' single precision, as
    trust is compared with it.
    """
    return (
        float(config.street_channel_share),
        np.float32(config.petition_trust_threshold),
        float(config.petition_propensity),
    )


def hotline_shares(
    residents: Residents, config: ResidentsConfig, hotline_lever: float, resident: np.ndarray
) -> np.ndarray:
    """Each reporting resident's share of calls to 12345 today (one per ``resident``).

    ``hotline_lever``: today's hotline share from a mechanism, or < 0 for the city's own.
    """
    share = residents.hotline_share(
        resident, config.hotline_channel_share if hotline_lever < 0.0 else hotline_lever
    )
    return np.broadcast_to(np.asarray(share, dtype=float), resident.shape).copy()


@compiled
def channel_of(
    u: float,
    trust: np.float32,
    hotline: float,
    street_share: float,
    petition_threshold: np.float32,
    petition_propensity: float,
) -> int:
    """The channel (``Channel``) a reporting resident chooses, from one uniform draw ``u``.

    ``hotline``: the resident's share of calls to 12345 (:func:`hotline_shares`); the rest
    as :func:`channel_shares` gives them.
    """
    street = min(street_share, 1.0 - hotline)
    petition = petition_propensity if trust < petition_threshold else 0.0
    rest = 1.0 - petition
    if u < petition:
        return _PETITION
    if u < petition + rest * hotline:
        return _HOTLINE
    if u < petition + rest * (hotline + street):
        return _STREET_OFFICE
    return _GRID_WORKER
