"""The addresses the TimelineJS export writes: percent-encoded, and media only when TimelineJS's
own rules (timeline/exporters/timelinejs_media.py) would show them as an image.

`ADDRESSES` is also what tests/test_publish_browser.py exports and loads in the real
TimelineJS, and where it checks this file's TimelineJS types against `TL.lookupMediaType`.
"""

import dataclasses
import html
import json
import re

import pytest

from timeline.exporters.timelinejs import timelinejs, timelinejs_json
from timeline.exporters.timelinejs_media import (
    TIMELINEJS_MEDIA_RULES,
    media_use,
    safe_address,
    timelinejs_media_rule,
)
from timeline.exporters.view import View
from timeline.importers.htmltext import html_to_text
from timeline.loader import parse_events
from timeline.schema import web_address
from timeline.state import FilterState


@dataclasses.dataclass(frozen=True)
class Address:
    """A media or source address, what the export writes of it, and what TimelineJS makes of that."""

    given: str
    written: str | None  # the safe address, or None: left out
    timelinejs: str | None  # TimelineJS's media type for the written address
    use: str | None  # "image" (TimelineJS media) or "link" (in the slide's text)


def row(given, written, timelinejs=None, use=None, why=""):
    return pytest.param(Address(given, written, timelinejs, use), id=why or given[:60])


