"""Fuzzing imported logs: a faulty log ends in a refusal with its reason or in the clean fit.

Hypothesis draws faults into a small generated log (three weeks of cases in two streets):
stray rows dated far early, a month early, late or in the far future; cases closed more
than a year after they opened; times written day-first, with a UTC offset or in UTC; and
a cut-off (``--until``, or ``--from`` of a validation) inside or outside the log's span,
alone and together. Each log must end in a one-line :class:`RequestError` naming its
reason, or in a fit equal to the clean log's at the same cut-off: stray and implausible
rows never move a rate. The draws are derandomized and the fits' bootstraps short, so
the test runs in seconds.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govsim.cases import fit
from govsim.cases.check import check_log
from govsim.cases.log_fit import covering
from govsim.cases.mapping import parse_mapping
from govsim.cases.read import read_log
from govsim.config.errors import RequestError

FIRST, LAST = date(2025, 5, 1), date(2025, 5, 21)
NOW = pd.Timestamp("2026-01-01")
"""When the future starts, for the check (fixed, so the draws are repeatable)."""
MAPPING = {
    "id": "id",
    "created": "created",
    "closed": "closed",
    "category": "category",
    "unit": "unit",
}
STRAYS = {
    "far early": pd.Timestamp("1900-05-03 10:00"),
    "a year early": pd.Timestamp("2024-05-03 10:00"),
    "a month early": pd.Timestamp("2025-04-01 10:00"),
    "late": pd.Timestamp("2025-07-20 10:00"),
    "far future": pd.Timestamp("2099-05-03 10:00"),
}
STYLES = {  # how times are written → (format of each time, the mapping's time_format)
    "plain": (lambda t: t.strftime("%Y-%m-%d %H:%M"), "%Y-%m-%d %H:%M"),
    "offset": (lambda t: t.strftime("%Y-%m-%dT%H:%M") + "+08:00", None),
    "utc": (
        lambda t: t.tz_localize("Asia/Shanghai").tz_convert("UTC").strftime("%Y-%m-%dT%H:%M") + "Z",
        None,
    ),
    "day-first, with its format": (lambda t: t.strftime("%d/%m/%Y %H:%M"), "%d/%m/%Y %H:%M"),
    "day-first, no format": (lambda t: t.strftime("%d/%m/%Y %H:%M"), None),
}
FOLDER = Path(tempfile.mkdtemp(prefix="govsim-fuzz-logs-"))


def _clean() -> pd.DataFrame:
    """About 120 cases over three weeks, closed within hours or days, some still open."""
    rng = np.random.default_rng(7)
    n = 120
    created = (
        pd.Timestamp(FIRST) + pd.to_timedelta(np.sort(rng.uniform(0, 21, n)), unit="D")
    ).floor("min")
    closed = (created + pd.to_timedelta(rng.exponential(1.5, n), unit="D")).floor("min")
    return pd.DataFrame(
        {
            "id": [f"C{k}" for k in range(n)],
            "created": created,
            "closed": pd.Series(closed).where(rng.uniform(size=n) < 0.9),
            "category": rng.choice(["neighbour", "property"], n),
            "unit": rng.choice(["street/0", "street/1"], n),
        }
    )


CLEAN = _clean()


def _faulty(strays: list[str], long_closures: list[int]) -> pd.DataFrame:
    """The clean log with stray rows and cases closed ``long_closures`` days after opening."""
    extra = [
        {
            **CLEAN.iloc[k % len(CLEAN)].to_dict(),
            "id": f"S{k}",
            "created": STRAYS[kind],
            "closed": pd.NaT,
        }
        for k, kind in enumerate(strays)
    ]
    extra += [
        {
            **CLEAN.iloc[k].to_dict(),
            "id": f"L{k}",
            "closed": CLEAN["created"].iloc[k] + pd.Timedelta(days=days),
        }
        for k, days in enumerate(long_closures)
    ]
    return pd.concat([CLEAN, pd.DataFrame(extra, columns=CLEAN.columns)], ignore_index=True)


def _written(cases: pd.DataFrame, style: str) -> Path:
    """The log as a CSV with times written in ``style``."""
    write = STYLES[style][0]
    table = cases.assign(
        created=cases["created"].map(write),
        closed=cases["closed"].map(lambda t: "" if pd.isna(t) else write(t)),
    )
    path = FOLDER / "log.csv"
    table.to_csv(path, index=False)
    return path


def _fit(path: Path, time_format: str | None, option: str, day: date) -> pd.DataFrame:
    """What ``cases fit`` (``--until``) or ``cases validate`` (``--from``) would use.

    The rates fitted up to ``day`` for ``--until``; for ``--from``, the log's cases from
    ``day`` on (the held-out period).
    """
    mapping = parse_mapping({**MAPPING, "time_format": time_format}, FOLDER / "mapping.yaml")
    result = check_log(read_log(path, mapping), mapping, now=NOW)
    assert result.rows_read == len(result.kept) + len(result.rejected)
    span = covering(result, path, option, day)
    kept = result.in_period()
    if option == "--from":
        held_out = kept[kept["created"] >= pd.Timestamp(day)]
        return held_out[["id", "created", "closed"]].reset_index(drop=True)
    with mock.patch.object(fit, "DRAWS", 20):
        demand = fit.fit_demand(fit.observed(kept, day), span.first, day, np.random.default_rng(0))
    return demand.rates


@pytest.fixture(scope="module")
def clean_fits():
    """The clean log's fits, by option and day."""
    fits: dict[tuple[str, date], pd.DataFrame] = {}

    def get(option: str, day: date) -> pd.DataFrame:
        if (option, day) not in fits:
            fits[option, day] = _fit(_written(CLEAN, "plain"), "%Y-%m-%d %H:%M", option, day)
        return fits[option, day]

    return get


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    strays=st.lists(st.sampled_from(sorted(STRAYS)), max_size=3),
    long_closures=st.lists(st.integers(366, 5000), max_size=2),
    style=st.sampled_from(sorted(STYLES)),
    option=st.sampled_from(["--until", "--from"]),
    offset=st.sampled_from([-400, -1, 0, 13, 20, 21, 60]),
)
def test_a_faulty_log_is_refused_with_its_reason_or_fits_as_the_clean_log(
    clean_fits, strays: list[str], long_closures: list[int], style: str, option: str, offset: int
) -> None:
    day = FIRST + timedelta(days=offset)
    path = _written(_faulty(strays, long_closures), style)
    refusals = []
    if style == "day-first, no format":
        refusals.append("created: day/month order is ambiguous")
    if not FIRST <= day <= LAST:
        refusals.append(f"does not cover {option} {day}: its span {FIRST} … {LAST}")
    try:
        got = _fit(path, STYLES[style][1], option, day)
    except RequestError as error:
        message = str(error)
        assert "\n" not in message and refusals and refusals[0] in message, message
        return
    assert not refusals, f"not refused: {refusals}"
    pd.testing.assert_frame_equal(got, clean_fits(option, day))
