"""The reporting resident's channel, chosen case by case in compiled code as numpy chose it."""

from __future__ import annotations

import numpy as np

from govsim.model.channels import channel_of
from govsim.model.ledger import Channel


def test_channel_of_chooses_as_numpy_to_the_last_bit() -> None:
    rng = np.random.default_rng(4)
    n = 20_000
    u = rng.random(n, dtype=np.float32)
    trust = rng.random(n, dtype=np.float32)
    hotline = rng.random(n)
    street_share, threshold, propensity = 0.3, 0.35, 0.4
    trust[:50] = np.float32(threshold)  # at the threshold, in single precision
    u[50:100] = np.float32(0.4)  # at a channel's edge
    street = np.minimum(street_share, 1.0 - hotline)
    petition = np.where(trust < threshold, propensity, 0.0)
    rest = 1.0 - petition
    expected = np.select(
        [u < petition, u < petition + rest * hotline, u < petition + rest * (hotline + street)],
        [Channel.PETITION, Channel.HOTLINE, Channel.STREET_OFFICE],
        Channel.GRID_WORKER,
    )
    got = [
        channel_of(
            np.float64(u[k]), trust[k], hotline[k], street_share, np.float32(threshold), propensity
        )
        for k in range(n)
    ]
    assert got == expected.tolist()
