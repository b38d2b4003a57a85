"""Fuzzing imported names: a unit table or a mapping ends in names kept as written, or one line.

Hypothesis draws unit tables and mappings whose names are what YAML, OmegaConf or a unit's
path would read otherwise (``${oc.env:...}``, ``/``, ``yes``, ``null``, ``~``, ``1e3``, dates,
backslashes, quotes), unicode text and spaces, with names and keys repeated. A unit table
must end either in a city (written by ``govsim city import`` and composed back as
``city=`` takes it) whose units are named exactly as the table names them, or in exit
status 2 with one line when it has a row without a name, a name holding ``/`` or a grid
twice. A mapping must end either with every value map holding its keys and values as
written, or in a one-line refusal when a key is given twice. The draws are derandomized and
few (each table composes a city) so the test runs in seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import govsim_in_process
from govsim.cases.city import load_city
from govsim.cases.mapping import load_mapping
from govsim.cases.units_table import LEVELS, SEPARATOR
from govsim.config.errors import PathError

SECRET = "GOVSIM_FUZZ_SECRET"
PLAIN = [
    "yes",
    "No",
    "true",
    "null",
    "~",
    "1e3",
    ".inf",
    "010",
    "2025-01-01",
    "1",
    "0",
    "-7",
    "网格1",
    f"${{oc.env:{SECRET}}}",
]
"""Names YAML reads as other types, written plainly: they must still read as this text."""
ODD = [
    *PLAIN,
    f"${{oc.env:{SECRET}",
    "\\${x}",
    "a\\\\${y}",
    " 鼓楼街道 ",
    "#",
    "'",
    '"',
    "&a",
    "*a",
    "!x",
    "- x",
    "? x",
    "%",
    "@",
    "{x}",
    "[x]",
    ":",
    "x: y",
    "a\nb",
    "\u2028",
]
"""Names that a format (YAML, OmegaConf, CSV) could read otherwise."""
REFUSED = ["a/b", "/", "", " "]
"""Names a unit table cannot hold: one holding the separator of a unit's path, or none."""

name = st.one_of(
    st.sampled_from(ODD),
    st.sampled_from(ODD),
    st.sampled_from(REFUSED),
    st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=5),
)
row = st.tuples(*[st.integers(0, 3)] * len(LEVELS))
"""A row's district, street, community and grid, as indices into the example's names."""


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SECRET, "leaked")
    monkeypatch.setenv("GOVSIM_CACHE", str(tmp_path / "cache"))


def _refused(table: pd.DataFrame) -> bool:
    """Whether the import must refuse the table: a name missing or holding the separator,
    or a grid twice."""
    names = table[list(LEVELS)].apply(lambda column: column.str.strip())
    paths = names.apply(SEPARATOR.join, axis=1)
    return bool(
        (names == "").any(axis=None)
        or names.apply(lambda column: column.str.contains(SEPARATOR, regex=False)).any(axis=None)
        or paths.duplicated().any()
    )


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(names=st.lists(name, min_size=1, max_size=4), rows=st.lists(row, min_size=1, max_size=4))
def test_a_units_table_ends_in_its_names_as_written_or_in_one_line(
    capsys, tmp_path_factory: pytest.TempPathFactory, names: list[str], rows: list[tuple[int, ...]]
) -> None:
    work = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    table = pd.DataFrame(
        [[names[k % len(names)] for k in picks] for picks in rows], columns=list(LEVELS)
    ).assign(residents=100)
    table.to_csv(work / "units.csv", index=False)
    out = work / "city.yaml"
    status, _, err = govsim_in_process(
        capsys, "city", "import", str(work / "units.csv"), "--base", "workshop", "--out", str(out)
    )
    event("refused" if _refused(table) else "imported")
    if _refused(table):
        lines = err.strip().splitlines()
        assert status == 2 and len(lines) == 1 and lines[0].startswith("govsim: "), err
        assert not out.exists()
        return
    assert status == 0, err
    units = load_city(str(out)).units
    stripped = table[list(LEVELS)].apply(lambda column: column.str.strip())
    assert units.districts == list(dict.fromkeys(stripped["district"]))
    assert units.grids == stripped.apply(SEPARATOR.join, axis=1).tolist()
    assert units.grid_community == [grid.rsplit(SEPARATOR, 1)[0] for grid in units.grids]


def _scalar(text: str, plain: bool) -> str:
    """A YAML scalar for ``text``: as it is, or double-quoted with YAML's escapes."""
    if plain and text in PLAIN:
        return text
    return yaml.safe_dump(text, default_style='"', width=10**9).strip()


entry = st.tuples(name, st.booleans(), st.sampled_from(PLAIN), st.booleans())
"""A value map's entry: the log value, whether it is written plainly (if it can be), the
unit it maps to, and whether that is written plainly."""


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(entries=st.lists(entry, min_size=1, max_size=6))
def test_a_mapping_ends_in_its_values_as_written_or_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[str, bool, str, bool]]
) -> None:
    work = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    lines = [
        f"  {_scalar(key, plain)}: {_scalar(unit, plain_unit)}"
        for key, plain, unit, plain_unit in entries
    ]
    (work / "mapping.yaml").write_text(
        "id: 编号\ncreated: 时间\nunit: 镇街\nunits:\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    keys = [key for key, *_ in entries]
    if len(set(keys)) < len(keys):
        with pytest.raises(PathError, match="given twice") as refusal:
            load_mapping(work / "mapping.yaml")
        assert "\n" not in str(refusal.value)
        return
    mapping = load_mapping(work / "mapping.yaml")
    assert mapping.units == {key: unit for key, _, unit, _ in entries}
