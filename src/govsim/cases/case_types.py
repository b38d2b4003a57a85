"""A city's case types made from a log's categories (事件分类 → 案件类型), with their routing.

``govsim cases fit`` keeps every category of a log (:func:`open_categories`): a category
the mapping's ``categories:`` maps keeps its mapping (merged into a case type of the
template city, or renamed to a new one); a category whose text is a template type's name
or its ``label_zh`` is that type; any other category is kept under its own text. Then,
over the cases of the fitted period (:func:`log_case_types`):

- a category with at least ``min_cases`` cases (:data:`MIN_CASES`) becomes a case type of
  its own, named by :func:`type_name` (an English identifier) with the log's text as its
  ``label_zh``; rarer ones pool into one type :data:`OTHER` (label 其他(合并)), listed with
  their counts. A template type the mapping maps to keeps its own name however few its
  cases;
- **routing** (分流): of each type's closed cases whose closing unit maps to a level or a
  department (:mod:`govsim.cases.handlers`), the shares closed at the grid, community,
  street and department (or above) levels (Wilson 95% intervals) are turned into the
  settlement probabilities of the model's ladder (grid → community mediation for a
  mediable type → street → departments, :mod:`govsim.model.routing`):
  ``grid_settle_prob`` = grid share; ``mediation_settle_prob`` = community share of what
  the grid left; ``street_settle_prob`` = street share of what grid and community left.
  A type the log shows closing at the community is mediable. The departments are those
  the log names for the type (most cases first) if they closed at least
  :data:`MIN_DEPARTMENT` of its cases, else the template's. A case closed at
  the community or the street whose last dispatch (最后派发时间) came within
  :data:`ENTRY_HOURS` of its report was dispatched there at once (by the intake, 综治中心):
  these give the type's ``community_entry_prob`` and ``street_entry_prob`` (shares of its
  routed closures), and the grid's probability is fitted on the rest (see
  :func:`case_type_for`). The model's street office takes the cases dispatched to it only
  on a working day before its window closes (:func:`govsim.model.worktime.takes_dispatch`),
  so where the fit knows when it did (``taking``), the street's share is of the cases that
  became known then, and a street closure dispatched at once at another time counts as
  one that climbed the ladder. Assumption: every other case enters at the grid (a log without
  dispatch times: every case); a unit settles a case it got at once as often as one that
  climbed to it;
  with fewer than :data:`MIN_ROUTED` routed closures the template's routing stays;
- **handling** (hours per level), priority, urgency and the share of collective incidents,
  which the log does not show, are those of the template
  city's most similar type: the one whose expected level shares (from its settlement
  probabilities, as :mod:`govsim.model.capacity` computes the flows) are nearest (sum of
  absolute differences) to the type's fitted shares, ties and types without routed
  closures going to the type whose ``label_zh`` is most alike (:mod:`difflib`); the fit then
  reads handling hours and escalation from the log (:mod:`govsim.cases.handling`,
  :mod:`govsim.cases.escalation`).

Rates come from the demand fit (:func:`govsim.cases.fit.fit_demand`) of the renamed cases.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govsim.cases.city import CityReference
from govsim.cases.mapping import CaseLogMapping
from govsim.cases.open_cases import spread_open
from govsim.config.schema import CaseTypeConfig, CityConfig

__all__ = [
    "LEVELS",
    "MIN_CASES",
    "MIN_DEPARTMENT",
    "MIN_ROUTED",
    "OTHER",
    "OTHER_LABEL",
    "LogTypes",
    "case_type_for",
    "expected_shares",
    "fitted_categories",
    "level_of",
    "log_case_types",
    "open_categories",
    "routing_table",
    "type_name",
    "types_text",
]

MIN_CASES = 30
"""Cases in the fitted period a category needs to be a case type of its own."""
MIN_ROUTED = 10
"""Routed closures a type needs for its routing to be fitted rather than the template's."""
MIN_DEPARTMENT = 5
"""Closures by named departments a type needs for them to replace the template's."""
OTHER = "other"
"""The case type that pools the rare categories."""
OTHER_LABEL = "其他(合并)"
LEVELS = ("grid", "community", "street", "department")
"""The levels routing shares are fitted over (``above`` counts as ``department``: past the
street)."""

