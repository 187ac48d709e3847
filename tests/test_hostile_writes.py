"""Outputs that never destroy what they are pointed at, a standard output that cannot be
written, echoes cut short, and disk-cache entries that cost no more than their data file.

The targets are made here (device nodes by mknod, which needs root, as CI runs): a test
never points the writer at the machine's own /dev/null or /dev/full, so that a
regression fails the test instead of replacing a device everyone uses.
"""

import contextlib
import io
import os
import random
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import ROOT

from timeline import files
from timeline.cli import main
from timeline.errors import cut, shown

EVENTS = ROOT / "events.yaml"
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mknod and chown need root")
OTHER = (1234, 2345)  # an owner and group that are not ours


def csv_text() -> str:
    """The CSV the export writes, from the command itself."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["export", "csv", str(EVENTS)]) == 0
    return out.getvalue()


def export_to(target: Path, capsys) -> tuple[int, list[str]]:
    code = main(["export", "csv", str(EVENTS), "-o", str(target)])
    return code, capsys.readouterr().err.splitlines()


def kind(path: Path) -> tuple[int, int]:
    st = os.lstat(path)
    return stat.S_IFMT(st.st_mode), st.st_rdev


# Each row: what stands at the path, the exit code, and what the one line of stderr says.
@ROOT_ONLY
@pytest.mark.parametrize(
    ("make", "code", "says"),
    [
        (lambda p: os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, 3)), 0, "wrote 10 of 10"),
        # /dev/full: the write fails, as `>` would; the device stays.
        (lambda p: os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, 7)), 2, "No space left"),
        # A disk: never written, even by root.
        (lambda p: os.mknod(p, 0o660 | stat.S_IFBLK, os.makedev(7, 200)), 2, "a block device"),
        (os.mkfifo, 2, "nothing reads from it"),  # no reader: refused at once, no hang
        (os.mkdir, 2, "Is a directory"),
        (lambda p: socket.socket(socket.AF_UNIX).bind(str(p)), 2, "nothing reads from it"),
    ],
    ids=["null", "full", "block", "fifo-unread", "folder", "socket"],
)
def test_output_to_what_is_not_a_regular_file_is_written_as_it_is_or_refused(
    tmp_path, capsys, make, code, says
):
    target = tmp_path / "out"
    make(target)
    before = kind(target)
    got, err = export_to(target, capsys)
    assert got == code
    assert len(err) == 1 and says in err[0]
    if code:
        assert err[0].startswith(f"{target}: cannot write the file: ")
    assert kind(target) == before  # the same kind of thing, the same device
    assert sorted(os.listdir(tmp_path)) == ["out"]  # no temporary file left


@ROOT_ONLY
def test_a_fifo_with_a_reader_gets_the_output(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the CSV fits in a pipe's buffer
    try:
        assert export_to(fifo, capsys)[0] == 0
        got = os.read(reader, 1 << 20).decode()
    finally:
        os.close(reader)
    assert got == csv_text()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@ROOT_ONLY
@pytest.mark.parametrize(
    ("mode", "owner"),
    [
        (0o600, None),
        (0o640, OTHER),  # root writes another user's file: it stays theirs
        (0o4755, OTHER),  # set-id bits survive the chown that would clear them
        (0o444, None),  # root may write a read-only file, as `>` would; it stays read-only
    ],
    ids=["0600", "0640-other", "4755-other", "0444"],
)
@pytest.mark.parametrize("through_link", [False, True], ids=["file", "link"])
def test_a_file_keeps_its_mode_and_owner_and_a_link_stays_a_link(
    tmp_path, capsys, mode, owner, through_link
):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    if owner:
        os.chown(real, *owner)
    os.chmod(real, mode)
    before = os.stat(real)
    target = real
    if through_link:
        target = tmp_path / "link.csv"
        target.symlink_to("real.csv")
    assert export_to(target, capsys)[0] == 0
    after = os.stat(real)
    assert real.read_text() == csv_text()
    assert (after.st_mode, after.st_uid, after.st_gid) == (
        before.st_mode,
        before.st_uid,
        before.st_gid,
    )
    if through_link:
        assert os.readlink(target) == "real.csv"
    assert sorted(os.listdir(tmp_path)) == sorted({"real.csv", target.name})


def test_a_new_file_is_created_and_a_link_to_nothing_is_refused(tmp_path, capsys):
    assert export_to(tmp_path / "new.csv", capsys)[0] == 0
    assert (tmp_path / "new.csv").read_text() == csv_text()
    # A name of 255 bytes, the most a folder takes: the temporary name must fit too.
    longest = tmp_path / ("é" * 127 + "a")
    for _ in range(2):  # created, then replaced
        assert export_to(longest, capsys)[0] == 0
    assert longest.read_text() == csv_text()
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to("nowhere.csv")
    code, err = export_to(dangling, capsys)
    assert code == 2 and len(err) == 1 and "a link to a file that does not exist" in err[0]
    assert os.readlink(dangling) == "nowhere.csv" and not (tmp_path / "nowhere.csv").exists()


def test_a_name_taken_while_a_new_file_is_written_is_left_alone(tmp_path, capsys, monkeypatch):
    target = tmp_path / "new.csv"
    real = files._write_all

    def meanwhile(fd, data):  # another process puts a link where the file was to go
        target.symlink_to("/etc/passwd")
        real(fd, data)

    monkeypatch.setattr(files, "_write_all", meanwhile)
    code, err = export_to(target, capsys)
    assert code == 2 and len(err) == 1 and "took its name" in err[0]
    assert os.readlink(target) == "/etc/passwd"
    assert os.listdir(tmp_path) == ["new.csv"]


def _fail_half_way(fd, data):
    os.write(fd, bytes(data[: len(data) // 2]))
    raise OSError(28, "No space left on device")


def _cannot_chown(fd, uid, gid):
    raise PermissionError(1, "Operation not permitted")


_open = os.open


def _folder_not_writable(path, flags, mode=0o777):
    if str(path).endswith(".tmp"):  # what a user gets in a folder they may not write
        raise PermissionError(13, "Permission denied")
    return _open(path, flags, mode)


# Each row: what goes wrong once the old file is found; it must stay whole.
@pytest.mark.parametrize(
    ("name", "replacement", "says"),
    [
        ("_write_all", _fail_half_way, "No space left on device"),
        ("os.fchown", _cannot_chown, "belongs to user 1234"),  # as a user who may not chown
        ("os.open", _folder_not_writable, "its folder is not writable"),
        # The link is pointed elsewhere between opening and renaming.
        ("os.path.realpath", lambda p: str(Path(p).parent / "elsewhere.csv"), "link changed"),
    ],
)
def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path, capsys, monkeypatch, name, replacement, says
):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    (tmp_path / "elsewhere.csv").write_text("other\n")
    if name == "os.fchown":
        if os.geteuid() != 0:
            pytest.skip("chown needs root")
        os.chown(real, *OTHER)
    link = tmp_path / "link.csv"
    link.symlink_to("real.csv")
    module, attr = (files, name) if "." not in name else (os.path, "realpath")
    if name in ("os.fchown", "os.open"):
        module, attr = os, name.removeprefix("os.")
    monkeypatch.setattr(module, attr, replacement)
    code, err = export_to(link, capsys)
    assert code == 2 and len(err) == 1 and says in err[0]
    assert real.read_text() == "old\n" and (tmp_path / "elsewhere.csv").read_text() == "other\n"
    assert sorted(os.listdir(tmp_path)) == ["elsewhere.csv", "link.csv", "real.csv"]


@ROOT_ONLY
@pytest.mark.parametrize(("device", "code"), [((1, 3), 0), ((1, 7), 2)])
def test_import_writes_through_the_same_rules(tmp_path, capsys, device, code):
    source = tmp_path / "tl.json"
    assert main(["export", "timelinejs", str(EVENTS), "-o", str(source)]) == 0
    target = tmp_path / "out"
    os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(*device))
    capsys.readouterr()
    assert main(["import", "timelinejs", str(source), "-o", str(target)]) == code
    assert stat.S_ISCHR(os.lstat(target).st_mode)


# --- standard output ---------------------------------------------------------------


def commands(tmp_path: Path) -> dict[str, list[str]]:
    source = tmp_path / "tl.json"
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["export", "timelinejs", str(EVENTS), "-o", str(source)]) == 0
    return {
        "validate": ["validate", str(EVENTS)],
        "schema": ["schema"],
        "synth": ["synth", "--events", "3000"],  # megabytes: fails while writing, not at exit
        "synth-small": ["synth", "--events", "1"],  # fits a buffer: fails at the flush
        "export": ["export", "csv", str(EVENTS)],
        "import": ["import", "timelinejs", str(source)],
    }


@pytest.mark.parametrize(
    "command", ["validate", "schema", "synth", "synth-small", "export", "import"]
)
@pytest.mark.parametrize(
    ("state", "says"),
    [("full", "No space left on device"), ("closed", "it is closed")],
)
def test_a_full_or_closed_standard_output_is_exit_2_and_one_line(
    tmp_path, capsys, monkeypatch, command, state, says
):
    argv = commands(tmp_path)[command]
    capsys.readouterr()
    # Python's own stream on a device that is always full; None is what `>&-` gives.
    stream = open("/dev/full", "w") if state == "full" else None  # noqa: SIM115
    monkeypatch.setattr(sys, "stdout", stream)
    try:
        assert main(argv) == 2
    finally:
        if stream:
            stream.close()
    err = capsys.readouterr().err.splitlines()
    summary = [line for line in err if "standard output" in line]
    assert summary == [f"standard output: cannot write: {says}"]
    assert not [line for line in err if "wrote" in line]  # no claim of success


@pytest.mark.parametrize("argv", [["--help"], ["export", "-h"]])
@pytest.mark.parametrize(("state", "says"), [("full", "No space left"), ("closed", "is closed")])
def test_help_to_a_full_or_closed_standard_output_is_exit_2(capsys, monkeypatch, argv, state, says):
    # argparse's own help ignores a failed write and exits 0.
    stream = open("/dev/full", "w", buffering=1) if state == "full" else None  # noqa: SIM115
    monkeypatch.setattr(sys, "stdout", stream)
    try:
        with pytest.raises(SystemExit) as stop:
            main(argv)
    finally:
        if stream:
            stream.close()
    assert stop.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("standard output: cannot write: ") and says in line


def run(args: list[str], stdout) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args], cwd=ROOT, stdout=stdout,
        stderr=subprocess.PIPE, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


@pytest.mark.parametrize(
    "args", [["schema"], ["synth", "--events", "3000"], ["export", "json", "events.yaml"]]
)
def test_a_full_standard_output_in_a_real_process(args):
    with open("/dev/full", "w") as full:  # the shell's `> /dev/full`
        result = run(args, full)
    assert result.returncode == 2
    assert result.stderr == "standard output: cannot write: No space left on device\n"


@pytest.mark.parametrize("args", [["schema"], ["validate", "events.yaml"]])
def test_a_closed_standard_output_in_a_real_process(args):
    result = subprocess.run(
        [sys.executable, "-m", "timeline", *args], cwd=ROOT, stderr=subprocess.PIPE,
        text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: os.close(1),  # the shell's `>&-`
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == "standard output: cannot write: it is closed\n"


@ROOT_ONLY
def test_output_to_a_full_device_in_a_real_process(tmp_path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    result = run(["export", "csv", "events.yaml", "-o", str(full)], subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr == f"{full}: cannot write the file: No space left on device\n"
    assert kind(full) == (stat.S_IFCHR, os.makedev(1, 7))


# --- echoes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("short", "'short'"),
        ("x" * 61, f"{'x' * 60!r}... (61 characters)"),
        (12, "12"),
        (10**100, f"{'1' + '0' * 59}... (101 characters)"),
        # Over 4,300 digits repr raises: the length is all that is said.
        (10**5000, "a number of about 5,001 digits"),
        (-(10**5000), "a number of about 5,001 digits"),
        ([1] * 100, f"{str([1] * 100)[:60]}... (300 characters)"),
    ],
    ids=["short", "long", "int", "101-digits", "5001-digits", "negative", "list"],
)
def test_shown_echoes_at_most_60_characters_of_any_value(value, expected):
    assert shown(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("a" * 60, "a" * 60), ("a" * 61, "a" * 57 + "...")], ids=["60", "61"]
)
def test_cut_keeps_60_characters(text, expected):
    assert cut(text) == expected


def test_an_unknown_reference_lists_the_known_ids_cut_short(tmp_path, capsys):
    # The file's own keys are listed after an unknown id; invalid ones can be a kilobyte.
    long_key = "p" * 900
    path = tmp_path / "events.yaml"
    path.write_text(
        f"title: T\npeople:\n  {long_key}: {{name: N}}\nsources:\n"
        "  s: {title: S, publisher: P, date: '2022'}\nevents:\n"
        "  - {id: e, title: T, date: '2022', kind: visit, summary: S, sources: [s], "
        "leaders: [q]}\n"
    )
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    (line,) = [line for line in err if "unknown person" in line]
    assert line.endswith(f"unknown person 'q' (known: {'p' * 57}...)")
    assert max(len(line) - len(str(path)) for line in err) < 250


# --- the disk cache ------------------------------------------------------------------


def entry_path(data: Path) -> Path:
    (entry,) = files.cache_dir().glob("*.arrow")
    return entry


def planted(table: pa.Table, compression: str | None = None) -> bytes:
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression=compression)
    with pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def legit_table(data: Path) -> pa.Table:
    sink = io.BytesIO()
    files.write_entry(files.load_file(data), sink)
    return pa.ipc.open_file(pa.BufferReader(sink.getvalue())).read_all()


def inflating(table: pa.Table) -> bytes:
    # 4 MB of summary in each of 20 rows: 80 MB once inflated, some 8 KB compressed.
    rows = pa.concat_tables([table.slice(0, 1)] * 20)
    column = rows.schema.get_field_index("summary")
    big = pa.array(["a" * 4_000_000] * 20, rows.schema.field("summary").type)
    return planted(rows.set_column(column, "summary", big), "zstd")


def many_rows(table: pa.Table) -> bytes:
    # The shipped file's events repeated past the rows its YAML can hold (327 for 10 KB),
    # in fewer bytes than the bound (1 MiB and 4 times the file).
    times = files.EntryLimit.for_data(EVENTS.stat().st_size).rows // len(table) + 1
    return planted(pa.concat_tables([table] * times))


def dictionary_column(table: pa.Table) -> bytes:
    column = table.schema.get_field_index("summary")
    coded = table.column("summary").combine_chunks().cast(pa.string()).dictionary_encode()
    return planted(table.set_column(column, "summary", coded))


def many_containers(table: pa.Table) -> bytes:
    meta = table.schema.metadata[b"timeline"]
    return planted(
        table.replace_schema_metadata({"timeline": meta[:-1] + b',"x":' + b"[]," * 10_000 + b"0}"})
    )


# Each row: a planted entry under the right name, refused before anything is inflated.
@pytest.mark.parametrize(
    ("make", "why"),
    [
        (inflating, "rows of"),
        (many_rows, "rows of"),
        (dictionary_column, "never writes"),
        (many_containers, "JSON containers"),
    ],
)
def test_a_planted_entry_over_its_bound_is_refused_and_replaced(tmp_path, monkeypatch, make, why):
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "events.yaml"
    data.write_bytes(EVENTS.read_bytes())
    expected = files.load_cached(data)
    entry = entry_path(data)
    entry.write_bytes(make(legit_table(data)))
    limit = files.EntryLimit.for_data(data.stat().st_size)
    with pytest.raises(ValueError, match=why):
        files.read_entry(entry, limit)
    assert files.load_cached(data).events.equals(expected.events)
    assert files.read_entry(entry, limit).events.equals(expected.events)  # written anew


@ROOT_ONLY
def test_an_entry_of_another_user_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "events.yaml"
    data.write_bytes(EVENTS.read_bytes())
    files.load_cached(data)
    entry = entry_path(data)
    os.chown(entry, *OTHER)
    with pytest.raises(ValueError, match="this user's"):
        files.read_entry(entry)
    files.load_cached(data)
    assert os.stat(entry).st_uid == os.geteuid()  # replaced by one of ours


@pytest.mark.parametrize("taken_by", ["link", "fifo", "folder"])
def test_an_entry_name_taken_by_what_is_no_file_is_neither_read_nor_replaced(
    tmp_path, monkeypatch, taken_by
):
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "events.yaml"
    data.write_bytes(EVENTS.read_bytes())
    expected = files.load_cached(data)
    entry = entry_path(data)
    good = entry.with_name("elsewhere.bin")
    entry.rename(good)
    make = {
        "link": lambda p: p.symlink_to(good),  # a link to a good entry: still not followed
        "fifo": os.mkfifo,  # would block a reader that waits for a writer
        "folder": os.mkdir,
    }[taken_by]
    make(entry)
    before = kind(entry)
    assert files.load_cached(data).events.equals(expected.events)
    assert kind(entry) == before


def test_a_cache_entry_that_cannot_be_written_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "events.yaml"
    data.write_bytes(EVENTS.read_bytes())

    def full(data, out):
        out.write(b"ARROW1")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_entry", full)
    assert files.load_cached(data).title  # the cache only costs speed
    assert os.listdir(tmp_path / "cache") == []


def test_a_real_entry_is_within_its_bound(tmp_path, monkeypatch):
    # The bound must not turn real files' entries into misses: 2,000 synthetic events.
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "big.yaml"
    with data.open("w") as out, contextlib.redirect_stdout(out):
        assert main(["synth", "--events", "2000", "--seed", "3"]) == 0
    first = files.load_cached(data)
    limit = files.EntryLimit.for_data(data.stat().st_size)
    assert files.read_entry(entry_path(data), limit).events.equals(first.events)


@pytest.mark.parametrize("compression", [None, "zstd", "lz4"])
def test_arrow_extent_counts_what_arrow_will_hold(compression):
    table = legit_table(EVENTS)
    raw = planted(table, compression)
    rows, inflated = files.arrow_extent(memoryview(raw))
    assert rows == table.num_rows
    held = pa.ipc.open_file(pa.BufferReader(raw)).read_all().get_total_buffer_size()
    # A compressed buffer may be kept as it is (-1): it is counted with its 8-byte prefix.
    assert held <= inflated <= held + 8 * 64


def test_arrow_extent_refuses_any_damaged_file_with_a_value_error():
    raw = bytearray(planted(legit_table(EVENTS), "zstd"))
    rng = random.Random(19)
    for _ in range(2000):
        damaged = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut_at = rng.choice([len(damaged), rng.randrange(len(damaged))])
        # A ValueError is the one answer; anything else (IndexError, OverflowError) fails.
        with contextlib.suppress(ValueError):
            files.arrow_extent(memoryview(bytes(damaged[:cut_at])))


CAP = 3 * 1024**3
PLANT = """
import sys
import pyarrow as pa
from timeline import files
# 20 batches of one row with 100 MB of summary: 2 GB once inflated, some 130 KB written,
# one batch at a time so that planting never holds more than one.
legit = pa.ipc.open_file(pa.memory_map(sys.argv[1])).read_all().slice(0, 1)
column = legit.schema.get_field_index("summary")
big = pa.array(["a" * 100_000_000], legit.schema.field("summary").type)
row = legit.set_column(column, "summary", big)
options = pa.ipc.IpcWriteOptions(compression="zstd")
with pa.OSFile(sys.argv[1] + ".new", "wb") as sink:
    with pa.ipc.new_file(sink, row.schema, options=options) as writer:
        for _ in range(20):
            writer.write_table(row)
