"""Files written to make `python -m timeline import` slow, greedy or quiet (issue 19).

Most cases run `main(argv)` in process on files large enough that the old quadratic code
would not finish, and check what comes out; where linear time is the point, the work is
counted (numbered ids tried, label pieces joined) rather than timed. Memory cases run in
a child under an address-space cap, as tests/test_hostile_files.py does, and the child
reports its own peak. benchmarks/hostile_imports.py times every case before and after.
"""

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import ROOT

from timeline.cli import main
from timeline.importers import htmltext, ids, timelinejs
from timeline.importers.command import MAX_SHOWN
from timeline.importers.htmltext import html_to_text
from timeline.importers.rows import MAX_CELL, MAX_COLUMNS

sys.path.insert(0, str(ROOT / "benchmarks"))
import hostile_imports as files  # the benchmark's generators, shared

CAP = 3 * 1024**3  # address space for the child
PEAK = 1536  # MB of resident memory an import may reach

CHILD = f"""
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))
from timeline.cli import main
sys.stdout = open(os.devnull, "w")
code = main(["import", *sys.argv[1:]])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"peak={{peak}}", file=sys.stderr)
sys.exit(code)
"""


def run_in_process(capsys, tmp_path: Path, fmt: str, raw: bytes, suffix: str, *extra: str):
    """Import `raw` with main(argv); return the exit code, the output and the summary lines."""
    path = tmp_path / f"input{suffix}"
    path.write_bytes(raw)
    code = main(["import", fmt, str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err.splitlines(), path


def run_capped(tmp_path: Path, fmt: str, raw: bytes, suffix: str) -> tuple[int, list[str], int]:
    """Import `raw` in a child under the memory cap; return its code, summary and peak (MB)."""
    path = tmp_path / f"input{suffix}"
    path.write_bytes(raw)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, fmt, str(path)], capture_output=True, text=True,
        timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    lines = result.stderr.splitlines()
    peak = int(lines.pop().removeprefix("peak="))
    return result.returncode, lines, peak


def events_of(out: str) -> list[dict]:
    import yaml

    return yaml.safe_load(out)["events"]


# --- Counts and ids: no work per item that grows with the items before it ---------------------


@pytest.fixture
def numbered(monkeypatch):
    """Count the numbered ids IdMaker tries."""
    calls = []
    real = ids._numbered

    def counting(base: str, n: int) -> str:
        calls.append(n)
        return real(base, n)

    monkeypatch.setattr(ids, "_numbered", counting)
    return calls


@pytest.mark.parametrize(
    ("fmt", "suffix", "make", "people"),
    [
        # 10,000 events of one date and title: every id after the first is numbered.
        ("timelinejs", ".json", lambda: files.same_title_events(10_000), 0),
        # Cyrillic names and titles give no Latin letters: every id falls back to one word.
        ("csv", ".csv", lambda: files.cyrillic_names(12_000), 12_000),
    ],
    ids=["same-title", "cyrillic"],
)
def test_repeated_ids_try_each_number_once(capsys, tmp_path, numbered, fmt, suffix, make, people):
    code, out, _, _ = run_in_process(capsys, tmp_path, fmt, make(), suffix)
    assert code == 0
    events = events_of(out)
    assert len({e["id"] for e in events}) == len(events) > 9_999
    # One numbered id tried per repeated event, and per repeated person: never one per
    # id taken before it.
    repeats = len(events) - 1 + max(people - 1, 0)
    assert len(numbered) == repeats
    if people:
        assert events[-1]["leaders"] == [f"person-{people}"]


def test_ids_longer_than_the_limit_that_differ_past_the_cut_share_one_counter(numbered):
    maker = ids.IdMaker()
    made = [maker.make("a" * 90 + str(i), "x") for i in range(1_000)]
    assert len(set(made)) == 1_000
    assert len(numbered) == 999  # never a rescan of the numbers the others took


def test_left_out_fields_count_kept_items_only_and_are_listed_cut(capsys, tmp_path):
    # 300 events, each with a key of its own; every third has no date and is skipped.
    events = []
    for i in range(300):
        event = {"text": {"headline": f"T{i}"}, f"extra-{i}-" + "k" * 200: 1}
        if i % 3:
            event["start_date"] = {"year": 2020}
        events.append(event)
    code, _, lines, path = run_in_process(
        capsys, tmp_path, "timelinejs", json.dumps({"events": events}).encode(), ".json"
    )
    assert code == 0
    left = [line for line in lines if ": left out, no place in an events file: " in line]
    assert len(left) == MAX_SHOWN
    assert f"{path}: ... and 100 more fields left out, not shown" in lines  # 200 kept
    assert "extra-0-" not in "\n".join(left)  # a skipped item's fields are not counted
    assert all(len(line) < len(str(path)) + 150 for line in left)  # names cut


# --- HTML in one pass ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # Constructs left open: HTMLParser rescanned the rest for each one (quadratic)
        ("<!--" * 5, ""),  # an open comment hides the rest, as in a browser
        ("before<!-- never closed", "before"),
        ("a<a " * 5, "a"),  # a tag never closed hides the rest
        ("x<![<![<![", "x"),  # HTMLParser raised AssertionError here
        ("x<?php y", "x"),
        ("x</ y", "x"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("<script>a<b</script>shown", "shown"),
        ("<SCRIPT>hidden</Script>shown", "shown"),
        ("<style>never closed", ""),
        ("<a href='https://e.org/' title='a > b'>label</a>", "label (https://e.org/)"),
        ("<p>&amp;&lt;&#233;</p>", "&<é"),
        (
            "<a href='https://e.org/'>x" * 3,
            "xxx (https://e.org/) (https://e.org/) (https://e.org/)",
        ),
    ],
)
def test_hostile_html_becomes_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    "html",
    [
        "<a href='https://example.org/'>word " * 20_000,  # the 20,000 unclosed <a>
        "<a href='https://example.org/'>https://example.org/" * 20_000,  # labels like the address
        "<a href='https://example.org/'>" * 20_000 + "x" + "</a>" * 20_000,  # nested, closed
    ],
    ids=["unclosed", "address-labels", "nested"],
)
def test_links_never_join_their_labels_again(monkeypatch, html):
    joined = []
    real = htmltext._Text._label_is

    def counting(self, href, start, grown):
        joined.append(len(self.out) - start if grown == len(href) else 0)
        return real(self, href, start, grown)

    monkeypatch.setattr(htmltext._Text, "_label_is", counting)
    text = html_to_text(html)
    assert text.count("https://example.org/") >= 20_000  # every link still shows its address
    assert len(joined) == 20_000
    # A label is compared with its address only when it is a few pieces long.
    assert max(joined) <= htmltext._LABEL_PIECES


