"""Web addresses in an event's texts shown as links: http(s) only, everything else escaped."""

import pytest

from timeline.text import LINK_ATTRIBUTES, LINK_LIMIT, MAX_LINKS, linkify


def a(url_html: str) -> str:
    """The link linkify makes of an address already escaped."""
    return f'<a href="{url_html}" {LINK_ATTRIBUTES}>{url_html}</a>'


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("no address", "no address"),
        ("see https://x.org/a", f"see {a('https://x.org/a')}"),
        ("http://x.org", a("http://x.org")),
        # punctuation after an address ends the sentence, not the address
        ("see https://x.org/a.", f"see {a('https://x.org/a')}."),
        ("https://x.org/a, then", f"{a('https://x.org/a')}, then"),
        ("really https://x.org/a!?", f"really {a('https://x.org/a')}!?"),
        ("'https://x.org/a'", f"&#x27;{a('https://x.org/a')}&#x27;"),
        # brackets: the address keeps those it opened
        ("label (https://x.org/a)", f"label ({a('https://x.org/a')})"),
        ("(https://x.org/a_(b))", f"({a('https://x.org/a_(b)')})"),
        ("[https://x.org/a]", f"[{a('https://x.org/a')}]"),
        # an import's "label (url)" as written by importers.htmltext
        (
            "Ada Lovelace (https://en.wikipedia.org/wiki/Ada_Lovelace): she",
            f"Ada Lovelace ({a('https://en.wikipedia.org/wiki/Ada_Lovelace')}): she",
        ),
        # query strings: & escaped once, in the address and its words
        ("https://x.org/?a=1&b=2", a("https://x.org/?a=1&amp;b=2")),
        # text written with entities is text: escaped as it stands, never decoded
        ("a &amp; b", "a &amp;amp; b"),
        # a quotation mark ends an address: nothing leaves the attribute
        (
            'https://x.org/"><script>alert(1)</script>',
            f"{a('https://x.org/')}&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        (
            "https://x.org/a'onmouseover='alert(1)",
            a("https://x.org/a&#x27;onmouseover=&#x27;alert(1)"),
        ),
        ("<https://x.org/a>", f"&lt;{a('https://x.org/a')}&gt;"),
        ("https://x.org/`x`", f"{a('https://x.org/')}`x`"),
        # other schemes, and addresses with no host, stay text
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("JaVaScRiPt:alert(document.cookie)", "JaVaScRiPt:alert(document.cookie)"),
        ("data:text/html,<b>x</b>", "data:text/html,&lt;b&gt;x&lt;/b&gt;"),
        ("ftp://x.org/a", "ftp://x.org/a"),
        ("www.x.org", "www.x.org"),
        ("https://", "https://"),
        ("https:///path", "https:///path"),
        ("https://[::1", "https://[::1"),  # urlsplit refuses it: text
        ("javascript:https://x.org", f"javascript:{a('https://x.org')}"),
        # control and invisible characters dropped, as escape drops them
        ("https://x.org/\u202ea", a("https://x.org/a")),
        (
            "two https://a.org and https://b.org",
            f"two {a('https://a.org')} and {a('https://b.org')}",
        ),
    ],
)
def test_linkify(text, shown):
    assert linkify(text) == shown


def test_a_long_address_stays_text():
    url = "https://x.org/" + "a" * LINK_LIMIT
    assert linkify(url) == url


def test_at_most_max_links_per_text_the_rest_stay_text():
    shown = linkify("https://x.org/a " * (MAX_LINKS + 3))
    assert shown.count("<a href=") == MAX_LINKS
    assert shown.endswith("https://x.org/a https://x.org/a https://x.org/a ")


def test_closing_brackets_are_trimmed_in_one_pass():
    # 200,000 closing brackets after an address: counted once, not once per bracket.
    shown = linkify("https://x.org/" + ")" * 200_000)
    assert shown == a("https://x.org/") + ")" * 200_000


def card(summary: str, note: str | None, quote: str):
    import datetime as dt

    from timeline.card import EventCard, Quote
    from timeline.dates import PartialDate

    return EventCard(
        id="e", title="T", when="1 May 2024", start=PartialDate(dt.date(2024, 5, 1), "day"),
        end=None, kind="visit", place=None, people=(), summary=summary,
        quotes=(Quote(quote, "Jane Doe", None),), media=None, sources=(), note=note,
        countries=(), tags=(),
    )  # fmt: skip


@pytest.mark.parametrize("where", ["details", "static page"])
def test_the_details_and_the_static_page_link_addresses_in_summary_note_and_quotes(where):
    from timeline.exporters import html as static
    from timeline.views import card_html

    made = card(
        "Report (https://x.org/r). javascript:alert(1)",
        "Checked at https://y.org/n.",
        'Said at https://z.org/q"><script>',
    )
    shown = card_html(made) if where == "details" else static._entry(made)
    for url in ("https://x.org/r", "https://y.org/n", "https://z.org/q"):
        assert a(url) in shown
    assert "<script>" not in shown and "&quot;&gt;&lt;script&gt;" in shown
    assert "javascript:alert(1)" in shown and 'href="javascript' not in shown
