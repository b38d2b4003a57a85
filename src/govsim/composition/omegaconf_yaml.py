"""OmegaConf's reading and writing of YAML, lent to govsim's own YAML dumpers.

govsim writes YAML that OmegaConf and Hydra read back (``config.yaml`` of every run, city
files): a string that OmegaConf would read as another type (``1e3``, ``null``) must be
quoted as OmegaConf quotes it. OmegaConf has no public API for its dumper's quoting or
its loader's implicit types; both are in ``omegaconf._utils``, reached from here alone
(``tests/test_structure.py``), so that a change of OmegaConf's internals breaks one module.
"""

from __future__ import annotations

import yaml
from omegaconf._utils import OmegaConfDumper, get_yaml_loader

__all__ = ["quote_as_omegaconf", "read_as_omegaconf_reads"]


def quote_as_omegaconf(dumper: type[yaml.BaseDumper]) -> None:
    """Make ``dumper`` write strings as OmegaConf's dumper does (quoted where they must be)."""
    dumper.add_representer(str, OmegaConfDumper.str_representer)


def read_as_omegaconf_reads(dumper: type[yaml.BaseDumper]) -> None:
    """Give ``dumper`` OmegaConf's loader's implicit types too, so that it quotes such strings."""
    for first, resolvers in get_yaml_loader().yaml_implicit_resolvers.items():
        for tag, pattern in resolvers:
            if (tag, pattern) not in dumper.yaml_implicit_resolvers.get(first, []):
                dumper.add_implicit_resolver(tag, pattern, [first])
