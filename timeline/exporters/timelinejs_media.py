"""TimelineJS's own rules for what a media address is, and addresses it cannot misread.

TimelineJS 3 shows an event's `media.url` as the first of its media types whose pattern
the address matches, and several types (Wikipedia, DailyMotion, Vine, Google Docs, PDF,
Twitter's error message...) write pieces of the address into `innerHTML`. The export sends
an address as media only when that first match is TimelineJS's Image class, and every
address it writes is percent-encoded first, so that no quote, angle bracket, backtick or
space is left in it for any type or attribute to break out with.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Literal

from ..card import is_image_address
from ..schema import web_address


@dataclass(frozen=True)
class MediaRule:
    """One of TimelineJS's media types: its name, the class that renders it, its pattern."""

    type: str
    cls: str
    pattern: re.Pattern[str]


def _python(source: str) -> str:
    """Return a JavaScript RegExp source as Python's: `.` and `$` as JavaScript reads them."""
    out, in_class, escaped = [], False, False
    for char in source:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == ".":  # JavaScript's dot stops at every line terminator, Python's at \n
            char = "[^\n\r\u2028\u2029]"
        elif char == "$":  # the end of the text only; Python's $ also before a final \n
            char = r"\Z"
        out.append(char)
    return "".join(out)


def _rule(type_: str, cls: str, source: str, *, ignore_case: bool = False) -> MediaRule:
    # ASCII: \d and \w, and ignoring case, as in a JavaScript RegExp without the u flag.
    flags = re.ASCII | (re.IGNORECASE if ignore_case else 0)
    return MediaRule(type_, cls, re.compile(_python(source), flags))


# `media_types` in lookupMediaType, src/js/media/MediaType.js of @knight-lab/timelinejs
# 3.9.11 (the version on npm that tests/test_publish_browser.py loads), in its order. Each
# pattern is the RegExp source as the published dist/js/timeline.js holds it: TimelineJS
# writes most of them as JavaScript strings, where "\." is a plain "." (any character),
# so "youtu\.be" also matches "youtuXbe". JavaScript's `url.match(pattern)` finds a match
# anywhere (re.search); _python gives `.` and `$` their JavaScript meaning. The browser
# tests check this table against the real `TL.lookupMediaType` for every address in the
# tests' table, as given and as written.
_MAPS = r"([-\d.]+),([-\d.]+),((?:[-\d.]+[zmayht],?)*)"
TIMELINEJS_VERSION = "3.9.11"
TIMELINEJS_MEDIA_RULES: tuple[MediaRule, ...] = (
    _rule("youtube", "YouTube", r"^(https?:)?/*(www.|m.)?youtube|youtu.be"),
    _rule("vimeo", "Vimeo", r"^(https?:)?/*(player.)?vimeo.com"),
    _rule("dailymotion", "DailyMotion", r"^(https?:)?/*(www.)?(dailymotion.com|dai.ly)"),
    _rule("vine", "Vine", r"^(https?:)?/*(www.)?vine.co"),
    _rule("tiktok", "TikTok", r"^(https?:)?/*(www.)?tiktok.com/@[^/]+/video/\d+"),
    _rule("bluesky", "Bluesky", r"^(https?:)?/*(www.)?bsky.app/profile/[^/]+/post/[^/?]+"),
    _rule("soundcloud", "SoundCloud", r"^(https?:)?/*(player.)?soundcloud.com"),
    _rule("twitter", "Twitter", r"^(https?:)?/*(www.)?(twitter|x).com"),
    _rule("twitterembed", "TwitterEmbed", r"<blockquote class=['\"]twitter-tweet['\"]"),
    _rule(
        "googlemaps",
        "GoogleMap",
        rf"google.+?\/maps\/@{_MAPS}|google.+?\/maps\/search\/([\w\W]+)\/@{_MAPS}"
        rf"|google.+?\/maps\/place\/([\w\W]+)\/@{_MAPS}"
        rf"|google.+?\/maps\/dir\/([\w\W]+)\/([\w\W]+)\/@{_MAPS}",
    ),
    _rule("flickr", "Flickr", r"^(https?:)?/*(www.)?flickr.com/photos"),
    _rule("flickr", "Flickr", r"^(https?://)?flic.kr/.*"),
    _rule(
        "instagram",
        "Instagram",
        r"^(https?:)?\/*(www.)?(instagr.am|^(https?:)?\/*(www.)?instagram.com)\/p\/",
    ),
    _rule(
        "profile",
        "Profile",
        r"^(https?:)?\/*(www.)?instagr.am\/[a-zA-Z0-9]{2,}"
        r"|^(https?:)?\/*(www.)?instagram.com\/[a-zA-Z0-9]{2,}",
    ),
    _rule("documentcloud", "DocumentCloud", r"documentcloud.org\/"),
    _rule(
        "wikipedia-image",
        "WikipediaImage",
        r"^https://.+.wiki[mp]edia.org.+#/media/.+.(jpg|jpeg|png|gif|svg|webp)",
    ),
    _rule(
        "wikipedia-image",
        "WikipediaImage",
        r"^https://commons.wikimedia.org/wiki/File:.+.(jpg|jpeg|png|gif|svg|webp)",
    ),
    _rule("wikipedia", "Wikipedia", r"^(https?:)?/.+.wikipedia.org"),
    _rule("image", "Image", r"(jpg|jpeg|png|gif|svg|webp)(\?.*)?$", ignore_case=True),
    _rule(
        "imgur",
        "Imgur",
        r"^.*imgur.com\/.+$|<blockquote class=['\"]imgur-embed-pub['\"]",
        ignore_case=True,
    ),
    _rule(
        "googledocs",
        "GoogleDoc",
        r"^(https?:)?/*[^.]*.google.com/[^/]*/d/[^/]*/[^/]*?usp=shar.*"
        r"|^(https?:)?/*drive.google.com/open?id=[^&]*&authuser=0"
        r"|^(https?:)?//*drive.google.com/open\?id=[^&]*"
        r"|^(https?:)?/*[^.]*.googledrive.com/host/[^/]*/",
    ),
    _rule("pdf", "PDF", r"^.*\.pdf(\?.*)?(\#.*)?"),
    _rule("spotify", "Spotify", r"spotify"),
    _rule("iframe", "IFrame", r"iframe"),
    _rule("blockquote", "Blockquote", r"blockquote"),
    _rule("video", "Video", r"(mp4|webm)(\?.*)?$", ignore_case=True),
    _rule("wistia", "Wistia", r"https?:\/\/(.+)?(wistia\.com|wi\.st)\/.*", ignore_case=True),
    _rule("audio", "Audio", r"(mp3|wav|m4a)(\?.*)?$", ignore_case=True),
    _rule("imageblank", "Image", r""),  # anything else: shown as an image
)


