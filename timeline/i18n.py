"""The reader's language: gettext catalogs, plural rules, direction, dates and numbers from CLDR.

The catalogs are `timeline/locale/<lang>/LC_MESSAGES/timeline.po`, managed with Babel
(`babel.cfg`; extraction into `timeline/locale/timeline.pot`). They are compiled in
memory on first use, so a fresh checkout needs no build step. Dates and numbers come from
CLDR through Babel; English keeps the page's own wording (`dates.PartialDate.label`).
The calendar is the Gregorian one in every language.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from .dates import PartialDate, span_label
from .state import LANGS, Lang

DEFAULT_LANG: Lang = "en"
# Each language by its own name, as its readers look for it in a list.
NATIVE_NAMES: dict[Lang, str] = {
    "en": "English",
    "ru": "Русский",
    "fa": "فارسی",
    "tr": "Türkçe",
    "ar": "العربية",
}
RTL: frozenset[Lang] = frozenset({"fa", "ar"})
Direction = Literal["ltr", "rtl"]
DOMAIN = "timeline"

# The digits of CLDR's numbering systems that our languages use by default (Babel formats
# their separators but always writes ASCII digits): Persian's is `arabext`.
_DIGITS = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}
_ASCII_DIGITS = "0123456789"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")  # any name: a translator may mistype one


def N_(message: str) -> str:  # gettext's own name for a marked, untranslated string
    """Mark a string for extraction where it is declared; it is translated where shown."""
    return message


# Words declared in the core (lanes.LANES and NO_LANE, lanes.ORDER_WORDS) and
# translated where the page shows them: marked here so that extraction finds them.
CORE_WORDS = (
    N_("Leaders"), N_("States"), N_("Tags"),
    N_("leader"), N_("state"), N_("tag"),
    N_("First appearance"), N_("Most events"), N_("Alphabetical"), N_("The file's order"),
    N_("Events with no named leader (a deal, a report) show only while no leader is chosen."),
    N_("No named leader"), N_("No state named"), N_("No tag"),
)  # fmt: skip


def placeholders(message: str) -> set[str]:
    """Return the names of a message's {placeholders}."""
    return set(_PLACEHOLDER.findall(message))


