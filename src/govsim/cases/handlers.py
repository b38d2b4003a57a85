"""Who closed a case (办结单位): a log's closing units mapped to a level or a department by rules.

A log names the unit that closed each case: a community committee (…社区, …村, …居委会),
the town's office (…街道…, …镇…, 综合治理办, 综治…), a station of a department (司法所,
派出所, 市场监管所) or a department itself (区住建局, 城管中队), and pseudo-units of an intake
channel (非警务协同处置: police calls handed on). The mapping's ``handlers:`` names values;
:func:`with_handler_rules` adds every other value of the log that a rule matches:

1. the mapping's own ``handler_rules`` (``[{pattern: REGEX, to: LEVEL_OR_DEPARTMENT}]``), in
   their order;
2. :data:`DEPARTMENT_RULES`: a department's keywords (劳动/人社 → labour, 住建/物业/房管 →
   housing, 市场监管 → market_regulation, 司法 → justice, 派出所/公安 → public_security,
   城管/执法 → urban_management, 环保/生态环境 → environment, 民政 → civil_affairs), where the
   city has that department; with no city (or not that department), the ``department``
   level;
3. :data:`LEVEL_RULES`: …社区/…村/…居委会 → community; …街道…/…镇…/…乡/综合治理办/综治/a
   town office (…办, …室, …中心) → street.

A name in ``handlers:`` wins over every rule, a rule of the mapping over the built-in ones,
the first matching rule over later ones. A value no rule matches keeps its own text and is
listed by the check (:func:`govsim.cases.check.value_lists`) as not mapped. The patterns
read the naming of Chinese grid-governance exports (the Haishu log, DOMAIN.md: 社区 and
村 committees, 镇街 offices, 所 stations of district departments); a log named otherwise
takes its own ``handler_rules``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from govsim.cases.mapping import HANDLER_LEVELS, CaseLogMapping

__all__ = ["DEPARTMENT_RULES", "LEVEL_RULES", "handler_target", "with_handler_rules"]

DEPARTMENT_RULES: tuple[tuple[str, str], ...] = (
    (r"劳动|人社|人力资源", "labour"),
    (r"住建|物业|房管", "housing"),
    (r"市场监管|工商", "market_regulation"),
    (r"司法", "justice"),
    (r"派出所|公安", "public_security"),
    (r"城管|城市管理|综合执法|执法中队", "urban_management"),
    (r"环保|生态环境", "environment"),
    (r"民政", "civil_affairs"),
)
"""Keywords of a department's units → the department (when the city has it)."""

LEVEL_RULES: tuple[tuple[str, str], ...] = (
    (r"社区|村$|村委|居委", "community"),
    (r"街道|镇|乡$|综合治理|综治|[办室]$|中心$", "street"),
)
"""Patterns of a level's units → the level (community committees; town offices)."""


def handler_target(
    value: str, rules: Iterable[tuple[str, str]], departments: tuple[str, ...] | None
) -> str | None:
    """What ``value`` maps to by the first matching rule (None: no rule matches).

    ``rules`` come first (the mapping's), then the department keywords (a department the
    city lacks, or any with no city, maps to the ``department`` level), then the levels.
    """
    for pattern, target in rules:
        if re.search(pattern, value):
            return target
    for pattern, department in DEPARTMENT_RULES:
        if re.search(pattern, value):
            return (
                department
                if departments is not None and department in departments
                else "department"
            )
    for pattern, level in LEVEL_RULES:
        if re.search(pattern, value):
            return level
    return None


def with_handler_rules(
    mapping: CaseLogMapping, values: Iterable[str], departments: tuple[str, ...] | None = None
) -> CaseLogMapping:
    """``mapping`` with ``handlers:`` extended by the rules' targets of the log's ``values``.

    Names already in ``handlers:`` keep their target; a value that already is a level or
    a department of the city maps to itself; a mapping without a handler column is
    returned as it is.
    """
    if "handler" not in mapping.columns:
        return mapping
    named = dict(mapping.handlers or {})
    rules = mapping.handler_rules or ()
    for value in values:
        if value and value not in named:
            known = value in HANDLER_LEVELS or value in (departments or ())
            target = value if known else handler_target(value, rules, departments)
            if target is not None:
                named[value] = target
    return dataclasses.replace(mapping, handlers=named or None)
