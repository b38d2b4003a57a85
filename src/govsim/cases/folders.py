"""Where a ``govsim cases`` command writes: a new folder, ``results/cases/...`` by default."""

from __future__ import annotations

from pathlib import Path

from govsim.config.errors import PathError
from govsim.files import require_writable, unique_folder

__all__ = ["new_folder"]


def new_folder(out: Path | None) -> Path:
    """``out`` if new or empty, else refused; by default ``results/cases/DATE/TIME-XXXXXX``."""
    folder = out or unique_folder(Path("results") / "cases")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PathError(
            folder, "already exists and is not empty", "a new or empty folder, as --out"
        )
    return require_writable(folder, "--out")
