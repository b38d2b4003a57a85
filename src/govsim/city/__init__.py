"""The city: governance levels and the network of service points (static during a run).

:class:`City`, :func:`build_city` and :func:`scaled_staff` are loaded on first use, so that
naming a level (:class:`Level`) loads neither numpy nor networkx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govsim.city.levels import Level

if TYPE_CHECKING:
    from govsim.city.build import City, build_city, scaled_staff

__all__ = ["City", "Level", "build_city", "scaled_staff"]

_BUILD = frozenset({"City", "build_city", "scaled_staff"})


def __getattr__(name: str) -> Any:
    """The names of :mod:`govsim.city.build`, imported when first asked for."""
    if name in _BUILD:
        from govsim.city import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
