"""Translations in the data file: the format on both ways in, and the page, the static page
and the TimelineJS slide in the reader's language, each text marked with its own.

The translations here are test data (tests/data/translations*.yaml), written for the tests
and cited to an invented source: the shipped events.yaml has none, since none has a source.
"""

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import VALID, edit
from handwritten import padded

from timeline import DataError, figures, record
from timeline.card import event_card, heading, lang_attributes, pick, translated
from timeline.exporters import timelinejs as tjs
from timeline.exporters.html import static_page
from timeline.exporters.view import View
from timeline.fastpath import read_fast, ryml
from timeline.files import read_entry, write_entry
from timeline.i18n import translator
from timeline.loader import FAST_PATH_MIN_BYTES, parse_carefully, parse_events
from timeline.schema import is_language
from timeline.state import FilterState
from timeline.text import clean
from timeline.views import details_html

DATA = Path(__file__).parent / "data"
TEXT = (DATA / "translations.yaml").read_text(encoding="utf-8")
HOSTILE = (DATA / "translations_hostile.yaml").read_text(encoding="utf-8")
TEHRAN, SOCHI = "tehran-2022", "sochi-2022"


@pytest.fixture(scope="module")
def data():
    return parse_events(TEXT, "translations.yaml")


def _row(data, event_id: str) -> dict:
    return data.events.set_index("id", drop=False).loc[event_id].to_dict()


# --- the format, on both ways in -------------------------------------------------------

_T = "    sources: [art]\n    translations:\n"
# (why, the file, the located message's end; None: valid)
FILES = [
    ("one translation", edit(VALID, 17, _T + "      - {lang: fa, title: نخست, source: art}"), None),
    ("a regional code", edit(VALID, 17, _T + "      - {lang: fa-AF, title: T, source: art}"), None),
    ("a script", edit(VALID, 17, _T + "      - {lang: zh-Hant, title: T, source: art}"), None),
    ("every part", edit(VALID, 17, _T + "      - {lang: ru, title: T, summary: S, note: N, "
                                       "source: art}"), None),
    ("the file's lang", edit(VALID, 1, "title: Test\nlang: ru"), None),
    ("the file's heading", VALID + "lang: en\ntranslations:\n  - {lang: tr, title: Deneme, "
                                   "description: Bir dosya, source: art}\n", None),
    ("unknown code", edit(VALID, 17, _T + "      - {lang: xx, title: T, source: art}"),
     r"events\[0\]\.translations\[0\]\.lang: 'xx' is not a language code Babel knows "
     r"\(expected a BCP 47 code in its usual case, such as fa, ru, tr, ar, en, pt-BR"),
    ("wrong case", edit(VALID, 17, _T + "      - {lang: fa-ir, title: T, source: art}"),
     r"translations\[0\]\.lang: 'fa-ir' is not a language code Babel knows"),
    ("a name, not a code", edit(VALID, 17, _T + "      - {lang: Persian, title: T, source: art}"),
     r"translations\[0\]\.lang: 'Persian' is not a language code"),
    ("an unknown region", edit(VALID, 17, _T + "      - {lang: en-ZZ, title: T, source: art}"),
     r"'en-ZZ' is not a language code Babel knows"),
    ("undetermined", edit(VALID, 17, _T + "      - {lang: und, title: T, source: art}"),
     r"'und' is not a language code Babel knows"),
    ("the file's own code", edit(VALID, 1, "title: Test\nlang: english"),
     r"lang: 'english' is not a language code Babel knows"),
    ("unknown source", edit(VALID, 17, _T + "      - {lang: fa, title: T, source: tas}"),
     r"events\[0\]\.translations\[0\]\.source: unknown source 'tas' \(known: art\)"),
    ("no source", edit(VALID, 17, _T + "      - {lang: fa, title: T}"),
     r"events\[0\]\.translations\[0\]: missing required field 'source' \(fields are: lang, "
     r"title, summary, note, source\)"),
    ("no title", edit(VALID, 17, _T + "      - {lang: fa, summary: S, source: art}"),
     r"events\[0\]\.translations\[0\]: missing required field 'title' \(fields are: lang, "
     r"title, summary, note, source\)"),
    ("a blank title", edit(VALID, 17, _T + "      - {lang: fa, title: ' ', source: art}"),
     r"events\[0\]\.translations\[0\]\.title: must not be empty"),
    ("a quote translated", edit(VALID, 17, _T + "      - {lang: fa, title: T, quotes: [], "
                                                "source: art}"),
     r"events\[0\]\.translations\[0\]\.quotes: unknown field 'quotes' \(did you mean 'note'\? "
     r"expected one of: lang, title, summary, note, source\)"),
    ("a mapping, not a list", edit(VALID, 17, "    sources: [art]\n    translations: {fa: T}"),
     r"events\[0\]\.translations: .*list"),
    ("twice", edit(VALID, 17, _T + "      - {lang: fa, title: A, source: art}\n"
                                   "      - {lang: fa, title: B, source: art}"),
     r"translations\[1\]\.lang: 'fa' is translated twice \(already in "
     r"events\[0\]\.translations\[0\]; expected one translation per language\)"),
    ("into the file's own", edit(VALID, 1, "title: Test\nlang: fa").replace(
        "    sources: [art]\n", _T + "      - {lang: fa, title: T, source: art}\n"),
     r"events\[0\]\.translations\[0\]\.lang: 'fa' is the file's own language \(lang: fa; "
     r"expected a translation into another language\)"),
    ("the heading twice", VALID + "translations:\n  - {lang: tr, title: A, source: art}\n"
                                  "  - {lang: tr, title: B, source: art}\n",
     r"^translations\[1\]\.lang: 'tr' is translated twice"),
    ("the heading's source", VALID + "translations: [{lang: tr, title: A, source: nope}]\n",
     r"^translations\[0\]\.source: unknown source 'nope' \(known: art\)"),
    ("the heading's fields", VALID + "translations: [{lang: tr, source: art, x: 1}]\n",
     r"^translations\[0\]: missing required field 'title' \(fields are: lang, title, "
     r"description, source\)\ntranslations\[0\]\.x: unknown field 'x'"),
    ("the heading's code", VALID + "translations: [{lang: TR, title: A, source: art}]\n",
     r"^translations\[0\]\.lang: 'TR' is not a language code Babel knows"),
    ("the heading into its own", VALID + "lang: tr\ntranslations: [{lang: tr, title: A, "
                                         "source: art}]\n",
     r"^translations\[0\]\.lang: 'tr' is the file's own language"),
]  # fmt: skip


