"""Repeated codings folded into one event (timeline/eventdata/fold.py), shared by the importers."""

import pytest

from timeline.eventdata import fold as folding
from timeline.eventdata.fold import Coded, Folder, Group, fold


def coded(day="2018-04-03", a="IRN", b="RUS", code="040", story=None, publisher=None, **more):
    data = more.pop("data", f"{day} {a} {b} {code} {story}")
    return Coded(day, (a, b), code, data, story=story, publisher=publisher, **more)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # (first row's data, rows, stories) of each group, in the order first seen
        ([], []),
        ([coded(story="1")], [("2018-04-03 IRN RUS 040 1", 1, 1)]),
        (
            [coded(story="1"), coded(story="2"), coded(story="2"), coded(story="3")],
            [("2018-04-03 IRN RUS 040 1", 4, 3)],
        ),
        # Another day, code or direction is another interaction.
        (
            [coded(story="1"), coded(day="2018-04-04", story="1"), coded(code="042", story="1"),
             coded(a="RUS", b="IRN", story="1"), coded(story="5")],
            [("2018-04-03 IRN RUS 040 1", 2, 2), ("2018-04-04 IRN RUS 040 1", 1, 1),
             ("2018-04-03 IRN RUS 042 1", 1, 1), ("2018-04-03 RUS IRN 040 1", 1, 1)],
        ),
        # Rows without a story each count as one.
        ([coded(), coded(), coded(story="1")], [("2018-04-03 IRN RUS 040 None", 3, 3)]),
    ],
)  # fmt: skip
def test_rows_fold_by_day_sides_and_code_in_first_seen_order(rows, expected):
    groups = fold(rows)
    assert [(g.first.data, g.rows, g.stories) for g in groups] == expected


def test_folding_off_keeps_every_row():
    rows = [coded(story="1"), coded(story="2"), coded(story="1")]
    assert [g.rows for g in fold(rows, enabled=False)] == [1, 1, 1]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_row_joins_the_group_it_is_given_and_its_key_follows(enabled):
    folder: Folder[str] = Folder(enabled)
    visit = folder.add(coded(a="RUS", b="TUR", code="042", story="1"))
    folder.add(coded(a="TUR", b="RUS", code="043", story="1"), into=visit)  # the other side
    later = folder.add(coded(a="TUR", b="RUS", code="043", story="2"))
    assert (len(folder), visit.rows, folder.folded) == ((1, 3, 2) if enabled else (2, 2, 1))
    assert (later is visit) is enabled


@pytest.mark.parametrize(
    ("rows", "unit", "told"),
    [
        ([coded(story="1", publisher="Reuters")], "story", None),  # one row: nothing to say
        (
            [coded(story="1", publisher="Reuters"), coded(story="2", publisher="Reuters"),
             coded(story="3", publisher="BBC Monitoring")],
            "story",
            "Coded 3 times on this day from 3 stories; publishers: Reuters (2), BBC Monitoring (1).",
        ),
        (
            [coded(story="1"), coded(story="1")],
            "story",
            "Coded 2 times on this day from 1 story.",
        ),
        (
            [coded(story=f"s{i}", publisher=f"P{i % 7}") for i in range(14)],
            "article",
            "Coded 14 times on this day from 14 articles; publishers: P0 (2), P1 (2), P2 (2), "
            "P3 (2), P4 (2) and 4 more.",
        ),
    ],
)  # fmt: skip
def test_a_group_says_what_was_folded_in(rows, unit, told):
    assert fold(rows)[0].told(unit) == told


def test_reports_add_up():
    group = fold([coded(story="a", reports=4), coded(story="b", reports=2), coded(reports=-1)])[0]
    assert (group.rows, group.reports) == (3, 6)  # a negative count is no report


def test_a_group_stays_bounded_however_many_rows_it_folds(monkeypatch):
    monkeypatch.setattr(folding, "MAX_STORIES", 10)
    monkeypatch.setattr(folding, "MAX_PUBLISHERS", 3)
    group: Group[str] = fold(
        coded(story=f"s{i % 50}", publisher=f"P{i % 9}", data=str(i)) for i in range(2_000)
    )[0]
    assert group.rows == 2_000 and group.first.data == "0"
    assert [r.data for r in group.examples] == ["0", "1", "2", "3", "4"]
    assert (
        len(group.publishers) == 3
        and sum(group.publishers.values()) + group.other_publishers == 2_000
    )
    # Ten stories told apart; beyond, each row counts as a story: never fewer than there were.
    assert len(group._stories) == 10 and group.stories == 10 + (2_000 - 10 * 40)
    assert group.stories >= 50