GLOSSARY: tuple[tuple[str, str], ...] = (
    ("消费", "consumer"),
    ("经济", "economic"),
    ("债务", "debt"),
    ("婚姻|家庭", "family"),
    ("情感", "relationship"),
    ("医疗", "medical"),
    ("金融", "financial"),
    ("征地|拆迁", "land_requisition"),
    ("土地|森林|水利", "land"),
    ("交通", "traffic"),
    ("劳动|劳资|人事", "labour"),
    ("物业", "property"),
    ("房地产", "real_estate"),
    ("邻里", "neighbour"),
    ("口角|琐事", "quarrel"),
    ("狗|宠物", "dog"),
    ("环保|环境", "environment"),
    ("工程|施工", "construction"),
    ("公共秩序", "public_order"),
    ("治安", "public_security"),
    ("消防", "fire"),
    ("校园|学校", "school"),
    ("其他", "misc"),
)
"""Keywords of common categories of dispute logs → an English word for the type's name."""


def type_name(label: str, taken: Iterable[str]) -> str:
    """An identifier for a category, never one of ``taken``.

    Its own text if that is one, else a glossary word (``_dispute`` added for a …纠纷
    category), else ``category``; a number is added where the name is taken.
    """
    taken = set(taken)
    text = label.strip()
    base = re.sub(r"\W+", "_", text.lower()).strip("_") if text.isascii() else ""
    if not base or not base.isidentifier():
        word = next((w for pattern, w in GLOSSARY if re.search(pattern, text)), "category")
        base = f"{word}_dispute" if text.endswith("纠纷") else word
    name, k = base, 1
    while name in taken or name == "category":
        k += 1
        name = f"{base}_{k}"
    return name


def open_categories(
    mapping: CaseLogMapping, city: CityReference, values: Iterable[str], labels: dict[str, str]
) -> tuple[CaseLogMapping, CityReference]:
    """A mapping and a city reference that keep every category value of the log.

    A value the mapping maps keeps its target; one that is a type's name, or a type's
    ``label_zh`` (``labels``: label → type), is that type; any other maps to itself. The
    reference's case types are extended by the new targets.
    """
    mapped = dict(mapping.categories or {})
    for value in values:
        if value and value not in mapped:
            mapped[value] = value if value in city.case_types else labels.get(value, value)
    extra = tuple(sorted(set(mapped.values()) - set(city.case_types)))
    return (
        dataclasses.replace(mapping, categories=mapped or None),
        dataclasses.replace(city, case_types=(*city.case_types, *extra)),
    )


def fitted_categories(
    mapping: CaseLogMapping, city: CityConfig, values: Iterable[str]
) -> CaseLogMapping:
    """``mapping`` with the log's categories mapped as a fitted city's types hold them.

    For checking a log against a city :func:`log_case_types` made (``cases validate``): a
    value the mapping maps keeps its target; one that is a type's name or ``label_zh`` is
    that type (a label wins over a name); any other pools into :data:`OTHER` if the city has
    it. Unless a value maps by a label or into the pool, the mapping is returned as it is.
    """
    labels = {t.label_zh: name for name, t in city.case_types.items()}
    mapped = dict(mapping.categories or {})
    added = False
    for value in values:
        if value and value not in mapped:
            # A label first: a category named like a type the fit made (``other``, renamed
            # ``other_2``) is the type that carries it as its label, not the pool.
            if value not in labels and value in city.case_types:
                mapped[value] = value
                continue
            target = labels.get(value, OTHER if OTHER in city.case_types else None)
            if target is not None:
                mapped[value] = target
                added = True
    return dataclasses.replace(mapping, categories=mapped) if added else mapping


