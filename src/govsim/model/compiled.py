"""Compiled event handling: the engine's hot functions as machine code (Numba).

The event handlers (:mod:`govsim.model.clocks`, :mod:`~govsim.model.service`,
:mod:`~govsim.model.closing`, :mod:`~govsim.model.escalation`,
:mod:`~govsim.model.routing`, :mod:`~govsim.model.engine`) and the event calendar and
queues they use (:mod:`~govsim.model.events`, :mod:`~govsim.model.stations`) are written
in the part of Python that Numba compiles — numbers and numpy arrays, no objects — and
decorated with :func:`compiled`. They are compiled on first use and the machine code is
cached on disk, so later processes load it instead of compiling again
(:func:`compile_seconds` tells how long this process spent compiling).

Numba notices a change to a function's own module but not to the modules of the
functions it calls, nor to the constants it was compiled with, so the cache lives in a
folder named by a digest of the engine's sources (:func:`engine_sources`) and of Numba's,
llvmlite's and numpy's versions: any edit to the engine starts a fresh cache. The engine
looks first in the environment (:data:`SETUP_CACHE`, filled at set-up by
:mod:`govsim.experiments.warmup`, so that no user of an installed environment compiles;
it may be read-only), then in ``$NUMBA_CACHE_DIR`` if set, else ``govsim/numba`` in the
user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``). Inside the folder the code is
found by module and function, not by the sources' path or modification time (the digest
stands for both), so a copy of the same sources finds it too.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import ClassVar

import llvmlite
import numba
import numpy as np
from numba.core import cgutils, event, types
from numba.core.caching import CompileResultCacheImpl, FunctionCache, _CacheLocator
from numba.experimental import structref
from numba.extending import intrinsic

__all__ = [
    "SETUP_CACHE",
    "Bundle",
    "BundleProxy",
    "bundle",
    "cache_folder",
    "compile_seconds",
    "compiled",
    "engine_digest",
    "engine_sources",
    "pack",
    "prune_caches",
    "user_cache",
]

ENGINE_ENTRIES = ("model/engine.py", "model/race.py", "model/overdue.py")
"""The event loop, from which every compiled handler is imported, and the day's compiled
steps outside it (the discovery race, finding overdue cases)."""


def _imports(package: Path, source: str) -> set[str]:
    """The files of ``package`` (``govsim``) that the module in ``source`` imports from."""
    found = set()
    for node in ast.walk(ast.parse((package / source).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] != package.name:
                continue
            path = "/".join(parts[1:])
            for candidate in (f"{path}.py", f"{path}/__init__.py"):
                if path and (package / candidate).is_file():
                    found.add(candidate)
    return found


@cache
def engine_sources() -> tuple[str, ...]:
    """The files (in the ``govsim`` package) whose source keys the cache.

    The event loop's module and the day's compiled steps (:data:`ENGINE_ENTRIES`), every
    module they import from, and so on: the compiled handlers and whatever constants
    compiled code may hold (levers' order, levels, purposes, the ledger's declaration).
    """
    package = Path(__file__).parents[1]
    found, todo = set(), list(ENGINE_ENTRIES)
    while todo:
        source = todo.pop()
        if source not in found:
            found.add(source)
            todo.extend(_imports(package, source) - found)
    return tuple(sorted(found))


SETUP_CACHE = Path(sys.prefix) / "var" / "govsim" / "numba"
"""The environment's own cache (inside ``.venv``), filled once at set-up; looked in first."""


def engine_digest() -> str:
    """The engine version: a digest of its sources and of the compiling libraries' versions."""
    package = Path(__file__).parents[1]
    versions = f"{numba.__version__} {llvmlite.__version__} {np.__version__}"
    digest = hashlib.sha256(versions.encode())
    for name in engine_sources():
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:16]


def user_cache() -> Path:
    """The user's cache of this engine version: under ``$NUMBA_CACHE_DIR`` or ``~/.cache``."""
    root = os.environ.get("NUMBA_CACHE_DIR")
    if root is None:
        home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        root = str(home / "govsim" / "numba")
    return Path(root) / engine_digest()


@cache
def cache_folder() -> Path:
    """Where this process finds and keeps compiled engine code (see the module docstring).

    The environment's cache of this engine version if set-up made one, else the user's;
    chosen once a process, when the engine's modules are imported.
    """
    setup = SETUP_CACHE / engine_digest()
    return setup if setup.is_dir() else user_cache()


STALE_DAYS = 30
"""A cache folder of another version of the engine unused for this long is removed."""


