"""Policies × uncertainties: exploratory modelling, swept by Hydra (``hydra/sweeper=explore``).

In the manner of the EMA Workbench (Kwakkel 2017), an exploratory sweep runs every
*policy* in every sampled *scenario*:

- **uncertainties** are ranges of the city's parameters, its residents' behaviour
  included (``+hydra.sweeper.uncertainties.city.case_load_scale=[0.8,1.6]``), or of any
  lever, a mechanism's parameters included; ``declared`` stands for the key's allowed
  range (``+hydra.sweeper.uncertainties.mechanism.whistle.compliance=declared``); a
  mechanism's parameter is given only to the policies that select the mechanism. Sampled
  with the EMA Workbench's samplers (``method``: ``lhs`` Latin hypercube, ``sobol``
  Saltelli's scheme of SALib, ``factorial`` a full factorial of ``scenarios`` levels per
  uncertainty) as ``RealParameter`` or, for a whole-number key, ``IntegerParameter``,
  seeded with ``design_seed``. Each sampled point is a *scenario*;
- **policies** are the discrete sweep on the command line: mechanism sets and their
  levers (``mechanism=baseline,whistle,[whistle,hotline] mechanism.whistle.compliance=...``),
  optionally with linked levers (``hydra.sweeper.linked``, :mod:`govsim.composition.linked`).

Every policy runs at every scenario with the same seed and replications (common random
numbers), one job each, through govsim's checked sweep and the configured Hydra launcher;
each job has ``design_point`` set to its scenario's index. The sweep folder gets
``explore.json``: the uncertainties, the scenarios, the policies and which run folder
holds which policy at which scenario — what ``govsim robustness`` reads.

:class:`Exploration` samples the scenarios and makes the jobs; the sweeper that launches
them is Hydra's side of it, in ``hydra_plugins.govsim_explore_sweeper``.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govsim.composition.linked import link, linked_groups
from govsim.composition.overrides import (
    COMPOSITION_ERRORS,
    check_key,
    flatten_params,
    translate,
)
from govsim.composition.sweeping import cross, parse_sweep
from govsim.config.validate import ConfigError
from govsim.experiments.design import DECLARED
from govsim.experiments.sweep import MANIFEST
from govsim.files import write_text

if TYPE_CHECKING:  # Hydra imports this module to find its plugins, on every command
    import numpy as np

__all__ = [
    "EXPLORE_FILE",
    "METHODS",
    "Exploration",
    "Uncertainty",
    "acts_in",
    "policy_labels",
    "sample_scenarios",
    "uncertainties",
]

EXPLORE_FILE = "explore.json"
METHODS = ("lhs", "sobol", "factorial")
SHARED = ("seed", "replications", "reference", "design_point")
"""Keys every policy shares: the same streams and replications in every job (common
random numbers); ``design_point`` is set by the sweeper."""
PREFIX = "hydra.sweeper.uncertainties"


@dataclass(frozen=True)
class Uncertainty:
    """A range of one city parameter or lever, sampled over the scenarios."""

    name: str
    low: float
    high: float
    integer: bool

    def text(self, x: float) -> str:
        """The sampled value ``x`` as the override's value."""
        return str(round(x)) if self.integer else repr(float(x))


def uncertainties(ranges: dict[str, Any]) -> list[Uncertainty]:
    """Check declared ranges ({key: [low, high] or ``declared``}) against the keys' contracts.

    A key is a number of the city (``city.*``) or any lever (:mod:`govsim.experiments.levers`:
    a mechanism's parameters included, e.g. ``mechanism.whistle.compliance``); ``declared``
    takes the key's own allowed range.
    """
    found = []
    for name, bound in flatten_params(ranges).items():
        where = f"{PREFIX}.{name}"
        contract = check_key(name)
        meta = contract.metadata if contract is not None else {}
        kind = meta.get("kind")
        if kind not in ("number", "integer") or not (name.startswith("city.") or meta.get("lever")):
            raise ConfigError(
                where,
                bound,
                "a numeric parameter of the city (city.*) or a "
                "lever, e.g. city.case_load_scale=[0.8,1.6] or "
                f"mechanism.whistle.compliance={DECLARED}",
            )
        if bound == DECLARED:
            bound = [meta["low"], meta["high"]]
        words = "integers" if kind == "integer" else "numbers"
        span = (
            f"[low, high] with {meta['low']} <= low < high <= {meta['high']}, both {words}, "
            f"or {DECLARED} (its whole range)"
        )
        if (
            not isinstance(bound, list | tuple)
            or len(bound) != 2
            or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bound)
            or (kind == "integer" and not all(float(b).is_integer() for b in bound))
            or not meta["low"] <= bound[0] < bound[1] <= meta["high"]
        ):
            raise ConfigError(where, bound, span)
        found.append(Uncertainty(name, float(bound[0]), float(bound[1]), kind == "integer"))
    if not found:
        raise ConfigError(
            PREFIX,
            {},
            "ranges of city parameters or levers to sample, e.g. "
            f"+{PREFIX}.city.case_load_scale=[0.8,1.6]",
        )
    return found