@cache
def _catalog(lang: Lang) -> gettext.NullTranslations:
    """Compile a language's .po file in memory (English: the messages as written)."""
    if lang == DEFAULT_LANG:
        return gettext.NullTranslations()
    po = resources.files(__package__).joinpath(f"locale/{lang}/LC_MESSAGES/{DOMAIN}.po")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """The interface's words, dates and numbers in one language."""

    lang: Lang
    locale: Locale = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "locale", Locale.parse(self.lang))

    @property
    def direction(self) -> Direction:
        """Return the language's writing direction."""
        return "rtl" if self.lang in RTL else "ltr"

    def gettext(self, message: str, **values: object) -> str:
        """Return a message in this language, its {placeholders} filled from `values`."""
        text = _catalog(self.lang).gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """Return the form of a message for `n` by the language's plural rules; {count} is n."""
        text = _catalog(self.lang).ngettext(singular, plural, n)
        return text.format(count=self.count(n), **values)

    def count(self, n: int) -> str:
        """Return a count as the page has always written it in English ('10000'), else by CLDR."""
        return str(n) if self.lang == DEFAULT_LANG else self.number(n)

    def isolate(self, text: str) -> str:
        """Return data text isolated for a right-to-left page (FSI ... PDI), so that a Latin
        title inside Persian keeps its own order; unchanged on a left-to-right page."""
        return f"\u2068{text}\u2069" if self.direction == "rtl" else text

    def digits(self, text: str) -> str:
        """Return text with ASCII digits written in the language's default digits."""
        native = _DIGITS.get(self.locale.default_numbering_system)
        return text.translate(str.maketrans(_ASCII_DIGITS, native)) if native else text

    def number(self, value: float) -> str:
        """Return a number as the language writes it ('1,234' in English, '۱٬۲۳۴' in Persian)."""
        if self.lang == DEFAULT_LANG:
            return f"{value:,}"
        return self.digits(format_decimal(value, locale=self.locale, numbering_system="default"))

    def date(self, date: PartialDate) -> str:
        """Return a date as precise as it is known: a day, a month ('July 2022') or a year."""
        if self.lang == DEFAULT_LANG:
            return date.label()
        skeleton = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}[date.precision]
        return self.digits(format_skeleton(skeleton, date.first, locale=self.locale))

    def quarter(self, day: dt.date) -> str:
        """Return the quarter a day falls in, with its year ('Q3 2022')."""
        if self.lang == DEFAULT_LANG:
            return f"Q{(day.month - 1) // 3 + 1} {day.year}"
        return self.digits(format_skeleton("yQQQQ", day, locale=self.locale))

    def ticks(
        self, first: dt.date, last: dt.date, most: int = 8
    ) -> tuple[list[dt.date], list[str]]:
        """Return a time axis' ticks from `first` to `last` and their names in this language.

        At most `most` ticks, on whole days, months or years (Plotly names its own ticks in
        English only): "19 июл.", "июл. 2022 г.", "۲۰۲۲".
        """
        days = (last - first).days
        for step in _DAY_STEPS:
            if days // step < most:
                ticks = [first + dt.timedelta(days=d) for d in range(0, days + 1, step)]
                return ticks, [self._tick("MMMd", day) for day in ticks]
        months = (last.year - first.year) * 12 + last.month - first.month
        for step in _MONTH_STEPS:
            if months // step < most:
                ticks = _months_from(first, last, step)
                return ticks, [self._tick("yMMM", day) for day in ticks]
        step = next(s for s in _year_steps() if (last.year - first.year) // s < most)
        ticks = [
            dt.date(y, 1, 1) for y in range(-(-first.year // step) * step, last.year + 1, step)
        ]
        return ticks, [self._tick("y", day) for day in ticks]

    def count_ticks(self, low: int, high: int, most: int = 6) -> tuple[list[int], list[str]]:
        """Return whole-number ticks from `low` to `high` (at most `most`, by 1, 2, 5, 10...)
        and their names in the language's digits: Plotly writes its numbers in ASCII only."""
        low, high = max(0, low), max(low, high)
        step = next(s for s in _year_steps() if (high - low) // s < most)
        ticks = list(range(-(-low // step) * step, high + 1, step))
        return ticks, [self.count(n) for n in ticks]

    def _tick(self, skeleton: str, day: dt.date) -> str:
        return self.digits(format_skeleton(skeleton, day, locale=self.locale))

    def span(self, start: PartialDate, end: PartialDate | None) -> str:
        """Return a date or a span ('1–3 March 2023'), shared parts said once, by CLDR."""
        if self.lang == DEFAULT_LANG:
            return span_label(start, end)
        if end is None or end == start:
            return self.date(start)
        skeleton = {"day": "yMMMd", "month": "yMMMM", "year": "y"}[start.precision]
        if start.precision == end.precision and start.first <= end.first:
            return self.digits(self._interval(skeleton, start.first, end.first))
        fallback = self.locale.interval_formats[None]
        return fallback.replace("{0}", self.date(start)).replace("{1}", self.date(end))

    def _interval(self, skeleton: str, a: dt.date, b: dt.date) -> str:
        """Format an interval by CLDR's pattern for the greatest field that differs."""
        patterns = self.locale.interval_formats[skeleton]
        differs = next((f for f, x, y in _FIELDS if x(a) != y(b) and f in patterns), None)
        if differs is None:
            return format_date(a, _widened(skeleton), locale=self.locale)
        first, second = patterns[differs]
        return format_date(a, _widened(first), self.locale) + format_date(
            b, _widened(second), self.locale
        )


_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6)


def _year_steps() -> Iterable[int]:
    """Yield 1, 2, 5, 10, 20, 50, ... years: enough for any axis up to year 9999."""
    scale = 1
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


def _months_from(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """Return the first days of every `step`-th month (counted from January) within the days."""
    index = first.year * 12 + first.month - 1 + (first.day > 1)
    index += -index % step
    out = []
    while (day := dt.date(index // 12, index % 12 + 1, 1)) <= last:
        out.append(day)
        index += step
        if index // 12 > 9999:
            break
    return out


# The fields an interval may differ in, greatest first.
_FIELDS = (
    ("y", lambda d: d.year, lambda d: d.year),
    ("M", lambda d: d.month, lambda d: d.month),
    ("d", lambda d: d.day, lambda d: d.day),
)


def _widened(pattern: str) -> str:
    """Return a pattern with abbreviated months made full ('d MMM' to 'd MMMM').

    CLDR gives intervals of abbreviated months only; UTS #35 (best-fit matching) widens a
    matched pattern's fields to the lengths asked for, which Babel does not do.
    """
    return re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", pattern)


@lru_cache(maxsize=65536)
def span_in(lang: Lang, start: PartialDate, end: PartialDate | None) -> str:
    """Return a date or span in a language, remembered (a list repeats the same days)."""
    return translator(lang).span(start, end)


@cache
def translator(lang: Lang) -> Translator:
    """Return the translator of a language, made once."""
    return Translator(lang)


def as_lang(value: object) -> Lang | None:
    """Return a language tag ('fa-IR', 'ru_RU', 'tr') as one of ours, or None."""
    if not isinstance(value, str):
        return None
    base = value.strip().replace("_", "-").split("-")[0].lower()
    return next((lang for lang in LANGS if lang == base), None)


def accepted(header: str | None) -> list[str]:
    """Return the tags of an Accept-Language header, most wanted first ('q=0' left out)."""
    ranked: list[tuple[float, int, str]] = []
    for at, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > 0:
            ranked.append((-q, at, tag))
    return [tag for _, _, tag in sorted(ranked)]


def resolve_lang(url: Iterable[str], header: str | None, browser: str | None) -> Lang:
    """Choose the language: the URL's `lang`, else the browser's first of ours, else English."""
    for value in list(url)[-1:]:
        if (lang := as_lang(value)) and value == lang:
            return lang
    for tag in [*accepted(header), browser or ""]:
        if lang := as_lang(tag):
            return lang
    return DEFAULT_LANG


class Notice(str):
    """A message as English text; `said` gives it in the reader's language.

    A str, so that the command line prints it and the page keeps it as it always has; the
    message and its values are kept beside the text for the translator. Made by
    `Notice.gettext` and `Notice.ngettext`, names that Babel's extraction finds. A value may
    be a notice itself, or a tuple of values (joined by a comma), each said in turn.
    """

    message: str
    values: dict[str, object]
    plural: tuple[str, int] | None = None

    @classmethod
    def gettext(cls, message: str, /, **values: object) -> Notice:
        """Return a notice: `message` with its {placeholders} filled from `values`."""
        self = cls(message.format(**{k: _said(v, None) for k, v in values.items()}))
        self.message, self.values = message, values
        return self

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, /, **values: object) -> Notice:
        """Return a notice of a number of things, in the form for `n` ({count})."""
        english = {k: _said(v, None) for k, v in values.items()}
        self = cls(translator(DEFAULT_LANG).ngettext(singular, plural, n, **english))
        self.message, self.values, self.plural = singular, values, (plural, n)
        return self

    def said(self, t: Translator) -> str:
        """Return the notice in the translator's language."""
        # A number in the reader's digits; the link's own text (a value, a date) as typed.
        values = {k: _said(v, t) for k, v in self.values.items()}
        if self.plural is None:
            return t.gettext(self.message, **values)
        plural, n = self.plural
        return t.ngettext(self.message, plural, n, **values)


def _said(value: object, t: Translator | None) -> object:
    """Return a notice's value as shown: in English (t None) as written, else in t's words."""
    if isinstance(value, tuple):  # Persian and Arabic write the Arabic comma
        comma = "، " if t is not None and t.direction == "rtl" else ", "
        return comma.join(str(_said(v, t)) for v in value)
    if t is None:
        return value
    if isinstance(value, Notice):
        return value.said(t)
    return t.count(value) if isinstance(value, int) and not isinstance(value, bool) else value