def _message(err: DataError) -> str:
    return "\n".join(line.split(": ", 1)[1] for line in err.lines())


@pytest.mark.parametrize(("why", "text", "message"), FILES, ids=[f[0] for f in FILES])
def test_a_file_with_translations_reads_alike_on_both_paths(why, text, message):
    big = padded(text, FAST_PATH_MIN_BYTES)
    if message is None:
        small, large = parse_carefully(text), parse_events(big)
        assert (large.lang, large.translations) == (small.lang, small.translations)
        pd.testing.assert_frame_equal(large.events, small.events)
        if ryml is not None:
            assert not isinstance(read_fast(big), str), read_fast(big)
        return
    with pytest.raises(DataError) as small:
        parse_carefully(text)
    assert re.search(message, _message(small.value), re.M), _message(small.value)
    with pytest.raises(DataError) as large:
        parse_events(big)
    assert _message(large.value) == _message(small.value)
    if ryml is not None:
        assert isinstance(read_fast(big), str)  # the fast path declines; the careful one says


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (edit(VALID, 17, _T + "      - {lang: fa, title: T, source: tas}"), (19, 38)),
        (VALID + "translations:\n  - {lang: tr, title: A, source: nope}\n", (19, 34)),
        (edit(VALID, 17, _T + "      - {lang: fa, title: A, source: art}\n"
                              "      - {lang: fa, title: B, source: art}"), (20, 16)),
    ],
)  # fmt: skip
def test_a_broken_translation_is_located_at_its_value(text, where):
    line, column = where
    with pytest.raises(DataError) as small:
        parse_carefully(text)
    assert small.value.lines()[0].startswith(f"events.yaml:{line}:{column}: ")
    big = padded(text, FAST_PATH_MIN_BYTES)  # comment lines before the same text
    with pytest.raises(DataError) as large:
        parse_events(big, "events.yaml")
    moved = big.count("\n") - text.count("\n")
    assert large.value.lines()[0].startswith(f"events.yaml:{line + moved}:{column}: ")


