"""``govsim app``: serve the workshop app (Solara) on localhost, no network needed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from govsim.cli.arguments import ArgumentParser, integer_at_least
from govsim.report.display import LANGUAGES
from govsim.report.phrases import say

__all__ = ["LOUD_WARNINGS", "app_command"]


LOUD_WARNINGS = "ignore:Cookies with samesite=none require https:UserWarning"
"""Solara warns on each page it serves over plain http to 127.0.0.1 that it falls back to
samesite=lax cookies: the workshop app is served only so, never in a frame, and lax cookies
are what it wants. Silenced so the trainer's terminal says only what matters."""


def app_command(argv: list[str]) -> None:
    """``govsim app [--host H] [--port N] [--lang en|zh]``: the workshop app on localhost.

    No network needed; the page (its loading screen too) opens in the language chosen.
    """
    parser = ArgumentParser(prog="govsim app", description=app_command.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=integer_at_least(1), default=8765)
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    args = parser.parse_args(argv)
    if args.port > 65535:
        parser.refuse(f"--port {args.port}", "a port in [1, 65535]")
    warnings = ",".join(w for w in (os.environ.get("PYTHONWARNINGS"), LOUD_WARNINGS) if w)
    env = {
        **os.environ,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_THEME_SHOW_BANNER": "False",
        "SOLARA_THEME_LOADER": f"govsim-{args.lang}",
        "SOLARA_THEME_TITLE": say("app_title", args.lang),
        "GOVSIM_APP_LANG": args.lang,
        "PYTHONWARNINGS": warnings,
    }
    solara = Path(sys.executable).with_name("solara")
    print(
        f"govsim workshop app: starting; then open http://{args.host}:{args.port}/"
        "  (Ctrl-C to stop)"
    )
    sys.stdout.flush()
    os.execve(
        str(solara),
        [
            str(solara),
            "run",
            "govsim.workshop.app:page",
            "--host",
            args.host,
            "--port",
            str(args.port),
            "--production",
            "--no-open",
            "--no-check-version",
        ],
        env,
    )
