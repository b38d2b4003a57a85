"""Reference documentation generated from the code and the YAML, so it cannot drift.

``python -m govsim.docs`` rewrites the generated parts of docs/mechanisms.md (between the
markers): the mechanism reference, and the levers section from the stored sweep
(``docs/figures/levers.csv``). ``python -m govsim.docs --sweep`` runs the sweep of every
lever again and redraws its figures first (a few minutes).
"""

from __future__ import annotations

import argparse
import ast
import inspect
import textwrap
from dataclasses import fields
from itertools import pairwise
from pathlib import Path

import pandas as pd

from govsim.composition.compose import mechanism_defaults
from govsim.config.schema import (
    CaseTypeConfig,
    CityConfig,
    DepartmentConfig,
    HandlingHours,
    ResidentsConfig,
)
from govsim.config.validate import allowed
from govsim.mechanisms import PRECEDENCE, REGISTRY

__all__ = [
    "BEGIN",
    "END",
    "LEVERS_BEGIN",
    "field_docs",
    "lever_reference",
    "mechanism_reference",
    "update",
]

DOCS = Path(__file__).resolve().parents[2] / "docs"
SWEEP = DOCS / "figures" / "levers.csv"
LEVERS_BEGIN = "<!-- BEGIN GENERATED LEVERS: python -m govsim.docs -->"

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
        out.append(
            f"- **Module:** `govsim.mechanisms.{mechanism.__module__.rsplit('.', 1)[1]}`,"
            f" values in `conf/mechanism/{name}.yaml`\n"
        )
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


def field_docs(cls: type) -> dict[str, str]:
    """The docstrings written under the fields of a dataclass (from its source)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__[:-1]):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for node, following in pairwise(body):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[node.target.id] = " ".join(following.value.value.split())
    return docs


def _driver(key: str) -> str:
    """What drives a lever's effect: its field's docstring, else its mechanism's assumption."""
    parts = key.split(".")
    name = parts[-1]
    if parts[0] == "mechanism":
        mechanism = REGISTRY[parts[1]]
        return field_docs(mechanism.config_class).get(name) or mechanism.assumption
    owners = {
        "residents": ResidentsConfig,
        "departments": DepartmentConfig,
        "case_types": HandlingHours if "hours" in parts else CaseTypeConfig,
    }
    owner = owners.get(parts[1], CityConfig)
    if parts[1] == "time_limit_days":
        name = "time_limit_days"
    return field_docs(owner).get(name, "see docs/ODD.md")


def _change(values: pd.Series) -> str:
    def fmt(x: float) -> str:
        return "–" if pd.isna(x) else f"{x:.2f}"

    return f"{fmt(values.iloc[0])} → {fmt(values.iloc[-1])}"


def lever_reference(table: pd.DataFrame) -> str:
    """The levers section: per group a figure and a table of the measured changes."""
    from govsim.outcomes.measures import HANDLED, HEADLINE

    out = []
    for group in dict.fromkeys(table["group"]):
        out.append(f"### {group}\n")
        out.append(f"![levers of {group}](figures/levers_{group}.png)\n")
        out.append(
            "| lever | values | venue share | handled share | truly resolved | "
            "satisfied | what drives it |"
        )
        out.append("| --- | --- | --- | --- | --- | --- | --- |")
        for lever, rows in table[table["group"] == group].groupby("lever", sort=False):
            span = f"{rows['value'].iloc[0]:g} → {rows['value'].iloc[-1]:g}"
            where = f" (in `{rows['acts_in'].iloc[0]}`)" if rows["acts_in"].iloc[0] else ""
            out.append(
                f"| `{lever}` | {span}{where} | {_change(rows[HEADLINE])} | "
                f"{_change(rows[HANDLED])} | {_change(rows['true_resolution_rate'])} | "
                f"{_change(rows['satisfaction_rate'])} | {_driver(lever)} |"
            )
        out.append("")
    return "\n".join(out)


def _replace(text: str, begin: str, body: str) -> str:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{begin}\n\n{body}\n{END}{tail}"


def update(path: Path) -> bool:
    """Rewrite the generated parts of ``path``; True if it changed."""
    text = path.read_text(encoding="utf-8")
    new = _replace(text, BEGIN, mechanism_reference())
    if LEVERS_BEGIN in new and SWEEP.is_file():
        new = _replace(new, LEVERS_BEGIN, lever_reference(pd.read_csv(SWEEP)))
    path.write_text(new, encoding="utf-8")
    return new != text


def main() -> None:
    """Rewrite docs/mechanisms.md; with ``--sweep``, run the lever sweep and figures first."""
    parser = argparse.ArgumentParser(prog="python -m govsim.docs", description=__doc__)
    parser.add_argument("--sweep", action="store_true", help="sweep every lever again")
    if parser.parse_args().sweep:
        from govsim.report.lever_sweep import lever_figure, sweep_levers, write_table

        table = sweep_levers()
        write_table(table, SWEEP)
        for group in dict.fromkeys(table["group"]):
            lever_figure(table, group, SWEEP.parent / f"levers_{group}.png")
    update(DOCS / "mechanisms.md")


if __name__ == "__main__":
    main()