def test_20000_unclosed_links_import(capsys, tmp_path):
    code, out, _, _ = run_in_process(
        capsys, tmp_path, "timelinejs", files.unclosed_links(), ".json"
    )
    assert code == 0
    assert events_of(out)[0]["summary"].count("(https://example.org/)") == 20_000


# --- Tables: headers, cells over the limit, quotes never closed -------------------------------


def test_100000_columns_import_and_are_summarised(capsys, tmp_path):
    code, out, lines, path = run_in_process(
        capsys, tmp_path, "csv", files.many_columns(100_000 - 2), ".csv"
    )
    assert code == 0
    assert len(events_of(out)) == 1
    assert f"{path}: ... and {100_000 - 2 - MAX_SHOWN:,} more fields left out, not shown" in lines
    assert len(lines) < MAX_SHOWN + 10


def test_more_columns_than_the_limit_are_refused(capsys, tmp_path):
    code, _, lines, path = run_in_process(
        capsys, tmp_path, "csv", files.many_columns(MAX_COLUMNS), ".csv"
    )
    assert code == 1
    assert lines == [
        f"{path}:1: the header row has {MAX_COLUMNS + 2:,} columns, over the limit of "
        f"{MAX_COLUMNS:,} (expected a table a person can read: Excel itself stops at 16,384)"
    ]


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("a,a,a", ["a", "a (column 2)", "a (column 3)"]),
        # A header already called like the name a repeat would get still gives one column each.
        ("a,a (column 3),a", ["a", "a (column 3)", "a (column 3) (2)"]),
        (",x,", ["(column 1)", "x", "(column 3)"]),
    ],
)
def test_every_header_names_one_column(header, names):
    from timeline.importers.rows import read_table

    assert read_table(f"{header}\n1,2,3\n".encode(), "t.csv", "x").headers == names


