"""What a held-out validation judged, kept beside its verdict: ``validated.json``.

``govsim cases validate`` writes it into its folder; ``govsim cases reform`` reads it to print
the verdict beside a comparison and to refuse the verdict of another city. A city given as
a YAML is known by the SHA-256 of its text (the same file anywhere is the same city, an
edited or refitted one another), a city of ``conf/city`` by its name; the parameter draws
the runs took (``CITY.draws.csv``, :mod:`govsim.cases.demand_draws`) by the SHA-256 of
theirs, none when the runs took the point estimates.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from govsim.config.errors import PathError

__all__ = ["FILE", "Judged", "city_digest", "draws_digest", "read_judged", "write_judged"]

FILE = "validated.json"


@dataclass(frozen=True)
class Judged:
    """The city a validation ran, the log and period it was judged on, and how it ran."""

    city: str
    """The city as given to ``--city`` (a name or a YAML's path)."""
    city_sha256: str | None
    """SHA-256 of the city YAML's text; None for a city of ``conf/city`` (known by name)."""
    draws_sha256: str | None
    """SHA-256 of the parameter draws the runs took; None for the point estimates."""
    log: str
    first: str
    """The first day of the held-out period (ISO)."""
    last: str
    """The last day of the held-out period (ISO)."""
    mechanism: str
    """The mechanisms that ran, joined by ``+`` (``baseline``, ``whistle``)."""
    runs: int
    warmup: int
    overrides: list[str] = field(default_factory=list)
    """The Hydra overrides given after ``--``."""
    calibrated: list[str] = field(default_factory=list)
    """The keys calibrated by ``--param`` (their accepted sets ran)."""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def city_digest(city: str) -> str | None:
    """SHA-256 of the city YAML ``city``; None for a city given by name."""
    from govsim.composition.city_paths import is_city_path

    path = Path(city).expanduser()
    return _digest(path) if is_city_path(city) and path.is_file() else None


def draws_digest(draws: str | None) -> str | None:
    """SHA-256 of the draws table at ``draws`` (its path); None for none."""
    return _digest(Path(draws)) if draws else None


def write_judged(folder: Path, judged: Judged) -> Path:
    """Write ``judged`` into ``folder`` as :data:`FILE`."""
    from govsim.files import write_text

    text = json.dumps(asdict(judged), ensure_ascii=False, indent=2)
    return write_text(Path(folder) / FILE, text + "\n")


def read_judged(folder: Path) -> Judged:
    """The :class:`Judged` a validation folder holds, or a :class:`PathError`."""
    path = Path(folder) / FILE
    allowed = f"a folder written by govsim cases validate, with its {FILE}"
    if not path.is_file():
        raise PathError(
            folder,
            f"records no validated city (no {FILE}: written before validations recorded "
            "their city?); validate the city again",
            allowed,
        )
    try:
        return Judged(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as error:
        raise PathError(path, f"cannot be read ({type(error).__name__})", allowed) from None
