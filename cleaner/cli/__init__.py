"""The command line: a thin click edge over the library. `app` holds the main group and `clean`;
each other command lives in a module of its own (`run`, `rules`, `explain`), which the main group
imports when the command is called."""

import os

# numpy's BLAS starts a thread per core when numpy is imported, which costs a start of the command
# about 0.1 s of CPU; nothing here multiplies matrices big enough to use them, and `--jobs`
# gives each core a process of its own. (Set before numpy loads; a value the user set is kept.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from cleaner.cli.app import main  # after the thread count, which numpy reads once

__all__ = ["main"]
