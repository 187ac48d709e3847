"""The reader's language: catalogs complete and in step with the code, CLDR's dates, numbers, plurals.

The expected dates and numbers are CLDR's own output (Babel 2.19, CLDR 47), read once by
hand and written here as literals: the code under test never computes them.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import record_spinners
from streamlit.testing.v1 import AppTest

from timeline.dates import parse_partial_date
from timeline.i18n import CORE_WORDS, LANGS, accepted, placeholders, resolve_lang, translator
from timeline.lanes import LANES, NO_LANE, ORDER_WORDS
from timeline.query import share_link
from timeline.state import FilterState

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "timeline" / "locale"
POT = LOCALE / "timeline.pot"
APP = str(ROOT / "app.py")
TRANSLATED = [lang for lang in LANGS if lang != "en"]
NNBSP, THIN, NBSP = "\u202f", "\u2009", "\xa0"


def _read(path: Path, lang: str | None = None) -> Catalog:
    return read_po(io.BytesIO(path.read_bytes()), locale=lang)


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "timeline.po"


# ---- dates, spans, quarters and numbers: CLDR's strings, fixed -------------------------

DATES = [
    # English stays as the page has always written it (dates.PartialDate.label, span_label).
    ("en", "2022-07-19", None, "19 July 2022"),
    ("en", "2022-07", None, "July 2022"),
    ("en", "2022", None, "2022"),
    ("en", "2023-03-01", "2023-03-03", "1–3 March 2023"),
    ("en", "2022-07-19", "2022-08-02", "19 July – 2 August 2022"),
    ("en", "2022-12-30", "2023-01-02", "30 December 2022 – 2 January 2023"),
    ("en", "2022-07", "2022-09", "July 2022 – September 2022"),
    ("ru", "2022-07-19", None, f"19 июля 2022{NNBSP}г."),
    ("ru", "2022-07", None, f"июль 2022{NNBSP}г."),  # a month, in the nominative: never a day
    ("ru", "2022", None, "2022"),
    ("ru", "2023-03-01", "2023-03-03", f"1—3 марта 2023{NNBSP}г."),
    ("ru", "2022-07-19", "2022-08-02", f"19 июля — 2 августа 2022{NNBSP}г."),
    ("ru", "2022-12-30", "2023-01-02", f"30 декабря 2022{NNBSP}г. — 2 января 2023{NNBSP}г."),
    ("ru", "2022-07", "2022-09", f"июль{NBSP}— сентябрь 2022{NNBSP}г."),
    ("ru", "2021", "2023", "2021—2023"),
    ("fa", "2022-07-19", None, "۱۹ ژوئیه ۲۰۲۲"),
    ("fa", "2022-07", None, "ژوئیه ۲۰۲۲"),
    ("fa", "2022", None, "۲۰۲۲"),
    ("fa", "2023-03-01", "2023-03-03", "۱ تا ۳ مارس ۲۰۲۳"),
    ("fa", "2022-07-19", "2022-08-02", "۱۹ ژوئیه تا ۲ اوت ۲۰۲۲"),
    ("fa", "2022-12-30", "2023-01-02", "۳۰ دسامبر ۲۰۲۲ تا ۲ ژانویه ۲۰۲۳"),
    ("fa", "2022-07", "2022-09", "ژوئیه تا سپتامبر ۲۰۲۲"),
    ("tr", "2022-07-19", None, "19 Temmuz 2022"),
    ("tr", "2022-07", None, "Temmuz 2022"),
    ("tr", "2022", None, "2022"),
    ("tr", "2023-03-01", "2023-03-03", "1–3 Mart 2023"),
    ("tr", "2022-07-19", "2022-08-02", f"19 Temmuz{THIN}–{THIN}2 Ağustos 2022"),
    ("tr", "2022-12-30", "2023-01-02", f"30 Aralık 2022{THIN}–{THIN}2 Ocak 2023"),
    ("tr", "2022-07", "2022-09", f"Temmuz{THIN}–{THIN}Eylül 2022"),
    ("ar", "2022-07-19", None, "19 يوليو 2022"),
    ("ar", "2022-07", None, "يوليو 2022"),
    ("ar", "2022", None, "2022"),
    ("ar", "2023-03-01", "2023-03-03", "1–3 مارس 2023"),
    ("ar", "2022-07-19", "2022-08-02", "19 يوليو – 2 أغسطس 2022"),
    ("ar", "2022-12-30", "2023-01-02", "30 ديسمبر 2022 – 2 يناير 2023"),
    ("ar", "2022-07", "2022-09", "يوليو – سبتمبر 2022"),
    # Mixed precisions: each end as precise as it is known, joined by CLDR's fallback.
    ("ru", "2022-07", "2022-08-02", f"июль 2022{NNBSP}г. — 2 августа 2022{NNBSP}г."),
    ("fa", "2022-07", "2022-08-02", "ژوئیه ۲۰۲۲ تا ۲ اوت ۲۰۲۲"),
    ("fa", "2022-07-19", "2022-07-19", "۱۹ ژوئیه ۲۰۲۲"),  # a span of one day is the day
]


@pytest.mark.parametrize(("lang", "start", "end", "expected"), DATES)
def test_dates_and_spans_are_cldrs_for_each_language(lang, start, end, expected):
    first, last = parse_partial_date(start), parse_partial_date(end) if end else None
    assert translator(lang).span(first, last) == expected
    if end is None:
        assert translator(lang).date(first) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Q3 2022"),
        ("ru", f"3-й квартал 2022{NNBSP}г."),
        ("fa", "سه‌ماههٔ سوم ۲۰۲۲"),
        ("tr", "2022 3. çeyrek"),
        ("ar", "الربع الثالث 2022"),
    ],
)
def test_a_quarter_is_named_by_cldr(lang, expected):
    assert translator(lang).quarter(dt.date(2022, 8, 1)) == expected


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("en", 1234567, "1,234,567"),
        ("ru", 1234567, f"1{NBSP}234{NBSP}567"),
        ("fa", 1234567, "۱٬۲۳۴٬۵۶۷"),  # Persian digits and separators (CLDR's arabext)
        ("fa", 1234.5, "۱٬۲۳۴٫۵"),
        ("tr", 1234567, "1.234.567"),
        ("ar", 1234567, "1,234,567"),  # CLDR's default digits for "ar" are Latin
        ("ru", 1234.5, f"1{NBSP}234,5"),
    ],
)
def test_numbers_are_written_as_the_language_writes_them(lang, value, expected):
    assert translator(lang).number(value) == expected


# ---- plurals by each language's rules ----------------------------------------------------

GROUP = ("{count} event · {when}", "{count} events · {when}")


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 1, "1 event · X"),
        ("en", 2, "2 events · X"),
        ("ru", 1, "1 событие · X"),
        ("ru", 2, "2 события · X"),
        ("ru", 5, "5 событий · X"),
        ("ru", 21, "21 событие · X"),
        ("ru", 0, "0 событий · X"),
        ("ru", 12, "12 событий · X"),
        ("ar", 1, "حدث واحد · X"),
        ("ar", 2, "حدثان · X"),
        ("ar", 5, "5 أحداث · X"),
        ("ar", 21, "21 حدثًا · X"),
        ("ar", 0, "0 حدث · X"),
        ("ar", 100, "100 حدث · X"),
        ("fa", 5, "۵ رویداد · X"),
        ("tr", 5, "5 olay · X"),
    ],
)
def test_plural_forms_follow_the_languages_rules(lang, n, expected):
    assert translator(lang).ngettext(*GROUP, n, when="X") == expected


@pytest.mark.parametrize(
    ("lang", "total", "expected"),
    [
        ("en", 1, "1 of 1 events"),  # as the page always wrote it
        ("en", 10000, "1 of 10000 events"),
        ("ru", 1, "1 из 1 события"),
        ("ru", 21, "1 из 21 события"),
        ("ru", 5, "1 из 5 событий"),
        ("fa", 10, "۱ از ۱۰ رویداد"),
    ],
)
def test_the_count(lang, total, expected):
    t = translator(lang)
    shown = t.ngettext("{shown} of {count} events", "{shown} of {count} events", total,
                       shown=t.count(1))  # fmt: skip
    assert shown == expected


# ---- the catalogs: complete, with the placeholders, in step with the code ---------------


def catalog_problems(template: Catalog, po: Catalog) -> list[str]:
    """Return what a translated catalog lacks against the template: strings, forms, placeholders."""
    problems = []
    for message in template:
        if not message.id:
            continue
        found = po.get(message.id)
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if found is None or found.fuzzy:
            problems.append(f"missing: {key!r}")
            continue
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        if isinstance(message.id, tuple) and len(forms) != po.num_plurals:
            problems.append(f"{len(forms)} forms, not {po.num_plurals}: {key!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        # Every form names only the message's placeholders and at least those every English
        # form names, but {count}: a plural form may say its number in words (Arabic's
        # "حدثان"), as CLDR does, and one form may serve numbers the English plural serves.
        allowed = set().union(*map(placeholders, ids))
        needed = set.intersection(*map(placeholders, ids)) - ({"count"} if len(ids) > 1 else set())
        for form in forms:
            if not form:
                problems.append(f"empty: {key!r}")
            elif not needed <= placeholders(form) <= allowed:
                problems.append(f"placeholders {sorted(placeholders(form))}: {key!r}")
    ids = {m.id for m in template if m.id}
    problems += [f"not in the template: {m.id!r}" for m in po if m.id and m.id not in ids]
    return problems


def _tiny(entries: list[tuple]) -> Catalog:
    catalog = Catalog(locale="ru")
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr)
    return catalog


TEMPLATE = [("Lanes", ""), ("All {what}", ""), (("{count} event", "{count} events"), ("", ""))]


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ([("Lanes", "Дорожки"), ("All {what}", "Все {what}")], "missing: '{count} event'"),
        (
            [
                ("Lanes", ""),
                ("All {what}", "Все {what}"),
                (
                    ("{count} event", "{count} events"),
                    ("{count} событие", "{count} события", "{count} событий"),
                ),
            ],
            "empty: 'Lanes'",
        ),
        (
            [
                ("Lanes", "Дорожки"),
                ("All {what}", "Все {что}"),
                (
                    ("{count} event", "{count} events"),
                    ("{count} событие", "{count} события", "{count} событий"),
                ),
            ],
            "placeholders ['что']: 'All {what}'",
        ),
        (
            [
                ("Lanes", "Дорожки"),
                ("All {what}", "Все {what}"),
                (("{count} event", "{count} events"), ("{count} событие", "{count} события")),
            ],
            "2 forms, not 3: '{count} event'",
        ),
        (
            [
                ("Lanes", "Дорожки"),
                ("All {what}", "Все {what}"),
                (
                    ("{count} event", "{count} events"),
                    ("{count} событие", "{count} события", "{n} событий"),
                ),
            ],
            "placeholders ['n']: '{count} event'",
        ),
        (
            [
                ("Lanes", "Дорожки"),
                ("All {what}", "Все {what}"),
                ("Gone", "Ушло"),
                (
                    ("{count} event", "{count} events"),
                    ("{count} событие", "{count} события", "{count} событий"),
                ),
            ],
            "not in the template: 'Gone'",
        ),
    ],
)
def test_the_check_finds_a_missing_string_form_or_placeholder(entries, problem):
    assert problem in catalog_problems(_tiny(TEMPLATE), _tiny(entries))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_translates_every_string_with_its_placeholders(lang):
    assert catalog_problems(_read(POT), _read(_po(lang), lang)) == []


def test_the_template_is_in_step_with_the_code():
    """Extracting the code again gives the committed template's strings (run `pybabel extract`)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            ROOT / "timeline", method_map, options_map, comment_tags=("TRANSLATORS:",)
        )
    }
    committed = {m.id if isinstance(m.id, str) else m.id[0] for m in _read(POT) if m.id}
    assert sorted(found - committed) == [], "strings in the code, not in the template"
    assert sorted(committed - found) == [], "strings in the template, no longer in the code"


