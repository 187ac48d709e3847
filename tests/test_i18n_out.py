"""The rest of the interface and the exports in the reader's language (issue 25, items 2 and 6).

Every expected string is written here by hand, from our catalogs (timeline/locale) and from
CLDR's own words for dates and numbers (Babel 2.19, CLDR 47: "۱ مه ۲۰۲۴", "1 мая 2024 г."):
the code under test never computes them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from conftest import ROOT
from test_formats import DAY, _tab_files

from timeline import cli, figures
from timeline.analysis import meetings, tempo
from timeline.card import Line, event_card, label
from timeline.exporters import command
from timeline.exporters.html import static_page
from timeline.exporters.timelinejs import TIMELINEJS_LANGUAGE, timelinejs
from timeline.figures.hover import group_hover
from timeline.figures.periods import add_periods
from timeline.i18n import LANGS, translator
from timeline.page.tabs import publish_tab
from timeline.query import Notice, notice_in, read_query
from timeline.selection import View, filters_in_words, read_view
from timeline.state import FilterState
from timeline.views import card_html, details_html, table_frame

NNBSP = "\u202f"  # CLDR's narrow no-break space before Russian "г."
FSI, PDI = "\u2068", "\u2069"  # the isolates around the file's text on a right-to-left page
EVENTS = str(ROOT / "events.yaml")


def _row(data, event_id: str) -> dict:
    return data.events.set_index("id", drop=False).loc[event_id].to_dict()


# ---- the details card ---------------------------------------------------------------------

CARD = [
    ("en", [
        "<p style='opacity:.75;margin:0 0 .75rem 0'>January 2022 · Moscow, Russia · visit</p>",
        "<p><b>Taking part:</b> Ebrahim Raisi (President), Vladimir V. Putin (President)</p>",
        "<b>Sources</b>", ", by Anton Troianovski, Farnaz Fassihi, 19 July 2022</li>",
        "<b>Editors' note:</b>", "id: <code>raisi-moscow-2022-01</code>",
    ]),
    ("fa", [
        # Each date isolated (<bdi>): in the English text of the card it keeps its order.
        "<p style='opacity:.75;margin:0 0 .75rem 0'><bdi>ژانویه ۲۰۲۲</bdi> · Moscow, Russia · "
        "سفر</p>",
        "<p><b>شرکت‌کنندگان:</b> Ebrahim Raisi (President), Vladimir V. Putin (President)</p>",
        "<b>منابع</b>",
        "Russia and Iran grow closer in isolation، The New York Times، نوشتهٔ Anton "
        "Troianovski, Farnaz Fassihi، <bdi>۱۹ ژوئیه ۲۰۲۲</bdi></li>",
        "<b>یادداشت ویراستاران:</b>", "شناسه: <code>raisi-moscow-2022-01</code>",
    ]),
    ("ru", [
        f"<p style='opacity:.75;margin:0 0 .75rem 0'>январь 2022{NNBSP}г. · Moscow, Russia · "
        "визит</p>",
        "<p><b>Участники:</b> Ebrahim Raisi (President), Vladimir V. Putin (President)</p>",
        "<b>Источники</b>",
        f", авторы: Anton Troianovski, Farnaz Fassihi, 19 июля 2022{NNBSP}г.</li>",
        "<b>Примечание редакции:</b>", "id: <code>raisi-moscow-2022-01</code>",
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "parts"), CARD)
def test_the_details_card_is_labelled_and_dated_in_the_language(shipped, lang, parts):
    html = details_html(_row(shipped, "raisi-moscow-2022-01"), shipped, t=translator(lang))
    for part in parts:
        assert part in html, part
    if lang != "en":
        for english in ("Taking part", "Sources", "Editors' note", "January 2022", "19 July"):
            assert english not in html, english


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "<p><b>End time:</b> 15:30</p>"),
        ("fa", "<p><b>زمان پایان:</b> 15:30</p>"),
        ("ru", "<p><b>Время окончания:</b> 15:30</p>"),
        ("tr", "<p><b>Bitiş saati:</b> 15:30</p>"),
        ("ar", "<p><b>وقت الانتهاء:</b> 15:30</p>"),
    ],
)
def test_a_label_made_from_a_fields_name_is_in_the_language(shipped, lang, line):
    card = event_card(_row(shipped, "raisi-moscow-2022-01"), shipped)
    card = dataclasses.replace(card, lines=(Line(label("end_time"), "15:30"),))
    assert line in card_html(card, t=translator(lang))


# ---- the table ------------------------------------------------------------------------------

COLUMNS = {
    "en": ["date", "when", "title", "kind", "place", "leaders", "quotes", "id"],
    "ru": ["дата", "когда", "заголовок", "тип", "место", "лидеры", "цитаты", "id"],
    "fa": ["تاریخ", "زمان", "عنوان", "نوع", "مکان", "رهبران", "نقل‌قول‌ها", "شناسه"],
    "tr": ["tarih", "ne zaman", "başlık", "tür", "yer", "liderler", "alıntılar", "kimlik"],
    "ar": ["التاريخ", "متى", "العنوان", "النوع", "المكان", "القادة", "الاقتباسات", "المعرّف"],
}


@pytest.mark.parametrize(
    ("lang", "first"),
    [
        ("en", ["2022-01", "January 2022", "visit"]),
        ("ru", ["2022-01", f"январь 2022{NNBSP}г.", "визит"]),
        ("fa", ["2022-01", "ژانویه ۲۰۲۲", "سفر"]),  # the ISO date stays: it sorts
        ("tr", ["2022-01", "Ocak 2022", "ziyaret"]),
        ("ar", ["2022-01", "يناير 2022", "زيارة"]),
    ],
)
def test_the_tables_columns_dates_and_kinds_are_in_the_language(shipped, lang, first):
    table = table_frame(shipped.events, shipped.people, translator(lang))
    assert list(table.columns) == COLUMNS[lang]
    assert list(table.iloc[0, [0, 1, 3]]) == first


def test_the_page_shows_the_table_in_the_language():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"], at.query_params["view"] = "tr", "table"
    at.run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns) == COLUMNS["tr"]
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"CSV indir", "JSON indir"}


# ---- the link's notices ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("tr", "leader=nobody&colour=red&from=2030-01-01", [
            "Bilinmeyen 'colour' parametresi yok sayıldı.",
            "leader='nobody' yok sayıldı: bu verilerde yok (geçerli olanlar: putin, raisi, "
            "khamenei, erdogan, peskov).",
            "from=2030-01-01 yok sayıldı: son olaydan (2022-07-31) sonra.",
        ]),
        ("en", "leader=nobody&colour=red", [  # the English text as it always was
            "Ignored unknown parameter 'colour'.",
            "Ignored leader='nobody': not in this data (valid: putin, raisi, khamenei, "
            "erdogan, peskov).",
        ]),
        ("ru", "event=nope&lanes=x", [
            "Пропущено event='nope': нет события с таким id.",
            "Пропущено lanes='x': ожидалось одно из значений leader, country, tag.",
        ]),
        ("fa", f"q={'x' * 201}", ["q به ۲۰۰ نویسهٔ نخست کوتاه شد."]),  # Persian digits
        ("ar", "from=2022-07-10&to=2022-07-01", [
            "تم تجاهل from=2022-07-10 وto=2022-07-01: البداية بعد النهاية.",
        ]),
    ],
)  # fmt: skip
def test_a_links_notices_are_said_in_the_language(shipped, lang, query, expected):
    _, notices = read_view(shipped, query)
    assert all(isinstance(n, Notice) for n in notices)
    assert [notice_in(n, translator(lang)) for n in notices] == expected


@pytest.mark.parametrize(
    ("lang", "extra", "last"),
    [
        ("ru", 1, "... и ещё 1 пропущенное значение."),
        ("ru", 3, "... и ещё 3 пропущенных значения."),
        ("ru", 5, "... и ещё 5 пропущенных значений."),
        ("ar", 2, "... وقيمتان أخريان متجاهلتان."),
        ("en", 3, "... and 3 more ignored values."),
    ],
)
def test_the_count_of_more_notices_takes_the_languages_plural(shipped, lang, extra, last):
    from timeline.filters import Index, catalog_for

    params = {f"unknown{i}": ["x"] for i in range(10 + extra)}
    decoded = read_query(params, catalog_for(shipped, Index.build(shipped.events, shipped.people)))
    assert notice_in(decoded.notices[-1], translator(lang)) == last


def test_a_plain_notice_stays_as_it_is():
    assert notice_in("a notice", translator("fa")) == "a notice"


# ---- the filters in words -------------------------------------------------------------------

QUERY = "leader=raisi&leader=putin&kind=meeting&kind=summit&match=all&from=2022-07-01&q=gas"


@pytest.mark.parametrize(
    ("lang", "query", "words"),
    [
        ("ru", QUERY,
         "Фильтры: лидеры: Ebrahim Raisi и Vladimir V. Putin (все они); типы: встреча или "
         f"саммит; с 1 июля 2022{NNBSP}г.; поиск: «gas». Дорожки: лидеры, по первому "
         "появлению."),
        ("fa", QUERY,
         f"فیلترها: رهبران: {FSI}Ebrahim Raisi{PDI} و {FSI}Vladimir V. Putin{PDI} (همهٔ "
         "آن‌ها)؛ انواع: دیدار یا نشست سران؛ از ۱ ژوئیه ۲۰۲۲؛ جست‌وجو: "
         f"«{FSI}gas{PDI}». مسیرها: رهبران، نخستین حضور."),
        ("tr", QUERY,
         "Filtreler: liderler: Ebrahim Raisi ve Vladimir V. Putin (hepsi); türler: görüşme "
         "veya zirve; 1 Temmuz 2022 tarihinden itibaren; arama: “gas”. Şeritler: liderler, "
         "ilk görünme."),
        ("ar", "country=Iran&to=2022-06-30&lanes=tag&order=count",
         f"عوامل التصفية: الدولة: {FSI}Iran{PDI}؛ حتى 30 يونيو 2022. المسارات: الوسوم، "
         "الأكثر أحداثًا."),
        # A date's own full stop ends the sentence: no second one.
        ("ru", "country=Iran&to=2022-06-30",
         f"Фильтры: государство: Iran; по 30 июня 2022{NNBSP}г. Дорожки: лидеры, по первому "
         "появлению."),
        ("en", "", "Every event of the file, no filter. Lanes: leaders, first appearance."),
    ],
)  # fmt: skip
def test_the_filters_are_said_in_the_language(shipped, lang, query, words):
    view, _ = read_view(shipped, query)
    assert filters_in_words(view, translator(lang)) == words


# ---- the charts' words ------------------------------------------------------------------------


def test_the_matrix_hover_and_colour_bar_are_in_the_language(shipped):
    view, _ = read_view(shipped, "")
    pairs = meetings(shipped.events, view.membership, view.mask, shipped.people, "first")
    fig = figures.matrix_figure(pairs, None, translator("ru"))
    assert fig.data[0].colorbar.title.text == "события"
    hovers = fig.data[1].hovertext
    assert hovers[1].startswith("<b>Ebrahim Raisi (Iran) и Vladimir V. Putin (Russia)</b>: "
                                "4 события<br>")  # fmt: skip
    assert any("</b>: 1 событие<br>" in h for h in hovers)
    persian = figures.matrix_figure(pairs, None, translator("fa"))
    assert "۴" in persian.data[1].text  # the cells' counts in Persian digits


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fa", "<b>۲ رویداد · ۱۹ ژوئیه ۲۰۲۲</b><br><br><b>· A</b><br><br><b>· B</b><br><br>"
               "<i>برای دیدن فهرستشان و باز کردن یکی کلیک کنید</i>"),
        ("en", "<b>2 events · 19 July 2022</b><br><br><b>· A</b><br><br><b>· B</b><br><br>"
               "<i>Click to list them and open one</i>"),
    ],
)  # fmt: skip
def test_a_numbered_markers_hover_is_in_the_language(shipped, lang, expected):
    day = {"fa": "۱۹ ژوئیه ۲۰۲۲", "en": "19 July 2022"}[lang]  # the page's labels, as given
    members = pd.DataFrame({"label": [day, day], "title": ["A", "B"], "quotes": [[], []]})
    assert group_hover(members, shipped.people, translator(lang)) == expected


def test_the_tempo_and_period_hovers_are_in_the_language(shipped):
    fig = figures.tempo_figure(tempo(shipped.events), t=translator("fa"))
    hovers = {t.name: t.hovertext for t in fig.data if t.type == "bar"}
    assert hovers["meeting"] == ("<b>ژوئیه ۲۰۲۲</b><br>دیدار: ۳",)
    periods = add_periods(go.Figure(), shipped.periods, y=1, t=translator("ru"))
    assert f"<br>с 24 февраля 2022{NNBSP}г.<br>" in periods.data[0].hovertext[0]


# ---- the exports ------------------------------------------------------------------------------


def _page(data, lang: str, query: str = "") -> str:
    view, _ = read_view(data, query)
    view = dataclasses.replace(view, state=dataclasses.replace(view.state, lang=lang))
    return static_page(view, figures, exported=dt.date(2024, 5, 1))


@pytest.mark.parametrize(
    ("lang", "parts"),
    [
        ("fa", ['<html lang="fa" dir="rtl">', '<h2 id="events-heading">رویدادها</h2>',
                # The file's English title in the direction of its own letters.
                '<h1 dir="auto">Russia and Iran grow closer</h1>',
                "<b>۱۰ از ۱۰ رویداد</b> · برون‌بری در ۱ مه ۲۰۲۴", '<section aria-label="نمودار">',
                '<nav class="step" aria-label="رویدادها، گام ۲ از ۱۱">',
                "<bdi>ژانویه ۲۰۲۲</bdi> · Moscow",
                "<footer><p>نسخه‌ای ایستا از یک نمای داشبورد خط زمانی."]),
        ("ar", ['<html lang="ar" dir="rtl">', "<b>الأحداث: 10 من 10</b> · صُدِّر في 1 مايو 2024"]),
        ("ru", ['<html lang="ru">', f"<b>10 из 10 событий</b> · экспортировано 1 мая 2024{NNBSP}г."]),
        ("tr", ['<html lang="tr">', "<b>10 olaydan 10 tanesi</b> · 1 Mayıs 2024 tarihinde dışa "
                "aktarıldı"]),
        ("en", ['<html lang="en">', "<b>10 of 10 events</b> · exported on 1 May 2024",
                "<h1>Russia and Iran grow closer</h1>",
                '<h2 id="events-heading">Events</h2>']),
    ],
)  # fmt: skip
def test_the_static_page_is_in_the_views_language_and_direction(shipped, lang, parts):
    page = _page(shipped, lang)
    for part in parts:
        assert part in page, part


def test_the_static_pages_chart_speaks_the_language(shipped):
    page = _page(shipped, "fa")
    figure = json.loads(re.search(r'id="chart-data">(.*?)</script>', page, re.S)[1])
    names = {trace.get("name") for trace in figure["data"]}
    assert {"نشست سران", "رویدادهای نزدیک به هم"} <= names and "summit" not in names
    assert figure["layout"]["xaxis"]["ticktext"][0] == "ژانویه ۲۰۲۲"
    assert figure["layout"]["yaxis"]["ticktext"][-1] == "بدون رهبرِ نام‌برده"
    hovers = " ".join(h for t in figure["data"] for h in t.get("hovertext") or [])
    assert "ژوئن ۲۰۲۲ · Turkmenistan" in hovers and "June 2022" not in hovers


# TimelineJS3's languages: the names of its src/js/language/locale/*.json (NUKnightLab/TimelineJS3).
TIMELINEJS3_LOCALES = {
    "af", "ar", "be", "bg", "ca", "cz", "da", "de", "el", "en-24hr", "en-gb", "en-week", "en",
    "eo", "es", "et", "eu", "fa", "fi", "fo", "fr", "fy", "ga", "gl", "he", "hi", "hr", "hu",
    "hy", "id", "is", "it", "iw", "ja", "ka", "ko", "lb", "lt", "lv", "ms", "my", "nb", "ne",
    "nl", "nn", "no", "pl", "pt-br", "pt", "rm", "ro", "ru", "si", "sk", "sl", "sr-cy", "sr",
    "sv", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh-cn", "zh-tw",
}  # fmt: skip


def test_each_language_has_a_timelinejs_language():
    assert set(TIMELINEJS_LANGUAGE) == set(LANGS)
    assert set(TIMELINEJS_LANGUAGE.values()) <= TIMELINEJS3_LOCALES


@pytest.mark.parametrize(
    ("lang", "options", "when", "lane", "sources"),
    [
        ("en", None, "19 July 2022", "No named leader", "<b>Sources:</b>"),
        ("ru", {"language": "ru"}, f"19 июля 2022{NNBSP}г.", "Без названного лидера",
         "<b>Источники:</b>"),
        ("fa", {"language": "fa"}, "۱۹ ژوئیه ۲۰۲۲", "بدون رهبرِ نام‌برده", "<b>منابع:</b>"),
        ("tr", {"language": "tr"}, "19 Temmuz 2022", None, "<b>Kaynaklar:</b>"),
        ("ar", {"language": "ar"}, "19 يوليو 2022", "بلا قائد مذكور", "<b>المصادر:</b>"),
    ],
)  # fmt: skip
def test_the_timelinejs_file_sets_its_language_option(shipped, lang, options, when, lane,
                                                      sources):  # fmt: skip
    view, _ = read_view(shipped, "")
    doc = timelinejs(dataclasses.replace(view, state=FilterState(lang=lang)))
    assert doc.get("options") == options  # English: TimelineJS's default, the file says none
    slides = {e["unique_id"]: e for e in doc["events"]}
    assert slides["gazprom-deal-2022"]["display_date"] == when
    assert sources in slides["gazprom-deal-2022"]["text"]["text"]
    if lane:
        assert slides["gazprom-deal-2022"]["group"] == lane


# ---- the command's --lang, and the Publish tab's files ------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["html", EVENTS, "--lang", "xx"], 2,
         "--lang 'xx' is not one of the page's languages (valid: en, ru, fa, tr, ar)"),
        (["timelinejs", EVENTS, "--lang", "FA"], 2, "--lang 'FA' is not one of the page's"),
        (["csv", EVENTS, "--lang", "fa"], 2, "--lang is for timelinejs and html only, not csv"),
        (["json", EVENTS, "--lang", "ru"], 2, "--lang is for timelinejs and html only, not json"),
    ],
)  # fmt: skip
def test_export_refuses_a_bad_language(in_process, args, code, message):
    ran = in_process("export", *args)
    assert ran.returncode == code
    assert message in ran.stderr


@pytest.mark.parametrize("fmt", ["html", "timelinejs"])
def test_lang_is_the_querys_lang(in_process, tmp_path, fmt, monkeypatch):
    monkeypatch.setattr(command, "export_day", lambda: DAY)
    by_option, by_query = tmp_path / "a", tmp_path / "b"
    assert in_process("export", fmt, EVENTS, "--lang", "fa", "-o", by_option).returncode == 0
    assert in_process("export", fmt, EVENTS, "--query", "lang=fa", "-o", by_query).returncode == 0
    assert by_option.read_bytes() == by_query.read_bytes()
    # --lang wins over the query's, as the page's choice wins over the link's.
    again = tmp_path / "c"
    assert in_process("export", fmt, EVENTS, "--query", "lang=ru", "--lang", "fa",
                      "-o", again).returncode == 0  # fmt: skip
    assert again.read_bytes() == by_option.read_bytes()


def test_the_publish_tab_in_persian_writes_the_commands_file(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(command, "export_day", lambda: DAY)
    tab = _tab_files({"lang": "fa"}, monkeypatch)
    monkeypatch.setattr(pio.templates, "default", "plotly")
    for name, title in (("html", "صفحهٔ ایستا (HTML)"), ("timelinejs", "JSON برای TimelineJS")):
        out = tmp_path / name
        code = cli.main(["export", name, EVENTS, "--lang", "fa", "--base-url",
                         publish_tab.FALLBACK_URL, "-o", str(out)])  # fmt: skip
        assert code == 0, capsys.readouterr().err
        shut, text = tab[title]  # the button is labelled in Persian
        assert not shut and text == out.read_text(encoding="utf-8")


def test_csv_and_json_stay_machine_readable_in_any_language(shipped):
    from timeline.exporters.tables import to_csv, to_json

    view, _ = read_view(shipped, "lang=fa")
    assert View.of(shipped, view.state).state.lang == "fa"
    header = to_csv(view.shown, shipped.people).splitlines()[0]
    assert header.startswith('"id","date","end","kind"')
    assert '"date": "2022-01"' in to_json(view.shown) or '"date":"2022-01"' in to_json(view.shown)


@pytest.mark.parametrize(
    ("lang", "bar", "hover", "first", "ticks"),
    [
        ("en", "events per month", "%{y}<br>%{x|%b %Y} (month): %{z} events<extra></extra>", None,
         None),  # Plotly's own ticks
        ("fa", "رویداد در ماه", "%{y}<br>%{customdata[0]}: %{customdata[1]} رویداد<extra></extra>",
         ["ژانویه ۲۰۲۲", "۱"], ["۱", "۲", "۳"]),  # Putin's July 2022: three events
        ("ru", "событий в месяц",
         "%{y}<br>%{customdata[0]} — событий: %{customdata[1]}<extra></extra>",
         [f"январь 2022{NNBSP}г.", "1"], ["1", "2", "3"]),
    ],
)  # fmt: skip
def test_the_density_charts_words_are_in_the_language(shipped, lang, bar, hover, first, ticks):
    view, _ = read_view(shipped, "")
    fig = figures.density_figure(shipped.events, view.mask, view.membership, shipped.people,
                                 "first", translator(lang))  # fmt: skip
    heat = fig.data[0]
    assert (heat.colorbar.title.text, heat.hovertemplate) == (bar, hover)
    cell = None if heat.customdata is None else list(heat.customdata[0][0])  # Raisi, Jan 2022
    assert cell == first
    assert (None if heat.colorbar.ticktext is None else list(heat.colorbar.ticktext)) == ticks


@pytest.mark.parametrize(
    ("lang", "ticks"),
    [
        ("en", None),  # Plotly's own
        ("fa", ["۱", "۲", "۳", "۴", "۵"]),
        ("ar", ["1", "2", "3", "4", "5"]),  # CLDR's default digits for Arabic are Latin
    ],
)
def test_the_matrix_colour_bar_counts_in_the_languages_digits(shipped, lang, ticks):
    view, _ = read_view(shipped, "")
    pairs = meetings(shipped.events, view.membership, view.mask, shipped.people, "first")
    fig = figures.matrix_figure(pairs, t=translator(lang))  # 1 to 5: Putin's own five
    bar = fig.data[0].colorbar
    assert (None if bar.ticktext is None else list(bar.ticktext)) == ticks
    if ticks:
        assert list(bar.tickvals) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("lang", "ticks"),
    [("en", None), ("fa", ["۰", "۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸"]),  # July 2022: eight
     ("tr", ["0", "1", "2", "3", "4", "5", "6", "7", "8"])],
)  # fmt: skip
def test_the_tempo_charts_counts_are_in_the_languages_digits(shipped, lang, ticks):
    view, _ = read_view(shipped, "")
    fig = figures.tempo_figure(tempo(view.shown), t=translator(lang))
    got = fig.layout.yaxis.ticktext
    assert (None if got is None else list(got)) == ticks


@pytest.mark.parametrize(
    ("lang", "quotes"),
    [("en", [2, 1, 2, 2]), ("fa", ["۲", "۱", "۲", "۲"]), ("ru", ["2", "1", "2", "2"])],
)
def test_the_tables_quotes_are_counted_in_the_languages_digits(shipped, lang, quotes):
    table = table_frame(shipped.events, shipped.people, translator(lang))
    assert list(table.iloc[4:8, 6]) == quotes  # the file's fifth to eighth events


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "story: no story has the id 'nope' (this file has no stories)"),
        ("fa", "story: هیچ روایتی شناسهٔ 'nope' را ندارد (این فایل روایتی ندارد)"),
        ("ru", "story: нет истории с id 'nope' (в этом файле нет историй)"),
    ],
)
def test_an_unknown_storys_reason_is_said_in_the_language(shipped, lang, said):
    from timeline.story import StoryError, find_story

    with pytest.raises(StoryError, match="no story has the id 'nope'") as caught:  # English
        find_story(shipped, "nope")
    assert notice_in(caught.value.args[0], translator(lang)) == said


# ---- an event store's exports in the language ------------------------------------------------

TRANSLATED = ROOT / "tests" / "data" / "translations.yaml"


@pytest.fixture
def store(tmp_path):
    from timeline.files import load_file
    from timeline.store.io import write_store
    from timeline.store.write import tables_of

    write_store(tmp_path / "store", tables_of(load_file(TRANSLATED)))
    return tmp_path / "store"


FA_TITLE = '\\u003cspan lang=\\"fa\\" dir=\\"auto\\"\\u003eپوتین در تهران\\u003c/span\\u003e'


@pytest.mark.parametrize(
    ("fmt", "args", "present", "absent"),
    [
        ("timelinejs", ["--lang", "fa"],
         ['"language": "fa"', f'"headline": "{FA_TITLE}"', '"display_date": "۱۹ ژوئیه ۲۰۲۲"'],
         ["Putin in Tehran"]),
        ("timelinejs", ["--query", "lang=fa"], ['"language": "fa"', FA_TITLE], ["Putin in"]),
        ("timelinejs", ["--query", "lang=ru", "--lang", "fa"], ['"language": "fa"'], ["Путин"]),
        ("timelinejs", ["--lang", "ru"],
         ['"language": "ru"', "Путин в Тегеране", f'"display_date": "19 июля 2022{NNBSP}г."'],
         ["Putin in Tehran"]),
        ("timelinejs", [], ['"headline": "Putin in Tehran"', '"display_date": "19 July 2022"'],
         ['"language"', "پوتین"]),
        ("html", ["--lang", "fa"],
         ['<html lang="fa" dir="rtl">', ">پوتین در تهران<", "۱۹ ژوئیه ۲۰۲۲"], ["<html lang=\"en\""]),
    ],
)  # fmt: skip
def test_a_stores_export_is_in_the_language_asked(in_process, store, tmp_path, monkeypatch,
                                                  fmt, args, present, absent):  # fmt: skip
    monkeypatch.setattr(command, "export_day", lambda: DAY)
    out = tmp_path / "out"
    ran = in_process("export", fmt, store, *args, "-o", out)
    assert ran.returncode == 0, ran.stderr
    text = out.read_text(encoding="utf-8")
    for words in present:
        assert words in text
    for words in absent:
        assert words not in text


@pytest.mark.xfail(
    strict=True,
    reason="the store keeps the file's title and description only (store/write.py's meta), "
    "not its lang or translations: the heading stays in the original, unmarked",
)
@pytest.mark.parametrize("fmt", ["html", "timelinejs"])
def test_a_stores_export_in_persian_is_the_files(in_process, store, tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(command, "export_day", lambda: DAY)
    from_store, from_file = tmp_path / "a", tmp_path / "b"
    assert in_process("export", fmt, store, "--lang", "fa", "-o", from_store).returncode == 0
    assert in_process("export", fmt, TRANSLATED, "--lang", "fa", "-o", from_file).returncode == 0
    assert from_store.read_text(encoding="utf-8") == from_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "order"),
    [
        ("fa", ["شناسه", "نقل‌قول‌ها", "رهبران", "مکان", "نوع", "عنوان", "زمان", "تاریخ"]),
        ("ar", list(reversed(COLUMNS["ar"]))),
        ("tr", []),  # the table's own order, left to right
    ],
)
def test_the_tables_columns_run_in_the_pages_direction(lang, order):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"], at.query_params["view"] = lang, "table"
    at.run()
    assert not at.exception
    assert list(at.dataframe[0].proto.column_order) == order
