import os
import subprocess
import sys

import pytest
from conftest import ROOT, VALID, edit


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_shipped_file_validates_with_a_summary():
    result = run("validate", "events.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "events.yaml: OK, 10 events, 6 people, 1 source, January 2022 to July 2022"
    )


def test_invalid_file_exits_1_with_every_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = edit(VALID, 10, '    date: "2022-02-30"')
    bad.write_text(edit(text, 13, "    leaders: [putin, putn]"))
    result = run("validate", str(bad))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:10:11: events[0].date: '2022-02-30'")
    assert lines[1].startswith(f"{bad}:13:22: events[0].leaders[1]: unknown person 'putn'")
    assert lines[2] == f"{bad}: 2 errors"
    assert result.stdout == ""


def test_each_file_gets_its_own_verdict(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(VALID)
    bad.write_text("title: [\n")
    result = run("validate", str(good), str(bad))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{good}: OK, 1 event, 2 people, 1 source, July 2022 to July")
    assert f"{bad}:2:1: YAML syntax error" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "usage:"),
        (("check", "events.yaml"), "invalid choice"),
        (("validate",), "the following arguments are required: FILE"),
        (("validate", "missing.yaml"), "missing.yaml: cannot read the file: No such file"),
        (
            ("validate", "tests"),
            "tests: cannot read the file: it is a directory, not a regular file",
        ),
    ],
)
def test_usage_errors_and_missing_files_exit_2(args, expected):
    result = run(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe\x00t\x00i",  # UTF-16 bytes
        b"title: caf\xe9\n",  # Latin-1, not UTF-8
        b"\xef\xbb\xbf" + VALID.encode(),  # a byte-order mark is fine
        VALID.replace("\n", "\r\n").encode(),  # so are Windows line endings
        b"a: &a [1]\nb: *c\n",  # an undefined alias
        b"!!python/object/apply:os.system ['echo pwned']\n",
        b"- [" * 5000,
        b"title: x\n\tpeople: {}\n",
        b"\x00\x01\x02",
    ],
)
def test_no_traceback_for_any_input(tmp_path, content):
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    result = run("validate", str(path))
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr
    assert "pwned" not in result.stdout + result.stderr
    out = result.stdout if result.returncode == 0 else result.stderr
    assert out.startswith(str(path) + ":")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: os.mkfifo(p), "it is a FIFO (named pipe), not a regular file"),  # would hang
        (lambda p: os.symlink("/dev/zero", p), "it is a character device, not a regular file"),
        (lambda p: os.symlink("/dev/null", p), "it is a character device, not a regular file"),
    ],
)
def test_special_files_are_refused_at_once(tmp_path, make, expected):
    path = tmp_path / "events.yaml"
    make(path)
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", str(path)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"{path}: cannot read the file: {expected}; expected a YAML file" in result.stderr


def test_a_file_that_says_it_is_empty_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    # /proc files (and files still being written) say one size and hold another.
    from timeline import DataError, files

    monkeypatch.setenv("TIMELINE_MAX_BYTES", "100")
    path = tmp_path / "events.yaml"
    path.symlink_to("/proc/self/maps")
    assert os.stat(path).st_size == 0
    with pytest.raises(DataError, match="the file is over 100 bytes, over the limit of 100"):
        files.read_bytes(path)


@pytest.mark.parametrize("value", ["²", "٣٠٠", "99999999999999999999999999", "-5", "0", " "])
def test_odd_size_limits_fall_back_to_the_default(value, monkeypatch):
    from timeline import files

    monkeypatch.setenv("TIMELINE_MAX_BYTES", value)
    assert files.max_bytes() == files.DEFAULT_MAX_BYTES
    assert files.load_file(ROOT / "events.yaml").title


def test_a_file_name_that_is_not_utf8_is_no_traceback(tmp_path):
    name = os.fsdecode(b"bad\xff.yaml")
    (tmp_path / name).write_bytes((ROOT / "events.yaml").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", str(tmp_path / name)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT),
                                              "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "bad\\udcff.yaml: OK, 10 events" in result.stdout
    from timeline.files import load_cached

    assert load_cached(tmp_path / name).title  # the cache's key takes the name as bytes


def test_non_utf8_names_the_byte_offset(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    result = run("validate", str(path))
    assert f"{path}:1:11: byte 0xe9 at offset 10 is not UTF-8" in result.stderr


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ([], {}, "/app/events.yaml"),
        (["--events", "other.yaml"], {}, "other.yaml"),
        (["--events=other.yaml"], {}, "other.yaml"),
        ([], {"TIMELINE_EVENTS": "env.yaml"}, "env.yaml"),
        (["--events", "arg.yaml"], {"TIMELINE_EVENTS": "env.yaml"}, "arg.yaml"),  # the flag wins
        (["--events"], {}, "/app/events.yaml"),  # a flag without a file is ignored
    ],
)
def test_which_data_file_the_app_reads(argv, environ, expected):
    from pathlib import Path

    from timeline.files import choose_events_path

    assert choose_events_path(argv, environ, Path("/app")) == Path(expected)


@pytest.mark.parametrize(
    "args",
    [
        ("synth", "--events", "100000"),  # megabytes: the reader stops long before the end
        ("schema",),
    ],
)
def test_a_reader_that_stops_early_gets_no_traceback(args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "timeline", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
    )  # fmt: skip
    assert child.stdout.read(10)  # like `head -c 10`: read a little, then close
    child.stdout.close()
    err = child.stderr.read().decode()
    code = child.wait(timeout=60)
    assert err == ""
    assert code in (0, 141)  # 141 when the close came before the end, as `yes | head`


def test_two_spellings_of_a_state_are_a_warning_not_an_error(tmp_path):
    path = tmp_path / "spellings.yaml"
    states = (ROOT / "tests" / "data" / "states.yaml").read_text(encoding="utf-8")
    path.write_text(
        states.replace("people: {}", "people:\n  e: {name: E, country: Turkey}"), encoding="utf-8"
    )
    result = run("validate", str(path))
    assert result.returncode == 0
    assert result.stdout.startswith(f"{path}: OK, 4 events")
    assert result.stderr == (
        f"{path}: warning: countries: 'Turkey' (people.e) and 'Türkiye' (event talks-turkiye) "
        "look like one state spelled two ways; expected one spelling: pick 'Turkey' or "
        "'Türkiye' and use it everywhere\n"
    )
