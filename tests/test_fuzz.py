"""Fuzzing the command: any override, path or argument ends in a whole result or one line.

Hypothesis draws command lines for the Hydra application (overrides of known keys with
values in and out of range, misspelt keys, group choices, garbage, sweeps, output paths)
and for every subcommand (paths that are missing, empty, files, damaged or partial
sweeps; arguments in and out of range). Every command line must end with exit status 0
and complete results, or exit status 1 or 2 with exactly one line on stderr and nothing
written — never a traceback. Sizes are bounded (the small city, a few days, a trial or
two) so the test runs in the suite; the draws are derandomized so CI is repeatable.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FAST, experiment
from govsim.cli import main
from govsim.composition.compose import CONF_DIR
from govsim.experiments.levers import catalogue
from govsim.files import INCOMPLETE
from govsim.mechanisms import REGISTRY

EVERY_FILE = {
    "config.yaml",
    "runs.parquet",
    "daily.parquet",
    "units.parquet",
    "comparison.png",
    "summary.md",
    "status.json",
}
EXAMPLES = CONF_DIR.parent / "docs" / "examples"
SCENARIOS = sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))
LEVERS = catalogue(experiment("city=workshop"))
SIZES = [
    "days",
    "replications",
    "warmup_days",
    "horizon_days",
    "seed",
    "city.residents.per_grid",
    "city.districts",
    "city.case_load_scale",
    "city.case_types.neighbour_dispute.rate_per_1000_per_year",
]
"""Keys that set how long a run takes: drawn small or invalid, never large and valid."""
ODD_VALUES = ["-1", "0", "abc", "inf", "-inf", "nan", "1e400", "[1,2]", "null", "''", "1.5"]


def _typo(key: str, k: int) -> str:
    k %= len(key)
    return key[:k] + key[k + 1 :] if k % 2 else key[:k] + key[k] + key[k:]


def _lever_value(lever, x: float) -> str:
    value = lever.low + x * (lever.high - lever.low)
    return str(round(value)) if lever.integer else repr(value)


lever_override = st.builds(
    lambda lever, x, odd, use_odd: f"{lever.key}={odd if use_odd else _lever_value(lever, x)}",
    st.sampled_from(LEVERS),
    st.floats(-0.5, 1.5),
    st.sampled_from(ODD_VALUES),
    st.booleans(),
)
size_override = st.builds(
    lambda key, value: f"{key}={value}",
    st.sampled_from(SIZES),
    st.sampled_from([*ODD_VALUES, "1", "2", "3", "10"]),
)
typo_override = st.builds(
    lambda lever, k, plus, value: f"{plus}{_typo(lever.key, k)}={value}",
    st.sampled_from(LEVERS),
    st.integers(0, 60),
    st.sampled_from(["", "+", "++"]),
    st.sampled_from(["1", "0.5"]),
)
group_override = st.one_of(
    st.builds(
        "mechanism={}".format,
        st.sampled_from(
            [*REGISTRY, "whistle_schema", "nope", "[whistle,hotline]", "[]", "[baseline,nope]"]
        ),
    ),
    st.builds("city={}".format, st.sampled_from(["workshop", "mmc", "city_schema", "nope"])),
    st.builds("scenario={}".format, st.sampled_from([*SCENARIOS, "nope"])),
    st.builds(
        "reference={}".format, st.sampled_from(["null", "baseline", "whistle", "[whistel]", "[]"])
    ),
)
garbage = st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=12)
override = st.one_of(lever_override, size_override, typo_override, group_override, garbage)


def _run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Paths to give subcommands: a finished sweep, damaged copies of it, and non-results."""
    base = tmp_path_factory.mktemp("places")
    sweep = base / "sweep"
    assert (
        main(
            [
                "-m",
                *FAST,
                "reference=null",
                "mechanism=baseline,whistle",
                f"hydra.sweep.dir={sweep}",
            ]
        )
        == 0
    )
    partial, corrupt = base / "partial", base / "corrupt"
    shutil.copytree(sweep, partial)
    (next(partial.glob("run-*")) / "status.json").unlink()
    shutil.copytree(sweep, corrupt)
    next(corrupt.glob("run-*/daily.parquet")).write_bytes(b"not parquet")
    (base / "empty").mkdir()
    (base / "file").write_text("x")
    return {
        "sweep": sweep,
        "partial": partial,
        "corrupt": corrupt,
        "empty": base / "empty",
        "file": base / "file",
        "missing": base / "missing",
        "run": next(sweep.glob("run-*")),
    }


