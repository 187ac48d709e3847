"""Files written to exhaust memory or time: each is refused with a located message.

Each runs `python -m timeline validate` in a subprocess under a memory cap, so that a
regression fails the test instead of the machine, and the child reports its own peak.
The files are generated here: they are megabytes large.
"""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

CAP = 3 * 1024**3  # address space for the child: far above the 1.5 GB a load may take
PEAK = 1536  # MB of resident memory a load may reach
HEADER = "title: T\npeople: {}\nsources:\n  s: {title: S, publisher: P, date: '2022'}\n"

CHILD = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))
from timeline.cli import main
code = main(["validate", sys.argv[1]])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"peak={{peak}}", file=sys.stderr)
sys.exit(code)
"""


def alias_bomb() -> str:
    # One scalar of a megabyte, copied by 1,500 aliases: 1.5 GB of text from a 1 MB file.
    big = "x" * 1_000_000
    first = (
        f"  - {{id: e0, title: T, date: '2022', kind: visit, summary: &big {big}, sources: [s]}}"
    )
    rest = (
        f"  - {{id: e{i}, title: T, date: '2022', kind: visit, summary: *big, sources: [s]}}"
        for i in range(1, 1500)
    )
    return HEADER + "events:\n" + "\n".join([first, *rest]) + "\n"


def flow_bomb() -> str:
    # Twelve million one-letter items: twelve million nodes from 24 MB.
    return "title: [" + ",".join(["a"] * 12_000_000) + "]\n"


def unknown_leaders() -> str:
    # 100,000 mistakes in one list: every one counts, a hundred are printed.
    leaders = ", ".join(f"p{i}" for i in range(100_000))
    event = f"  - {{id: e, title: T, date: '2022', kind: visit, summary: S, sources: [s], leaders: [{leaders}]}}"
    return HEADER + "events:\n" + event + "\n"


def long_unknown_leaders() -> str:
    # 300,000 ids of 97 characters, each too long and unknown: 600,000 mistakes in 30 MB.
    leaders = ", ".join(f"p{i:06d}" + "x" * 90 for i in range(300_000))
    event = f"  - {{id: e, title: T, date: '2022', kind: visit, summary: S, sources: [s], leaders: [{leaders}]}}"
    return HEADER + "events:\n" + event + "\n"


def huge_values() -> str:
    # Values of megabytes where ids belong: echoed cut short, never whole.
    bad = "X" * 3_000_000
    event = f"  - {{id: {bad}, title: T, date: '{bad}', kind: {bad}, summary: S, sources: [{bad}]}}"
    return HEADER + "events:\n" + event + "\n"


def empty_events() -> str:
    # 250,000 empty events in 750 KB: six missing fields each, 1.5 million mistakes.
    return HEADER + "events: [" + "{}," * 249_999 + "{}]\n"


@pytest.mark.parametrize(
    ("make", "message", "count"),
    [
        (alias_bomb, ":6:60: aliases expand to more than 10,000,000 characters", "1 error"),
        (
            flow_bomb,
            ":1:1: the file holds 12,000,009 YAML nodes, more than the 1,000,000",
            "1 error",
        ),
        (
            unknown_leaders,
            ":6:86: events[0].leaders[0]: unknown person 'p0' (known: none)",
            "100000 errors",
        ),
        (long_unknown_leaders, "(97 characters) is not a valid id", "600000 errors"),
        (huge_values, "events[0].id: 'XXXXXXXXXXXXXXX", "5 errors"),
        (empty_events, ":5:10: events[0]: missing required field 'id'", "1500000 errors"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_hostile_files_are_refused_within_bounded_memory(tmp_path, make, message, count):
    path = tmp_path / "events.yaml"
    path.write_text(make())
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    peak = int(lines[-1].removeprefix("peak="))
    assert peak < PEAK, f"{peak} MB"
    assert message in result.stderr
    assert lines[-2] == f"{path}: {count}"
    assert len(lines) <= 103  # a hundred errors, a count of the rest, the summary, the peak
    assert max(map(len, lines)) < 1000  # no value is echoed whole