@pytest.mark.parametrize(
    ("text", "events", "skipped"),
    [
        # The file: the first row's quote swallowed the 1,000 rows after it.
        (files.unclosed_quote(1_001).decode(), 1_000, ["2"]),
        ('date,title\n2020,a\n2021,"b\n2022,c\n', 2, ["3"]),  # in the middle
        ('date,title\n2020,a\n2021,"b', 1, ["3"]),  # on the last line, no line after it
        ('date,title\n2020,a\r\n2021,"b\r\n2022,c\r\n', 2, ["3"]),  # Windows line ends
        ('date,title\n2020,"a\nb"\n2021,c\n', 2, []),  # a quoted cell over two lines is fine
        ('date,title\n2020,"a ""quoted"" word"\n', 1, []),
        # Every quote after one never closed is doubled: read again, they close.
        ('date,title\n2021,"b\n2022,""c""\n2023,d\n', 2, ["2"]),
    ],
    ids=["issue", "middle", "last-line", "crlf", "multi-line-cell", "doubled", "after"],
)
def test_a_quote_never_closed_is_reported_and_the_rest_is_read(
    capsys, tmp_path, text, events, skipped
):
    code, out, lines, _ = run_in_process(capsys, tmp_path, "csv", text.encode(), ".csv")
    assert code == 0
    assert len(events_of(out)) == events
    reported = [line.split(":")[1] for line in lines if "a quote opened on this line" in line]
    assert reported == skipped


def test_a_header_whose_quote_is_never_closed_is_refused_on_its_line(capsys, tmp_path):
    raw = b'\n\n"date,title\n2020,a\n2021,b\n'
    code, _, lines, path = run_in_process(capsys, tmp_path, "csv", raw, ".csv")
    assert code == 1
    assert lines[-1].startswith(f"{path}:3: a quote opened in the header row is never closed")


@pytest.mark.parametrize(
    ("fmt", "make", "line"),
    [
        ("csv", lambda: files.big_cell(200_000), "3"),  # 131,072 failed the whole file
        ("csv", lambda: files.big_cell(MAX_CELL + 1), "3"),
        ("icews", lambda: files.big_cell(200_000).replace(b",", b"\t"), None),
    ],
    ids=["200k", "one-over", "icews"],
)
def test_a_cell_over_the_limit_is_cut_with_a_message(capsys, tmp_path, fmt, make, line):
    raw = make()
    code, out, lines, path = run_in_process(capsys, tmp_path, fmt, raw, ".csv")
    if line is None:  # no ICEWS columns: refused as such, not for the cell
        assert code == 1 and "no 'Event Date'" in lines[-1]
        return
    assert code == 0
    events = events_of(out)
    assert len(events) == 2 and len(events[1]["summary"]) == MAX_CELL
    length = len(raw.split(b"\n")[2]) - len("2020-05-02,More,")
    assert (
        f"{path}:{line}: 'summary': a cell of {length:,} characters, over the limit of "
        f"{MAX_CELL:,}; cut to its first {MAX_CELL:,}"
    ) in lines


def test_a_cell_at_the_limit_is_whole(capsys, tmp_path):
    code, out, lines, _ = run_in_process(capsys, tmp_path, "csv", files.big_cell(MAX_CELL), ".csv")
    assert code == 0
    assert len(events_of(out)[1]["summary"]) == MAX_CELL
    assert not any("over the limit" in line for line in lines)


# --- Workbooks: parts counted as they inflate, shared strings as they are used ----------------


def test_a_shared_string_used_in_ten_cells_is_cut_in_each(capsys, tmp_path):
    raw = files.shared_string_rows(10, 300_000)
    code, out, lines, _ = run_in_process(capsys, tmp_path, "csv", raw, ".xlsx")
    assert code == 0
    assert [len(e["summary"]) for e in events_of(out)] == [MAX_CELL] * 10
    cut = [line for line in lines if "a cell of 300,000 characters" in line]
    assert [line.split(":")[1] for line in cut] == [str(r) for r in range(2, 12)]


def test_shared_strings_used_past_the_size_limit_are_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_MAX_BYTES", "1000000")
    raw = files.shared_string_rows(40, 60_000)  # 40 cells of 60,000: 2.4 million characters
    code, _, lines, path = run_in_process(capsys, tmp_path, "csv", raw, ".xlsx")
    assert code == 1
    assert lines[-1].startswith(f"{path}:18: the sheet's cells hold more than 1,000,000 characters")


