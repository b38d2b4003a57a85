"""Draws of a fitted city's demand parameters (参数不确定性), kept beside the city.

A fitted city holds point estimates; a day it has not seen is uncertain both through the
day's own noise (the replicates) and through the estimates (a level read off two weeks, a
weekday weight off one or two days). ``govsim cases fit ... --out CITY.yaml`` writes
:data:`KEPT` of its day-bootstrap draws (:attr:`govsim.cases.fit.DemandFit.draws`) to
``CITY.draws.csv`` beside the city: one row a draw, the level of every rate relative to the
estimate (``level``), the weekday weights (``Mon`` … ``Sun``), the holiday factor and the two
over-dispersions. ``govsim cases validate --city CITY.yaml`` finds them there and runs each
replication with a draw of its own (:func:`draw_overrides`), so that its simulated band holds
the parameters' uncertainty as well as the replicates'. The draws are i.i.d. bootstrap
draws: any first r of them are a sample of r.

Assumption: the day bootstrap's spread of the estimates stands for their sampling
uncertainty (days exchangeable given their kind, as the intervals of the fit take them).
The behavioural parameters calibrated by ``--param`` are not drawn here; their ensemble
(:mod:`govsim.cases.calibrate`) combines with these draws run by run. A key set after ``--``
or calibrated keeps its value in every draw, except ``city.case_load_scale``
(:data:`SCALE`): the draw's level multiplies the run's scale, whatever set it (a scale
calibrated by ``--param`` too, so that the draws then add the fitted level's spread to the
ensemble's).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govsim.cases.fit import DRAWN, WEEKDAYS
from govsim.config.errors import PathError

if TYPE_CHECKING:
    from govsim.config.schema import ExperimentConfig

__all__ = [
    "COLUMNS",
    "DRAWN_KEYS",
    "KEPT",
    "SCALE",
    "draw_overrides",
    "drawn_experiment",
    "draws_path",
    "fixed_keys",
    "read_draws",
    "write_draws",
]

KEPT = 100
"""Draws written beside a fitted city (a run uses draw r mod :data:`KEPT`)."""

COLUMNS = [DRAWN[0], *WEEKDAYS, *DRAWN[1:]]
"""A draws table's columns, in order."""

ALLOWED = "a table written by govsim cases fit (columns " + ", ".join(COLUMNS) + ")"


def draws_path(city: Path) -> Path:
    """Where the draws of the city fitted to ``city`` (a YAML) are kept: ``CITY.draws.csv``."""
    return city.with_name(f"{city.stem}.draws.csv")


def _usable(draws: pd.DataFrame) -> pd.Series:
    """Whether each draw can run: every value finite and ≥ 0, the level > 0."""
    values = draws[COLUMNS].to_numpy(dtype=float)
    return pd.Series(
        np.isfinite(values).all(axis=1) & (values >= 0).all(axis=1) & (draws["level"] > 0),
        index=draws.index,
    )


def write_draws(city: Path, draws: pd.DataFrame) -> Path | None:
    """Write the first :data:`KEPT` runnable ``draws`` beside ``city``; returns their path.

    A log too small to give one (a resample of days with no ordinary day to weigh) writes
    none, and a table an earlier fit left there is removed: None.
    """
    from govsim.files import write_text

    path = draws_path(city)
    usable = draws[COLUMNS][_usable(draws)].head(KEPT)
    if usable.empty:
        path.unlink(missing_ok=True)
        return None
    write_text(path, usable.to_csv(index=False, float_format="%.6g"))
    return path


def read_draws(city: str) -> pd.DataFrame | None:
    """The draws kept beside ``city`` (a YAML), checked; None for a city without them."""
    if not city.endswith((".yaml", ".yml")):
        return None
    path = draws_path(Path(city))
    if not path.is_file():
        return None
    try:
        table = pd.read_csv(path)
    except Exception as error:  # pandas raises several kinds for a damaged file
        reason = " ".join(str(error).split())[:120]
        raise PathError(
            path, f"cannot be read ({type(error).__name__}: {reason})", ALLOWED
        ) from None
    if list(table.columns) != COLUMNS or table.empty:
        raise PathError(path, "is not a table of parameter draws", ALLOWED)
    if not all(pd.api.types.is_numeric_dtype(table[c]) for c in COLUMNS):
        raise PathError(path, "has values that are not numbers", ALLOWED)
    if not _usable(table).all():
        raise PathError(path, "has missing, infinite or negative values, or a level of 0", ALLOWED)
    table.attrs["path"] = str(path)
    return table


SCALE = "city.case_load_scale"
"""The key of the drawn level: it multiplies the run's own scale, whoever set that."""


def draw_overrides(draw: pd.Series, case_load_scale: float) -> list[str]:
    """Hydra overrides running one draw: every rate × its level, its week, holiday, spread.

    ``case_load_scale`` is the run's own (a lever the draw's level multiplies, not replaces).
    """
    week = ",".join(f"{float(draw[d]):.6g}" for d in WEEKDAYS)
    return [
        f"{SCALE}={case_load_scale * float(draw['level']):.6g}",
        f"city.calendar.weekday_profile=[{week}]",
        f"city.calendar.holiday_factor={float(draw['holiday_factor']):.6g}",
        f"city.calendar.daily_dispersion={float(draw['daily_dispersion']):.6g}",
        f"city.calendar.district_dispersion={float(draw['district_dispersion']):.6g}",
    ]


DRAWN_KEYS = tuple(o.split("=", 1)[0] for o in draw_overrides(pd.Series(1.0, index=COLUMNS), 1.0))
"""The keys a draw sets (:func:`draw_overrides`): the parameters that vary between draws."""


def fixed_keys(overrides: list[str], calibrated: Iterable[str] = ()) -> frozenset[str]:
    """The keys the command line sets (``key=value``, ``+key=value``) or a calibration fits.

    :func:`drawn_experiment` leaves their values alone, except :data:`SCALE`'s, which the
    draw's level multiplies.
    """
    keys = {o.split("=", 1)[0].lstrip("+~") for o in overrides if "=" in o}
    return frozenset(keys | set(calibrated))


def drawn_experiment(
    experiment: ExperimentConfig,
    overrides: list[str],
    draws: pd.DataFrame | None,
    index: int,
    fixed: frozenset[str] = frozenset(),
) -> ExperimentConfig:
    """``experiment`` (composed of ``overrides``) run with draw ``index`` mod their number.

    None for ``draws``: ``experiment`` itself. A key in ``fixed`` (:func:`fixed_keys`) keeps
    its value, except :data:`SCALE`: the draw's level always multiplies the run's
    ``case_load_scale`` (the city's, or the value set after ``--`` or calibrated, which is
    never left without the draw's level). A draw the configuration refuses is an error of
    the draws' file, named with its row.
    """
    if draws is None:
        return experiment
    from govsim.composition.compose import compose
    from govsim.config.errors import ConfigError

    row = index % len(draws)
    drawn = [
        o
        for o in draw_overrides(draws.iloc[row], experiment.city.case_load_scale)
        if o.split("=", 1)[0] == SCALE or o.split("=", 1)[0] not in fixed
    ]
    try:
        return compose([*overrides, *drawn])
    except ConfigError as error:
        raise PathError(
            draws.attrs.get("path", "draws"),
            f"row {row + 1} cannot run: {error.key}={error.value!r}",
            f"{ALLOWED}, each value within {error.allowed}",
        ) from None