@pytest.mark.parametrize(
    ("code", "known"),
    [("fa", True), ("fa-IR", True), ("pt-BR", True), ("zh-Hant", True), ("sr-Latn-RS", True),
     ("ar-001", True), ("ckb", True), ("xx", False), ("fa-ir", False), ("FA", False),
     ("en-ZZ", False), ("und", False), ("fa_IR", False), ("", False), ("f", False),
     ('fa" onload="x', False), (None, False)],
)  # fmt: skip
def test_a_language_code_is_one_babel_knows_as_bcp47_writes_it(code, known):
    assert is_language(code) is known
    assert (lang_attributes(code) != "") is known


def test_the_test_file_loads_with_its_translations(data):
    assert data.lang == "en"
    assert [(t.lang, t.title, t.source) for t in data.translations] == [
        ("fa", "دیدار همسایگان", "test-translation")
    ]
    tehran = _row(data, TEHRAN)["translations"]
    assert [t["lang"] for t in tehran] == ["fa", "ru"]


def test_the_disk_cache_keeps_the_translations(data, tmp_path):
    with open(tmp_path / "entry.arrow", "wb") as out:
        write_entry(data, out)
    back = read_entry(tmp_path / "entry.arrow")
    assert (back.lang, back.translations) == (data.lang, data.translations)
    assert _row(back, TEHRAN)["translations"] == _row(data, TEHRAN)["translations"]


def test_the_event_store_keeps_the_events_translations(data, tmp_path):
    from timeline.store import io as store_io
    from timeline.store.write import tables_of

    store_io.write_store(tmp_path / "s", tables_of(data))
    back = store_io.read_store(tmp_path / "s")
    assert _row(back, TEHRAN)["translations"] == _row(data, TEHRAN)["translations"]
    assert _row(back, SOCHI)["translations"] == _row(data, SOCHI)["translations"] == []


def test_search_finds_the_original_and_the_translation(data):
    texts = dict(zip(data.events["id"], record.search_text(data.events).to_pylist(), strict=True))
    for words in ("Putin in Tehran", "پوتین در تهران", "Путин в Тегеране", "They met in Tehran"):
        assert words in texts[TEHRAN]
    assert "پوتین" not in texts[SOCHI]


@pytest.mark.parametrize(
    ("q", "found"),
    [("پوتین", [TEHRAN]), ("Путин", [TEHRAN]), ("putin in", [TEHRAN]), ("Sochi", [SOCHI]),
     ("دیدار", [TEHRAN]), ("Test translation", [])],  # a translation's source is no words of it
)  # fmt: skip
def test_the_pages_search_finds_an_event_by_its_translations(data, q, found):
    shown = View.of(data, dataclasses.replace(FilterState(), q=q)).shown
    assert list(shown["id"]) == found


# --- which translation a reader gets ------------------------------------------------------


@pytest.mark.parametrize(
    ("langs", "reader", "chosen"),
    [
        (["fa", "ru"], "fa", "fa"),
        (["ru", "fa"], "fa", "fa"),
        (["fa-AF", "fa"], "fa", "fa"),  # the reader's own code first
        (["fa-AF", "fa-IR"], "fa", "fa-AF"),  # else the first regional one
        (["far"], "fa", None),  # a code that begins alike is another language
        (["ru"], "fa", None),
        ([], "fa", None),
        (["fa"], "en", None),
    ],
)
def test_the_reader_gets_their_language_else_a_regional_one(langs, reader, chosen):
    found = pick([{"lang": code, "title": code} for code in langs], reader)
    assert (found["lang"] if found else None) == chosen


# (reader, event, what the card's title, summary and note are and their languages)
CARDS = [
    ("fa", TEHRAN, ("پوتین در تهران", "fa"), ("آنها در تهران دیدار کردند.", "fa"),
     ("The date is the day of arrival.", "en"), ("title", "summary")),
    ("ru", TEHRAN, ("Путин в Тегеране", "ru"), ("They met in Tehran.", "en"),
     ("The date is the day of arrival.", "en"), ("title",)),
    ("tr", TEHRAN, ("Putin in Tehran", "en"), ("They met in Tehran.", "en"),
     ("The date is the day of arrival.", "en"), None),
    ("en", TEHRAN, ("Putin in Tehran", "en"), ("They met in Tehran.", "en"),
     ("The date is the day of arrival.", "en"), None),
    ("fa", SOCHI, ("Meeting in Sochi", "en"), ("A meeting in Sochi.", "en"), (None, "en"), None),
]  # fmt: skip