EX = "https://example.org"
ADDRESSES = [
    # Images: TimelineJS's Image class, as an address ends or by its catch-all.
    row(f"{EX}/photo.jpg", f"{EX}/photo.jpg", "image", "image"),
    row(f"{EX}/PHOTO.JPG", f"{EX}/PHOTO.JPG", "image", "image"),  # its image rule ignores case
    row(f"{EX}/photo.jpg?w=800", f"{EX}/photo.jpg?w=800", "image", "image"),
    row(f"{EX}/photo.avif", f"{EX}/photo.avif", "imageblank", "image", "not in its list: catch-all"),
    row(f"{EX}/photo.jpg#top", f"{EX}/photo.jpg#top", "imageblank", "image", "a fragment: catch-all"),
    row("https://i.imgur.com/abc.jpg", "https://i.imgur.com/abc.jpg", "image", "image",
        "its image rule comes before imgur"),
    row(f"{EX}/page", f"{EX}/page", "imageblank", "link", "a page: TimelineJS would draw a broken image"),
    # Wikipedia writes the title it cuts from the address into innerHTML (the case).
    row("https://en.wikipedia.org/wiki/<img/src/onerror=alert(2)>.jpg",
        "https://en.wikipedia.org/wiki/%3Cimg/src/onerror=alert(2)%3E.jpg", "wikipedia", "link"),
    row(f"{EX}/en.wikipedia.org/cat.jpg", f"{EX}/en.wikipedia.org/cat.jpg", "wikipedia", "link",
        "wikipedia.org anywhere after the first /"),
    row("HTTPS://EN.WIKIPEDIA.ORG/wiki/Cat.jpg", "HTTPS://EN.WIKIPEDIA.ORG/wiki/Cat.jpg", "image",
        "image", "its Wikipedia rule is case-sensitive: an image to TimelineJS"),
    row("https://commons.wikimedia.org/wiki/File:Cat.jpg",
        "https://commons.wikimedia.org/wiki/File:Cat.jpg", "wikipedia-image", "link"),
    row("https://en.wikipedia.org/wiki/Cat#/media/File:Cat.jpg",
        "https://en.wikipedia.org/wiki/Cat#/media/File:Cat.jpg", "wikipedia-image", "link"),
    # DailyMotion, Vine, Google Docs and PDF write the address into an <iframe src='...'>.
    row("https://www.dailymotion.com/video/x'></iframe><img/src/onerror=alert(3)>.jpg",
        "https://www.dailymotion.com/video/x%27%3E%3C/iframe%3E%3Cimg/src/onerror=alert(3)%3E.jpg",
        "dailymotion", "link"),
    row("https://dai.ly/x'></iframe><svg/onload=alert(4)>.png",
        "https://dai.ly/x%27%3E%3C/iframe%3E%3Csvg/onload=alert(4)%3E.png", "dailymotion", "link"),
    row("https://vine.co/v/'></iframe><img/src/onerror=alert(5)>.gif",
        "https://vine.co/v/%27%3E%3C/iframe%3E%3Cimg/src/onerror=alert(5)%3E.gif", "vine", "link"),
    row("https://x.googledrive.com/host/a/'></iframe><img/src/onerror=alert(6)>.avif",
        "https://x.googledrive.com/host/a/%27%3E%3C/iframe%3E%3Cimg/src/onerror=alert(6)%3E.avif",
        "googledocs", "link"),
    row(f"{EX}/a.pdf/'></iframe><img/src/onerror=alert(7)>.bmp",
        f"{EX}/a.pdf/%27%3E%3C/iframe%3E%3Cimg/src/onerror=alert(7)%3E.bmp", "pdf", "link",
        ".pdf anywhere, when no image rule matched"),
    # Twitter writes its status id into innerHTML when its API does not answer.
    row("https://twitter.com/a/status/<img/src/onerror=alert(8)>.jpg",
        "https://twitter.com/a/status/%3Cimg/src/onerror=alert(8)%3E.jpg", "twitter", "link"),
    row("https://x.com/a.png", "https://x.com/a.png", "twitter", "link"),
    # Every other family, each with an image's extension (ours: an image; TimelineJS's: not).
    row("https://www.youtube.com/watch?v=abc", "https://www.youtube.com/watch?v=abc", "youtube", "link"),
    row(f"{EX}/youtuXbe.jpg", f"{EX}/youtuXbe.jpg", "youtube", "link",
        "youtu\\.be in a JavaScript string: the dot is any character"),
    row("https://youtube.com@example.org/a.jpg", "https://example.org/a.jpg", "image", "image",
        "a user name only hides the host: left out"),
    row("https://vimeo.com/76979871.jpg", "https://vimeo.com/76979871.jpg", "vimeo", "link"),
    row("https://www.tiktok.com/@a/video/123/x.jpg", "https://www.tiktok.com/@a/video/123/x.jpg",
        "tiktok", "link"),
    row("https://bsky.app/profile/a/post/b.jpg", "https://bsky.app/profile/a/post/b.jpg",
        "bluesky", "link"),
    row("https://soundcloud.com/a.jpg", "https://soundcloud.com/a.jpg", "soundcloud", "link"),
    row("https://www.google.com/maps/@40.7,-74.0,12z/pin.jpg",
        "https://www.google.com/maps/@40.7,-74.0,12z/pin.jpg", "googlemaps", "link"),
    row("https://www.flickr.com/photos/a/1.jpg", "https://www.flickr.com/photos/a/1.jpg",
        "flickr", "link"),
    row("https://flic.kr/p/abc.jpg", "https://flic.kr/p/abc.jpg", "flickr", "link"),
    row("https://www.instagram.com/p/abc.jpg", "https://www.instagram.com/p/abc.jpg",
        "instagram", "link"),
    row("https://instagram.com/someone.jpg", "https://instagram.com/someone.jpg", "profile", "link"),
    row(f"{EX}/documentcloud.org/a.jpg", f"{EX}/documentcloud.org/a.jpg", "documentcloud", "link"),
    row("https://imgur.com/a/abc.avif", "https://imgur.com/a/abc.avif", "imgur", "link"),
    row(f"{EX}/spotify.avif", f"{EX}/spotify.avif", "spotify", "link", "'spotify' anywhere"),
    row(f"{EX}/iframe.bmp", f"{EX}/iframe.bmp", "iframe", "link", "'iframe' anywhere"),
    row(f"{EX}/blockquote.avif", f"{EX}/blockquote.avif", "blockquote", "link"),
    row(f"{EX}/a.avif?v=.webm", f"{EX}/a.avif?v=.webm", "video", "link"),
    row("https://fast.wistia.com/a.bmp", "https://fast.wistia.com/a.bmp", "wistia", "link"),
    row(f"{EX}/a.bmp?f=.mp3", f"{EX}/a.bmp?f=.mp3", "audio", "link"),
    # Quotes, angle brackets, backticks: percent-encoded, whatever the type.
    row(f"{EX}/a'onerror='alert(9).jpg", f"{EX}/a%27onerror=%27alert(9).jpg", "image", "image"),
    row(f'{EX}/"><svg/onload=alert(10)>.png', f"{EX}/%22%3E%3Csvg/onload=alert(10)%3E.png",
        "image", "image"),
    row(f"{EX}/`${{alert(11)}}`.gif", f"{EX}/%60$%7Balert(11)%7D%60.gif", "image", "image"),
    row(f"{EX}/a.jpg?x=<script>alert(12)</script>", f"{EX}/a.jpg?x=%3Cscript%3Ealert(12)%3C/script%3E",
        "image", "image"),
    row(f"{EX}/a.jpg?u=www.x'onfocus='alert(13)'autofocus='",
        f"{EX}/a.jpg?u=www%2Ex%27onfocus=%27alert(13)%27autofocus=%27", "image", "image",
        "autolink's www. pattern: %2E, the same to a server"),
    row(f"{EX}/?to=bob@example.com", f"{EX}/?to=bob%40example.com", "imageblank", "link",
        "autolink's e-mail pattern"),
    row("https://wwww.example.org/a.jpg", "https://wwww%2Eexample.org/a.jpg", "image", "image",
        "www. after a w: a browser decodes a host's escapes"),
    row(f"{EX}/%zz.jpg", f"{EX}/%25zz.jpg", "image", "image", "a lone % is itself"),
    row(f"{EX}/a%3Cb.jpg", f"{EX}/a%3Cb.jpg", "image", "image", "an escape stays one"),
    row("https://web.archive.org/web/2020/https://example.org/a.jpg",
        "https://web.archive.org/web/2020/https%3A//example.org/a.jpg", "image", "image",
        "an address inside an address: autolink's own pattern"),
    # Unicode: UTF-8, percent-encoded; the browser reads an encoded host as the name itself.
    row(f"{EX}/café.jpg", f"{EX}/caf%C3%A9.jpg", "image", "image"),
    row("https://exämple.org/a.jpg", "https://ex%C3%A4mple.org/a.jpg", "image", "image"),
    row(f"{EX}/＜img＞.png", f"{EX}/%EF%BC%9Cimg%EF%BC%9E.png", "image", "image", "full-width brackets"),
    row(f"{EX}/\u202egnp.exe", f"{EX}/%E2%80%AEgnp.exe", "imageblank", "link",
        "a right-to-left override shows no reversed name"),
    # A backslash is a slash to a browser before the query (so the host is evil.example).
    row("https://evil.example\\@good.example/a.jpg?q=\\", "https://evil.example/@good.example/a.jpg?q=%5C",
        "image", "image"),
    # No http(s) address: left out.
    row("javascript:alert(14)//a.jpg", None),
    row("JaVaScRiPt:alert(15)", None),
    row("data:image/svg+xml,<svg/onload=alert(16)>", None),
    row("//evil.example/a.jpg", None, why="protocol-relative"),
    row("https:evil.example/a.jpg", None, why="no host"),
    row("ftp://example.org/a.jpg", None),
    row(f"{EX}/a b.jpg", None, why="a space"),
    row(f"{EX}/a.jpg\n", None, why="a line break"),
    row(f"{EX}/<blockquote class='twitter-tweet'>", None, why="TwitterEmbed needs a space"),
    row(f"{EX}/\ud800.jpg", None, why="a lone surrogate"),
]  # fmt: skip


