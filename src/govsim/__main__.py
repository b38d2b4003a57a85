"""``python -m govsim``: the same as the ``govsim`` command."""

import sys

from govsim.cli import main

sys.exit(main())
