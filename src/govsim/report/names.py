"""Names of things for people, in English and Chinese (机制、设计、城市、情景与单位名称).

Mechanisms take their Chinese names from the mechanisms themselves (``label_zh``), cities
and departments from ``conf/city/*.yaml``, scenarios from their presets
(``scenario_label_zh``); English names replace code names (``mediation_ladder``) by words.
"""

from __future__ import annotations

from functools import cache

from omegaconf import OmegaConf

from govsim.city.levels import Level
from govsim.composition.compose import CONF_DIR
from govsim.mechanisms import REGISTRY, canonical
from govsim.report.display import check_language

__all__ = [
    "MECHANISM_EN",
    "city_name",
    "department_name",
    "design_name",
    "level_name",
    "mechanism_name",
    "node_name",
    "scenario_name",
    "street_name",
    "words",
]

MECHANISM_EN: dict[str, str] = {
    "baseline": "baseline routing",
    "whistle": "street whistle",
    "hotline": "12345 hotline",
    "grid": "grid management",
    "centre": "governance centre",
    "smart_dispatch": "smart dispatch",
    "mediation_ladder": "mediation ladder",
    "fengqiao": "Fengqiao model",
    "cross_region": "cross-region cooperation",
    "burden_reduction": "burden reduction",
    "psych": "psychological services",
    "volunteers": "volunteers",
    "assessment": "assessment",
}
"""Each mechanism's English name (its Chinese one is the mechanism's ``label_zh``)."""

LEVELS: dict[Level, tuple[str, str]] = {
    Level.GRID: ("grid", "网格"),
    Level.COMMUNITY: ("community", "社区"),
    Level.STREET: ("street", "街道"),
    Level.DEPARTMENT: ("departments", "职能部门"),
    Level.ABOVE: ("petition office or court", "信访或法院"),
}


def words(code: str) -> str:
    """A code name in words: ``urban_management`` → ``urban management``."""
    return code.replace("_", " ")


def mechanism_name(code: str, lang: str) -> str:
    """A mechanism's name; in Chinese its short name (before any parenthesis)."""
    if check_language(lang) == "zh":
        return REGISTRY[code].label_zh.split("(")[0]
    return MECHANISM_EN[code]


def design_name(label: str, lang: str) -> str:
    """A design (mechanisms joined by ``+``, e.g. ``grid+whistle``) in words."""
    codes = canonical([c for c in label.split("+") if c])
    return ("+" if check_language(lang) == "zh" else " + ").join(
        mechanism_name(c, lang) for c in codes
    )


@cache
def _city_labels(code: str) -> str:
    path = CONF_DIR / "city" / f"{code}.yaml"
    return str(OmegaConf.load(path).get("label_zh", code)) if path.is_file() else code


def city_name(code: str, lang: str, label_zh: str | None = None) -> str:
    """A city's name: its ``label_zh`` in Chinese, its name in words in English."""
    if check_language(lang) == "zh":
        return label_zh or _city_labels(code)
    return words(code).capitalize()


@cache
def _scenario_label_zh(code: str) -> str:
    path = CONF_DIR / "scenario" / f"{code}.yaml"
    if not path.is_file():
        path = CONF_DIR / "config.yaml"
    return str(OmegaConf.load(path).get("scenario_label_zh", code))


def scenario_name(code: str, lang: str) -> str:
    """A scenario's name: its ``scenario_label_zh``, or its code name in words."""
    if check_language(lang) == "zh":
        return _scenario_label_zh(code)
    return words(code).capitalize()


def level_name(level: Level | int, lang: str) -> str:
    """A governance level's name."""
    en, zh = LEVELS[Level(level)]
    return zh if check_language(lang) == "zh" else en


def street_name(street: int, lang: str) -> str:
    """A street by its number, counted from 1."""
    return f"街道{street + 1}" if check_language(lang) == "zh" else f"Street {street + 1}"


def department_name(code: str, lang: str, label_zh: str = "") -> str:
    """A department's name."""
    if check_language(lang) == "zh":
        return label_zh or code
    return words(code)


def node_name(node: str, lang: str, department_labels: dict[str, str] | None = None) -> str:
    """A node of the governance network (``street/0``, ``department/0/labour``) in words."""
    kind, _, rest = node.partition("/")
    if kind == "department":
        code = rest.split("/")[-1]
        return department_name(code, lang, (department_labels or {}).get(code, ""))
    if kind == "street":
        return street_name(int(rest), lang)
    index = int(rest.split("/")[-1]) + 1
    zh = {"community": "社区", "grid": "网格", "district": "区", "above": "信访/法院"}
    if check_language(lang) == "zh":
        return f"{zh.get(kind, kind)}{index}"
    return f"{words(kind).capitalize()} {index}"
