"""`validate` names the span of a file's dates as precisely as the file gives them."""

import pytest
from conftest import VALID, edit

from timeline.cli import main

# VALID's line 10 is the one event's date; extra events follow the first.
EXTRA = """\
  - id: second
    title: Second
    date: "{date}"{end}
    kind: meeting
    leaders: [putin]
    summary: S.
    sources: [art]
"""


def _file(tmp_path, first: str, second: str | None = None, end: str | None = None):
    text = edit(VALID, 10, f'    date: "{first}"')
    if second is not None:
        text += EXTRA.format(date=second, end=f'\n    end: "{end}"' if end else "")
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("first", "second", "end", "span"),
    [
        ("1985", None, None, "1985 to 1985"),  # was "January 1985 to December 1985"
        ("1985", "1986-03", None, "1985 to March 1986"),
        ("1984-06", "1984-07", "1985", "June 1984 to 1985"),  # ends with a year-only end
        ("1985-12-31", None, None, "December 1985 to December 1985"),
        # Two events cover the same last day: the more precise date of them names it.
        ("1985", "1985-12-31", None, "1985 to December 1985"),
        ("1985-12", "1985", None, "1985 to December 1985"),
        ("0001", None, None, "1 to 1"),  # the first year a date can hold
        ("2022-07-19", "2022-07-21", "2022-08-02", "July 2022 to August 2022"),
    ],
)
def test_validate_names_a_year_as_a_year(tmp_path, capsys, first, second, end, span):
    path = _file(tmp_path, first, second, end)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.strip()
    events = "1 event" if second is None else "2 events"
    assert out == f"{path}: OK, {events}, 2 people, 1 source, {span}"
