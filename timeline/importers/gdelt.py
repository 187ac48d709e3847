"""GDELT 2.0 events: the 61-column tab-separated export, one file or many, zipped or not.

Read as a stream (`eventdata.gdelt.read_gdelt`): a day of GDELT is about 100 MB of text,
and only the events the filters keep are held. The sides are classified by
`eventdata.gdelt.classify` (its comment gives the rules, from GDELT's codebook); the CAMEO
code gives the kind as for ICEWS; repeats of one interaction are folded
(`eventdata.fold`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlsplit

from ..eventdata.common import RowProblem
from ..eventdata.fold import Coded, Group
from ..eventdata.gdelt import GdeltRow, GdeltSide, SideKind, classify, read_gdelt
from ..eventdata.sides import Kind, Side
from ..files import max_bytes
from ..schema import Source
from .common import Imported, Options, Skip, one_line
from .icews import ANY, CAMEO, COUNTRY, FROM, NO_FOLD, TO, cameo_kind
from .streaming import (
    Cited,
    EventData,
    Job,
    Row,
    StreamingFormat,
    Streams,
    check_filters,
    described,
    empty,
    from_bytes,
    ids_note,
    pending_event,
    summary_of,
)

EXPECTED = "GDELT 2.0's event export: 61 tab-separated columns a row, no header"
TITLE = "GDELT 2.0 events"
# What CAMEO's codes say, for titles (CAMEO Event Codebook 1.1b3: the twenty roots and the
# codes of meeting and agreeing that a timeline of relations shows most).
CAMEO_NAMES = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
    "036": "Express intent to meet or negotiate", "04": "Consult", "040": "Consult",
    "041": "Discuss by telephone", "042": "Make a visit", "043": "Host a visit",
    "044": "Meet at a third location", "045": "Mediate", "046": "Engage in negotiation",
    "05": "Engage in diplomatic cooperation", "057": "Sign formal agreement",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
    "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject",
    "13": "Threaten", "14": "Protest", "15": "Exhibit force posture",
    "16": "Reduce relations", "17": "Coerce", "18": "Assault", "19": "Fight",
    "20": "Use unconventional mass violence",
}  # fmt: skip
_KIND = {
    SideKind.PERSON: Kind.PERSON,
    SideKind.STATE: Kind.STATE,
    SideKind.GROUP: Kind.ORGANISATION,
}


def cameo_name(code: str) -> str:
    """Return what a CAMEO code says, as precisely as the table knows it."""
    for length in (3, 2):
        if code[:length] in CAMEO_NAMES:
            return CAMEO_NAMES[code[:length]]
    return f"CAMEO {code}"


def _side(found: GdeltSide) -> Side:
    return Side(found.name, _KIND[found.kind], country=found.state, spelled=found.spelling)


def _sides(row: GdeltRow) -> tuple[Side | str, Side | str]:
    """Return the row's two sides, or for each side that cannot be placed why not."""
    found = []
    for side, actor in (("Actor1", row.actor1), ("Actor2", row.actor2)):
        got = classify(actor)
        found.append(_side(got) if isinstance(got, GdeltSide) else f"{side}: {got}")
    return found[0], found[1]


def _cited(row: GdeltRow) -> Cited | None:
    """Return the article GDELT cites, with its real address; None when it gives none."""
    text = row.source_url
    if text is None:
        return None
    day = (row.added.date() if row.added else row.day).isoformat()
    parts = urlsplit(text) if len(text) <= 2000 else None
    host = (parts.hostname or "") if parts and parts.scheme in ("http", "https") else ""
    if host:
        site = host.removeprefix("www.")
        source = Source(title=f"Article on {site}", publisher=site, date=day, url=text)
        return Cited(("url", text), site, source)
    # GDELT names some sources without an address ("BBC Monitoring"): the name, no URL.
    name = one_line(text)
    return Cited(("name", name), name, Source(title=f"Report of {name}", publisher=name, date=day))


