"""What a held-out validation judged, kept beside its verdict: ``validated.json``.

``govsim cases validate`` writes it into its folder; ``govsim cases reform`` reads it to print
the verdict beside a comparison and to refuse the verdict of another city. A city given as
a YAML is known by the SHA-256 of its text (the same file anywhere is the same city, an
edited or refitted one another), a city of ``conf/city`` by its name; the parameter draws
the runs took (``CITY.draws.csv``, :mod:`govsim.cases.demand_draws`) by the SHA-256 of
theirs, none when the runs took the point estimates.

A validation folder as a comparison reads it is a :class:`Validation`
(:func:`read_validation`: its ``verdict.csv`` and what it judged, refused unless it judged
the comparison's city); :func:`verdict_lines` and :func:`failed_warning` present it above
the comparison's effects.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from govsim.config.errors import ArgumentError, PathError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FILE",
    "VERDICT_COLUMNS",
    "Judged",
    "Validation",
    "arm_text",
    "city_digest",
    "draws_digest",
    "failed_measures",
    "failed_warning",
    "judged_text",
    "read_judged",
    "read_validation",
    "verdict_lines",
    "write_judged",
]

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


VERDICT_COLUMNS = ("measure", "value", "threshold", "result", "note")
"""The columns of ``verdict.csv`` (:func:`govsim.cases.verdict.judge`) a comparison reads."""


@dataclass
class Validation:
    """A validation folder as a comparison reads it."""

    folder: Path
    verdict: pd.DataFrame
    line: str
    """The verdict line (``verdict: PASS (...)`` or ``verdict: FAIL (failed: ...)``)."""
    judged: Judged

    @property
    def failed(self) -> pd.DataFrame:
        """The measures that failed."""
        from govsim.cases.verdict import FAIL

        return self.verdict[self.verdict["result"] == FAIL]


def read_validation(folder: Path, city: str, command: str) -> Validation:
    """The verdict of ``folder`` and what it judged; refused unless it judged ``city``.

    ``command`` names the command in a refusal.
    """
    import pandas as pd

    from govsim.cases.verdict import verdict_line

    allowed = "the folder govsim cases validate wrote for --city's city, with its verdict.csv"
    folder = Path(folder)
    if not folder.is_dir():
        raise ArgumentError(command, f"--validation {folder} is not a folder", allowed)
    path = folder / "verdict.csv"
    if not path.is_file():
        raise ArgumentError(command, f"--validation {folder} holds no verdict.csv", allowed)
    try:
        verdict = pd.read_csv(path)
    except Exception as error:  # pandas raises several kinds for a damaged file
        raise PathError(
            path, f"cannot be read as a verdict ({type(error).__name__})", allowed
        ) from None
    columns = ", ".join(VERDICT_COLUMNS)
    if missing := [c for c in VERDICT_COLUMNS if c not in verdict.columns]:
        raise PathError(
            path,
            f"is not a verdict: it has no column {', '.join(missing)}",
            f"{allowed} (columns {columns})",
        )
    if not pd.api.types.is_numeric_dtype(verdict["value"]):
        raise PathError(path, "is not a verdict: its values are not numbers", allowed)
    judged = read_judged(folder)
    digest = city_digest(city)
    same = (
        digest == judged.city_sha256
        if judged.city_sha256 is not None
        else digest is None and city == judged.city
    )
    if not same:
        theirs = f" (sha256 {judged.city_sha256[:12]})" if judged.city_sha256 else ""
        ours = f" (sha256 {digest[:12]})" if digest else ""
        raise ArgumentError(
            command,
            f"--validation {folder} judged the city {judged.city}{theirs}, not --city {city}{ours}",
            "a validation of --city's city: govsim cases validate ... --city CITY",
        )
    return Validation(folder, verdict, verdict_line(verdict), judged)


def failed_measures(validation: Validation) -> str:
    """The failed measures with their values and thresholds ("" for none)."""
    return "; ".join(
        f"{r.measure} {r.value:.3g} against {r.threshold}"
        + (f" ({r.note})" if isinstance(r.note, str) and r.note else "")
        for r in validation.failed.itertuples()
    )


def failed_warning(validation: Validation, lead: str = "THE VALIDATION FAILED") -> str:
    """The warning above the effects of a city whose validation failed ("" for none).

    ``lead`` opens it (in capitals where it is printed, in bold in a report).
    """
    failed = failed_measures(validation)
    if not failed:
        return ""
    return f"{lead} on {failed}: the effects below are of a city that misses the log there"


def arm_text(judged: Judged, label: str, reference: str) -> str:
    """Which arm of a comparison of ``label`` with ``reference`` the validation judged."""
    if judged.mechanism == reference:
        return f"it judged {reference}, this comparison's reference arm"
    if judged.mechanism == label:
        return (
            f"it judged the city under {label}, this comparison's treatment, not its "
            f"{reference} arm (validate with -- mechanism={reference} to judge the city "
            "before the reform)"
        )
    return f"it judged the city under {judged.mechanism}, neither arm of this comparison"


def judged_text(validation: Validation) -> str:
    """What the validation judged: the folder, city, log, held-out period, mechanism, runs."""
    judged = validation.judged
    digest = f" (sha256 {judged.city_sha256[:12]})" if judged.city_sha256 else ""
    draws = "its parameter draws" if judged.draws_sha256 else "its point estimates"
    return (
        f"{validation.folder} judged {judged.city}{digest} on {judged.log}, held out "
        f"{judged.first} to {judged.last}, under {judged.mechanism} ({judged.runs} runs of "
        f"{draws}, warm-up {judged.warmup} days)"
    )


def verdict_lines(validation: Validation, label: str, reference: str) -> list[str]:
    """What is printed above the effects: what was judged, the verdict, a FAIL's measures."""
    lines = [
        f"validation: {judged_text(validation)}; {arm_text(validation.judged, label, reference)}",
        validation.line,
    ]
    if warning := failed_warning(validation):
        lines.append(warning)
    return lines
