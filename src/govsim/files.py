"""Writing results atomically: files and run folders under a temporary name, then renamed.

Each file is written to a temporary name and renamed when written. A single run's folder
is named by its date, time and a random suffix (:func:`unique_folder`), so two runs
started in the same second never share one; it is filled as ``NAME.incomplete-XXXX``
beside its final place and renamed to ``NAME`` when every file is written
(:func:`atomic_folder`). An interrupted run leaves nothing, or a folder marked
``.incomplete``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govsim.config.errors import PathError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "INCOMPLETE",
    "atomic_folder",
    "require_writable",
    "save_figure",
    "unique_folder",
    "unique_suffix",
    "write_atomic",
    "write_parquet",
    "write_text",
]

INCOMPLETE = ".incomplete-"
"""Marks a folder whose writing has not finished (``NAME.incomplete-XXXX``)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _arrow(frame: pd.DataFrame) -> Any:
    """A table of numbers, booleans and text as an Arrow table, taken by kind of column.

    What pandas' own conversion gives (missing values as nulls; read back, the same
    frame), without its per-column bookkeeping, which dominates for wide one-row tables
    such as a run's (hundreds of configuration columns). None if a column is of another
    kind (dates, categories, nullable integers, objects other than text): pandas converts
    those.
    """
    import pandas as pd
    import pyarrow as pa

    if not isinstance(frame.index, pd.RangeIndex) or frame.columns.has_duplicates:
        return None
    names = [str(name) for name in frame.columns]
    arrays: list[Any] = [None] * len(names)
    by_kind: dict[Any, list[int]] = {}
    for k, dtype in enumerate(frame.dtypes):
        if isinstance(dtype, pd.StringDtype) or dtype.kind == "O":
            by_kind.setdefault(object, []).append(k)
        elif dtype.kind in "biuf" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            by_kind.setdefault(dtype, []).append(k)
        else:
            return None
    for kind, columns in by_kind.items():
        block = frame.iloc[:, columns].to_numpy(dtype=kind)
        for j, k in enumerate(columns):
            try:
                arrays[k] = pa.array(block[:, j], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
                return None
            if kind is object and not (
                pa.types.is_string(arrays[k].type) or pa.types.is_null(arrays[k].type)
            ):
                return None
    return pa.Table.from_arrays(arrays, names=names)


SMALL_TABLE = 64
"""Rows below which a table is written without dictionaries and statistics: for a run's
few rows they cost more than they save."""


def write_parquet(path: Path, frame: pd.DataFrame) -> Path:
    """Write a table as parquet, atomically (without its index)."""
    table = _arrow(frame)
    if table is None:
        return write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))
    import pyarrow.parquet as pq

    large = table.num_rows >= SMALL_TABLE
    return write_atomic(
        path, lambda tmp: pq.write_table(table, tmp, use_dictionary=large, write_statistics=large)
    )


def write_text(path: Path, text: str) -> Path:
    """Write a text file, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def save_figure(fig: Figure, path: Path, laid_out: bool = False) -> Path:
    """Lay out (unless ``laid_out`` already), write as PNG atomically, and close a figure."""
    import matplotlib.pyplot as plt

    if not laid_out:
        fig.tight_layout()
    try:
        return write_atomic(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    finally:
        plt.close(fig)


def unique_suffix() -> str:
    """Six random hex digits: what keeps two folders named in the same second apart."""
    return secrets.token_hex(3)


def unique_folder(parent: Path) -> Path:
    """``parent/<date>/<time>-<suffix>``: a new folder name no other run will use."""
    name = f"{time.strftime('%H-%M-%S')}-{unique_suffix()}"
    return Path(parent) / time.strftime("%Y-%m-%d") / name


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; rename it to ``path`` once the block is done.

    ``path`` must not exist or be empty. If the block fails, the temporary folder is
    removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FileExistsError(f"{path} already exists and is not empty")
    tmp = Path(tempfile.mkdtemp(prefix=f"{path.name}{INCOMPLETE}", dir=path.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def require_writable(folder: Path, what: str) -> Path:
    """``folder`` if govsim can write there (it may not exist yet), else a :class:`PathError`.

    Nothing is left behind: the nearest existing folder on the way must take a new folder
    (tried, and removed at once: permissions alone do not tell, for the superuser, on a
    read-only disk or under ``/proc``), and no part of the path may be a file. ``what``
    says how the user chose it (``--out``, ...).
    """
    folder = Path(folder)
    allowed = f"a folder govsim can write, as {what}"
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise PathError(folder, f"cannot be created ({existing} is a file)", allowed)
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".govsim-writable-", dir=existing))
    except OSError as error:
        raise PathError(
            folder, f"is not writable ({existing}: {error.strerror})", allowed
        ) from None
    return folder