def acts_in(name: str, mechanisms: set[str]) -> bool:
    """Whether an uncertainty reaches a policy with these mechanisms.

    A mechanism's parameter (``mechanism.NAME.*``) exists only where the mechanism is
    selected: a policy without it is not given the value (its outcome cannot depend on it).
    """
    parts = name.split(".")
    return parts[0] != "mechanism" or parts[1] in mechanisms


def sample_scenarios(
    method: str, ranges: Sequence[Uncertainty], scenarios: int, seed: int
) -> np.ndarray:
    """The scenarios (one row per scenario, one column per uncertainty), by EMA's samplers."""
    if method not in METHODS:
        raise ConfigError("hydra.sweeper.method", method, "one of " + ", ".join(METHODS))
    if scenarios < 1:
        raise ConfigError("hydra.sweeper.scenarios", scenarios, "an integer >= 1")
    with warnings.catch_warnings():  # its optional parallel evaluator: not used here
        warnings.filterwarnings("ignore", message="ipyparallel not installed")
        from ema_workbench.em_framework.parameters import IntegerParameter, RealParameter
        from ema_workbench.em_framework.salib_samplers import SobolSampler
        from ema_workbench.em_framework.samplers import FullFactorialSampler, LHSSampler
    # EMA names must be identifiers; columns keep the order of ``ranges``
    parameters = [
        (
            IntegerParameter(f"u{j}", int(u.low), int(u.high))
            if u.integer
            else RealParameter(f"u{j}", u.low, u.high)
        )
        for j, u in enumerate(ranges)
    ]
    if method == "lhs":
        samples = LHSSampler().generate_samples(parameters, scenarios, rng=seed)
    elif method == "sobol":
        samples = SobolSampler().generate_samples(
            parameters, scenarios, rng=seed, calc_second_order=False
        )
    else:
        samples = FullFactorialSampler().generate_samples(parameters, scenarios)
    return samples.samples


def _key(override: str) -> str:
    return override.split("=", 1)[0].lstrip("+~")


def policy_labels(policies: Sequence[Sequence[str]]) -> list[str]:
    """Short names of the policies: the values of the keys in which they differ."""
    settings = [{_key(o): o.split("=", 1)[1] if "=" in o else "" for o in p} for p in policies]
    keys = list(dict.fromkeys(k for s in settings for k in s))
    differ = [k for k in keys if len({s.get(k) for s in settings}) > 1]
    if not differ:
        return [settings[0].get("mechanism", "policy")] * len(policies)
    if len(differ) == 1:
        return [s.get(differ[0], "") for s in settings]
    return [", ".join(f"{k}={s[k]}" for k in differ if k in s) for s in settings]


