"""Benchmark: `python -m timeline import` on the hostile files of issue 19, time and peak memory.

    python benchmarks/hostile_imports.py [--code DIR] [--runs 1] [--only NAME ...]
        [--cap-gb 8] [--timeout 400]

Each case is generated once into a temporary directory, then imported by a whole process
(`python -c` calling `timeline.cli.main`) under an address-space cap, which prints its own
peak resident memory. `--code DIR` runs another copy of the package (DIR holds `timeline/`),
so that the code before a change can be measured against the code after it in one run.
Nothing is asserted: the table is for reading (tests/test_hostile_imports.py checks the
outcomes). Timings are medians of --runs runs; a run that hits the cap or the timeout says so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import os, resource, sys
cap = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from timeline.cli import main
sys.stdout = open(os.devnull, "w")  # written through, as a shell's > /dev/null does
code = main(["import", *sys.argv[2:]])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"peak={peak}", file=sys.stderr)
sys.exit(code)
"""

# --- the files --------------------------------------------------------------------------------


def same_title_events(n: int = 10_000) -> bytes:
    """TimelineJS events of one date and title: every id is the same slug, -2 ... -n."""
    event = {"start_date": {"year": 2020, "month": 5, "day": 1}, "text": {"headline": "Talks"}}
    return json.dumps({"events": [event] * n}).encode()


def distinct_unknown_keys(n: int = 10_000) -> bytes:
    """TimelineJS events each with a key of its own: the "left out" counts grow per item."""
    events = [
        {"start_date": {"year": 2020}, "text": {"headline": f"Talks {i}"}, f"extra{i}": 1}
        for i in range(n)
    ]
    return json.dumps({"events": events}).encode()


def unclosed_links(n: int = 20_000) -> bytes:
    """One event whose text opens n links and closes none."""
    text = "<a href='https://example.org/'>word " * n
    event = {"start_date": {"year": 2020}, "text": {"headline": "Links", "text": text}}
    return json.dumps({"events": [event]}).encode()


def html_event(text: str) -> bytes:
    """One TimelineJS event whose text is the given HTML."""
    event = {"start_date": {"year": 2020}, "text": {"headline": "HTML", "text": text}}
    return json.dumps({"events": [event]}).encode()


def many_columns(n: int = 100_000) -> bytes:
    """A CSV whose header has n columns, each named and with a value below."""
    header = "date,title," + ",".join(f"extra{i}" for i in range(n))
    row = "2020-05-01,Talks," + ",".join(["x"] * n)
    return f"{header}\n{row}\n".encode()


_SYLLABLES = "ба ве ги до жу зы ки ло мя но пу ра си ту фе хи цо че шу щи".split()