def bomb(declared: int, crc_of_declared: bool, megabytes: int = 300, part: str = "") -> bytes:
    """A workbook whose `part` declares `declared` bytes and inflates to `megabytes` MB."""
    part = part or "xl/sharedStrings.xml"
    comp = zlib.compressobj(1, zlib.DEFLATED, -15)
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    block = b"a" * (1 << 20)
    deflated = comp.compress(head) + b"".join(comp.compress(block) for _ in range(megabytes))
    deflated += comp.flush()
    first = (head + block)[:declared]
    crc = zlib.crc32(first) if crc_of_declared else 0
    parts = {
        **files._XLSX_PARTS,
        "xl/worksheets/sheet1.xml": files.sheet_xml(3),
        "xl/sharedStrings.xml": files.shared_strings_xml("s"),
    }
    entries = []
    for name, text in parts.items():
        if name != part:
            data = text.encode()
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            entries.append((name, c.compress(data) + c.flush(), len(data), zlib.crc32(data)))
    entries.append((part, deflated, declared, crc))
    return files.raw_zip(entries)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # The issue's: declares 1 KB, inflates to far more; zipfile's read() inflated 2 GB.
        (lambda: bomb(1024, False), "Bad CRC-32"),
        (lambda: bomb(1024, False, part="xl/styles.xml"), "Bad CRC-32"),  # openpyxl's read()
        (lambda: bomb(1024, False, part="xl/worksheets/sheet1.xml"), "Bad CRC-32"),
        # The CRC of the first kilobyte: zipfile stops there and finds it right.
        (lambda: bomb(1024, True), "not a readable .xlsx workbook"),
        # Declares 70 MB, under the 80 allowed, and holds 300: read up to 70, then refused.
        (lambda: bomb(70 * 2**20, False, 300), "Bad CRC-32"),
    ],
    ids=["bad-crc", "styles", "sheet", "crc-of-declared", "declared-under-the-limit"],
)
def test_parts_are_counted_as_they_inflate(capsys, tmp_path, monkeypatch, raw, message):
    monkeypatch.setenv("TIMELINE_MAX_BYTES", "20000000")  # parts may unzip to 80 MB
    code, _, lines, _ = run_in_process(capsys, tmp_path, "csv", raw(), ".xlsx")
    assert code == 1
    assert message in lines[-1]
    assert len(lines[-1]) < 600


def test_parts_openpyxl_reads_whole_are_bounded(capsys, tmp_path):
    styles = '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    styles += "<!-- x -->" * 1_000_000 + "</styleSheet>"
    raw = files.workbook(
        {
            **files._XLSX_PARTS,
            "xl/worksheets/sheet1.xml": files.sheet_xml(2),
            "xl/sharedStrings.xml": files.shared_strings_xml("s"),
            "xl/styles.xml": styles,
        }
    )
    code, _, lines, _ = run_in_process(capsys, tmp_path, "csv", raw, ".xlsx")
    assert code == 1
    assert "'xl/styles.xml' unzips to more than its limit" in lines[-1]


def test_sheet_rows_far_apart_are_not_filled_in(capsys, tmp_path):
    # openpyxl yields every missing row (and pads each to the widest): a row numbered
    # 100 million after row 2 was 100 million empty rows.
    sheet = files.sheet_xml(1).replace("</sheetData></worksheet>", "")
    sheet += (
        '<row r="100000000"><c r="A100000000" t="inlineStr"><is><t>2021</t></is></c>'
        '<c r="B100000000" t="inlineStr"><is><t>Far</t></is></c></row></sheetData></worksheet>'
    )
    raw = files.workbook({**files._XLSX_PARTS, "xl/worksheets/sheet1.xml": sheet,
                          "xl/sharedStrings.xml": files.shared_strings_xml("s")})  # fmt: skip
    code, out, _, _ = run_in_process(capsys, tmp_path, "csv", raw, ".xlsx")
    assert code == 0
    assert [e["title"] for e in events_of(out)] == ["Talks 2", "Far"]


# --- JSON of any shape -------------------------------------------------------------------------


