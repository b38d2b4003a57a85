"""Reference documentation generated from the code, so it cannot drift.

``python -m govsim.docs`` rewrites the generated part of docs/mechanisms.md (between the
markers).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from pathlib import Path

from govsim.mechanisms import REGISTRY

__all__ = ["BEGIN", "END", "mechanism_reference", "update"]

BEGIN = "<!-- BEGIN GENERATED: python -m govsim.docs -->"
END = "<!-- END GENERATED -->"

_ALLOWED = {"probability": "0–1", "nonnegative": "≥ 0", "positive": "> 0", "count": "integer ≥ 1",
            "count0": "integer ≥ 0", "share_below_one": "0 ≤ x < 1"}


def _default(f) -> object:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return ""


def mechanism_reference() -> str:
    """One section per mechanism: source, assumption, expected effect, parameters."""
    out = []
    for name, mechanism in REGISTRY.items():
        out.append(f"### `{name}` — {mechanism.label_zh}\n")
        out.append(f"- **Source:** {mechanism.source}")
        out.append(f"- **Assumption:** {mechanism.assumption}")
        out.append(f"- **Expected effect:** {mechanism.effect}")
        out.append(f"- **Module:** `govsim.mechanisms.{mechanism.__module__.rsplit('.', 1)[1]}`,"
                   f" config `conf/mechanism/{name}.yaml`\n")
        out.append("| parameter | default | unit | allowed |")
        out.append("| --- | --- | --- | --- |")
        for f in fields(mechanism.config_class):
            unit = f.metadata.get("unit", "")
            allowed = _ALLOWED.get(f.metadata.get("check", ""), "")
            out.append(f"| `{f.name}` | {_default(f)} | {unit} | {allowed} |")
        out.append("")
    return "\n".join(out)


def update(path: Path) -> bool:
    """Rewrite the generated part of ``path``; True if it changed."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n\n{mechanism_reference()}\n{END}{tail}"
    path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    update(Path(__file__).resolve().parents[2] / "docs" / "mechanisms.md")