def prune_caches(folder: Path) -> None:
    """Mark ``folder`` as used now and remove other engine versions' caches left unused.

    Only siblings named like a cache folder (16 hexadecimal digits) holding a compile lock.
    """
    os.utime(folder)
    limit = time.time() - STALE_DAYS * 86_400
    for sibling in folder.parent.iterdir():
        if (
            sibling != folder
            and len(sibling.name) == 16
            and sibling.is_dir()
            and all(c in "0123456789abcdef" for c in sibling.name)
            and (sibling / "compile.lock").exists()
            and sibling.stat().st_mtime < limit
        ):
            shutil.rmtree(sibling, ignore_errors=True)


class _EngineLocator(_CacheLocator):
    """Numba's cache of one engine function: in :func:`cache_folder`, by module and line."""

    def __init__(self, function: Callable, source: str) -> None:
        self._line = function.__code__.co_firstlineno
        self._path = str(cache_folder() / Path(source).parent.name)

    def get_cache_path(self) -> str:
        """The folder of the function's package (``model``, ``mechanisms``) in the cache."""
        return self._path

    def get_source_stamp(self) -> str:
        """The engine version: the folder is already named by it."""
        return cache_folder().name

    def get_disambiguator(self) -> str:
        """The function's first line (two functions of one name in one module differ)."""
        return str(self._line)

    @classmethod
    def from_function(cls, function: Callable, source: str) -> _EngineLocator:
        """The locator of ``function``, whether or not its folder can be written."""
        return cls(function, source)


class _EngineCacheImpl(CompileResultCacheImpl):
    _locator_classes: ClassVar[list[type]] = [_EngineLocator]


class _EngineCache(FunctionCache):
    """Numba's cache, kept in :func:`cache_folder`.

    Code compiled for want of it in a read-only folder stays in the process.
    """

    _impl_class = _EngineCacheImpl

    def save_overload(self, sig: object, data: object) -> None:
        """Save compiled code, unless the folder cannot be written."""
        try:
            self._impl.locator.ensure_cache_path()
        except OSError:
            return
        super().save_overload(sig, data)


def compiled(function: Callable) -> Callable:
    """Compile ``function`` with Numba (no Python objects), cached on disk."""
    dispatcher = numba.njit(nogil=True)(function)
    dispatcher._cache = _EngineCache(function)  # what njit(cache=True) sets, in our folder
    return dispatcher


@structref.register
class Bundle(types.StructRef):
    """The type of a :func:`bundle`: a struct of the named tuple's fields."""

    def preprocess_fields(self, fields: tuple) -> tuple:
        """Fields typed as values, not literals."""
        return tuple((name, types.unliteral(kind)) for name, kind in fields)


@intrinsic
def bundle(_typing_context: object, named: types.BaseNamedTuple) -> tuple:
    """A named tuple of arrays as one struct that compiled functions share by reference.

    Handing a struct's reference from function to function costs one pointer, where a
    named tuple of a hundred arrays is copied field by field into every call, and makes
    every function that takes it slow to compile. Compiled code only (:func:`pack` hands
    one to Python).
    """
    fields = list(zip(named.fields, named.types, strict=True))
    struct = Bundle(fields)

    def codegen(context, builder, _signature, args):
        # an empty struct, as Numba allocates one (with the destructor that lets go of its
        # arrays), then its fields
        made = context.compile_internal(builder, lambda: structref.new(struct), struct(), ())
        meminfo = context.make_helper(builder, struct, made).meminfo
        data_type = struct.get_data_type()
        alloc_type = context.data_model_manager[data_type].get_value_type()
        pointer = builder.bitcast(
            context.nrt.meminfo_data(builder, meminfo), alloc_type.as_pointer()
        )
        data = cgutils.create_struct_proxy(data_type)(context, builder, ref=pointer)
        for k, (name, kind) in enumerate(fields):
            value = builder.extract_value(args[0], k)
            context.nrt.incref(builder, kind, value)
            setattr(data, name, value)
        return made

    return struct(named), codegen


class BundleProxy(structref.StructRefProxy):
    """A :class:`Bundle` held by Python, to hand to compiled functions again and again.

    Typing a named tuple of a hundred arrays at every call costs milliseconds; a bundle is
    typed at once.
    """


structref.define_boxing(Bundle, BundleProxy)


@compiled
def pack(named: tuple) -> BundleProxy:
    """The named tuple of arrays as a :class:`BundleProxy` (the arrays shared, not copied)."""
    return bundle(named)


def compile_seconds() -> float:
    """Seconds this process has spent compiling engine code (0 when it all came from the cache)."""
    return _TIMER.seconds


class _CompileTimer(event.Listener):
    """Adds up the time of outermost compilations (a callee compiles inside its caller)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._depth = 0
        self._started = 0.0

    def on_start(self, _event: event.Event) -> None:
        if self._depth == 0:
            self._started = time.perf_counter()
        self._depth += 1

    def on_end(self, _event: event.Event) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.seconds += time.perf_counter() - self._started


_TIMER = _CompileTimer()
event.register("numba:compile", _TIMER)