def test_many_empty_items_are_summarised_by_reason(capsys, tmp_path):
    n = 200_000
    raw = b'{"events": [' + b",".join([b"{}"] * n) + b"]}"
    code, _, lines, path = run_in_process(capsys, tmp_path, "timelinejs", raw, ".json")
    assert code == 1
    assert lines == [
        f"{path}:events[0]: skipped: no start_date (expected an object with at least a year) "
        f"(and {n - 1:,} more rows alike: events[1], events[2], ...)",
        f"{path}: nothing to import: every row was skipped ({n:,}); no file written",
    ]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("{}", 1),
        ("[1,2,3]", 4),
        ('{"a": "x,y[{"}', 2),  # commas and brackets in strings do not count
        ('["a\\",b"]', 2),  # nor after an escaped quote
        ("[[],[],[]]", 4),
        ('[{},"{}",[]]', 4),
        ("[ ]", 2),  # spaces in an empty list: counted as if it held one value
    ],
)
def test_json_values_are_counted_from_above(text, values):
    assert timelinejs.json_values(text, 0) == values
    assert values >= sum(1 for _ in _walk(json.loads(text)))


def _walk(value):
    yield value
    for child in (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    ):
        yield from _walk(child)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"events": [' + b",".join([b"{}"] * 6_000_000) + b"]}",  # the shape
        b"[" + b",".join([b"[]"] * 6_000_000) + b"]",  # a list of empty lists
        b'{"events": [], "junk": [' + b",".join([b"0"] * 6_000_000) + b"]}",  # a key no one reads
    ],
    ids=["empty-objects", "empty-lists", "unread-key"],
)
def test_json_with_more_values_than_the_limit_is_refused_before_parsing(capsys, tmp_path, raw):
    code, _, lines, path = run_in_process(capsys, tmp_path, "timelinejs", raw, ".json")
    assert code == 1
    assert lines[0].startswith(f"{path}:1: the file holds up to 6,000,00")  # about one each
    assert "over the limit of 5,000,000 that an import reads" in lines[0]


# --- Echoes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "raw", "suffix", "echoed"),
    [
        # The 4,000-digit year, in a TimelineJS file.
        ("timelinejs", files.long_year(4_000), ".json", "(4,000 characters)"),
        (
            "timelinejs",
            json.dumps({"events": [{"start_date": {"year": 2020, "month": 10**500}}]}).encode(),
            ".json",
            "(501 characters)",
        ),
        (
            "timelinejs",
            json.dumps(
                {
                    "events": [
                        {
                            "start_date": {"year": 2020},
                            "text": {"headline": "A"},
                            "unique_id": "x" * 80,
                        },
                        {
                            "start_date": {"year": 2020},
                            "text": {"headline": "B"},
                            "unique_id": "x" * 80 + "!" * 5000,
                        },
                    ]
                }
            ).encode(),
            ".json",
            "is taken by an earlier event",
        ),
        ("timelinejs", json.dumps({"k" * 5000: 1}).encode(), ".json", "found keys 'kkk"),
        ("csv", b"date,title\n1 " + b"j" * 5000 + b" 2020,T\n", ".csv", "(5,000 characters)"),
        ("csv", b"when" + b"w" * 5000 + b",title\n2020,T\n", ".csv", "no column for date"),
    ],
    ids=["year-digits", "month-digits", "unique-id", "json-key", "month-name", "header"],
)
def test_every_echo_is_cut(capsys, tmp_path, fmt, raw, suffix, echoed):
    _, _, lines, path = run_in_process(capsys, tmp_path, fmt, raw, suffix)
    text = "\n".join(lines)
    assert echoed in text
    assert max(len(line) - len(str(path)) for line in lines) < 500


