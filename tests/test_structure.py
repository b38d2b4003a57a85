"""The package's shape: layers import downwards only, no cycles, nothing imports the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import govsim

SRC = Path(govsim.__file__).resolve().parent
LAYERS = [
    "config",
    "city",
    "mechanisms",
    "model",
    "outcomes",
    "composition",
    "experiments",
    "analysis",
    "cases",
    "validation",
    "report",
    "workshop",
    "cli",
]
"""From the bottom up; ``composition`` is the Hydra adapter, ``experiments`` run on it and
``analysis`` reads what they wrote; ``validation`` and ``report`` sit side by side above
``cases`` (case logs), which sits above ``analysis``."""
SIDE_BY_SIDE = {frozenset({"validation", "report"})}
COMMAND_LINES_OUTSIDE_THE_CLI = {
    "govsim.docs": "the maintainers' generator of docs/mechanisms.md, run as "
    "``python -m govsim.docs [--sweep]`` (the command written into the "
    "generated sections' markers), not a subcommand of ``govsim``",
    "govsim.composition.command_line": "runs Hydra's application, which reads ``sys.argv``, "
    "and hands the CLI Hydra's own parser of its flags, "
    "made by Hydra's internals, which only the adapter "
    "reaches",
}
"""Modules outside :mod:`govsim.cli` allowed to read a command line, and why."""


ADAPTER = "govsim.composition"
HYDRA_PLUGINS = "hydra_plugins"
"""Where Hydra looks for plugins: govsim's sweepers, launcher and sweep callback, Hydra's
side of what ``govsim.experiments`` does (the designs, the checks, the runs)."""


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def import_graph() -> nx.DiGraph:
    """Every govsim module and the govsim modules it imports (``TYPE_CHECKING`` included)."""
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        package.split(".")[: len(package.split(".")) - node.level + 1]
                        + ([base] if base else [])
                    )
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def hydra_imports() -> dict[str, set[str]]:
    """Every module under ``src/`` (govsim and its Hydra plugins) → the Hydra modules it imports."""
    return imports_of("hydra")


def imports_of(package: str) -> dict[str, set[str]]:
    """Every module under ``src/`` → the modules of ``package`` it imports (if any)."""
    found: dict[str, set[str]] = {}
    for path in SRC.parent.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module)
        imported = {n for n in names if n == package or n.startswith(package + ".")}
        if imported:
            found[_module(path)] = imported
    return found


def _in_adapter(module: str) -> bool:
    return module == ADAPTER or module.startswith(ADAPTER + ".")


def test_only_the_adapter_reaches_into_hydras_internals() -> None:
    internal = {
        module
        for module, names in hydra_imports().items()
        if any(n == "hydra._internal" or n.startswith("hydra._internal.") for n in names)
    }
    assert internal and all(_in_adapter(module) for module in internal), internal


def test_only_the_adapter_reaches_into_omegaconfs_internals() -> None:
    """OmegaConf's YAML quoting and implicit types have no public API: one module lends them."""
    private = {
        module
        for module, names in imports_of("omegaconf").items()
        if any(part.startswith("_") for n in names for part in n.split(".")[1:])
    }
    assert private == {"govsim.composition.omegaconf_yaml"}


def test_only_the_adapter_and_the_plugins_import_hydra() -> None:
    """The layers below the adapter and above it (the CLI's Hydra application included) know
    Hydra only through the adapter's functions and the plugins Hydra finds."""
    importers = set(hydra_imports())
    assert {m for m in importers if m.startswith(HYDRA_PLUGINS + ".")}
    assert {
        m for m in importers if not _in_adapter(m) and not m.startswith(HYDRA_PLUGINS + ".")
    } == set()


def test_no_import_cycles() -> None:
    assert list(nx.simple_cycles(import_graph())) == []


def test_nothing_imports_the_cli() -> None:
    graph = import_graph()
    importers = {
        a
        for a, b in graph.edges
        if b.startswith("govsim.cli") and not a.startswith("govsim.cli") and a != "govsim.__main__"
    }
    assert importers == set()


def _reads_a_command_line(tree: ast.AST) -> list[str]:
    """What in a module reads a command line: argparse, an ``argv`` parameter, sys.argv."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.partition(".")[0] == "argparse"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("argparse"):
            found.append(f"from {node.module} import")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            found += [f"{node.name}(argv)" for a in arguments if a.arg == "argv"]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "argv"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            found.append("sys.argv")
    return found


def test_only_the_cli_reads_command_lines() -> None:
    """Subcommands are parsed in ``govsim.cli``; the packages below it export functions of
    typed arguments and hold no argparse, no ``main(argv)`` and no ``sys.argv``."""
    readers = {}
    for path in SRC.rglob("*.py"):
        module = _module(path)
        if module.startswith("govsim.cli") or module in COMMAND_LINES_OUTSIDE_THE_CLI:
            continue
        found = _reads_a_command_line(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            readers[module] = found
    assert readers == {}


def test_layers_import_downwards_only() -> None:
    def layer(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None

    upward = []
    for a, b in import_graph().edges:
        la, lb = layer(a), layer(b)
        if (
            la
            and lb
            and la != lb
            and frozenset({la, lb}) not in SIDE_BY_SIDE
            and LAYERS.index(lb) > LAYERS.index(la)
        ):
            upward.append((a, b))
    assert upward == []


def test_the_python_api_returns_runs_daily_units_and_config() -> None:
    result = govsim.run("city=workshop", "days=40", "horizon_days=10", "replications=2")
    assert set(result.runs["arm"]) == {"treatment", "reference"} and len(result.runs) == 4
    assert len(result.daily) == 4 * 40
    assert {"unit", "level", "staff", "utilisation"} <= set(result.units.columns)
    assert set(result.units["level"]) == {"grid", "community", "street", "department", "above"}
    assert result.config.days == 40 and list(result.config.mechanism) == ["whistle"]
    streets = result.units[result.units["level"] == "street"]
    assert streets["cases_arisen"].sum() == result.runs["cases_arisen"].sum()
