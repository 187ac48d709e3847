"""HTML from TimelineJS as plain text: paragraphs and list items on their own lines."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..schema import web_address
from .common import plain

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


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0
        self.links: list[tuple[str | None, int]] = []  # (href, where its label starts)

    def _break(self) -> None:
        self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._break()
        elif tag in _BLOCKS:
            self._break()
            if tag == "li":
                self.out.append("- ")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append((web_url(href) if href else None, len(self.out)))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.hidden:
                self.out.append(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:  # <script/> hides nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._break()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = " ".join("".join(self.out[start:]).split())
            if href and label and label != href:
                self.out.append(f" ({href})")
            elif href and not label:
                self.out.append(href)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            # HTML's white space, newlines included, is one space; only tags break lines.
            self.out.append(_SPACE.sub(" ", data))


def html_to_text(html: str) -> str:
    """Return TimelineJS HTML as plain text: links as `label (url)`, never a tag."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    # An <a> never closed still shows its address.
    while parser.links:
        parser.handle_endtag("a")
    # One line per paragraph or item: empty paragraphs and <br><br> add no empty lines.
    return "\n".join(line for line in plain("".join(parser.out)).split("\n") if line)