@pytest.mark.parametrize(("reader", "event", "title", "summary", "note", "given"), CARDS)
def test_the_card_gives_the_readers_language_where_the_file_has_it(
    data, reader, event, title, summary, note, given
):
    card = event_card(_row(data, event), data, lang=reader)
    assert (card.title, card.lang_of("title")) == title
    assert (card.summary, card.lang_of("summary")) == summary
    assert (card.note, card.lang_of("note")) == note
    assert (card.translation.fields if card.translation else None) == given
    # Quotes are never translated.
    assert [q.text for q in card.quotes] == (["We are good neighbours."] if event == TEHRAN else [])


# (reader, what the details hold, what they do not)
DETAILS = [
    ("fa", ['<h3 lang="fa" dir="auto" style=\'margin:0 0 .25rem 0\'>پوتین در تهران</h3>',
            '<p lang="fa" dir="auto" style=\'white-space:pre-line\'>آنها در تهران دیدار کردند.</p>',
            # The parts listed as Persian lists them, the source's date in Persian.
            "<p><b>ترجمه:</b> عنوان و خلاصه · <a href=\"https://example.org/test-translation\" "
            'target="_blank" rel="noopener noreferrer">Test translation</a>، The test suite، '
            "دسامبر ۲۰۲۶</p>",
            '<span lang="en" dir="auto">The date is the day of arrival.</span>',
            # The quote is never translated: the original, marked with the file's language.
            '<div lang="en" dir="auto"><blockquote style=\'margin:.5rem 0;padding-left:.75rem;'
            "border-left:3px solid rgba(128,128,128,.5)'>“We are good neighbours.”"],
     ["Putin in Tehran", "They met in Tehran."]),
    ("ru", ['<h3 lang="ru" dir="auto" style=\'margin:0 0 .25rem 0\'>Путин в Тегеране</h3>',
            '<p lang="en" dir="auto" style=\'white-space:pre-line\'>They met in Tehran.</p>',
            "<p><b>Перевод:</b> заголовок · "],
     ["پوتین"]),
    ("en", ['<h3 lang="en" dir="auto" style=\'margin:0 0 .25rem 0\'>Putin in Tehran</h3>'],
     ["پوتین", "Путин", "Translation"]),
]  # fmt: skip


@pytest.mark.parametrize(("reader", "present", "absent"), DETAILS, ids=[d[0] for d in DETAILS])
def test_the_details_mark_each_text_with_its_language(data, reader, present, absent):
    html = details_html(_row(data, TEHRAN), data, t=translator(reader))
    for part in present:
        assert part in html
    for part in absent:
        assert part not in html


def test_an_event_without_a_translation_shows_the_original_marked_english(data):
    html = details_html(_row(data, SOCHI), data, t=translator("fa"))
    assert '<h3 lang="en" dir="auto" style=\'margin:0 0 .25rem 0\'>Meeting in Sochi</h3>' in html
    assert "ترجمه" not in html  # no line about a translation


def test_a_file_that_says_not_its_language_marks_nothing():
    plain = parse_events(TEXT.replace("lang: en\n", "", 1))
    html = details_html(_row(plain, SOCHI), plain, t=translator("fa"))
    assert "<h3 style='margin:0 0 .25rem 0'>Meeting in Sochi</h3>" in html
    assert 'lang="' not in html


@pytest.mark.parametrize(
    ("reader", "title", "description", "langs", "source"),
    [
        ("fa", "دیدار همسایگان", "پرونده\u200cای آزمایشی از دو دیدار.", ("fa", "fa"),
         "test-translation"),
        ("ru", "Neighbours meet", "A test file of two meetings.", ("en", "en"), None),
        ("en", "Neighbours meet", "A test file of two meetings.", ("en", "en"), None),
    ],
)  # fmt: skip
def test_the_heading_in_the_readers_language(data, reader, title, description, langs, source):
    shown = heading(data, reader)
    assert (shown.title, shown.description) == (title, description)
    assert (shown.title_lang, shown.description_lang) == langs
    assert (shown.source.id if shown.source else None) == source


