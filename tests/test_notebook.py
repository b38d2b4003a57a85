"""The example notebook runs headless, from its sweep to its figure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import govsim

NOTEBOOK = Path(__file__).parents[1] / "docs" / "notebooks" / "whistle_scenarios.ipynb"


@pytest.mark.slow
def test_the_example_notebook_runs_from_sweep_to_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOK, folder)
    # the kernel imports this tree's govsim, wherever it runs
    source = str(Path(govsim.__file__).parents[1])
    monkeypatch.setenv(
        "PYTHONPATH",
        os.pathsep.join(
            [source, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        ),
    )
    notebook = nbformat.read(folder / NOTEBOOK.name, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    errors = [
        o
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == "error"
    ]
    assert not errors
    assert (tmp_path / "figures" / "whistle_scenarios.png").stat().st_size > 0
    runs = list((folder / "sweeps" / "whistle_scenarios").glob("run-*/runs.parquet"))
    assert len(runs) == 2 * 8  # both policies at every scenario
