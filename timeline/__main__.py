"""`python -m timeline`: the command line (see cli.py)."""

import os
import sys

from .cli import main


def _stopped_reading() -> int:
    # The reader (head, less) stopped reading: not a failure to report with a traceback.
    # Python would flush stdout again at exit and fail once more: point it at nothing.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 128 + 13  # killed by SIGPIPE, as `yes | head` reports it


if sys.stderr is None:  # `2>&-`: messages go nowhere rather than into standard output
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - open until exit
try:
    code = main()
except SystemExit as stop:  # argparse's --help and usage errors
    code = stop.code if isinstance(stop.code, int) else 2 if stop.code else 0
except BrokenPipeError:
    code = _stopped_reading()
try:
    if sys.stdout is not None:
        sys.stdout.flush()  # what is left (argparse's help) fails here, while it can be caught
except BrokenPipeError:
    code = _stopped_reading()
except OSError as err:  # a full device: one line, and nothing left to fail at exit
    print(f"standard output: cannot write: {err.strerror or err}", file=sys.stderr)
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 2
sys.exit(code)