def test_persian_keeps_its_zero_width_non_joiner():
    # "پرونده‌ای" is written with U+200C; without it the letters join and the word is wrong.
    assert clean("پرونده\u200cای") == "پرونده\u200cای"
    assert clean("a\u200bb\u200ec\u202ed") == "abcd"  # the space and direction marks still go


def _static(data, reader: str) -> str:
    state = dataclasses.replace(FilterState(), lang=reader)
    return static_page(View.of(data, state), figures, exported=dt.date(2024, 1, 1))


def test_the_static_page_in_persian_uses_the_translations(data):
    page = _static(data, "fa")
    assert '<h1 lang="fa" dir="auto">دیدار همسایگان</h1>' in page
    assert "<title>دیدار همسایگان</title>" in page
    assert (  # the heading says it is a translation, and whose
        "<p class='muted'>ترجمه: <a href=\"https://example.org/test-translation\" "
        'rel="noopener noreferrer">Test translation</a></p>'
    ) in page
    article = re.search(r'<article id="event-tehran-2022">.*?</article>', page, re.S)
    assert article is not None
    assert '<h3 lang="fa" dir="auto" style=\'margin:0 0 .25rem 0\'>پوتین در تهران</h3>' in (
        article.group(0)
    )
    english = _static(data, "en")
    assert '<h1 lang="en" dir="auto">Neighbours meet</h1>' in english and "پوتین" not in english


def test_the_timelinejs_slides_in_persian_use_the_translations(data):
    state = dataclasses.replace(FilterState(), lang="fa")
    out = tjs.timelinejs(View.of(data, state))
    assert out["title"]["text"]["headline"] == '<span lang="fa" dir="auto">دیدار همسایگان</span>'
    slide = next(e for e in out["events"] if e["unique_id"] == TEHRAN)
    assert slide["text"]["headline"] == '<span lang="fa" dir="auto">پوتین در تهران</span>'
    assert slide["text"]["text"].startswith(
        '<div lang="fa" dir="auto"><p>آنها در تهران دیدار کردند.</p></div><p><b>ترجمه:</b>'
    )


def test_the_chart_frame_takes_the_readers_titles(data):
    frame = translated(data.events, "fa").set_index("id")
    assert frame.loc[TEHRAN, "title"] == "پوتین در تهران"
    assert frame.loc[SOCHI, "title"] == "Meeting in Sochi"
    assert frame.loc[TEHRAN, "note"] == "The date is the day of arrival."  # not translated
    assert translated(data.events, "tr") is data.events  # no translation: the frame itself


# --- hostile text in a translation --------------------------------------------------------


@pytest.fixture(scope="module")
def hostile():
    return parse_events(HOSTILE, "translations_hostile.yaml")


def test_a_hostile_translation_is_escaped_in_the_details(hostile):
    html = details_html(hostile.events.iloc[0].to_dict(), hostile, t=translator("fa"))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the source's title, escaped


def test_a_hostile_translation_is_escaped_in_the_exports(hostile):
    page = _static(hostile, "fa")
    assert "<script>alert(" not in page and "onerror=alert(1)>" not in page
    slide = tjs.timelinejs(View.of(hostile, dataclasses.replace(FilterState(), lang="fa")))
    text = slide["events"][0]["text"]
    assert "<script" not in text["headline"] + text["text"]
    assert "&lt;script&gt;" in text["headline"]
    assert "&lt;b&gt;heading&lt;/b&gt;" in slide["title"]["text"]["headline"]


def test_the_hostile_heading_is_escaped(hostile):
    shown = heading(hostile, "fa")
    assert shown.title == "<b>heading</b>"  # the card holds text; each serialiser escapes it
    page = _static(hostile, "fa")
    assert '<h1 lang="fa" dir="auto">&lt;b&gt;heading&lt;/b&gt;</h1>' in page


def test_the_importers_writer_keeps_the_translations(data):
    import types

    import yaml

    from timeline.importers.yamlout import render
    from timeline.schema import TimelineFile

    file = TimelineFile.model_validate(yaml.safe_load(TEXT))
    imported = types.SimpleNamespace(file=file, source_comment=None)
    again = parse_carefully(render(imported, "x.csv", "CSV", dt.date(2024, 1, 1)))
    assert (again.lang, again.translations) == (data.lang, data.translations)
    assert _row(again, TEHRAN)["translations"] == _row(data, TEHRAN)["translations"]


