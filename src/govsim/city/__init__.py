"""The city: governance levels and the network of service points (static during a run)."""

from govsim.city.build import City, build_city, scaled_staff
from govsim.city.levels import Level

__all__ = ["City", "Level", "build_city", "scaled_staff"]