def in_a_file(given: str) -> bool:
    """Tell whether a data file can hold an address: the format's rule, and YAML's characters."""
    return web_address(given) is not None and not any("\ud800" <= c <= "\udfff" for c in given)


# The patterns of TimelineJS's autolink (linkify, src/js/core/Util.js, 3.9.11), all /gim.
URL = re.compile(r"\b(?:https?|ftp):\/\/([a-z0-9-+&@#\/%?=~_|!:,.;]*[a-z0-9-+&@#\/%=~_|])", re.I)
PSEUDO_URL = re.compile(r"(^|[^\/>])(www\.[\S]+(\b|$))", re.I | re.M)
EMAIL = re.compile(r"([a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+)", re.I)

_KEPT = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*")


@pytest.mark.parametrize("address", ADDRESSES)
def test_what_the_export_writes_of_an_address(address):
    written = safe_address(address.given)
    assert written == address.written
    if written is None:
        return
    assert _KEPT.fullmatch(written), written  # no quote, bracket, backtick, space or non-ASCII
    assert web_address(written) == written
    assert safe_address(written) == written  # once is enough
    assert timelinejs_media_rule(written).type == address.timelinejs
    assert media_use(written) == address.use


# More of TimelineJS's types, by the rules as its bundle holds them (checked in the browser).
TYPES = [
        ("https://www.youtube.com/embed/x", "youtube"),
        ("https://m.youtube.com/x", "youtube"),
        ("http://vimeo.com/1", "vimeo"),
        ("https://player.vimeo.com/video/1", "vimeo"),
        ("https://www.dailymotion.com/video/x", "dailymotion"),
        ("https://x.com/a/status/1", "twitter"),
        ("https://www.twitter.com/a", "twitter"),
        ("https://docs.google.com/document/d/x/edit?usp=sharing", "googledocs"),
        ("https://drive.google.com/open?id=abc", "googledocs"),
        ("https://www.google.com/maps/place/Tehran/@35.7,51.4,11z", "googlemaps"),
        ("https://www.documentcloud.org/documents/1-x.html", "documentcloud"),
        ("https://example.org/a.MP4", "video"),  # its video rule ignores case
        ("https://example.org/a.wav?x=1", "audio"),
        ("https://example.org/a.webp", "image"),
        ("https://example.org/a.svg?x", "image"),
        ("https://example.org/", "imageblank"),
        ("<blockquote class='twitter-tweet'>", "twitterembed"),  # not an address: the table's own
        ('<blockquote class="imgur-embed-pub">', "imgur"),
        ("https://example.org/a.jpg\n", "imageblank"),  # JavaScript's $: the end, not before \n
        ("https://youtu\u2028be/", "imageblank"),  # JavaScript's . : not a line separator
        ("https://youtu\rbe/", "imageblank"),
]  # fmt: skip