def level_of(handler: pd.Series, departments: Iterable[str]) -> pd.Series:
    """The routing level of each closing unit (NA where it is neither level nor department)."""
    departments = set(departments)
    level = handler.where(handler.isin(LEVELS))
    level = level.mask(handler.isin(departments) | (handler == "above"), "department")
    return level


def _wilson(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% score interval of k successes in n trials."""
    z = 1.959964
    n = np.maximum(n, 1)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def routing_table(cases: pd.DataFrame, departments: Iterable[str]) -> pd.DataFrame:
    """Per category × level: closures, share of the category's routed closures, interval.

    Cases still open at the cut-off (``censored_at``) count at each level as the closures of
    their type that took at least as long (:func:`govsim.cases.open_cases.spread_open`), so
    that the slow levels' cases still open are not lost: ``cases`` and ``routed`` may then
    hold fractions; ``closed`` counts the closures alone.
    """
    level = level_of(cases["handler"], departments)
    closed = (cases["closed"].notna() & level.notna()).to_numpy()
    open_ = cases["closed"].isna().to_numpy()
    weights = np.zeros((len(cases), len(LEVELS)))
    for k, name in enumerate(LEVELS):
        weights[closed & (level == name).to_numpy(), k] = 1.0
    if open_.any() and "censored_at" in cases:
        end = cases["closed"].fillna(cases["censored_at"])
        days = ((end - cases["created"]).dt.total_seconds() / 86_400.0).to_numpy()
        weights = spread_open(
            weights, np.nan_to_num(days, nan=0.0), cases["category"].to_numpy(), closed, open_
        )
    counted = weights.sum(axis=1) > 0
    category = cases["category"].to_numpy()
    counts = pd.DataFrame(weights[counted], columns=list(LEVELS)).groupby(category[counted]).sum()
    closures = (
        pd.DataFrame(weights * closed[:, None], columns=list(LEVELS))
        .groupby(category)
        .sum()
        .reindex(counts.index, fill_value=0.0)
    )
    counts.index.name = closures.index.name = "category"
    table = counts.stack().rename("cases").reset_index()
    table.columns = ["category", "level", "cases"]
    table["closed"] = closures.stack().to_numpy()
    table["routed"] = table.groupby("category")["cases"].transform("sum")
    table["share"] = table["cases"] / table["routed"].clip(lower=1)
    table["low"], table["high"] = _wilson(
        table["cases"].to_numpy(float), table["routed"].to_numpy(float)
    )
    return table


def expected_shares(t: CaseTypeConfig) -> np.ndarray:
    """Shares closed at grid, community, street and department on the ladder of ``t``.

    Every case entering at the grid and closing on its type's ladder (no entry shares, no
    escalation: what a type without them has).
    """
    rest = 1.0 - t.grid_settle_prob
    community = rest * t.mediation_settle_prob if t.mediable else 0.0
    street = (rest - community) * t.street_settle_prob
    return np.array([t.grid_settle_prob, community, street, rest - community - street])


def _most_similar(city: CityConfig, label: str, shares: np.ndarray | None) -> str:
    """The template type nearest in level shares (else, and on ties, in ``label_zh``)."""

    def likeness(name: str) -> tuple[float, float]:
        t = city.case_types[name]
        distance = float(np.abs(expected_shares(t) - shares).sum()) if shares is not None else 0.0
        return round(distance, 6), -difflib.SequenceMatcher(None, t.label_zh, label).ratio()

    return min(city.case_types, key=likeness)


ENTRY_HOURS = 1.0
"""A case closed at the community or the street whose last dispatch came within this many
hours of its report was dispatched there at once: it entered there."""


def _direct(closed: pd.DataFrame, level: str) -> pd.Series:
    """Per case type: closures at ``level`` dispatched there at once (none without times)."""
    if "dispatched" not in closed:
        return pd.Series(dtype=int)
    lag = (closed["dispatched"] - closed["created"]).dt.total_seconds() / 3600.0
    at_once = (closed["handler"] == level) & (lag <= ENTRY_HOURS)
    return closed.loc[at_once, "category"].value_counts()


def case_type_for(
    template: CaseTypeConfig,
    label: str,
    counts: pd.Series | None,
    departments: list[str],
    direct: tuple[float, float] = (0, 0),
    street_routed: float | None = None,
) -> CaseTypeConfig:
    """``template``'s type with ``label`` and the routing of ``counts`` (cases by level).

    ``direct``: of the community's and the street's closures, those dispatched there at
    once; they give the shares entering there, and the grid's share is of the rest.
    ``street_routed``: the routed cases the street's share is of (None: every routed case),
    those known while the street office took dispatches; the share is at most what the
    community's leaves (their sum at most 1). The
    community's mediation settles its closures' share of every case that reached it (the
    street's closures not dispatched there at once, and the departments', having passed
    it); the street office's, its share of what it and the departments closed.
    """
    fitted = dataclasses.replace(template, label_zh=label)
    if counts is None or counts.sum() < MIN_ROUTED:
        return fitted
    g, c, s, d = (float(counts.get(level, 0)) for level in LEVELS)
    at_community, at_street = direct
    mediable = template.mediable or c > 0
    ladder_c = c - at_community if mediable else 0.0
    after_grid = s - at_street + d + ladder_c
    community_entry = at_community / (g + c + s + d) if mediable else 0.0
    base = g + c + s + d if street_routed is None else street_routed
    values = {
        "street_entry_prob": min(at_street / base, 1.0 - community_entry) if base > 0 else 0.0,
        "community_entry_prob": community_entry,
        "grid_settle_prob": g / (g + after_grid) if g + after_grid > 0 else 0.0,
        "mediable": mediable,
        # of every case reaching the community (at once or from the grid)
        "mediation_settle_prob": (c / (c + s - at_street + d) if mediable and c > 0 else 0.0),
        "street_settle_prob": s / (s + d) if s + d > 0 else template.street_settle_prob,
    }
    values = {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}
    return dataclasses.replace(
        fitted, **values, departments=departments or list(template.departments)
    )


@dataclass
class LogTypes:
    """The city with the log's case types, the cases under them and how each was made."""

    city: CityConfig
    cases: pd.DataFrame
    """The cases with ``category`` replaced by their case type."""
    types: pd.DataFrame
    """Per case type: label, the categories it holds, cases, routed closures, source of its
    other parameters (the template type)."""
    routing: pd.DataFrame
    """Per case type × level: closures, share and its 95% interval (:func:`routing_table`)."""


