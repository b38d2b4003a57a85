"""Time `govsim animate` for a 120-day clip at 1920x1080 (target: under a minute)."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

with tempfile.TemporaryDirectory() as folder:
    out = Path(folder) / "clip.gif"
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "govsim",
            "animate",
            "--days",
            "120",
            "--lang",
            "zh",
            "--out",
            str(out),
            "--",
            "mechanism=[whistle,assessment]",
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    clip = Image.open(out)
    print(
        f"{clip.n_frames} frames of {clip.size[0]}x{clip.size[1]} at "
        f"{1000 // clip.info['duration']} fps in {seconds:.1f} s (target < 60 s)"
    )