def test_the_words_the_core_declares_are_in_the_catalog():
    from timeline.page.sidebar import MATCH_WORDS
    from timeline.page.tabs import TABS

    words = {s.title for s in LANES.values()} | {s.word for s in LANES.values()}
    words |= {s.help for s in LANES.values() if s.help} | set(ORDER_WORDS.values())
    words |= set(MATCH_WORDS.values()) | set(NO_LANE.values())
    words |= {tab.caption for tab in TABS} | {tab.label for tab in TABS}
    committed = {m.id for m in _read(POT) if isinstance(m.id, str)}
    assert sorted(words - committed) == []
    assert set(CORE_WORDS) <= committed


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_translated_string_differs_and_an_unknown_one_stays_english(lang):
    t = translator(lang)
    assert t.gettext("Reset filters") != "Reset filters"
    assert t.gettext("Not a string of the page") == "Not a string of the page"


# ---- the language chosen, its direction, the link ---------------------------------------


@pytest.mark.parametrize(
    ("url", "header", "browser", "expected"),
    [
        ([], "fa-IR,fa;q=0.9,en-US;q=0.8", None, "fa"),
        ([], "de-DE,de;q=0.9,tr;q=0.8,en;q=0.7", None, "tr"),  # the first of ours
        ([], "en;q=0.2,ru;q=0.9", None, "ru"),  # by q, not by place
        ([], "ru;q=0,ar", None, "ar"),  # q=0: not wanted
        (["ru"], "fa", "fa", "ru"),  # the link wins
        (["xx"], None, "ar-EG", "ar"),  # a bad value: the browser's
        (["RU"], None, None, "en"),  # the URL's values are exact
        ([], "de-DE", "de-DE", "en"),  # none of ours: English
        ([], None, None, "en"),
        ([], None, "tr_TR", "tr"),
    ],
)
def test_the_language_is_the_links_else_the_browsers_else_english(url, header, browser, expected):
    assert resolve_lang(url, header, browser) == expected


