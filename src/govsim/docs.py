"""Reference documentation generated from the code and the YAML, so it cannot drift.

``python -m govsim.docs`` rewrites the generated part of docs/mechanisms.md (between the
markers).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from govsim.config.validate import allowed
from govsim.experiments.compose import mechanism_defaults
from govsim.mechanisms import PRECEDENCE, REGISTRY

__all__ = ["BEGIN", "END", "mechanism_reference", "update"]

BEGIN = "<!-- BEGIN GENERATED: python -m govsim.docs -->"
END = "<!-- END GENERATED -->"


def mechanism_reference() -> str:
    """One section per mechanism, then the declared precedence between mechanisms."""
    out = []
    for name, mechanism in REGISTRY.items():
        defaults = mechanism_defaults(name)
        out.append(f"### `{name}` — {mechanism.label_zh}\n")
        out.append(f"- **Source:** {mechanism.source}")
        out.append(f"- **Assumption:** {mechanism.assumption}")
        out.append(f"- **Expected effect:** {mechanism.effect}")
        points = ", ".join(str(p) for p in mechanism.points) or "none (the reference)"
        out.append(f"- **Acts at:** {points}")
        out.append(f"- **Module:** `govsim.mechanisms.{mechanism.__module__.rsplit('.', 1)[1]}`,"
                   f" values in `conf/mechanism/{name}.yaml`\n")
        params = fields(mechanism.config_class)
        if not params:
            out.append("No parameters.\n")
            continue
        out.append("| parameter | default | allowed |")
        out.append("| --- | --- | --- |")
        for f in params:
            out.append(f"| `{f.name}` | {getattr(defaults, f.name)} | {allowed(f)} |")
        out.append("")
    out.append("### Precedence between mechanisms\n")
    out.append("| decision | first | then | why |")
    out.append("| --- | --- | --- | --- |")
    for p in PRECEDENCE:
        out.append(f"| {p.decision} | `{p.first}` | `{p.then}` | {p.reason} |")
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
