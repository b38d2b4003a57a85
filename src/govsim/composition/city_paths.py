"""``city=PATH``: a city configuration from a YAML file anywhere, as if it were shipped.

Hydra finds a city by name in its config group (``conf/city/NAME.yaml`` and the search
path). A city written by ``govsim city import`` (or by hand) can be given as a path instead:
:func:`stage` copies it into govsim's city cache, under a name made of the file's stem and
a hash of its content (so the same file is the same city in every process, and an edited
file a new one), and the override becomes ``city=NAME`` with the cache on the search path.
The file may inherit from a shipped city (``defaults: [district, _self_]``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from govsim.config.errors import PathError
from govsim.files import write_text

__all__ = ["cache_root", "is_city_path", "search_path", "stage"]


def cache_root() -> Path:
    """The folder whose ``city/`` holds staged cities (``$GOVSIM_CACHE`` or the user cache)."""
    base = os.environ.get("GOVSIM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "govsim"
    )
    return Path(base) / "cities"


def search_path() -> str:
    """The search-path entry of the staged cities."""
    return f"file://{cache_root()}"


def is_city_path(value: str) -> bool:
    """True if a ``city=`` value names a file rather than a city."""
    return value.endswith((".yaml", ".yml")) or "/" in value or os.sep in value


def stage(value: str) -> str:
    """Copy the city file ``value`` into the cache; return the name to give ``city=``."""
    path = Path(value).expanduser()
    if not path.is_file():
        raise PathError(
            path,
            "is not a file",
            "city=NAME of a shipped city, or city=PATH of a "
            "city YAML (e.g. written by govsim city import)",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PathError(path, f"cannot be read ({error})", "a UTF-8 YAML file") from None
    stem = "".join(c if c.isalnum() or c in "_-" else "_" for c in path.stem)
    name = f"{stem}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}"
    target = cache_root() / "city" / f"{name}.yaml"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        write_text(target, text)
    return name