def log_case_types(
    cases: pd.DataFrame,
    city: CityConfig,
    min_cases: int = MIN_CASES,
    merged: dict[str, str] | None = None,
    taking: pd.Series | None = None,
) -> LogTypes:
    """The city's case types from ``cases``' categories (see the module's description).

    ``merged``: the mapping's ``categories:`` (log value → type); its targets keep their own
    type however few their cases. ``taking``: per case (``cases``' index), whether the
    street office took dispatches when it became known (None: always). Template types the
    log never shows stay (rate 0 once fitted).
    """
    merged = merged or {}
    counts = cases["category"].value_counts()
    keep = set(merged.values()) | set(city.case_types)
    own = [c for c in counts.index if c in keep or counts[c] >= min_cases]
    pooled = [c for c in counts.index if c not in own]
    taken = set(city.case_types)
    names: dict[str, str] = {}
    for category in own:
        if category in city.case_types or (category.isidentifier() and category in keep):
            names[category] = category
        else:
            names[category] = type_name(category, taken | {OTHER})
        taken.add(names[category])
    names.update({c: OTHER for c in pooled})
    typed = cases.assign(category=cases["category"].map(names))
    routing = routing_table(typed, city.departments)
    by_level = routing.pivot(index="category", columns="level", values="cases")
    # the open cases counted at a level entered it at once as often as its closures did
    grown = (
        (by_level / routing.pivot(index="category", columns="level", values="closed"))
        .replace(np.inf, 1.0)
        .fillna(1.0)
    )
    closed = typed[typed["closed"].notna()]
    named = closed[closed["handler"].isin(list(city.departments))]
    took = (
        pd.Series(True, index=typed.index)
        if taking is None
        else taking.reindex(typed.index, fill_value=False)
    )
    direct = {
        "community": _direct(closed, "community"),
        "street": _direct(closed[took[closed.index]], "street"),
    }
    street_routed = (
        routing_table(typed[took], city.departments).groupby("category")["cases"].sum()
        if taking is not None
        else None
    )
    case_types = dict(city.case_types)
    rows = []
    for name in dict.fromkeys(names.values()):
        members = [c for c, n in names.items() if n == name]
        texts = [v for c in members for v in [k for k, t in merged.items() if t == c] or [c]]
        label = (
            OTHER_LABEL
            if name == OTHER
            else (city.case_types[name].label_zh if name in city.case_types else members[0])
        )
        level_counts = by_level.loc[name] if name in by_level.index else None
        routed = int(level_counts.sum()) if level_counts is not None else 0
        shares = (
            level_counts.reindex(list(LEVELS)).to_numpy(float) / routed
            if routed >= MIN_ROUTED
            else None
        )
        source = name if name in city.case_types else _most_similar(city, label, shares)
        departments = named.loc[named["category"] == name, "handler"].value_counts()
        if departments.sum() < MIN_DEPARTMENT:
            departments = departments.iloc[:0]
        at_once = [
            float(
                direct[level].get(name, 0) * (grown.at[name, level] if name in grown.index else 1.0)
            )
            for level in ("community", "street")
        ]
        case_types[name] = case_type_for(
            city.case_types[source],
            label,
            level_counts,
            list(departments.index),
            (at_once[0], at_once[1]),
            None if street_routed is None else float(street_routed.get(name, 0.0)),
        )
        rows.append(
            {
                "case_type": name,
                "label_zh": label,
                "categories": "、".join(texts),
                "cases": int(counts[members].sum()),
                "routed": routed,
                "routing": "log" if routed >= MIN_ROUTED else "template",
                "template": source,
            }
        )
    table = pd.DataFrame(rows).sort_values("cases", ascending=False, ignore_index=True)
    return LogTypes(
        city=dataclasses.replace(city, case_types=case_types),
        cases=typed,
        types=table,
        routing=routing,
    )