# --- search and Persian's zero-width non-joiner ---------------------------------------------

# Two events, one Persian title written with U+200C ("همکاری‌ها", as Persian writes it),
# one without any: a reader may type the word with the non-joiner, without it, or with a
# joiner or a direction mark pasted in.
ZWNJ_FILE = (
    VALID
    + """\
  - id: military
    title: Military cooperation
    date: "2022-08-01"
    kind: meeting
    summary: Talks.
    sources: [art]
    translations:
      - {lang: fa, title: "همکاری\u200cهای نظامی", source: art}
  - id: economy
    title: Economic cooperation
    date: "2022-09-01"
    kind: meeting
    summary: Talks.
    sources: [art]
    translations:
      - {lang: fa, title: همکاری اقتصادی, source: art}
"""
)


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("همکاری\u200cها", ["military"]),  # as written
        ("همکاریها", ["military"]),  # typed without the non-joiner
        ("همکاری\u200dها", ["military"]),  # a zero-width joiner in its place
        ("\u200fهمکاریهای\u200e", ["military"]),  # direction marks pasted around it
        ("همکاری", ["military", "economy"]),
        ("همکاری‌ای", []),  # another word
    ],
)
def test_search_ignores_the_non_joiner_on_the_page_and_in_the_store(tmp_path, q, found):
    from timeline.store import io as store_io
    from timeline.store import query as store_query
    from timeline.store.engine import connect
    from timeline.store.write import tables_of

    data = parse_events(ZWNJ_FILE, "zwnj.yaml")
    shown = View.of(data, dataclasses.replace(FilterState(), q=q)).shown
    assert list(shown["id"]) == found
    store_io.write_store(tmp_path / "s", tables_of(data))
    bound = store_query.on_files(connect("duckdb"), store_io.table_paths(tmp_path / "s"))
    count, first = store_query.search(bound, q, 10)
    assert (count, list(first["id"])) == (len(found), found)


# --- the translated titles wherever a title shows ------------------------------------------

FA_TITLE, RU_TITLE = "پوتین در تهران", "Путин в Тегеране"
STORIED = (  # the test file's stories and one more, told in another order
    TEXT
    + """\
  - id: both
    title: Both meetings
    steps:
      - {event: sochi-2022}
      - {event: tehran-2022}
"""
)


@pytest.mark.parametrize(
    ("reader", "titles"),
    [
        ("fa", [FA_TITLE, "Meeting in Sochi"]),
        ("ru", [RU_TITLE, "Meeting in Sochi"]),
        ("en", ["Putin in Tehran", "Meeting in Sochi"]),
        ("tr", ["Putin in Tehran", "Meeting in Sochi"]),  # no Turkish translation
    ],
)
def test_the_table_shows_the_readers_titles(data, reader, titles):
    from timeline.views import table_frame

    table = table_frame(data.events, data.people, translator(reader))
    assert list(table.iloc[:, 2]) == titles  # the title column, named in the language


@pytest.mark.parametrize(
    ("reader", "story", "told"),
    [
        ("fa", None, [("دیدار همسایگان", "fa"), (FA_TITLE, "fa"), ("Meeting in Sochi", "en")]),
        ("ru", None, [("Neighbours meet", "en"), (RU_TITLE, "ru"), ("Meeting in Sochi", "en")]),
        ("tr", None, [("Neighbours meet", "en"), ("Putin in Tehran", "en"),
                      ("Meeting in Sochi", "en")]),
        (None, None, [("Neighbours meet", None), ("Putin in Tehran", None),
                      ("Meeting in Sochi", None)]),  # no reader asked: the file's own
        # An authored story's title not translated: in the file's own language, marked so.
        ("fa", "both", [("Both meetings", "en"), ("Meeting in Sochi", "en"), (FA_TITLE, "fa")]),
    ],
)  # fmt: skip
def test_the_storys_headlines_are_the_readers(reader, story, told):
    from timeline.story import steps

    storied = parse_events(STORIED, "storied.yaml")
    got = steps(storied.events, storied, story, reader)
    assert [(s.headline, s.headline_lang) for s in got] == told


