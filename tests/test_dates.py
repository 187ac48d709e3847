import datetime as dt

import numpy as np
import pytest

from timeline.dates import PartialDate, ends_before, lies_before, parse_partial_date, span_label


@pytest.mark.parametrize(
    ("text", "first", "last", "precision", "label"),
    [
        ("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "year", "2022"),
        ("2022-07", dt.date(2022, 7, 1), dt.date(2022, 7, 31), "month", "July 2022"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month", "February 2024"),  # leap
        ("2022-07-19", dt.date(2022, 7, 19), dt.date(2022, 7, 19), "day", "19 July 2022"),
    ],
)
def test_precision_is_kept(text, first, last, precision, label):
    d = parse_partial_date(text)
    assert (d.first, d.last, d.precision, d.label(), d.iso()) == (
        first,
        last,
        precision,
        label,
        text,
    )


@pytest.mark.parametrize(
    "text",
    ["2022-02-30", "2022-13", "22-07-19", "2022/07/19", "July 2022", "", "2022-7-1", "0000"],
)
def test_invalid_dates_name_the_forms(text):
    with pytest.raises(ValueError, match=r"expected YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_partial_date(text)


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2022-07-19", None, "19 July 2022"),
        ("2022-07-19", "2022-07-21", "19–21 July 2022"),
        ("2022-06-29", "2022-07-01", "29 June – 1 July 2022"),
        ("2021-12-30", "2022-01-02", "30 December 2021 – 2 January 2022"),
        ("2022-06", "2022-07", "June 2022 – July 2022"),
    ],
)
def test_span_label(start, end, label):
    end_date = parse_partial_date(end) if end else None
    assert span_label(parse_partial_date(start), end_date) == label


def test_partial_dates_order_by_first_day():
    assert parse_partial_date("2022") < parse_partial_date("2022-01-02")
    assert isinstance(parse_partial_date("2022"), PartialDate)


LABELS = [
    ("2022-07-19", None, "19 July 2022"),
    ("2022-07", None, "July 2022"),
    ("2022", None, "2022"),
    ("0476", None, "476"),  # years are not zero-padded for readers
    ("2022-07-19", "2022-07-21", "19–21 July 2022"),
    ("2022-06-29", "2022-07-01", "29 June – 1 July 2022"),
    ("2021-12-30", "2022-01-02", "30 December 2021 – 2 January 2022"),
    ("2022-06", "2022-07", "June 2022 – July 2022"),
    ("2022-07-19", "2022-07-19", "19 July 2022"),  # an end on the day itself adds nothing
    ("2022", "2023-05-01", "2022 – 1 May 2023"),
    ("0999-12-31", "1000-01-02", "31 December 999 – 2 January 1000"),
    ("2022-07-01", "2022-07", "1 July 2022 – July 2022"),  # precisions differ: both in full
]


@pytest.mark.parametrize(("start", "end", "label"), LABELS)
def test_span_labels_word_each_date_as_precisely_as_it_is_known(start, end, label):
    assert span_label(parse_partial_date(start), parse_partial_date(end) if end else None) == label


def test_frame_labels_are_the_same_words_computed_at_once():
    from timeline.frame import build_frame, to_arrow

    events = [
        {"id": f"e{i}", "title": "t", "date": d, "end": e, "kind": "k", "summary": "s",
         "sources": ["x"]}
        for i, (d, e, _) in enumerate(LABELS)
    ]  # fmt: skip
    frame = build_frame(to_arrow(events)).set_index("id")
    assert [frame.loc[f"e{i}", "date_label"] for i in range(len(LABELS))] == [
        label for _, _, label in LABELS
    ]


@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        ("2022-07-19", "2022-07-18", True),
        ("2022-07-19", "2022-07-19", False),  # the same day
        ("2022-07-19", "2022-07", False),  # its month reaches the start
        ("2022-07-19", "2022-06", True),
        ("2022-07-19", "2022", False),  # its year reaches the start
        ("2022", "2021-12-31", True),
        ("2022", "2022-01-01", False),  # a year starts on its first day
    ],
)
def test_an_end_is_before_its_start_only_when_its_whole_period_is(start, end, before):
    assert ends_before(start, end) is before
    # The same rule on arrays of days, as the fast path applies it to a frame's columns.
    last = np.array([parse_partial_date(end).last], "datetime64[D]")
    first = np.array([parse_partial_date(start).first], "datetime64[D]")
    assert list(lies_before(last, first)) == [before]


def test_ends_before_refuses_what_is_no_date():
    with pytest.raises(ValueError, match="is not a valid date"):
        ends_before("2022", "2022-13")