def types_text(
    rows_read: int, reasons: pd.Series, kept: int, log_types: LogTypes, values: pd.DataFrame
) -> str:
    """``fit.md``'s account of the rows kept and left out, the case types and the routing.

    ``values``: the check's value lists (:func:`govsim.cases.check.value_lists`), for the
    closing units no name and no rule maps.
    """

    def md(frame: pd.DataFrame) -> str:
        return frame.to_markdown(index=False, floatfmt=".3g")

    left = "".join(f"- {reason}: {n:,}\n" for reason, n in reasons.items())
    handlers = values[
        (values["field"] == "handler") & (values["maps_to"] == "") & (values["value"] != "")
    ][["value", "rows"]]
    routing = log_types.routing.assign(
        share=log_types.routing["share"].round(3),
        low=log_types.routing["low"].round(3),
        high=log_types.routing["high"].round(3),
    )
    return "\n".join(
        [
            "## Rows of the log",
            "",
            f"{kept:,} of {rows_read:,} rows kept ({kept / max(rows_read, 1):.1%})."
            + (" Left out, by reason:\n\n" + left if left else " None left out."),
            "",
            "## Case types from the log's categories",
            "",
            f"A category with at least {MIN_CASES} cases in the fitted period (or `--min-cases`) "
            "is a type of its own, rarer ones pool into `other`; the mapping's categories keep "
            "their mapping. Priority and urgency are the template type's; handling hours and "
            "escalation are read from the log (`govsim.cases.case_types`).",
            "",
            md(log_types.types),
            "",
            "## Routing: shares closed at each level (95% Wilson intervals)",
            "",
            md(routing),
            "",
            (
                "Closing units no name nor rule maps (left out of the routing):\n\n" + md(handlers)
                if len(handlers)
                else "Every closing unit maps to a level or a department."
            ),
            "",
        ]
    )
