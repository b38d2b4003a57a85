"""``govsim app``: serve the workshop app (Solara) on localhost, no network needed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from govsim.cli.arguments import ArgumentParser, integer_at_least

__all__ = ["app_command"]


def app_command(argv: list[str]) -> None:
    """``govsim app [--host H] [--port N]``: the workshop app on localhost, no network needed."""
    parser = ArgumentParser(prog="govsim app", description=app_command.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=integer_at_least(1), default=8765)
    args = parser.parse_args(argv)
    if args.port > 65535:
        parser.refuse(f"--port {args.port}", "a port in [1, 65535]")
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_THEME_SHOW_BANNER": "False", "SOLARA_THEME_TITLE": "govsim 市域社会治理推演"}
    solara = Path(sys.executable).with_name("solara")
    print(f"govsim workshop app: starting (about 25 s); then open http://{args.host}:{args.port}/"
          "  (Ctrl-C to stop)")
    sys.stdout.flush()
    os.execve(str(solara), [str(solara), "run", "govsim.workshop.app:page", "--host", args.host,
                            "--port", str(args.port), "--production", "--no-open",
                            "--no-check-version"], env)