# --- Memory, in a capped child -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "suffix", "make", "code", "message"),
    [
        # 40 MB in one shared string, shown by 40 cells: 4.1 GB and a MemoryError before.
        ("csv", ".xlsx", lambda: files.shared_string_rows(40), 0, "cut to its first 100,000"),
        # Styles that declare 1 KB and inflate to 2.5 GB: openpyxl's read() reached 2.2 GB.
        ("csv", ".xlsx", lambda: files.inflate_bomb(2.5), 1, "Bad CRC-32"),
        # 48 MB of {}: 16 million items, 4.2 GB and 3.5 minutes before.
        ("timelinejs", ".json", files.empty_items, 1, "over the limit of 5,000,000"),
        # Five million {} (just under the limit): every one skipped, one line for them all.
        (
            "timelinejs",
            ".json",
            lambda: b'{"events": [' + b",".join([b"{}"] * 4_999_990) + b"]}",
            1,
            "(and 4,999,989 more rows alike: events[1], events[2], ...)",
        ),
        ("csv", ".csv", lambda: files.many_columns(MAX_COLUMNS - 2), 0, "more fields left out"),
    ],
    ids=["shared-string", "inflate-bomb", "empty-items-48MB", "empty-items-5M", "columns"],
)
def test_hostile_imports_stay_within_bounded_memory(tmp_path, fmt, suffix, make, code, message):
    returned, lines, peak = run_capped(tmp_path, fmt, make(), suffix)
    assert returned == code, lines[-3:]
    assert peak < PEAK, f"{peak} MB"
    assert any(message in line for line in lines), lines[-3:]
    assert len(lines) <= MAX_SHOWN + 10
    assert max(map(len, lines)) < 1000


# --- Streamed inputs: their own size limit; the file written is still bounded ---------------

SAMPLES = ROOT / "tests" / "data" / "import"
STREAMED = {"icews": "icews-2018.tab", "gdelt": "gdelt.export.CSV", "polecat": "polecat.tsv",
            "csv": "table.csv"}  # fmt: skip


def padded(fmt: str, size: int = 30_000) -> bytes:
    """The format's sample, grown past `size` bytes by blank lines (rows neither add)."""
    raw = (SAMPLES / STREAMED[fmt]).read_bytes()
    return raw + b"\n" * (size - len(raw))


def zipped_input(raw: bytes) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part.tab", raw)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "env", "zip_it", "code", "said"),
    [
        # An input over TIMELINE_MAX_BYTES is read when streamed: it holds a line at a time.
        ("icews", {"TIMELINE_MAX_BYTES": "20000"}, False, 0, "wrote "),
        ("gdelt", {"TIMELINE_MAX_BYTES": "20000"}, False, 0, "wrote "),
        ("polecat", {"TIMELINE_MAX_BYTES": "20000"}, False, 0, "wrote "),
        ("icews", {"TIMELINE_MAX_BYTES": "20000"}, True, 0, "wrote "),
        # ... not when read whole: a table keeps TIMELINE_MAX_BYTES.
        ("csv", {"TIMELINE_MAX_BYTES": "20000"}, False, 1, "the file is 30,000 bytes, over the limit of 20,000; set TIMELINE_MAX_BYTES"),
        # The streams' own limit holds, on the file and on what a zip declares.
        ("icews", {"TIMELINE_MAX_STREAM_BYTES": "25000"}, False, 1, "the file is 30,000 bytes, over the limit of 25,000; set TIMELINE_MAX_STREAM_BYTES"),
        ("gdelt", {"TIMELINE_MAX_STREAM_BYTES": "25000"}, True, 1, "the zip holds 30,000 bytes once unzipped, over the limit of 25,000; set TIMELINE_MAX_STREAM_BYTES"),
        # The file written is bounded by TIMELINE_MAX_BYTES whatever the input's limit.
        ("icews", {"TIMELINE_MAX_BYTES": "3000"}, False, 1, "over the limit of 3,000"),
    ],
)  # fmt: skip
def test_streamed_inputs_have_their_own_limit(
    capsys, tmp_path, monkeypatch, fmt, env, zip_it, code, said
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    raw = padded(fmt)
    raw = zipped_input(raw) if zip_it else raw
    got, _, lines, _ = run_in_process(capsys, tmp_path, fmt, raw, ".zip" if zip_it else ".tab")
    assert got == code, lines
    assert said in lines[-1]


@pytest.mark.parametrize(
    ("value", "limit"),
    [(None, 2 * 1024**3), ("5000000000", 5_000_000_000), ("²", 2 * 1024**3), ("0", 2 * 1024**3),
     ("-1", 2 * 1024**3)],
)  # fmt: skip
def test_the_streams_limit_is_two_gigabytes_unless_set(monkeypatch, value, limit):
    from timeline.files import max_stream_bytes

    if value is None:
        monkeypatch.delenv("TIMELINE_MAX_STREAM_BYTES", raising=False)
    else:
        monkeypatch.setenv("TIMELINE_MAX_STREAM_BYTES", value)
    assert max_stream_bytes() == limit