@pytest.mark.parametrize(("address", "expected"), TYPES)
def test_timelinejs_media_types(address, expected):
    assert timelinejs_media_rule(address).type == expected


def test_the_rules_end_with_timelinejs_catch_all():
    # Every string matches some rule: the last one, an empty pattern, shown as an image.
    last = TIMELINEJS_MEDIA_RULES[-1]
    assert (last.type, last.cls, last.pattern.pattern) == ("imageblank", "Image", "")


def _document(url: str, source_url: str = "https://example.org/s") -> str:
    return f"""\
title: Addresses
people: {{}}
sources:
  s: {{title: A source, publisher: P, date: "2023", url: {json.dumps(source_url)}}}
events:
  - id: one
    title: One
    date: "2023-05-10"
    kind: meeting
    summary: A summary.
    media: {{url: {json.dumps(url)}, credit: "www.x'onfocus='alert(17)'autofocus='"}}
    sources: [s]
"""


@pytest.mark.parametrize("address", [a for a in ADDRESSES if in_a_file(a.values[0].given)])
def test_every_address_the_export_writes_is_safe(address):
    data = parse_events(_document(address.given, address.given), "addresses.yaml")
    doc = timelinejs(View.of(data, FilterState()), base_url=address.given)
    (event,) = doc["events"]
    media = event.get("media")
    hrefs = re.findall(r'href="([^"]*)"', event["text"]["text"] + doc["title"]["text"]["text"])
    assert all(_KEPT.fullmatch(h.replace("&amp;", "&")) for h in hrefs), hrefs
    if address.use == "image":
        assert media["url"] == address.written
        assert len(hrefs) == 2  # the source and the live view
    else:
        assert media is None
        assert f'href="{address.written.replace("&", "&amp;")}"' in event["text"]["text"]
        assert len(hrefs) == 3  # the media, the source and the live view
    # What TimelineJS's autolink rewrites holds nothing its patterns find, but for the
    # address at the start of each href (after a quote: it leaves those).
    rewritten = [event["text"]["text"], doc["title"]["text"]["text"]]
    assert not any(re.search(PSEUDO_URL, text) for text in rewritten)
    assert not any(re.search(p, h[1:]) for h in hrefs for p in (URL, PSEUDO_URL, EMAIL))
    assert "<" not in timelinejs_json(View.of(data, FilterState()))


@pytest.mark.parametrize(
    ("base_url", "href"),
    [
        ("https://dash.example/", "https://dash.example/"),
        ("https://dash.example/a'b\"c<d>", "https://dash.example/a%27b%22c%3Cd%3E"),
        ("https://dash.example/ä", "https://dash.example/%C3%A4"),
        ("javascript:alert(1)", None),  # the command refuses it; the export leaves it out
    ],
)
def test_the_link_to_the_live_view(base_url, href):
    data = parse_events(_document("https://example.org/a.jpg"), "addresses.yaml")
    text = timelinejs(View.of(data, FilterState()), base_url=base_url)["title"]["text"]["text"]
    if href is None:
        assert "href" not in text
    else:
        assert f'<a href="{href}" target="_blank" rel="noopener">The live view</a>' in text


@pytest.mark.parametrize(
    "text",
    [
        "See www.example.org.",
        "WWW.EXAMPLE.ORG's page",  # autolink ignores case
        "wwww.x'onfocus='alert(1)'",  # found at the second w
        "www.a www.b",
    ],
)
def test_text_has_no_www_for_autolink_and_reads_the_same(text):
    document = _document("https://example.org/a.jpg").replace("A summary.", json.dumps(text))
    data = parse_events(document.replace("title: One", f"title: {json.dumps(text)}"))
    doc = timelinejs(View.of(data, FilterState()))
    (event,) = doc["events"]
    summary = event["text"]["text"].split("</p>")[0] + "</p>"
    assert not re.search(PSEUDO_URL, summary)
    assert html_to_text(summary) == text
    # Headlines are no autolink's: they keep their www. (TimelineJS's marker shows them too).
    assert event["text"]["headline"] == html.escape(text, quote=False)
