"""Designs beyond full factorial: Latin hypercube, Sobol, Morris and FAST, swept by Hydra.

``govsim -m hydra/sweeper=design hydra.sweeper.method=lhs hydra.sweeper.samples=16
+hydra.sweeper.params.mechanism.whistle.deadline_days=[0.5,3]`` samples points over
declared ranges (integers when both bounds are integers) and launches one job per point
through the configured launcher, each with ``design_point=k``. ``sobol`` is Saltelli's
scheme (SALib), with the columns second-order indices need when
``hydra.sweeper.second_order=true`` (``samples`` × (2 × parameters + 2) points instead of
``samples`` × (parameters + 2)); ``fast`` is extended FAST's search curves (SALib's
``fast_sampler``, ``samples`` > 64 points per parameter). Discrete sweeps on the
command line (``mechanism=baseline,whistle``) are crossed with the design. The design is
saved as ``design.json`` in the sweep folder for ``govsim sensitivity``. Replicate noise
is handled inside each job (``replications``, common random numbers across points).

The sampled problem always holds one more parameter, :data:`DUMMY`, over [0, 1]: it is in
``design.json`` but never passed to the jobs, so it cannot change a run, and its index
shows the size of index that no effect at all gets (the noise floor, ``govsim
sensitivity``). It costs one more step per Morris trajectory and ``samples`` more Sobol
points. ``hydra.sweeper.method=ensemble hydra.sweeper.ensemble=PATH`` runs one job per row
of a table of parameter draws instead (:mod:`govsim.experiments.ensemble`).

:class:`Design` samples a design and makes its jobs; the sweeper that launches them
(``hydra/sweeper=design``) is Hydra's side of it, in ``hydra_plugins.govsim_design_sweeper``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govsim.config.validate import ConfigError
from govsim.files import write_text

if TYPE_CHECKING:  # Hydra imports this module to find its plugins, on every command
    import numpy as np

__all__ = [
    "DECLARED",
    "DESIGN_FILE",
    "DUMMY",
    "FAST_HARMONICS",
    "METHODS",
    "Design",
    "declared_range",
    "sample",
]

DESIGN_FILE = "design.json"
METHODS = ("lhs", "sobol", "morris", "fast")
DECLARED = "declared"
"""A parameter's bound that stands for the key's declared range (``param=declared``)."""
FAST_HARMONICS = 4
"""The interference factor M of extended FAST (SALib's default): a design needs N > 4M²."""
DUMMY = "dummy"
"""The sampled parameter that no job receives: its index is the noise floor."""


def declared_range(name: str, bound: Any) -> Any:
    """``bound``, or the key's allowed range when ``bound`` is ``declared``.

    The range a key's contract declares (:mod:`govsim.config.schema`, the lever catalogue of
    :mod:`govsim.experiments.levers`) is the default span of a sweep over it.
    """
    if bound != DECLARED:
        return bound
    from govsim.composition.overrides import check_key  # Hydra loads this module on start

    contract = check_key(name)
    meta = contract.metadata if contract is not None else {}
    if meta.get("kind") not in ("number", "integer"):
        raise ConfigError(
            f"hydra.sweeper.params.{name}",
            bound,
            "[low, high]; declared only for a numeric key (a lever)",
        )
    return [meta["low"], meta["high"]]


def _problem(params: dict[str, Any]) -> dict[str, Any]:
    names, bounds = [], []
    for name, bound in params.items():
        if not isinstance(bound, list | tuple) or len(bound) != 2 or not bound[0] < bound[1]:
            raise ConfigError(
                f"hydra.sweeper.params.{name}",
                bound,
                f"[low, high] with low < high, or {DECLARED} (the key's range)",
            )
        names.append(name)
        bounds.append([float(bound[0]), float(bound[1])])
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def sample(
    method: str,
    params: dict[str, Any],
    samples: int,
    seed: int,
    morris_levels: int = 4,
    second_order: bool = False,
) -> tuple[dict[str, Any], np.ndarray]:
    """The problem definition and the design matrix (one row per point).

    A Sobol design with ``second_order`` marks its problem so (``second_order``: True), for
    the analysis to read its columns.
    """
    if method not in METHODS:
        raise ConfigError(
            "hydra.sweeper.method",
            method,
            "one of " + ", ".join(METHODS) + ", or ensemble (a table of draws)",
        )
    if samples < 1:
        raise ConfigError("hydra.sweeper.samples", samples, "an integer >= 1")
    if second_order and method != "sobol":
        raise ConfigError(
            "hydra.sweeper.second_order",
            second_order,
            "false, or true with hydra.sweeper.method=sobol",
        )
    if method == "fast" and samples <= 4 * FAST_HARMONICS**2:
        raise ConfigError(
            "hydra.sweeper.samples",
            samples,
            f"an integer > {4 * FAST_HARMONICS**2} for fast (4 M², M = {FAST_HARMONICS} harmonics)",
        )
    problem = _problem(params)
    if not problem["names"]:
        raise ConfigError(
            "hydra.sweeper.params",
            {},
            "ranges to sample, e.g. +hydra.sweeper.params.city.street_staff=[2,10]",
        )
    if method == "lhs":
        import numpy as np
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=problem["num_vars"], seed=seed).random(samples)
        bounds = np.array(problem["bounds"])
        points = qmc.scale(unit, bounds[:, 0], bounds[:, 1])
    elif method == "sobol":
        from SALib.sample import sobol

        points = sobol.sample(problem, samples, calc_second_order=second_order, seed=seed)
        if second_order:
            problem["second_order"] = True
    elif method == "fast":
        from SALib.sample import fast_sampler

        points = fast_sampler.sample(problem, samples, M=FAST_HARMONICS, seed=seed)
    else:
        from SALib.sample import morris

        points = morris.sample(problem, samples, num_levels=morris_levels, seed=seed)
    return problem, points


