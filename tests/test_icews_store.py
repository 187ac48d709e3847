"""`import icews FILE --store DIR` by columns (importers/icews_columns.py) writes the very
store the row-by-row importer writes: every table, the report and its messages."""

import subprocess
import sys

import pytest
from conftest import ROOT

from timeline.importers import icews, icews_columns
from timeline.store import build
from timeline.store import io as store_io

DATA = ROOT / "tests" / "data" / "import"


def _generated(tmp_path_factory, rows: int) -> str:
    path = tmp_path_factory.mktemp("gen") / f"icews-{rows}.tab"
    script = ROOT / "benchmarks" / "store_generate.py"
    subprocess.run([sys.executable, str(script), str(rows), str(path)], check=True)
    return str(path)


def _repeated(tmp_path_factory) -> str:
    """icews-2018.tab's rows twenty times: other stories fold, the same story mirrors."""
    lines = (DATA / "icews-2018.tab").read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for copy in range(20):
        for line in lines[1:]:
            cells = line.split("\t")
            cells[0] = str(int(cells[0]) + 1000 * copy) if cells[0].isdigit() else cells[0]
            if copy % 2:
                cells[11] = f"{cells[11]}{copy}"  # another story: folded, not mirrored
            out.append("\t".join(cells))
    path = tmp_path_factory.mktemp("rep") / "icews-repeated.tab"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return {
        "icews-2018": str(DATA / "icews-2018.tab"),
        "icews": str(DATA / "icews.tab"),
        "generated": _generated(tmp_path_factory, 3_000),
        "repeated": _repeated(tmp_path_factory),
        "crlf": _crlf(tmp_path_factory),
    }


def _crlf(tmp_path_factory) -> str:
    """icews-2018.tab as Windows writes text: each line ends in CR LF."""
    text = (DATA / "icews-2018.tab").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("crlf") / "icews-crlf.tab"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return str(path)


def _both(in_process, monkeypatch, tmp_path, args):
    """Import once row by row and once by columns; return both runs and stores' tables."""
    used = []
    real = icews_columns.import_columns

    def spy(*a, **k):
        used.append(True)
        return real(*a, **k)

    monkeypatch.setattr(icews_columns, "import_columns", spy)
    monkeypatch.setattr(icews, "COLUMNAR", False)
    old = in_process("import", "icews", *args, "--store", tmp_path / "store")
    assert not used
    monkeypatch.setattr(icews, "COLUMNAR", True)
    new = in_process("import", "icews", *args, "--store", tmp_path / "store2")
    assert used, "the columnar path was not taken"
    return old, new


def _tables(folder):
    tables = store_io.read_tables(folder).named()
    return {n: t.sort_by("seq") if n == "events" else t for n, t in tables.items()}


OPTIONS = [
    [],
    ["--no-fold"],
    ["--country", "Russia", "--country", "Iran"],
    ["--country", "Russia", "--any"],
    ["--cameo", "04", "--from", "2018-04-01", "--to", "2018-04-30"],
]


@pytest.mark.parametrize("name", ["icews-2018", "icews", "generated", "repeated", "crlf"])
@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
@pytest.mark.parametrize("chunk", [50_000, 7])
def test_the_columnar_store_is_the_row_by_row_store(
    in_process, monkeypatch, tmp_path, inputs, name, options, chunk
):
    monkeypatch.setattr(build, "CHUNK_EVENTS", chunk)
    old, new = _both(in_process, monkeypatch, tmp_path, [inputs[name], *options])
    assert new.returncode == old.returncode
    assert new.stderr.replace("store2", "store") == old.stderr
    if old.returncode == 0:
        a, b = _tables(tmp_path / "store"), _tables(tmp_path / "store2")
        for table in a:
            assert b[table].equals(a[table]), table


BAD = [
    ("1995-13-45", "Event Date"),  # no such day
    ("NA", "no Event Date"),
]


@pytest.mark.parametrize(("date", "said"), BAD)
def test_a_bad_row_is_said_by_file_and_line_on_the_columnar_path(
    in_process, monkeypatch, tmp_path, date, said
):
    lines = (DATA / "icews-2018.tab").read_text(encoding="utf-8").splitlines()
    cells = lines[3].split("\t")
    cells[1] = date
    lines[3] = "\t".join(cells)
    path = tmp_path / "bad.tab"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    old, new = _both(in_process, monkeypatch, tmp_path, [path])
    assert f"{path}:4: " in new.stderr and said in new.stderr
    assert new.stderr.replace("store2", "store") == old.stderr


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Event ID\tEvent Date\n1\t2018-01-01\n\n", "a blank line"),
        ("Event ID\tEvent Date\n1\t2018-01-01\t3\n", "a row of more cells than headers"),
        ('{"Event ID": 1}\n{"Event ID": 2}\n', "JSON, which icews.py names"),
    ],
)
def test_input_duckdb_cannot_read_row_for_line_is_read_row_by_row(tmp_path, text, why):
    path = tmp_path / "odd.tab"
    path.write_text(text, encoding="utf-8")
    assert icews_columns.eligible(str(path)) is None, why


NUMBERS = ["12", "12.", "012", "0", "00", "5", "5-2", "5 2", "x", "12-2", "7", "3.", "3", "-3"]


@pytest.mark.parametrize("seed", range(40))
def test_ids_held_as_numbers_are_the_ids_idmaker_gives(seed):
    import random

    from timeline.importers.ids import IdMaker

    numbers = random.Random(seed).choices(NUMBERS, k=30)
    maker, ids = IdMaker(), icews_columns._Ids("icews-")
    expected = [maker.make(f"icews-{n}", "item") for n in numbers]
    made = [ids.make(n) for n in numbers]
    assert made == expected
    assert [ids.maker.was_renamed(i) for i in made] == [maker.was_renamed(i) for i in expected]


@pytest.mark.parametrize("on_duplicate", ["keep", "replace"])
def test_an_append_by_columns_is_the_row_by_row_append(
    in_process, monkeypatch, tmp_path, inputs, on_duplicate
):
    monkeypatch.setattr(icews, "COLUMNAR", False)
    for store in ("store", "store2"):
        first = in_process("import", "icews", inputs["icews-2018"], "--store", tmp_path / store)
        assert first.returncode == 0, first.stderr
    args = [inputs["repeated"], "--on-duplicate", on_duplicate]
    old, new = _both(in_process, monkeypatch, tmp_path, args)
    assert new.stderr.replace("store2", "store") == old.stderr
    a, b = _tables(tmp_path / "store"), _tables(tmp_path / "store2")
    for table in a:
        assert b[table].equals(a[table]), table
