"""The governance levels a case can be handled at (四级联动 plus the grid)."""

from enum import IntEnum


class Level(IntEnum):
    """Where a case is handled or resolved, from the bottom of the hierarchy up.

    ``GRID`` (网格), ``COMMUNITY`` (社区/村), ``STREET`` (街道/乡镇), ``DEPARTMENT`` (区县职能部门)
    and ``ABOVE`` (信访、法院等 above the district's departments). The headline measure
    counts resolutions at ``STREET`` or below (DOMAIN.md, source 003: 99.8% in Guangdong).
    """

    GRID = 0
    COMMUNITY = 1
    STREET = 2
    DEPARTMENT = 3
    ABOVE = 4

    @property
    def at_or_below_street(self) -> bool:
        """True for the grid, community and street levels."""
        return self <= Level.STREET