class Exploration:
    """Every policy at every sampled scenario: the scenarios, the jobs and their record.

    ``ranges`` are the uncertainties as the configuration nests them
    (``hydra.sweeper.uncertainties``), ``linked`` the linked levers
    (``hydra.sweeper.linked``); the scenarios are sampled when the exploration is made.
    """

    def __init__(
        self,
        method: str,
        scenarios: int,
        design_seed: int,
        ranges: dict[str, Any],
        linked: Any = None,
    ) -> None:
        self.method, self.scenarios, self.design_seed = method, scenarios, design_seed
        self.linked = linked
        self.ranges = uncertainties(ranges)
        self.points = sample_scenarios(method, self.ranges, scenarios, design_seed)
        self.policies: list[list[str]] = []
        self.cells: list[dict[str, int]] = []

    def _policies(self, arguments: list[str], config_loader: Any) -> list[list[str]]:
        try:
            parsed = parse_sweep(arguments, config_loader)
            crossed = cross(parsed)
        except COMPOSITION_ERRORS as error:
            raise translate(error) from error
        uncertain = {u.name for u in self.ranges}
        for override in parsed:
            key = override.key_or_group
            if key in uncertain:
                raise ConfigError(
                    key,
                    None,
                    "",
                    message=(
                        f"invalid configuration: {key} is an uncertainty ({PREFIX}.{key}) and "
                        "cannot also be set on the command line (allowed: one or the other)"
                    ),
                )
            if key == "design_point" or (key in SHARED and override.is_sweep_override()):
                raise ConfigError(
                    key,
                    None,
                    "",
                    message=(
                        f"invalid configuration: {key} cannot be swept in an exploratory sweep "
                        "(allowed: one value for every policy and scenario, common random "
                        "numbers; design_point is set by the sweeper)"
                    ),
                )
        groups = linked_groups(self.linked, [o.key_or_group for o in parsed])
        for group in groups:
            if uncertain & set(group.keys):
                key = sorted(uncertain & set(group.keys))[0]
                raise ConfigError(
                    key,
                    None,
                    "",
                    message=(
                        f"invalid configuration: {key} is an uncertainty and is linked in "
                        f"hydra.sweeper.linked.{group.name} (allowed: one or the other)"
                    ),
                )
        return link(crossed, groups)

    @staticmethod
    def _mechanisms(policy: list[str], default: set[str]) -> set[str]:
        """The mechanisms a policy selects (its ``mechanism=`` override, else the default)."""
        for override in parse_sweep(policy):
            if override.key_or_group == "mechanism":
                value = override.value()
                return {str(v) for v in value} if isinstance(value, list) else {str(value)}
        return default

    def jobs(
        self, arguments: list[str], config_loader: Any, default_mechanisms: set[str]
    ) -> list[list[str]]:
        """Every policy of the sweep's ``arguments`` at every scenario, one job each.

        ``config_loader`` is Hydra's, for the sweep's grammar; ``default_mechanisms`` are
        those of a policy that selects none.
        """
        self.policies = self._policies(arguments, config_loader)
        selections = [self._mechanisms(policy, default_mechanisms) for policy in self.policies]
        for u in self.ranges:
            if not any(acts_in(u.name, selected) for selected in selections):
                raise ConfigError(
                    f"{PREFIX}.{u.name}",
                    [u.low, u.high],
                    "",
                    message=(
                        f"invalid configuration: {PREFIX}.{u.name} reaches no policy: none "
                        f"selects mechanism {u.name.split('.')[1]} (allowed: a lever of a "
                        "mechanism some policy selects)"
                    ),
                )
        batch: list[list[str]] = []
        self.cells = []
        for p, (policy, selected) in enumerate(zip(self.policies, selections, strict=True)):
            for k, row in enumerate(self.points):
                values = [
                    f"{u.name}={u.text(x)}"
                    for u, x in zip(self.ranges, row, strict=True)
                    if acts_in(u.name, selected)
                ]
                batch.append([*policy, *values, f"design_point={k}"])
                self.cells.append({"policy": p, "scenario": k})
        return batch

    def save(self, sweep_dir: Path) -> None:
        """Write the exploration into the sweep's folder (:data:`EXPLORE_FILE`).

        Every job's run folder is read from the sweep's manifest.
        """
        sweep_dir = Path(sweep_dir)
        manifest = json.loads((sweep_dir / MANIFEST).read_text(encoding="utf-8"))["runs"]
        jobs = [{**cell, "run": run["run"]} for cell, run in zip(self.cells, manifest, strict=True)]
        scenarios = [
            [round(x) if u.integer else float(x) for u, x in zip(self.ranges, row, strict=True)]
            for row in self.points
        ]
        write_text(
            sweep_dir / EXPLORE_FILE,
            json.dumps(
                {
                    "method": self.method,
                    "scenarios_requested": self.scenarios,
                    "seed": self.design_seed,
                    "uncertainties": [
                        {"name": u.name, "low": u.low, "high": u.high, "integer": u.integer}
                        for u in self.ranges
                    ],
                    "scenarios": scenarios,
                    "policies": [
                        {"label": label, "overrides": policy}
                        for label, policy in zip(
                            policy_labels(self.policies), self.policies, strict=True
                        )
                    ],
                    "jobs": jobs,
                },
                indent=1,
            ),
        )