def test_accept_language_is_read_by_weight():
    assert accepted("da, en-gb;q=0.8, en;q=0.7, x;q=bad") == ["da", "en-gb", "en"]


@pytest.mark.parametrize(
    ("lang", "direction"),
    [("en", "ltr"), ("ru", "ltr"), ("tr", "ltr"), ("fa", "rtl"), ("ar", "rtl")],
)
def test_persian_and_arabic_read_right_to_left(lang, direction):
    assert translator(lang).direction == direction


@pytest.mark.parametrize(
    ("state", "link"),
    [
        (FilterState(lang="fa"), "http://host/app?lang=fa"),
        (FilterState(lang="en"), "http://host/app"),  # English, the default, is left out
        (FilterState(lang="ru", match="all"), "http://host/app?match=all&lang=ru"),
    ],
)
def test_the_share_link_keeps_the_language(state, link):
    assert share_link("http://host/app", state) == link


def _run(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def _count(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**"))


@pytest.mark.parametrize(
    ("lang", "heading", "count", "rtl"),
    [
        ("en", "Lanes", "**10 of 10 events**", False),
        ("ru", "Дорожки", "**10 из 10 событий**", False),
        ("fa", "مسیرها", "**۱۰ از ۱۰ رویداد**", True),
        ("tr", "Şeritler", "**10 olaydan 10 tanesi**", False),
        ("ar", "المسارات", "**الأحداث: 10 من 10**", True),
    ],
)
def test_the_page_reads_in_the_links_language(lang, heading, count, rtl):
    at = _run(lang=lang)
    assert not at.exception
    assert at.selectbox(key="lang").value == lang
    assert at.header[0].value == heading
    assert _count(at) == count
    styles = "\n".join(e.proto.body for e in at.get("html"))
    assert ("direction: rtl" in styles) == rtl
    assert at.query_params.get("lang", "en") in (lang, [lang])


def test_resetting_the_filters_keeps_the_language_and_a_bad_one_is_a_notice():
    at = _run(lang="ru", match="all")
    at.button(key="reset").click().run()
    assert at.selectbox(key="lang").value == "ru"
    assert dict(at.query_params) in ({"lang": "ru"}, {"lang": ["ru"]})
    bad = _run(lang="xx")
    assert bad.selectbox(key="lang").value == "en"
    assert any("Ignored lang='xx'" in c.value for c in bad.code)


def test_choosing_a_language_rewrites_the_page_and_the_link():
    at = _run()
    at.selectbox(key="lang").set_value("tr").run()
    assert at.header[0].value == "Şeritler"
    assert at.query_params.get("lang") in ("tr", ["tr"])


def test_switching_the_language_keeps_the_open_tab_and_names_the_tabs_anew():
    at = _run(view="table", lang="ru")
    assert [tab.label for tab in at.tabs][:4] == [
        "Временная шкала",
        "Кто с кем встречался",
        "Темп",
        "Таблица",
    ]
    at.selectbox(key="lang").set_value("fa").run()
    assert not at.exception
    assert at.tabs[3].label == "جدول"
    assert at.query_params.get("view") in ("table", ["table"])
    at.selectbox(key="lang").set_value("en").run()
    assert [tab.label for tab in at.tabs][:4] == ["Timeline", "Who met whom", "Tempo", "Table"]
    assert at.query_params.get("view") in ("table", ["table"])


@pytest.mark.parametrize(
    ("lang", "entry"),
    [
        # The data's text isolated on a right-to-left page, the date in Persian.
        (
            "fa",
            "۱۹ ژوئیه ۲۰۲۲\\: \u2068Putin and Raisi hold talks in Tehran\u2069 "
            "\\(\u2068Vladimir V\\. Putin, Ebrahim Raisi\u2069\\)",
        ),
        (
            "ru",
            "19 июля 2022 г\\.\\: Putin and Raisi hold talks in Tehran "
            "\\(Vladimir V\\. Putin, Ebrahim Raisi\\)",
        ),
        (
            "en",
            "19 July 2022\\: Putin and Raisi hold talks in Tehran "
            "\\(Vladimir V\\. Putin, Ebrahim Raisi\\)",
        ),
    ],
)
def test_the_charts_list_gives_dates_in_the_language_and_isolates_the_datas_text(lang, entry):
    at = _run(lang=lang)
    assert entry in [button.label for button in at.button]


def test_the_events_choices_date_the_titles_in_the_language():
    at = _run(lang="fa")
    choices = at.selectbox(key="event").options
    assert "ژانویه ۲۰۲۲ · \u2068Raisi visits Moscow\u2069" in choices


@pytest.mark.parametrize(
    ("lang", "first", "last", "expected"),
    [
        (
            "ru",
            "2022-01-01",
            "2022-07-31",
            [
                f"{m} 2022{NNBSP}г."
                for m in ("янв.", "февр.", "март", "апр.", "май", "июнь", "июль")
            ],
        ),
        (
            "fa",
            "2022-07-15",
            "2022-07-22",
            [
                "۱۵ ژوئیه",
                "۱۶ ژوئیه",
                "۱۷ ژوئیه",
                "۱۸ ژوئیه",
                "۱۹ ژوئیه",
                "۲۰ ژوئیه",
                "۲۱ ژوئیه",
                "۲۲ ژوئیه",
            ],
        ),
        (
            "fa",
            "2022-01-01",
            "2022-01-31",
            ["۱ ژانویه", "۸ ژانویه", "۱۵ ژانویه", "۲۲ ژانویه", "۲۹ ژانویه"],
        ),
        (
            "tr",
            "1990-01-01",
            "2023-12-31",
            ["1990", "1995", "2000", "2005", "2010", "2015", "2020"],
        ),
        (
            "ar",
            "2021-11-20",
            "2023-02-03",
            [
                "يناير 2022",
                "مارس 2022",
                "مايو 2022",
                "يوليو 2022",
                "سبتمبر 2022",
                "نوفمبر 2022",
                "يناير 2023",
            ],
        ),
    ],
)
def test_the_time_axis_ticks_are_named_in_the_language(lang, first, last, expected):
    days, names = translator(lang).ticks(
        dt.date.fromisoformat(first), dt.date.fromisoformat(last), most=8
    )
    assert names == expected
    assert len(days) == len(names) and days == sorted(days)
    assert dt.date.fromisoformat(first) <= days[0] and days[-1] <= dt.date.fromisoformat(last)


def test_the_timeline_names_its_dates_and_ticks_in_the_language():
    import json

    at = _run(lang="fa")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = {text for trace in spec["data"] for text in trace.get("text") or [] if text}
    assert {"ژانویه ۲۰۲۲", "۱۹ ژوئیه ۲۰۲۲"} <= labels and "19 July 2022" not in labels
    assert spec["layout"]["xaxis"]["ticktext"][0] == "ژانویه ۲۰۲۲"
    english = json.loads(_run().get("plotly_chart")[0].proto.spec)
    assert "ticktext" not in english["layout"]["xaxis"]  # Plotly's own ticks in English


def test_the_legend_words_are_the_usual_kinds_and_the_charts_own():
    from timeline.figures.timeline import CLOSE_TOGETHER, ONE_DAY
    from timeline.page.language import LEGEND_WORDS
    from timeline.state import KNOWN_KINDS

    assert set(LEGEND_WORDS) == {*KNOWN_KINDS, ONE_DAY, CLOSE_TOGETHER}


@pytest.mark.parametrize(
    ("lang", "kinds", "together", "counts"),
    [
        ("en", {"summit", "visit", "agreement", "statement"}, "events close together", {"2", "3"}),
        (
            "ru",
            {"саммит", "визит", "соглашение", "заявление"},
            "близкие по времени события",
            {"2", "3"},
        ),
        ("fa", {"نشست سران", "سفر", "توافق", "بیانیه"}, "رویدادهای نزدیک به هم", {"۲", "۳"}),
    ],
)
def test_the_legend_and_the_markers_counts_are_in_the_language(lang, kinds, together, counts):
    import json

    at = _run(lang=lang)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = [t for t in spec["data"] if t.get("x") and t.get("showlegend") is not False]
    assert {t["name"] for t in drawn} == {*kinds, together}
    numbered = next(t for t in drawn if t["name"] == together)
    assert set(numbered["text"]) == counts
    options = at.multiselect(key="kind").options
    assert {"en": "summit", "ru": "саммит", "fa": "نشست سران"}[lang] in options


@pytest.mark.parametrize(
    ("lang", "axis"),
    [("en", "events per month"), ("ru", "событий в месяц"), ("fa", "رویداد در ماه")],
)
def test_the_tempo_chart_names_its_axis_in_the_language(lang, axis):
    import json

    at = _run(lang=lang, view="tempo")
    spec = json.loads(next(c for c in at.get("plotly_chart") if "tempo" in c.proto.id).proto.spec)
    assert spec["layout"]["yaxis"]["title"]["text"] == axis


@pytest.mark.parametrize(
    ("lang", "lane"),
    [("en", "No named leader"), ("ru", "Без названного лидера"), ("ar", "بلا قائد مذكور")],
)
def test_the_lane_of_events_without_one_is_named_in_the_language(lang, lane):
    import json

    at = _run(lang=lang)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["ticktext"][-1] == lane
    assert f">{lane}</h2>" in "".join(e.proto.body for e in at.get("html"))


def test_each_language_keeps_its_own_hovers_one_never_serves_another():
    spec = {lang: _run(lang=lang).get("plotly_chart")[0].proto.spec for lang in ("fa", "en", "fa")}
    english, persian = spec["en"], spec["fa"]
    assert "19 July 2022" in english and "۱۹ ژوئیه ۲۰۲۲" not in english
    assert "۱۹ ژوئیه ۲۰۲۲" in persian and "19 July 2022" not in persian


@pytest.mark.parametrize("lang", ["fa", "ar", "ru"])
def test_the_embed_keeps_the_language(lang):
    from types import SimpleNamespace

    from timeline.exporters.embed import embed_url

    view = SimpleNamespace(link_state=FilterState(lang=lang))
    assert embed_url("http://host/", view) == f"http://host/?embed=true&lang={lang}"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Summit", "With: ", "Click to open the details"]),
        ("ru", ["Саммит", "Участники: ", "Нажмите, чтобы открыть подробности"]),
        ("ar", ["قمة", "بمشاركة: ", "انقر لفتح التفاصيل"]),
    ],
)
def test_the_hover_speaks_the_language(lang, words):
    spec = _run(lang=lang).get("plotly_chart")[0].proto.spec
    for word in words:
        assert word in spec, word


