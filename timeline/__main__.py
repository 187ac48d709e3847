"""`python -m timeline`: the command line (see cli.py)."""

import os
import sys

from .cli import main

try:
    code = main()
    sys.stdout.flush()  # a closed pipe shows here, while it can still be caught
except BrokenPipeError:
    # The reader (head, less) stopped reading: not a failure to report with a traceback.
    # Python would flush stdout again at exit and fail once more: point it at nothing.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 128 + 13  # killed by SIGPIPE, as `yes | head` reports it
sys.exit(code)
