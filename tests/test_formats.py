"""The export formats' registry: the command line, its help and the Publish tab iterate over it,
and the tab's file is the command's file for the same view, byte for byte."""

from __future__ import annotations

import datetime as dt
import re

import plotly.io as pio
import pytest
from conftest import ROOT
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from timeline import cli
from timeline.exporters import command, formats
from timeline.exporters.formats import ExportFormat, Job
from timeline.exporters.view import read_view
from timeline.files import load_file
from timeline.page.tabs import publish_tab

DAY = dt.date(2024, 5, 1)
PLACEHOLDER = re.compile(r"#0000[0-4]\d\b")  # Streamlit's theme colours before its front end


def test_every_format_is_one_line_of_the_registry():
    names = formats.names()
    assert len(set(names)) == len(names) == len(formats.FORMATS)
    for fmt in formats.FORMATS:
        assert formats.find(fmt.name) is fmt
        assert fmt.name and fmt.title and fmt.words and fmt.file_name and fmt.mime
    with pytest.raises(KeyError, match="pdf"):
        formats.find("pdf")


def test_the_help_lists_every_format(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    top = " ".join(capsys.readouterr().out.split())
    assert formats.listed([f.words for f in formats.FORMATS]) in top
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "FORMAT " + ", ".join(formats.names()) in text
    for option in formats.options():
        assert option.flag in text


@pytest.mark.parametrize("fmt", formats.FORMATS, ids=formats.names())
def test_the_command_writes_each_format_of_the_registry(
    fmt, tmp_path, capsys, shipped, monkeypatch
):
    monkeypatch.setattr(command, "export_day", lambda: DAY)
    out = tmp_path / fmt.file_name
    code = cli.main(["export", fmt.name, str(ROOT / "events.yaml"), "--query", "lanes=country",
                     "-o", str(out)])  # fmt: skip
    assert code == 0
    view, _ = read_view(shipped, "lanes=country")
    assert out.read_text(encoding="utf-8") == fmt.write(Job(view, cli.figures, DAY, None))
    assert f"wrote 10 of 10 events as {fmt.words} to {out}" in capsys.readouterr().err


@pytest.mark.parametrize(
    "fmt",
    [f for f in formats.FORMATS if formats.format.BASE_URL not in f.options],
    ids=lambda f: f.name,
)
def test_an_option_for_other_formats_is_a_usage_error(fmt, capsys):
    takers = formats.listed([f.name for f in formats.taking(formats.format.BASE_URL)], "and")
    with pytest.raises(SystemExit) as done:
        cli.main(["export", fmt.name, str(ROOT / "events.yaml"), "--base-url", "https://x.org/"])
    assert done.value.code == 2
    assert f"--base-url is for {takers} only, not {fmt.name}" in capsys.readouterr().err


def _upper(job: Job) -> str:
    return "\n".join(job.view.shown["title"].str.upper()) + "\n"


def test_a_new_format_is_a_module_and_a_line(monkeypatch, tmp_path, capsys):
    # As a module would declare it; registered by the one line (here patched in).
    shout = ExportFormat(name="shout", title="Titles", words="shouted titles", noun="list",
                         write=_upper, file_name="t.txt", mime="text/plain", help="Titles",
                         offer="publish")  # fmt: skip
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, shout))
    out = tmp_path / "t.txt"
    assert cli.main(["export", "shout", str(ROOT / "events.yaml"), "-o", str(out)]) == 0
    assert "as shouted titles to" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").splitlines()[0].isupper()
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "or shouted titles" in " ".join(capsys.readouterr().out.split())
    assert shout in [offer.format for offer in publish_tab.offers(
        read_view(load_file(ROOT / "events.yaml"), "")[0], _names())]  # fmt: skip


def _names():
    from timeline.names import Names

    data = load_file(ROOT / "events.yaml")
    return Names(data.people, data.sources)


# --- The Publish tab's file is the command's ----------------------------------------------------


def _tab_files(query: dict[str, str | list[str]], monkeypatch) -> dict[str, tuple[bool, str]]:
    """Run the app at the Publish tab; return each download's label, shut or not, and file."""
    seen: dict[str, tuple[bool, object]] = {}
    real = DeltaGenerator.download_button

    def record(self, label, data, *args, **kwargs):
        seen[label] = (bool(kwargs.get("disabled")), data)
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in {**query, "view": "publish"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return {
        label: (shut, make() if callable(make) else make) for label, (shut, make) in seen.items()
    }


QUERIES = [
    {},  # every event, lanes of leaders
    {"lanes": "country", "from": "2022-07-01"},
    {"leader": ["putin", "erdogan"], "match": "all", "lanes": "tag"},
    {"q": "gas", "lanes": "country", "event": "gazprom-deal-2022"},  # an open event's ring
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_tab_and_the_command_write_the_same_file(query, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(command, "export_day", lambda: DAY)
    tab = _tab_files(query, monkeypatch)
    link = "&".join(f"{k}={v}" for k, values in query.items()
                    for v in (values if isinstance(values, list) else [values]))  # fmt: skip
    # The command runs where Streamlit is not imported: plotly's own default template.
    monkeypatch.setattr(pio.templates, "default", "plotly")
    offered = formats.offered("publish")
    assert {f.title for f in offered} <= set(tab)
    for fmt in offered:
        out = tmp_path / fmt.file_name
        code = cli.main(["export", fmt.name, str(ROOT / "events.yaml"), "--query", link,
                         "--base-url", publish_tab.FALLBACK_URL, "-o", str(out)])  # fmt: skip
        assert code == 0, capsys.readouterr().err
        shut, text = tab[fmt.title]
        assert not shut
        assert text == out.read_text(encoding="utf-8"), fmt.name
        assert not PLACEHOLDER.search(text)


@pytest.mark.parametrize(
    ("query", "bound", "shut"),
    [
        ("", None, set()),
        ("q=nothing-matches-this", None, {"timelinejs"}),  # TimelineJS needs a slide
        ("", 1, {"timelinejs", "html"}),  # past the export bound: neither is written
    ],
)
def test_the_tab_shuts_what_a_view_cannot_hold(query, bound, shut, shipped, monkeypatch):
    if bound is not None:
        monkeypatch.setattr(publish_tab, "MAX_EXPORT_BYTES", bound)
    view, _ = read_view(shipped, query)
    found = publish_tab.offers(view, _names())
    assert [o.format for o in found] == list(formats.offered("publish"))
    assert {o.format.name for o in found if o.disabled} == shut