class _Gdelt(EventData):
    def take(self, label: str, row: GdeltRow) -> None:
        """Keep a row's event if the filters want it; Skip when it is wanted but unusable."""
        if not self.in_dates(row.day):
            return
        if self.options.cameo and not row.event_code.startswith(self.options.cameo):
            self.report.filtered += 1
            return
        first, second = _sides(row)
        placed = [[s] if isinstance(s, Side) else [] for s in (first, second)]
        if not self.wanted((placed[0], placed[1])):
            return
        if not isinstance(first, Side) or not isinstance(second, Side):
            why = "; ".join(s for s in (first, second) if isinstance(s, str))
            raise Skip(f"{why}; expected two sides, each a state, a person or a known group")
        kind = cameo_kind(row.event_code)
        said = f"{cameo_name(row.event_code)} (CAMEO {row.event_code})"
        countries = [c for s in (first, second) if (c := s.lane())]
        event = pending_event(
            title=f"{cameo_name(row.event_code)}: {first.name} → {second.name}",
            date=row.day.isoformat(),
            kind=kind,
            place=one_line(row.action_place.name) if row.action_place.name else None,
            summary=summary_of(([first], [second]), said),
            countries=list(dict.fromkeys(countries)) or None,
        )
        cited = _cited(row)
        counts = Counter(mentions=row.mentions, sources=row.sources, articles=row.articles)
        people = [s for s in (first, second) if s.kind is Kind.PERSON]
        data = Row(f"{label}:{row.line}", str(row.event_id), event, people, cited, counts)
        self.add(
            Coded(
                day=row.day.isoformat(),
                sides=(first.key, second.key),
                code=row.event_code,
                data=data,
                where=data.where,
                story=cited.key[1] if cited else None,
                publisher=cited.source.publisher if cited else None,
                url=cited.source.url if cited else None,
                reports=row.articles,
            )
        )


def _note(group: Group[Row]) -> str:
    row = group.first.data
    counts = row.counts
    parts = [
        ids_note(row, group.rows, "GDELT event"),
        f"NumMentions {counts['mentions']:,}, NumSources {counts['sources']:,}, "
        f"NumArticles {counts['articles']:,}{' in all' if group.rows > 1 else ''}.",
        group.told("article"),
    ]
    return " ".join(p for p in parts if p)


def import_gdelt_streams(streams: Streams, name: str, options: Options, today: dt.date) -> Imported:
    """Import GDELT 2.0 event exports, read as streams, keeping the filters' events."""
    job = _Gdelt(Job("gdelt", name, TITLE, today), options, not options.no_fold, max_bytes())
    job.chunked(_note)  # a store (--store) takes the events a chunk at a time
    for label, chunks in streams:
        job.first_label = job.first_label or label
        for item in read_gdelt(chunks):
            if isinstance(item, RowProblem):
                job.problem(label, item)
                continue
            job.rows += 1
            try:
                job.take(label, item)
            except Skip as err:
                job.report.skip(f"{label}:{item.line}", str(err))
    if not job.rows:
        raise empty(job.first_label, EXPECTED)
    codes = f"CAMEO codes starting {', '.join(options.cameo)}" if options.cameo else None
    comment = (
        "Each source is the article GDELT cites for an event (its SOURCEURL), dated the day "
        "GDELT added the event; GDELT gives no title, so each is titled by its site."
    )
    return job.build(
        f"GDELT events from {name}", described("GDELT", options, codes), comment, _note
    )


def _check(options: Options) -> str | None:
    return check_filters(options)


FORMAT = StreamingFormat(
    name="gdelt",
    title=TITLE,
    help="GDELT 2.0 event exports (61 tab-separated columns, no header), "
    "one file or many, zipped or not",
    plain_name="GDELT events",
    options=(COUNTRY, ANY, CAMEO, FROM, TO, NO_FOLD),
    run=from_bytes(import_gdelt_streams),
    check=_check,
    stream=import_gdelt_streams,
)