# ---- no English interface left on a page in another language ---------------------------------

# The page's own English words (not the data's): none may show on a Persian page, whatever tab
# is open, with an event open, on the shipped file, a file with translations and a file whose
# state names look like one state spelled twice.
ENGLISH = [
    "Lanes", "Filters", "One lane per", "Order of", "Leaders", "All states", "Kinds", "Dates",
    "Search", "Reset the filters", "Events with", "All leaders", "any of them", "all of them",
    "Timeline", "Who met whom", "Tempo", "Table", "Story", "Publish", "Open an event",
    "The events shown, by title", "Click a marker", "Share this view", "Event details",
    "Close the details", "Zoom in", "Zoom out", "All dates", "Dates shown on the chart",
    "Download CSV", "Download JSON", "Taking part", "Sources", "Editors' note", "Translation",
    "Previous", "Next", "Step ", " of 10", "events per", "known only to the",
    "No named leader", "events, by", "Click for details", "Click to list",
    "look like one state", "spelled two ways", "did you mean", "event tehran", "event sochi",
    "use it everywhere", "Static page", "The chart as a list", "Every shown event",
]  # fmt: skip


def _texts(at: AppTest) -> list[str]:
    """Every text the page shows: elements' words, choices and the charts' words."""
    import json

    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            for name in ("body", "label", "help", "placeholder", "value", "caption"):
                value = getattr(proto, name, None)
                if isinstance(value, str) and not value.lstrip().startswith(("<script", "<style")):
                    out.append(html.unescape(value))
            options = getattr(proto, "options", None)
            if options is not None and not isinstance(options, str):
                out.extend(str(o) for o in options)
            if node.type == "plotly_chart":
                spec = json.loads(proto.spec)
                for trace in spec["data"]:
                    shown = trace.get("showlegend") is not False
                    texts = [trace.get("hovertemplate"), trace.get("name") if shown else None]
                    texts += (trace.get("hovertext") or []) + [str(trace.get("colorbar"))]
                    out.extend(str(t) for t in texts if t)
                out.append(json.dumps(spec["layout"].get("yaxis", {}), ensure_ascii=False))
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else ():
            walk(child)

    walk(at._tree)
    return out