"""
LOAD = f"""
import os, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))
from timeline import files
start = time.perf_counter()
data = files.load_cached(sys.argv[1])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(len(data.events), int(data.events["summary"].str.len().max()), peak, seconds)
"""


def test_a_planted_entry_that_inflates_to_gigabytes_costs_no_more_than_its_file(tmp_path):
    # Run in children, each its own peak: a child forked from a process that held the
    # planted gigabytes would report that process's peak as its own.
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TIMELINE_CACHE_DIR": str(cache)}
    data = tmp_path / "events.yaml"
    data.write_bytes(EVENTS.read_bytes())

    def child(script: str, arg: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", script, str(arg)], capture_output=True, text=True,
            env=env, timeout=300,
        )  # fmt: skip

    first = child(LOAD, data)  # parses: the cost of reading the data file
    assert first.returncode == 0, first.stderr[-2000:]
    entry = next(cache.glob("*.arrow"))
    assert child(PLANT, entry).returncode == 0
    os.replace(f"{entry}.new", entry)
    assert entry.stat().st_size < 200_000
    result = child(LOAD, data)
    assert result.returncode == 0, result.stderr[-2000:]
    events, longest, peak, _ = result.stdout.split()
    assert (events, longest) == tuple(first.stdout.split()[:2])  # the file's own events
    baseline = int(first.stdout.split()[2])
    assert int(peak) < baseline + 100, f"{peak} MB against {baseline} MB parsing"
    assert entry.stat().st_size < 100_000  # replaced by a real entry