def _value(bound: list[Any], x: float) -> str:
    if all(isinstance(b, int) and not isinstance(b, bool) for b in bound):
        return str(round(x))
    return repr(float(x))


class Design:
    """A sampled design: its points, the jobs made from them and its record.

    ``params`` are the sweep's ranges as the configuration nests them
    (``hydra.sweeper.params``); ``method=ensemble`` takes one point per row of the table
    at ``ensemble`` instead of sampling. Sampling happens when the design is made, so a bad
    design is refused before any job is composed.
    """

    def __init__(
        self,
        method: str,
        samples: int,
        design_seed: int,
        morris_levels: int,
        params: dict[str, Any],
        ensemble: str | None = None,
        second_order: bool = False,
    ) -> None:
        from govsim.composition.overrides import flatten_params  # Hydra loads this on start

        self.method, self.samples, self.design_seed = method, samples, design_seed
        flat = flatten_params(params or {})
        if method == "ensemble":
            from govsim.experiments.ensemble import ensemble_design

            self.params, self.problem, self.points = ensemble_design(
                ensemble, flat, design_seed, DUMMY
            )
            return
        if ensemble:
            raise ConfigError(
                "hydra.sweeper.ensemble", ensemble, "only with hydra.sweeper.method=ensemble"
            )
        if DUMMY in flat:
            raise ConfigError(
                f"hydra.sweeper.params.{DUMMY}",
                flat[DUMMY],
                "configuration keys; the design adds its own dummy",
            )
        self.params = {
            **{name: declared_range(name, bound) for name, bound in flat.items()},
            DUMMY: [0.0, 1.0],
        }
        self.problem, self.points = sample(
            method, self.params, samples, design_seed, morris_levels, second_order
        )

    def jobs(self, bases: Sequence[Sequence[str]]) -> list[list[str]]:
        """Every base job (the discrete sweeps crossed) at every point, ``design_point=k``."""
        bounds = list(self.params.values())
        batch = []
        for base in bases:
            for k, row in enumerate(self.points):
                values = [
                    f"{name}={_value(bound, x)}"
                    for name, bound, x in zip(self.problem["names"], bounds, row, strict=True)
                    if name != DUMMY
                ]
                batch.append([*base, *values, f"design_point={k}"])
        return batch

    def save(self, sweep_dir: Path) -> None:
        """Write the design into the sweep's folder (:data:`DESIGN_FILE`)."""
        write_text(
            Path(sweep_dir) / DESIGN_FILE,
            json.dumps(
                {
                    "method": self.method,
                    "samples": self.samples,
                    "seed": self.design_seed,
                    "problem": self.problem,
                    "points": self.points.tolist(),
                },
                indent=1,
            ),
        )