def cyrillic_names(n: int = 12_000) -> bytes:
    """A CSV of n rows, each naming a different leader in Cyrillic (no Latin letter for ids)."""
    rows = ["date,title,leaders"]
    k = len(_SYLLABLES)
    for i in range(n):
        name = (
            (_SYLLABLES[i % k] + _SYLLABLES[i // k % k] + _SYLLABLES[i // k // k % k]).title()
            + " "
            + _SYLLABLES[i // k // k // k % k].title()
            + "ов"
        )
        rows.append(f"2020-05-01,Встреча,{name}")
    return ("\n".join(rows) + "\n").encode()


def empty_items(size: int = 48 * 1024 * 1024) -> bytes:
    """A TimelineJS file of `{}` events, `size` bytes: 16 million items at 48 MB."""
    n = (size - 20) // 3
    return b'{"events": [' + b"{}," * (n - 1) + b"{}]}"


def unclosed_quote(n: int = 1_001) -> bytes:
    """A CSV of n rows whose first row opens a quote it never closes."""
    rows = ["date,title", '2020-05-01,"Talks begin']
    rows += [f"2020-05-{i % 28 + 1:02d},Talks {i}" for i in range(1, n)]
    return ("\n".join(rows) + "\n").encode()


def big_cell(chars: int = 200_000) -> bytes:
    """A CSV whose second row holds a summary of `chars` characters."""
    return f"date,title,summary\n2020-05-01,Talks,short\n2020-05-02,More,{'y' * chars}\n".encode()


def long_year(digits: int = 4_000) -> bytes:
    """A TimelineJS event whose year is a number of `digits` digits."""
    return (
        b'{"events": [{"start_date": {"year": ' + b"9" * digits + b'}, "text": {"headline": "T"}}]}'
    )


# A workbook by hand: the parts openpyxl needs, and nothing else.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: int) -> str:
    """A sheet: a header, then `rows` rows whose summary is shared string 0."""
    body = [
        '<row r="1">'
        + _inline("A1", "date")
        + _inline("B1", "title")
        + _inline("C1", "summary")
        + "</row>"
    ]
    for r in range(2, rows + 2):
        body.append(
            f'<row r="{r}">' + _inline(f"A{r}", "2020-05-01") + _inline(f"B{r}", f"Talks {r}")
            + f'<c r="C{r}" t="s"><v>0</v></c></row>'
        )  # fmt: skip
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + "".join(body) + "</sheetData></worksheet>"
    )


def shared_strings_xml(text: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        f'uniqueCount="1"><si><t>{text}</t></si></sst>'
    )


def workbook(parts: dict[str, bytes | str]) -> bytes:
    """A zipped workbook of these parts, deflated as Excel does."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shared_string_rows(rows: int = 10, chars: int = 40_000_000) -> bytes:
    """A small workbook whose one shared string of `chars` characters fills `rows` summaries."""
    return workbook(
        {
            **_XLSX_PARTS,
            "xl/worksheets/sheet1.xml": sheet_xml(rows),
            "xl/sharedStrings.xml": shared_strings_xml("a" * chars),
        }
    )


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP of deflated entries (name, deflated data, declared size, declared CRC), as declared.

    zipfile cannot write a size that is not the data's: this writes the headers by hand.
    """
    out = bytearray()
    central = bytearray()
    for name, data, size, crc in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0
    )
    return bytes(out + central + end)


def _deflate(parts: list[bytes], repeat: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunks = [comp.compress(p) for p in parts[:-1]]
    block = parts[-1]
    chunks += [comp.compress(block) for _ in range(repeat)]
    chunks.append(comp.flush())
    return b"".join(chunks)


def inflate_bomb(gigabytes: float = 2.5, part: str = "xl/styles.xml") -> bytes:
    """A workbook whose `part` declares 1 KB and inflates to `gigabytes` GB.

    openpyxl reads the styles with zipfile's read(), which inflates up to 2 GB at once
    before it cuts the data to the declared size and finds the CRC wrong.
    """
    block = b"a" * (1 << 20)
    head = b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!--'
    deflated = _deflate([head, block], int(gigabytes * 1024))
    entries = []
    parts = {
        **_XLSX_PARTS,
        "xl/worksheets/sheet1.xml": sheet_xml(3),
        "xl/sharedStrings.xml": shared_strings_xml("s"),
    }
    for name, text in parts.items():
        if name == part:
            continue
        data = text.encode()
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        entries.append((name, comp.compress(data) + comp.flush(), len(data), zlib.crc32(data)))
    entries.append((part, deflated, 1024, 0))
    return raw_zip(entries)


CASES: dict[str, tuple[str, str, Callable[[], bytes], str]] = {
    # name: (format, file suffix, generator, what the issue reported before)
    "same-title-10k": ("timelinejs", ".json", same_title_events, "78 s"),
    "unknown-keys-10k": ("timelinejs", ".json", distinct_unknown_keys, ""),
    "unclosed-a-20k": ("timelinejs", ".json", unclosed_links, "24 s"),
    "html-open-comments-10k": ("timelinejs", ".json", lambda: html_event("<!--" * 10_000), ""),
    "html-marked-sections": ("timelinejs", ".json", lambda: html_event("<![" * 3), ""),
    "csv-columns-100k": ("csv", ".csv", many_columns, "116 s"),
    "cyrillic-names-12k": ("csv", ".csv", cyrillic_names, "115 s"),
    "xlsx-shared-40MB-x10": ("csv", ".xlsx", shared_string_rows, "4.1 GB"),
    "xlsx-shared-40MB-x40": ("csv", ".xlsx", lambda: shared_string_rows(40), "MemoryError"),
    "xlsx-inflate-bomb": ("csv", ".xlsx", inflate_bomb, "2.2 GB, Bad CRC"),
    "tjs-empty-items-48MB": ("timelinejs", ".json", empty_items, "4.2 GB, 3.5 min"),
    "csv-unclosed-quote": ("csv", ".csv", unclosed_quote, "1 event, no word"),
    "csv-cell-200k": ("csv", ".csv", big_cell, "whole import fails"),
    "tjs-year-4000-digits": ("timelinejs", ".json", long_year, "4 KB of stderr"),
}


def run_case(path: Path, fmt: str, code_dir: Path, cap: int, timeout: float) -> dict[str, object]:
    """Import one file in a capped child; return its time, peak, exit code and stderr's size."""
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(cap), fmt, str(path)],
            capture_output=True, text=True, timeout=timeout, env=env, cwd=code_dir,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"time": timeout, "peak": None, "code": "timeout", "stderr": 0, "last": ""}
    elapsed = time.perf_counter() - start
    lines = result.stderr.splitlines()
    peak = None
    if lines and lines[-1].startswith("peak="):
        peak = int(lines.pop().removeprefix("peak="))
    crashed = "Traceback" in result.stderr or "MemoryError" in result.stderr
    last = next((line for line in reversed(lines) if line.strip()), "")
    return {
        "time": elapsed,
        "peak": peak,
        "code": f"{result.returncode}{' traceback' if crashed else ''}",
        "stderr": len(result.stderr.encode()),
        "lines": len(lines),
        "last": last[-110:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the directory holding timeline/")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", nargs="*", choices=list(CASES))
    parser.add_argument("--cap-gb", type=float, default=8.0)
    parser.add_argument("--timeout", type=float, default=400.0)
    args = parser.parse_args(argv)
    cap = int(args.cap_gb * 1024**3)
    names = args.only or list(CASES)
    print(f"code: {args.code}; cap {args.cap_gb} GB; {args.runs} run(s)", flush=True)
    print("| case | file | issue said | time (s) | peak (MB) | exit | stderr bytes | last line |")
    print("| --- | ---: | --- | ---: | ---: | --- | ---: | --- |", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            fmt, suffix, make, said = CASES[name]
            path = Path(tmp) / f"{name}{suffix}"
            path.write_bytes(make())
            runs = [run_case(path, fmt, args.code, cap, args.timeout) for _ in range(args.runs)]
            seconds = statistics.median(float(r["time"]) for r in runs)  # type: ignore[arg-type]
            peaks = [int(r["peak"]) for r in runs if r["peak"] is not None]  # type: ignore[call-overload]
            last = runs[-1]
            size = path.stat().st_size
            print(
                f"| {name} | {size:,} | {said} | {seconds:.2f} | "
                f"{max(peaks) if peaks else '-'} | {last['code']} | {last['stderr']:,} | "
                f"{str(last['last']).replace('|', '/')} |",
                flush=True,
            )
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
