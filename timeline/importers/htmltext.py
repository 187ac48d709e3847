"""HTML from TimelineJS as plain text: paragraphs and list items on their own lines.

A `<blockquote>` with its speaker (a `<cite>`, or a last line "— name") can be taken out
of the text as a quote; one without a speaker stays text.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from ..schema import web_address
from .common import one_line, plain

# Tags whose start and end break a line: paragraphs, list items, headings and the like.
_BLOCKS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section article header footer "
    "figure figcaption dl dt dd hr address".split()
)
_SPACE = re.compile(r"\s+")
# Tags whose content is never text for a reader.
_HIDDEN = frozenset("script style template head title noscript iframe object svg".split())


def web_url(url: str) -> str | None:
    """Return an http(s) address as the schema takes it; protocol-relative ones get https."""
    url = url.strip()
    return web_address("https:" + url if url.startswith("//") else url)


# A link's label is compared with its address only when it is this few pieces of text:
# a label spread over more still shows, followed by its address, and no label is ever
# joined again for each link around it (20,000 unclosed <a> once took 24 s).
_LABEL_PIECES = 64


def _solid(text: str) -> int:
    """Count the characters of text that are not white space."""
    return len(text) - sum(1 for c in text if c.isspace()) if text.strip() else 0


@dataclass(frozen=True)
class Quoted:
    """A blockquote's words as plain text, and who said them as written in the HTML."""

    words: str
    by: str  # the <cite>, or the last line after its dash: "Edith Clarke, professor"


# Quotes taken from one text at most: a text of 100,000 blockquotes is one of 100,000 quotes
# no reader wants on one event; the rest stay text.
MAX_QUOTES = 20
# Dashes that start an attribution's line: em dash, horizontal bar, en dash, two hyphens.
_ATTRIBUTION = re.compile(r"^\s*(?:[\u2014\u2015\u2013]|--)\s*(\S.*)$")
# "“Words.” — Name" on one line: the words end a sentence and the name is a few words.
_ONE_LINE = re.compile(r"^(.*[.!?\"'\u201d\u2019\u2026])\s+\u2014\s+(\S[^.!?]*)$")
_NAME_WORDS = 10


def _attributed(words: str) -> Quoted | None:
    """Return a blockquote without a <cite> as a quote when its last line names its speaker."""
    lines = [line for line in plain(words).split("\n") if line.strip()]
    found = _ATTRIBUTION.match(lines[-1]) if len(lines) > 1 else None
    one = _ONE_LINE.match(lines[-1]) if found is None and lines else None
    if one is not None and len(one[2].split()) <= _NAME_WORDS:
        return Quoted(_unquoted(_joined([*lines[:-1], one[1]])), one[2].strip())
    if found is None:
        return None
    return Quoted(_unquoted(_joined(lines[:-1])), found[1].strip())


def _cited(words: str, by: str) -> Quoted:
    """Return the words of a blockquote with a <cite>, less what is left of its dash line.

    "<br>— <cite>Name</cite> (publisher)" leaves "— (publisher)" in the words: not said.
    """
    lines = [line for line in plain(words).split("\n") if line.strip()]
    if len(lines) > 1 and re.match(r"\s*(?:[\u2014\u2015\u2013]|--)", lines[-1]):
        lines = lines[:-1]
    return Quoted(_unquoted(_joined(lines)), by)


# Quotation marks around the words of a quote, as (opening, closing): the details add their own.
_MARKS = (("\u201c", "\u201d"), ('"', '"'), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"),
          ("\u2018", "\u2019"), ("\u201e", "\u201d"))  # fmt: skip


def _unquoted(words: str) -> str:
    """Return words without the one pair of quotation marks around them all, if they have it.

    '“A” and “B”' keeps its marks: they are around two parts, not the whole.
    """
    for opening, closing in _MARKS:
        inner = words[1:-1]
        around = len(words) > 2 and words[0] == opening and words[-1] == closing
        if around and opening not in inner and closing not in inner and inner.strip():
            return inner.strip()
    return words


def _joined(lines: list[str]) -> str:
    return "\n".join(line for line in plain("\n".join(lines)).split("\n") if line)