def timelinejs_media_rule(address: str) -> MediaRule:
    """Return the media type TimelineJS gives an address: the first of its rules that matches."""
    return next(rule for rule in TIMELINEJS_MEDIA_RULES if rule.pattern.search(address))


# RFC 3986's unreserved and reserved characters, but for the apostrophe: all that an
# address needs, and none of them can end an HTML attribute, a JSON string or a tag.
_KEEP = frozenset(string.ascii_letters + string.digits + "-._~" + ":/?#[]@" + "!$&()*+,;=")
_HEX = frozenset(string.hexdigits)


def _encoded(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


# TimelineJS's autolink (linkify in src/js/core/Util.js, 3.9.11) rewrites a slide's text,
# caption and credit after sanitising them: what its three patterns find, in the text and
# inside our links' href="...", becomes a link of its own. Its www. pattern runs to the next
# space, quotes and all, into href='...' (the text's side is timelinejs.py's _html); in an
# address each of them would cut our link up. Percent-encoded, none of them is found, and
# servers read the same: `.` is unreserved (RFC 3986, 2.3), the `:` and `@` are in a path or
# query, and a host's escapes are decoded by the browser.
_AUTOLINK_WWW = re.compile(r"(?<!/)(www)\.", re.IGNORECASE)  # (^|[^\/>])(www\.[\S]+(\b|$))
_AUTOLINK_SCHEME = re.compile(r"(?<=[^A-Za-z0-9_])(https?|ftp):(?=//)", re.IGNORECASE)
_AUTOLINK_EMAIL = re.compile(r"(?<=[A-Za-z0-9_.+-])@(?=[A-Za-z0-9-]+\.[A-Za-z0-9.-])")


def _unlinkable(address: str) -> str:
    address = _AUTOLINK_WWW.sub(r"\1%2E", address)
    address = _AUTOLINK_SCHEME.sub(r"\1%3A", address)
    return _AUTOLINK_EMAIL.sub("%40", address)


def _browser_form(address: str) -> str:
    """Return an address as a browser reads its authority: \\ as /, without a user name."""
    # The WHATWG URL parser reads \ as / before an http(s) address's query, and a user name
    # only hides the host (user@host): written as the browser would go, the link says where.
    end = min((i for i in (address.find("?"), address.find("#")) if i >= 0), default=None)
    head = address[:end].replace("\\", "/")
    scheme, _, rest = head.partition("://")
    authority, slash, path = rest.partition("/")
    return f"{scheme}://{authority.rpartition('@')[2]}{slash}{path}{address[len(head) :]}"


def safe_address(url: object) -> str | None:
    """Return an http(s) address percent-encoded to safe ASCII, or None for any other value."""
    address = web_address(url)
    if address is None:
        return None
    address = _browser_form(address)
    out = []
    for i, char in enumerate(address):
        if char == "%":
            # An escape stays; a lone % is the character itself, as browsers read it.
            pair = address[i + 1 : i + 3]
            out.append("%" if len(pair) == 2 and set(pair) <= _HEX else "%25")
        elif char in _KEEP:
            out.append(char)
        else:
            try:
                out.append(_encoded(char))
            except UnicodeEncodeError:  # a lone surrogate: no character at all
                return None
    return web_address(_unlinkable("".join(out)))


MediaUse = Literal["image", "link"]


def media_use(address: str) -> MediaUse:
    """Return how the export sends a safe address: TimelineJS media only for an image.

    An address TimelineJS would take for a Wikipedia page, a video, a map (anything its
    rules match before its Image class) is a link in the slide's text instead, even when
    its path ends in an image's extension: we never mean TimelineJS's embeds.
    """
    if is_image_address(address) and timelinejs_media_rule(address).cls == "Image":
        return "image"
    return "link"