SPELLINGS = """\
title: Two spellings
people:
  erdogan: {name: Recep Tayyip Erdogan, country: Turkey}
sources:
  art: {title: An article, publisher: A paper, date: "2022-07-19", url: "https://example.org/a"}
events:
  - id: tehran
    title: A meeting
    date: "2022-07-19"
    kind: meeting
    leaders: [erdogan]
    summary: They met.
    sources: [art]
  - id: ankara
    title: Another meeting
    date: "2022-08-19"
    kind: meeting
    countries: [Türkiye]
    summary: They met again.
    sources: [art]
"""


PAGES = [("fa", "events.yaml", "putin-raisi-tehran-2022"), ("fa", "translations.yaml",
          "tehran-2022"), ("fa", "spellings", "ankara"),
         *((lang, "translations.yaml", "tehran-2022") for lang in ("ru", "tr", "ar"))]  # fmt: skip


@pytest.mark.parametrize("view", ["timeline", "story", "matrix", "tempo", "table", "publish"])
@pytest.mark.parametrize(("lang", "data", "event"), PAGES)
def test_no_english_interface_on_the_page(tmp_path, monkeypatch, lang, data, event, view):
    path = {
        "events.yaml": ROOT / "events.yaml",
        "translations.yaml": ROOT / "tests" / "data" / "translations.yaml",
    }.get(data)
    if path is None:
        path = tmp_path / "spellings.yaml"
        path.write_text(SPELLINGS, encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    at = _run(lang=lang, view=view, event=event)
    assert not at.exception
    assert at.selectbox(key="lang").value == lang
    shown = "\n".join(_texts(at))
    assert len(shown) > 2000  # the page is there
    # Whole words: the data's own 'TimelineJS' or 'United States' are no interface words.
    same = {"tr": {"Tempo"}}.get(lang, set())  # Turkish's word for it too
    left = [words for words in ENGLISH if words not in same
            and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", shown)]  # fmt: skip
    assert left == [], left
    if data == "spellings":  # the sidebar's note, in Persian, the names as written
        assert (
            "⚠️ countries: به نظر می‌رسد 'Turkey' (people.erdogan) و 'Türkiye' (رویداد "
            "ankara) یک کشور باشند که به دو شکل نوشته شده است"
        ) in shown


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "countries: 'Turkey' (people.erdogan) and 'Türkiye' (event ankara) look like one "
               "state spelled two ways; expected one spelling: pick 'Turkey' or 'Türkiye' and "
               "use it everywhere"),
        ("ru", "countries: 'Turkey' (people.erdogan) и 'Türkiye' (событие ankara) похожи на одно "
               "государство, записанное двумя способами"),
        ("tr", "countries: 'Turkey' (people.erdogan) ve 'Türkiye' (olay ankara), iki biçimde "
               "yazılmış tek bir devlete benziyor"),
        ("ar", "countries: يبدو أن 'Turkey' (people.erdogan) و'Türkiye' (الحدث ankara) دولة "
               "واحدة كُتب اسمها بطريقتين"),
    ],
)  # fmt: skip
def test_the_spelling_notes_are_in_the_readers_language(tmp_path, monkeypatch, lang, said):
    path = tmp_path / "spellings.yaml"
    path.write_text(SPELLINGS, encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    at = _run(lang=lang)
    assert not at.exception
    assert any(said in text for text in _texts(at))


@pytest.mark.parametrize(
    ("names", "lang", "said"),
    [
        (["Rusia"], "en", "countries: 'Rusia' (event e1) is no state's name the gazetteer knows; "
                          "did you mean 'Russia'? Keep it if it is meant"),
        (["Rusia"], "fa", "countries: 'Rusia' (رویداد e1) نام هیچ کشوری نیست که فهرست جغرافیایی "
                          "بشناسد؛ آیا منظورتان 'Russia' بود؟ اگر عمدی است، نگهش دارید"),
        (["USA", "US", "United States"], "ru",
         "countries: 'United States' (событие e1), 'US' (событие e1) и 'USA' (событие e1) "
         "похожи на одно государство, записанное 3 способами; нужно одно написание: выберите "
         "одно из 'United States', 'US', 'USA' и используйте его везде"),
        (["USA", "US", "United States"], "fa",
         "countries: به نظر می‌رسد 'United States' (رویداد e1)، 'US' (رویداد e1) و 'USA' (رویداد "
         "e1) یک کشور باشند که به ۳ شکل نوشته شده است؛ یک املا انتظار می‌رود: یکی از "
         "'United States'، 'US'، 'USA' را برگزینید"),
    ],
)  # fmt: skip
def test_a_spelling_notice_is_said_in_each_language(names, lang, said):
    import pandas as pd

    from timeline.lanes import spelling_notices

    frame = pd.DataFrame({"id": ["e1"], "countries": [names]})
    notice = spelling_notices({}, frame)[0]
    assert said in notice.said(translator(lang))
    assert str(notice) == notice.said(translator("en"))  # the command line's English


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("fa", "فایل داده bad.yaml با ۱ خطا ذخیره شده"),
        ("en", "The data file bad.yaml was saved with 1 error(s), so this page shows its last"),
    ],
)
def test_a_data_errors_heading_is_translated_and_its_lines_marked_english(
    tmp_path, monkeypatch, lang, heading
):
    import os

    from conftest import VALID, edit

    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID, encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EVENTS", str(bad))
    at = _run(lang=lang)
    bad.write_text(edit(VALID, 10, '    date: "2022-02-30"'), encoding="utf-8")
    os.utime(bad, ns=(1, 2_000_000_000_000_000_000))  # a new version, whatever the clock
    at.run()
    assert heading in at.warning[0].value  # the page shows the last good version
    # The validator's lines as it writes them, in a block marked English, left to right.
    assert at.code[0].value.startswith("bad.yaml:10:11: events[0].date: '2022-02-30' is not")
    scripts = "\n".join(h.proto.body for h in at.get("html"))
    assert '.st-key-data-problems").forEach((e) => {\n  e.lang = "en"; e.dir = "ltr";' in scripts