class _Text:
    """Plain text built from the tags and text `_tokens` finds."""

    def __init__(self, quotes: bool = False) -> None:
        self.out: list[str] = []
        self.solid = 0  # characters in `out` that are not white space
        self.hidden = 0
        # (href, where its label starts in `out`, `solid` there)
        self.links: list[tuple[str | None, int, int]] = []
        self.take_quotes = quotes
        self.quotes: list[Quoted] = []
        self.unattributed = 0  # blockquotes left in the text: no speaker named
        self.quote_depth = 0
        self.quote_start = 0  # where the open blockquote's text starts in `out`
        # Where each <cite> of the open blockquote starts and ends in `out`; they stay in the
        # text until the blockquote closes and is taken out whole (one never closed is text).
        self.cites: list[tuple[int, int]] = []
        self.cite_start: int | None = None

    def _cut(self, start: int) -> None:
        """Take the text from `start` out of `out`."""
        self.solid -= _solid("".join(self.out[start:]))
        del self.out[start:]

    def _quote_tag(self, tag: str, end: bool) -> bool:
        """Follow blockquotes and their cites; say whether the tag was one of them."""
        if not self.take_quotes or self.hidden or len(self.quotes) >= MAX_QUOTES:
            return False
        if tag == "cite" and self.quote_depth:
            if not end:
                self.cite_start = len(self.out)
            elif self.cite_start is not None:
                self.cites.append((self.cite_start, len(self.out)))
                self.cite_start = None
            return True
        if tag != "blockquote" or (end and not self.quote_depth):
            return False
        self._break()
        self.quote_depth += 1 if not end else -1
        if not end and self.quote_depth == 1:
            self.quote_start, self.cites, self.cite_start = len(self.out), [], None
        elif end and not self.quote_depth:
            self._end_quote()
        return True

    def _end_quote(self) -> None:
        """Take the blockquote just closed out of the text when it names its speaker."""
        pieces, said, at = self.out, [], self.quote_start
        for start, stop in self.cites:
            said.append("".join(pieces[at:start]))
            at = stop
        said.append("".join(pieces[at:]))
        cited = " ".join("".join(pieces[start:stop]) for start, stop in self.cites)
        by = _ATTRIBUTION.sub(r"\1", one_line(cited))
        words = "".join(said)
        quoted = _cited(words, by) if by else _attributed(words)
        if quoted is None or not quoted.words:
            self.unattributed += 1
            return
        self._cut(self.quote_start)
        self.quotes.append(quoted)
        self._break()

    def _put(self, text: str, solid: int | None = None) -> None:
        self.out.append(text)
        self.solid += _solid(text) if solid is None else solid

    def _break(self) -> None:
        self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._quote_tag(tag, end=False):
            return
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._break()
        elif tag in _BLOCKS:
            self._break()
            if tag == "li":
                self._put("- ", 1)
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append((web_url(href) if href else None, len(self.out), self.solid))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.hidden:
                self._put(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:  # <script/> hides nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._quote_tag(tag, end=True):
            return
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._break()
        elif tag == "a" and self.links:
            href, start, solid = self.links.pop()
            if not href:
                return
            grown = self.solid - solid
            if not grown:  # no label: the address is the label
                self._put(href, len(href))
            elif not self._label_is(href, start, grown):
                self._put(f" ({href})", len(href) + 2)

    def _label_is(self, href: str, start: int, grown: int) -> bool:
        """Say whether the text since `start` is the address itself (addresses hold no space)."""
        if grown != len(href) or len(self.out) - start > _LABEL_PIECES:
            return False
        return " ".join("".join(self.out[start:]).split()) == href

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            # HTML's white space, newlines included, is one space; only tags break lines.
            text = _SPACE.sub(" ", data)
            self._put(text, len(text) - text.count(" "))


# The tokens of HTML, found in one pass: Python's HTMLParser rescans the rest of the text
# for each construct left open (5,000 "<a " took 5 s, 10,000 "<!--" a minute) and fails
# with an AssertionError on "<![<![". As in a browser, a comment, declaration or tag left
# open hides the rest of the text; script and style hold raw text up to their end tag.
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*+)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
_ATTR = re.compile(r"""([^\s/>"'=][^\s/>=]*+)(?:\s*+=\s*+("[^"]*+"|'[^']*+'|[^\s>]*+))?""")
_RAW_END = {name: re.compile(f"</{name}", re.IGNORECASE) for name in ("script", "style")}


def _attrs(inside: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for m in _ATTR.finditer(inside):
        value = m[2]
        if value is not None and value[:1] in ("'", '"'):
            value = value[1:-1]
        found.append((m[1].lower(), html_lib.unescape(value) if value is not None else None))
    return found


def _tokens(text: str, into: _Text) -> None:
    """Hand the tags and text of HTML to `into`, in one pass over the text."""
    pos, end = 0, len(text)
    while pos < end:
        lt = text.find("<", pos)
        if lt < 0:
            into.handle_data(html_lib.unescape(text[pos:]))
            return
        if lt > pos:
            into.handle_data(html_lib.unescape(text[pos:lt]))
        nxt = text[lt + 1 : lt + 2]
        if text.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            if close < 0:
                return
            pos = close + 3
        elif nxt in ("!", "?") or (nxt == "/" and not text[lt + 2 : lt + 3].isalpha()):
            close = text.find(">", lt + 2)  # a declaration, or a bogus comment
            if close < 0:
                return
            pos = close + 1
        elif nxt.isalpha() or nxt == "/":
            m = _TAG.match(text, lt)
            if m is None:  # a tag never closed hides the rest
                return
            pos = m.end()
            name = m[2].lower()
            if m[1]:
                into.handle_endtag(name)
                continue
            inside = m[3]
            attrs = _attrs(inside)
            if inside.rstrip().endswith("/"):
                into.handle_startendtag(name, attrs)
                continue
            into.handle_starttag(name, attrs)
            if name in _RAW_END:
                found = _RAW_END[name].search(text, pos)
                if found is None:
                    return
                pos = found.start()
        else:  # "a < b": a < that starts no tag is text
            into.handle_data("<")
            pos = lt + 1


def html_to_text(html: str) -> str:
    """Return TimelineJS HTML as plain text: links as `label (url)`, never a tag."""
    return _read(html, _Text())


def _read(html: str, parser: _Text) -> str:
    _tokens(html, parser)
    # An <a> never closed still shows its address.
    while parser.links:
        parser.handle_endtag("a")
    # One line per paragraph or item: empty paragraphs and <br><br> add no empty lines.
    return _joined(["".join(parser.out)])


@dataclass(frozen=True)
class TextAndQuotes:
    """HTML read as plain text with its blockquotes that name a speaker taken out."""

    text: str  # the rest, blockquotes without a speaker included
    quotes: list[Quoted]
    unattributed: int  # blockquotes left in `text`: no <cite> and no "— name" line


def html_quotes(html: str) -> TextAndQuotes:
    """Return TimelineJS HTML as plain text, each blockquote that names its speaker apart."""
    parser = _Text(quotes=True)
    text = _read(html, parser)
    return TextAndQuotes(text, parser.quotes, parser.unattributed)