@pytest.mark.parametrize(
    ("reader", "present"),
    [
        ("fa", ['<h3 lang="fa" dir="auto"><a href="#event-tehran-2022">پوتین در تهران</a></h3>',
                '<h3 lang="en" dir="auto"><a href="#event-sochi-2022">Meeting in Sochi</a></h3>',
                f"\u2068{FA_TITLE}\u2069"]),  # the previous and next links name it too
        ("en", ['<h3 lang="en" dir="auto"><a href="#event-tehran-2022">Putin in Tehran</a></h3>',
                "Previous: Meeting in Sochi"]),
    ],
)  # fmt: skip
def test_the_static_pages_story_gives_the_readers_headlines(reader, present):
    storied = parse_events(STORIED, "storied.yaml")
    state = dataclasses.replace(FilterState(), lang=reader, story="both")
    page = static_page(View.of(storied, state), figures, exported=dt.date(2024, 1, 1))
    story = page[page.index('<section id="story"') :]
    story = story[: story.index("</section>\n")]
    for words in present:
        assert words in story
    assert ("Putin in Tehran" in story) is (reader == "en")


def _page(tmp_path, monkeypatch, lang: str, **query: str):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "t.yaml"
    path.write_text(STORIED, encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("lang", "choices"),
    [
        ("fa", ["۱۹ ژوئیه ۲۰۲۲ · \u2068پوتین در تهران\u2069",
                "۵ اوت ۲۰۲۲ · \u2068Meeting in Sochi\u2069"]),
        ("ru", [f"19 июля 2022\u202fг. · {RU_TITLE}", "5 августа 2022\u202fг. · Meeting in Sochi"]),
        ("en", ["19 July 2022 · Putin in Tehran", "5 August 2022 · Meeting in Sochi"]),
    ],
)  # fmt: skip
def test_the_pages_event_list_and_table_give_the_readers_titles(tmp_path, monkeypatch, lang,
                                                                 choices):  # fmt: skip
    at = _page(tmp_path, monkeypatch, lang, view="table")
    assert at.selectbox(key="event").options == choices
    assert list(at.dataframe[0].value.iloc[:, 2]) == [c.split(" · ")[1].strip("\u2068\u2069")
                                                      for c in choices]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "event", "said", "heading"),
    [
        ("fa", "tehran-2022", "۲ از ۳: پوتین در تهران", None),
        ("fa", None, "۱ از ۳: دیدار همسایگان",
         "<h3 lang=\"fa\" dir=\"auto\" style='margin:0 0 .25rem 0'>دیدار همسایگان</h3>"),
        ("ru", "tehran-2022", f"2 из 3: {RU_TITLE}", None),
        ("en", "tehran-2022", "2 of 3: Putin in Tehran", None),
    ],
)  # fmt: skip
def test_the_story_tab_gives_the_readers_headlines(tmp_path, monkeypatch, lang, event, said,
                                                   heading):  # fmt: skip
    at = _page(tmp_path, monkeypatch, lang, view="story", **({"event": event} if event else {}))
    html = "\n".join(h.proto.body for h in at.get("html"))
    assert f"data-story-announce='{said}'" in html
    if heading:
        assert heading in html


# --- an authored story's own translations -------------------------------------------------

FA_STORY, FA_INTRO, FA_FIRST = "دو دیدار", "دو دیدار، به ترتیب.", "نخست، تهران."


@pytest.mark.parametrize(
    ("reader", "told"),
    [  # (headline, its lang, narration, its lang) of the title step and each event's step
        ("fa", [(FA_STORY, "fa", FA_INTRO, "fa"), (FA_TITLE, "fa", FA_FIRST, "fa"),
                ("Meeting in Sochi", "en", "Then, Sochi.", "en")]),  # no translated narration
        ("ru", [("Две встречи", "ru", "The two meetings, in order.", "en"),  # title only
                (RU_TITLE, "ru", "First, Tehran.", "en"),
                ("Meeting in Sochi", "en", "Then, Sochi.", "en")]),
        ("tr", [("Two meetings", "en", "The two meetings, in order.", "en"),
                ("Putin in Tehran", "en", "First, Tehran.", "en"),
                ("Meeting in Sochi", "en", "Then, Sochi.", "en")]),
        (None, [("Two meetings", None, "The two meetings, in order.", None),
                ("Putin in Tehran", None, "First, Tehran.", None),
                ("Meeting in Sochi", None, "Then, Sochi.", None)]),  # no reader: as written
    ],
)  # fmt: skip
def test_an_authored_story_is_told_in_the_readers_language(data, reader, told):
    from timeline.story import steps

    got = steps(data.events, data, "neighbours", reader)
    assert [(s.headline, s.headline_lang, s.narration, s.narration_lang) for s in got] == told