@pytest.mark.parametrize(("lang", "rtl"), [("fa", True), ("ar", True), ("ru", False)])
def test_the_links_notices_read_in_the_pages_direction(lang, rtl):
    at = _run(lang=lang, leader="nobody")
    assert not at.exception
    assert "leader='nobody'" in at.code[0].value  # the notices, the link's value as typed

    def keyed(node) -> list:  # the blocks whose key the rule names, and the code in them
        proto = getattr(node, "proto", None)
        here = [node] if proto is not None and str(getattr(proto, "id", "")).endswith(
            "-link-notices") else []  # fmt: skip
        children = getattr(node, "children", None)
        return here + [b for c in (children.values() if isinstance(children, dict) else ())
                       for b in keyed(c)]  # fmt: skip

    (box,) = keyed(at._tree)
    assert [c.value for c in box.get("code")] == [at.code[0].value]
    styles = "\n".join(h.proto.body for h in at.get("html"))
    rule = '[data-testid="stMain"] .st-key-link-notices pre { direction: rtl; text-align: right; }'
    assert (rule in styles) is rtl


@pytest.mark.parametrize(
    ("lang", "name"),
    [("en", "Story step"), ("fa", "گام روایت"), ("ru", "Шаг истории"), ("tr", "Hikâye adımı"),
     ("ar", "خطوة القصة")],
)  # fmt: skip
def test_the_story_steps_region_is_named_in_the_language(lang, name):
    at = _run(lang=lang, view="story")
    assert not at.exception
    bodies = [h.proto.body for h in at.get("html")]
    assert any(f"data-story-label='{name}'" in b for b in bodies)
    assert not any('"Story step"' in b for b in bodies)  # the script names it from the step


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_a_broken_file_at_first_load_marks_its_lines_english(tmp_path, monkeypatch, lang):
    from conftest import VALID, edit

    bad = tmp_path / "bad.yaml"  # broken from the start: no good version to fall back to
    bad.write_text(edit(VALID, 10, '    date: "2022-02-30"'), encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EVENTS", str(bad))
    at = _run(lang=lang)
    t = translator(lang)
    assert at.error[0].value == t.ngettext(
        "The data file {name} has {errors} error(s); fix them and reload.",
        "The data file {name} has {errors} error(s); fix them and reload.",
        1, name="bad.yaml", errors=t.number(1),
    )  # fmt: skip
    assert at.code[0].value.startswith("bad.yaml:10:11: events[0].date: '2022-02-30' is not")
    scripts = "\n".join(h.proto.body for h in at.get("html"))
    assert '.st-key-data-problems").forEach((e) => {\n  e.lang = "en"; e.dir = "ltr";' in scripts


@pytest.mark.parametrize(("lang", "said"), [("en", "Reading the data file..."),
                                            ("fa", "در حال خواندن فایل داده..."),
                                            ("ru", "Читаем файл данных...")])  # fmt: skip
def test_the_loading_spinner_speaks_the_language_and_the_file_is_read_once(
    tmp_path, monkeypatch, lang, said
):

    from conftest import VALID

    from timeline.page import loading

    path = tmp_path / "good.yaml"
    path.write_text(VALID, encoding="utf-8")
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    reads, real_load = [], loading.load_cached
    spun = record_spinners(monkeypatch)
    monkeypatch.setattr(loading, "load_cached", lambda p: reads.append(p) or real_load(p))
    at = _run(lang=lang)
    at.run()  # a rerun: the cache answers
    assert not at.exception
    assert spun[:2] == [said, said]
    assert reads == [str(path)]  # parsed once for both runs: the cache kept its semantics
    assert not [s for s in spun if "..." in s and s != said]  # no English one beside it


# The event store's page above the chart's marker limit (tabs/at_scale.py): its own words.
STORE_ENGLISH = [
    "Events 1 to", "in date order", "lanes in this order", "too many to download",
    "command line writes", "more than this view takes", "The downloads hold", "too many to draw",
]  # fmt: skip


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    from timeline.files import load_file
    from timeline.store import io as store_io
    from timeline.store.write import tables_of

    folder = tmp_path_factory.mktemp("stores") / "shipped"
    store_io.write_store(folder, tables_of(load_file(ROOT / "events.yaml")))
    return folder


@pytest.mark.parametrize("view", ["timeline", "story", "matrix", "tempo", "table", "publish"])
@pytest.mark.parametrize(("lang", "downloads"), [("fa", 5), ("fa", 100), ("ru", 5), ("ar", 5)])
def test_no_english_on_a_store_page_above_the_limit(
    monkeypatch, small_store, lang, downloads, view
):
    import sys

    from timeline.page.tabs import at_scale

    monkeypatch.setattr(sys, "argv", ["app.py"])
    monkeypatch.setenv("TIMELINE_EVENTS", str(small_store))
    monkeypatch.setattr("timeline.figures.MAX_MARKERS", 5)  # its 10 events are above it
    monkeypatch.setattr(at_scale, "DOWNLOAD_ROWS", downloads)  # 5: the command line's note
    monkeypatch.setattr(at_scale, "DENSITY_LANES", 2)  # lanes left out: the note says so
    at = _run(lang=lang, view=view)
    assert not at.exception
    t = translator(lang)
    shown = "\n".join(_texts(at))
    left = [w for w in [*ENGLISH, *STORE_ENGLISH]
            if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", shown)]  # fmt: skip
    assert left == [], left
    said = {
        "timeline": t.ngettext(
            "The first {shown} of {count} lane in this order: choose leaders, states or tags "
            "in the sidebar, or order the lanes by most events, to see others.",
            "The first {shown} of {count} lanes in this order: choose leaders, states or tags "
            "in the sidebar, or order the lanes by most events, to see others.",
            6, shown=t.number(2)),
        "table": t.ngettext(
            "Events {first} to {last} of {count}, in date order: page {page} of {pages}.",
            "Events {first} to {last} of {count}, in date order: page {page} of {pages}.",
            10, first=t.number(1), last=t.number(10), page=t.number(1), pages=t.number(1)),
        "story": t.ngettext(
            "These {count} events are more than this view takes (at most {most}, the chart's "
            "markers): narrow the leaders, states, kinds, dates or search to see them here.",
            "These {count} events are more than this view takes (at most {most}, the chart's "
            "markers): narrow the leaders, states, kinds, dates or search to see them here.",
            10, most=t.number(5)),
    }  # fmt: skip
    said["publish"] = said["story"]
    if view in said:
        assert html.escape(said[view], quote=False) in shown or said[view] in shown
    if view == "table":
        assert at.number_input(key="table_page").label == t.gettext("Page")
        downloads_said = (
            t.ngettext("These {count} events are too many to download from the page (at most "
                       "{most}). The command line writes them as it reads them:",
                       "These {count} events are too many to download from the page (at most "
                       "{most}). The command line writes them as it reads them:",
                       10, most=t.number(5))
            if downloads == 5 else
            t.ngettext("The downloads hold every match: {count} event, not only this page.",
                       "The downloads hold every match: {count} events, not only this page.", 10)
        )  # fmt: skip
        assert downloads_said in shown
        commands = [c for c in at.code if c.value.startswith("python -m timeline export csv")]
        assert len(commands) == (1 if downloads == 5 else 0)