@st.composite
def command_line(draw: st.DrawFn, places: dict[str, Path], work: Path) -> tuple[list[str], Path]:
    """A command line and the place its results go (``work/out``)."""
    out = work / "out"
    path = str(places[draw(st.sampled_from(sorted(places)))])
    kind = draw(
        st.sampled_from(
            [
                "run",
                "run",
                "run",
                "sweep",
                "collect",
                "compare",
                "sensitivity",
                "uncertainty",
                "robustness",
                "animate",
                "validate",
                "calibrate",
                "list",
                "app",
                "cases",
            ]
        )
    )
    flags = st.lists(st.sampled_from(["--allow-partial", "--bogus", "-h"]), max_size=1)
    if kind in ("run", "sweep"):
        where = draw(st.sampled_from([str(out), str(places["file"] / "out")]))
        args = [*FAST, "reference=null", *draw(st.lists(override, max_size=3))]
        if kind == "sweep":
            return ["-m", *args, "seed=0,1", f"hydra.sweep.dir={where}"], out
        return [*args, f"hydra.run.dir={where}"], out
    if kind in ("collect", "compare"):
        extra = draw(st.sampled_from([[], ["--reference", "whistle"], ["--reference", "x"]]))
        return [kind, path, *draw(flags), *extra, "--out", str(out)], out
    if kind in ("sensitivity", "uncertainty"):
        return [
            kind,
            path,
            *draw(
                st.sampled_from(
                    [[], ["--metric", "x"], ["--of", "effect"]]
                    if kind == "sensitivity"
                    else [[], ["--metric", "x"]]
                )
            ),
        ], out
    if kind == "robustness":
        return [
            kind,
            path,
            *draw(
                st.sampled_from(
                    [[], ["--metric", "x"], ["--threshold", "nan"], ["--direction", "up"]]
                )
            ),
        ], out
    if kind == "animate":
        name = draw(st.sampled_from(["a.gif", "a.png"]))
        return [
            kind,
            "--days",
            draw(st.sampled_from(["-5", "0", "1", "2", "x"])),
            "--fps",
            draw(st.sampled_from(["0", "4", "500", "y"])),
            "--out",
            str(out / name),
            "--",
            *draw(st.lists(override, max_size=2)),
        ], out
    if kind == "validate":
        return [
            kind,
            "--skip-queueing",
            "--only",
            draw(st.sampled_from(["baseline", "zz"])),
            "--field-replications",
            draw(st.sampled_from(["0", "1", "2", "x"])),
            "--out",
            str(out / "validation.md"),
        ], out
    if kind == "calibrate":
        return [
            kind,
            "--trials",
            draw(st.sampled_from(["0", "1", "x"])),
            "--replications",
            "1",
            "--target",
            draw(st.sampled_from(["resolution_rate=0.9", "nope=1", "resolution_rate=nan", "bad"])),
            "--param",
            draw(
                st.sampled_from(
                    [
                        "mechanism.whistle.compliance=0.5:1",
                        "mechanism.whistle.compliance=0.5:1.5",
                        "mechanism.whistle.complianc=0:1",
                        "x",
                    ]
                )
            ),
            "--out",
            str(out),
            "--",
            *FAST,
        ], out
    if kind == "cases":
        log = draw(st.sampled_from([str(EXAMPLES / "example_log.csv"), path]))
        mapping = draw(st.sampled_from([str(EXAMPLES / "example_mapping.yaml"), path]))
        city = draw(st.sampled_from([[], ["--city", "workshop"], ["--city", "nope"]]))
        return [
            kind,
            draw(st.sampled_from(["check", "check", "fit"])),
            log,
            "--mapping",
            mapping,
            *city,
            *draw(flags),
            "--out",
            str(out),
        ], out
    if kind == "app":
        return [kind, "--port", draw(st.sampled_from(["0", "8765", "99999", "x"]))], out
    return [kind, *draw(st.lists(garbage, max_size=1))], out


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _complete(args: list[str], out: Path) -> bool:
    """Whether a successful command left whole results where they belong."""
    if "-h" in args or args[0] in ("list", "app", "sensitivity", "uncertainty", "robustness"):
        return not out.exists()  # help, listings and the app write nothing of their own
    if args[0] == "-m":
        jobs = list(out.glob("run-*"))
        return len(jobs) == 2 and all(
            _files(job) >= EVERY_FILE - {"comparison.png"} for job in jobs
        )
    expected = {
        "collect": {"runs.parquet", "long.parquet"},
        "compare": {"report.md"},
        "validate": {"validation.md"},
        "calibrate": {"calibration.md"},
        "animate": {"a.gif"},
        "cases": {"kept.parquet", "rejected.csv", "values.csv", "check.md"},
    }.get(args[0], EVERY_FILE)
    return expected <= _files(out)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_every_command_line_ends_whole_or_in_one_line(
    places, tmp_path_factory, monkeypatch, data
) -> None:
    monkeypatch.setattr(os, "execve", lambda *args: None)  # govsim app would replace pytest
    work = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    monkeypatch.chdir(work)
    args, out = data.draw(command_line(places, work), label="command line")
    status, stdout, err = _run(args)
    assert "Traceback" not in err, err
    assert status in (0, 1, 2), (status, err)
    if status == 0:
        assert _complete(args, out), (args, stdout, err)
    else:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("govsim: "), (args, err)
        assert not out.exists(), (args, err, list(out.rglob("*")))
        assert not [p for p in work.rglob(f"*{INCOMPLETE}*")], args
        assert not (work / "results").exists(), args