def test_a_storys_translations_read_alike_on_both_paths(data):
    storied = edit(VALID, 1, "title: Test\nlang: en") + (
        "stories:\n  - {id: one, title: One, steps: [{event: first, narration: N}], "
        "translations: [{lang: fa, title: یک, source: art, steps: [{event: first, narration: "
        "ن}]}, {lang: ru, title: Одна, description: Д, source: art}]}\n"
    )
    large = padded(storied, FAST_PATH_MIN_BYTES)
    fast = read_fast(large)
    assert not isinstance(fast, str), fast  # the fast path takes the file
    assert fast.stories == parse_carefully(large).stories
    (story,) = fast.stories
    assert [(t.lang, t.title, t.description) for t in story.translations] == [
        ("fa", "یک", None), ("ru", "Одна", "Д")
    ]  # fmt: skip
    assert [(s.event, s.narration) for s in story.translations[0].steps] == [("first", "ن")]
    assert [t.lang for t in data.stories[0].translations] == ["fa", "ru"]  # the test file's


def test_the_static_pages_story_in_the_readers_language(data):
    state = dataclasses.replace(FilterState(), lang="fa", story="neighbours")
    page = static_page(View.of(data, state), figures, exported=dt.date(2024, 1, 1))
    story = page[page.index('<section id="story"') :]
    story = story[: story.index("</section>\n")]
    assert f'<span lang="fa" dir="auto">\u2068{FA_STORY}\u2069</span>' in story  # the heading
    assert f'<p lang="fa" dir="auto">{FA_INTRO}</p>' in story
    assert f'<p lang="fa" dir="auto">{FA_FIRST}</p>' in story
    assert '<p lang="en" dir="auto">Then, Sochi.</p>' in story  # not translated: the original
    assert "Two meetings" not in story and "First, Tehran." not in story


def test_the_timelinejs_story_in_the_readers_language(data):
    state = dataclasses.replace(FilterState(), lang="fa", story="neighbours")
    out = tjs.timelinejs(View.of(data, state))
    assert out["title"]["text"]["headline"] == f'<span lang="fa" dir="auto">{FA_STORY}</span>'
    assert out["title"]["text"]["text"].startswith(f'<div lang="fa" dir="auto"><p>{FA_INTRO}')
    texts = {e["unique_id"]: e["text"]["text"] for e in out["events"]}
    assert texts[TEHRAN].startswith(f'<p lang="fa" dir="auto"><b>{FA_FIRST}</b></p>')
    assert texts[SOCHI].startswith('<p lang="en" dir="auto"><b>Then, Sochi.</b></p>')


@pytest.mark.parametrize(
    ("lang", "menu", "narration"),
    [
        ("fa", FA_STORY, f"<p class='story-narration' lang=\"fa\" dir=\"auto\">{FA_FIRST}</p>"),
        ("ru", "Две встречи",
         "<p class='story-narration' lang=\"en\" dir=\"auto\">First, Tehran.</p>"),
        ("en", "Two meetings",
         "<p class='story-narration' lang=\"en\" dir=\"auto\">First, Tehran.</p>"),
    ],
)  # fmt: skip
def test_the_story_tab_tells_an_authored_story_in_the_readers_language(
    tmp_path, monkeypatch, lang, menu, narration
):
    at = _page(tmp_path, monkeypatch, lang, view="story", story="neighbours", event=TEHRAN)
    assert menu in at.selectbox(key="story-choice").options  # the menu names it so
    html = "\n".join(h.proto.body for h in at.get("html"))
    assert narration in html
    title = _page(tmp_path, monkeypatch, lang, view="story", story="neighbours")
    body = "\n".join(h.proto.body for h in title.get("html"))
    assert f">{menu}</h3>" in body  # the title step's heading
