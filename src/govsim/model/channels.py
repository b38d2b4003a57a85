"""Channel choice (渠道选择): where a reporting resident takes their case.

One uniform draw per case: below ``petition_trust_threshold`` of trust a resident goes
straight to the petition office (信访) with probability ``petition_propensity``; otherwise
to the 12345 hotline (``hotline_channel_share``, or the hotline mechanism's
``hotline_share``; the more readily the more the resident trusts it, with
``hotline_trust_slope``), the street office (``street_channel_share``) or the grid worker.
"""

from __future__ import annotations

import numpy as np

from govsim.config.schema import ResidentsConfig
from govsim.model.ledger import Channel
from govsim.model.residents import Residents

__all__ = ["choose_channels"]


def choose_channels(residents: Residents, config: ResidentsConfig, hotline_lever: float,
                    resident: np.ndarray, u_channel: np.ndarray) -> np.ndarray:
    """The channel (``Channel``) each reporting resident chooses, from one uniform draw.

    Args:
        residents: every resident's trust and hotline share.
        config: the residents' configuration (the channels' shares).
        hotline_lever: today's hotline share from a mechanism, or < 0 for the city's own.
        resident: the reporting residents.
        u_channel: each case's uniform draw for the channel.

    """
    hotline = residents.hotline_share(
        resident, config.hotline_channel_share if hotline_lever < 0.0 else hotline_lever)
    street = np.minimum(config.street_channel_share, 1.0 - hotline)
    petition = np.where(residents.trust[resident] < config.petition_trust_threshold,
                        config.petition_propensity, 0.0)
    rest = 1.0 - petition
    return np.select(
        [u_channel < petition, u_channel < petition + rest * hotline,
         u_channel < petition + rest * (hotline + street)],
        [Channel.PETITION, Channel.HOTLINE, Channel.STREET_OFFICE],
        Channel.GRID_WORKER).astype(np.int8)
