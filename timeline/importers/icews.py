"""ICEWS event data: tab-separated rows of who did what to whom, coded in CAMEO.

Each side is classified by `eventdata.icews_actors` (a person only when ICEWS names one;
states, their parts, sectors and agencies as their state) and put on the event by
`eventdata.sides`; `--country` is `eventdata.countries.CountryFilter`; the same
interaction coded from many stories is folded into one event by `eventdata.fold`, and
the same sentence coded from the other side is a note of the first coding's event. The
filters' options and `--no-fold` are shared with GDELT and POLECAT.

Read as a stream (`streaming.StreamingFormat`): a year of ICEWS is hundreds of megabytes,
and only the events kept (one folded group each) and the sentences they came from are
held. One input or many, each a .tab or a zip of them (Dataverse ships years as
.tab.zip), each under its own header row; tab-separated text only (no quoting, as the
Dataverse files are written).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..dates import parse_partial_date
from ..errors import shown
from ..eventdata.common import lines
from ..eventdata.countries import CountryFilter
from ..eventdata.fold import Coded, Folder, Group
from ..eventdata.icews_actors import classify
from ..eventdata.sides import Side, keeps, on_event
from ..files import max_bytes
from ..schema import Event, Source
from .common import (
    PENDING_ID,
    Builder,
    Imported,
    ImportFailure,
    Options,
    Skip,
    echo,
    joined,
    one_line,
    reason,
)
from .dates import DateProblem, parse_option_date, read_date
from .format import Option
from .rows import PROBLEMS, Row, _row, _unique_headers
from .streaming import (
    CHUNKS,
    DRAFT_BYTES,
    StreamingFormat,
    Streams,
    check_filters,
    check_size,
    chunk_full,
    described,
    empty,
    from_bytes,
    hand_over,
)

EXPECTED = "ICEWS event data: tab-separated, with headers such as Event Date and CAMEO Code"
MISSING = "NA"
REQUIRED = ("Event Date", "Source Name", "Target Name", "CAMEO Code", "Event Text")
# Columns read into the events; every other column with a value is reported as left out.
PLACED = frozenset(
    {*REQUIRED, "Event ID", "Source Country", "Target Country", "Story ID", "Sentence Number",
     "Publisher", "City", "District", "Province", "Country"}
)  # fmt: skip
# The kind of each CAMEO code: the longest prefix listed wins (057 before 05).
CAMEO_KINDS = {
    "01": "statement",
    "02": "appeal",
    "03": "intent",
    "036": "intent-to-meet",
    "04": "consultation",
    "040": "consultation",
    "041": "call",
    "042": "visit",
    "043": "visit",
    "044": "meeting",
    "045": "mediation",
    "046": "negotiation",
    "05": "cooperation",
    "057": "agreement",
    "06": "cooperation",
    "07": "aid",
    "08": "concession",
    "09": "investigation",
    "10": "demand",
    "11": "criticism",
    "12": "rejection",
    "13": "threat",
    "14": "protest",
    "15": "force-posture",
    "16": "reduced-relations",
    "17": "coercion",
    "18": "assault",
    "19": "fighting",
    "20": "mass-violence",
}


@functools.lru_cache(maxsize=16_384)
def _side(name: str, sectors: str, country: str) -> Side:
    """Return an actor as a side: cached, as a file names the same actors again and again."""
    return classify(name, sectors, country).side()


def _with_zero(code: str) -> str:
    """Put back the leading zero a spreadsheet may have dropped (42: 042); roots run 01 to 20."""
    return "0" + code if len(code) == 1 or int(code[:2]) > 20 else code


def cameo_code(text: str) -> str:
    """Return a row's CAMEO code, digits only, with its leading zero."""
    code = text.strip()
    if not re.fullmatch(r"[0-9]{1,4}", code):
        raise Skip(f"CAMEO Code: {shown(text)} is not a CAMEO code (expected digits, e.g. 042)")
    return _with_zero(code)


def cameo_kind(code: str) -> str:
    """Return the kind of event a CAMEO code stands for."""
    for length in (3, 2):
        if code[:length] in CAMEO_KINDS:
            return CAMEO_KINDS[code[:length]]
    raise Skip(f"CAMEO Code: {code!r} has no root from 01 to 20 (expected e.g. 042 or 1031)")


def check_cameo_prefix(text: str) -> str:
    """Return a --cameo prefix with its leading zero; ValueError naming what is expected."""
    if not re.fullmatch(r"[0-9]{1,4}", text.strip()):
        raise ValueError(f"{shown(text)} is not a CAMEO code prefix (expected digits, e.g. 04)")
    return _with_zero(text.strip())


@dataclass(frozen=True)
class _Row:
    """What an event is built from when its row comes first in its group."""

    where: str  # INPUT:LINE
    event_id: str
    iso: str
    text: str
    code: str
    kind: str
    sides: tuple[Side, Side]
    place: str | None
    story: str
    sentence: str
    publisher: str


MAX_ALSO = 3  # sentences "coded from the other side" an event's note names
SOURCE_BYTES = 150  # what a story's source adds to the written file, at the least


@dataclass
class _Icews:
    builder: Builder
    options: Options
    columns: dict[str, str] | None = None  # ICEWS name -> header in the input being read
    label: str = ""  # the input being read, as places name it

    def __post_init__(self) -> None:
        self.folder: Folder[_Row] = Folder(fold=not self.options.no_fold)
        # One sentence of a story coded from each side ("Make a visit" 042 and "Host a visit"
        # 043): the group of its first coding, for each (story, sentence, day, sides, kind).
        self.sentences: dict[int, Group[_Row]] = {}
        self.also: dict[int, list[str]] = {}  # id of a group -> how the other side coded it
        self.mirrored = 0
        self.again = 0
        self.countries = (
            CountryFilter.build(self.options.countries) if self.options.countries else None
        )
        self.cameo = tuple(check_cameo_prefix(p) for p in self.options.cameo)
        self.placed: set[str] = set()
        self.headers: list[str] = []
        self.size = 0  # bytes the events kept so far will take in the file, at the least
        self.limit = max_bytes()
        self.rows = 0  # rows read, skipped ones too, from every input
        self.folded = 0  # rows folded, in the chunks handed over to a store (--store)

    def start(self, label: str, text: str, where: str) -> None:
        """Read the next input's rows under its own header row."""
        try:
            self.headers = _unique_headers(text.split("\t"))
        except ImportFailure as err:
            raise ImportFailure(where, err.message) from None
        self.label = label
        self.columns = _find_columns(self.headers, where)
        self.placed = {self.columns[c] for c in PLACED if c in self.columns}

    def take(self, number: int, text: str) -> None:
        """Add one row of the input being read; a row with a problem is skipped and said."""
        self.rows += 1
        try:
            self.add(_row(number, self.headers, text.split("\t")))
        except PROBLEMS as err:
            self.builder.report.skip(f"{self.label}:{number}", reason(err))

    def notes(self) -> None:
        """Add the summary's notes: rows imported once, folded, and --country's spellings."""
        notes = self.builder.report.notes
        if self.mirrored:
            n = self.mirrored
            notes.append(
                f"{n:,} {'row was' if n == 1 else 'rows were'} the same event coded from the "
                "other side (same story and sentence): each was imported once"
            )
        if self.again:
            n = self.again
            notes.append(
                f"{n:,} {'row was' if n == 1 else 'rows were'} the very same coding of a "
                "sentence already imported (same story and sentence, sides and code): each was "
                "imported once"
            )
        if self.folder.folded + self.folded:
            n = self.folder.folded + self.folded
            chunked = " (within each chunk of events written to the store)" if self.folded else ""
            notes.append(
                f"{n:,} {'row was' if n == 1 else 'rows were'} the same interaction coded again "
                "from other stories or sentences (same sides, day and CAMEO code): each was "
                "folded into the event of its first row, the stories and publishers counted in "
                f"its note (--no-fold keeps each apart){chunked}"
            )
        if self.countries is not None:
            notes.extend(self.countries.summary())

    def value(self, row: Row, column: str) -> str:
        text = row.get((self.columns or {}).get(column))
        # Most cells are printable ASCII, which one_line only trims: its NFC and control
        # character passes are spared (a year of ICEWS has twenty million cells).
        text = " ".join(text.split()) if text.isascii() and text.isprintable() else one_line(text)
        return "" if text == MISSING else text

    def side(self, row: Row, which: str) -> Side:
        name = self.value(row, f"{which} Name")
        if not name:
            raise Skip(f"no {which} Name")
        sectors, country = self.value(row, f"{which} Sectors"), self.value(row, f"{which} Country")
        return _side(name, sectors, country)

    def wanted(self, code: str, sides: tuple[Side, Side], iso: str) -> bool:
        if self.cameo and not code.startswith(self.cameo):
            return False
        first, last = self.options.date_from, self.options.date_to
        if first or last:
            date = parse_partial_date(iso)
            if (first and date.last < first) or (last and date.first > last):
                return False
        return keeps(sides, self.countries, self.options.any_side)

    def read(self, row: Row) -> _Row | None:
        """Return a row's coding, or None when the filters leave it out; Skip if unusable."""
        date_text = self.value(row, "Event Date")
        if not date_text:
            raise Skip("no Event Date")
        iso = read_date(date_text, what="Event Date").iso
        sides = (self.side(row, "Source"), self.side(row, "Target"))
        code = cameo_code(self.value(row, "CAMEO Code"))
        kind = cameo_kind(code)
        if not self.wanted(code, sides, iso):
            return None
        return _Row(
            where=f"{self.label}:{row.line}",
            event_id=self.value(row, "Event ID"),
            iso=iso,
            text=self.value(row, "Event Text") or f"CAMEO {code}",
            code=code,
            kind=kind,
            sides=sides,
            place=self.place(row),
            story=self.value(row, "Story ID"),
            sentence=self.value(row, "Sentence Number"),
            publisher=self.value(row, "Publisher"),
        )

    def add(self, row: Row) -> None:
        read = self.read(row)
        if read is None:
            self.builder.report.filtered += 1
            return
        self.left_out(row)
        coded = Coded(
            day=read.iso,
            sides=(read.sides[0].key, read.sides[1].key),
            code=read.code,
            data=read,
            where=read.where,
            story=read.story or None,
            publisher=read.publisher or None,
        )
        # The same sentence read from the other side (or twice) is the event of its first
        # coding; a story's other sentences are other codings, folded by their key.
        names = frozenset(s.key for s in read.sides)
        # Kept as its hash: a year's kept rows are many, and a tuple of texts takes several
        # times the room (two of a million sentences share a 64-bit hash by chance about
        # once in 40 million imports).
        sentence = hash((read.story, read.sentence, read.iso, names, read.kind))
        mirror = self.sentences.get(sentence) if read.story else None
        if mirror is not None and coded.key != mirror.first.key:
            self.mirrored += 1
            also = self.also.setdefault(id(mirror), [])
            said = f"{read.text} ({read.code})"
            if said not in also and len(also) < MAX_ALSO:
                also.append(said)
            return
        if mirror is not None and self.options.no_fold:
            self.again += 1  # the very same coding of the sentence, with folding off
            return
        group = self.folder.add(coded)
        if group.first is coded:  # a new event: the file written grows, and is bounded
            # Title and summary each say the text and both names; its story is a source
            # (20,000 generated rows: 92% of the file written, which the limit is checked on).
            named = sum(len(s.name) for s in read.sides)
            self.size += DRAFT_BYTES + SOURCE_BYTES + 2 * (len(read.text) + named)
            self.size += len(read.place or "")
            check_size(self.size, self.limit, read.where)
        if read.story:
            self.sentences.setdefault(sentence, group)
        if group.first is coded and chunk_full(len(self.folder)):
            self.hand_over()

    def hand_over(self) -> None:
        """Give a store the events held (--store): a sentence's other side, or a repeat, met
        after its chunk was handed over is an event of its own (said in the notes)."""
        for group in self.folder:
            self.event(group)
        hand_over(self.builder)
        self.folded += self.folder.folded
        self.folder = Folder(fold=not self.options.no_fold)
        self.sentences.clear()
        self.also.clear()

    def left_out(self, row: Row) -> None:
        """Count the cells with a value that have no place: for the rows kept only."""
        report = self.builder.report
        for header, value in row.cells.items():
            if header not in self.placed and value.strip() not in ("", MISSING):
                report.left_out(header)
        if row.extra:
            report.left_out("(cells beyond the last header)")

    def place(self, row: Row) -> str | None:
        """Return where it happened: City, District, Province, Country, each named once."""
        parts = (self.value(row, c) for c in ("City", "District", "Province", "Country"))
        return ", ".join(dict.fromkeys(p for p in parts if p)) or None

    def event(self, group: Group[_Row]) -> None:
        """Add the event of one group: its first row's, with what the others add in the note."""
        first = group.first.data
        source, target = first.sides
        leaders, countries = on_event(first.sides, self.builder.person)
        said = f"{first.text} (CAMEO {first.code})"
        event = Event(
            id=PENDING_ID,
            title=f"{first.text}: {source.name} → {target.name}",
            date=first.iso,
            kind=first.kind,
            place=first.place,
            leaders=leaders,
            summary=f"{source.label()}: {said}, with {target.label()} as the target.",
            countries=countries,
            sources=self.sources(group),
            note=self.told(group),
        )  # fmt: skip
        hint = f"icews-{first.event_id}" if first.event_id else None
        self.builder.add_event(first.where, event, hint)

    def told(self, group: Group[_Row]) -> str | None:
        """Return the note saying where ICEWS tells of the event, and what was folded in."""
        first = group.first.data
        ids = [r.data.event_id for r in group.examples if r.data.event_id]
        if not ids:
            said = "An ICEWS event" if group.rows == 1 else "ICEWS events"
        elif group.rows == 1:
            said = f"ICEWS event {ids[0]}"
        else:
            more = group.rows - len(ids)
            said = f"ICEWS events {', '.join(ids)}" + (f" and {more:,} more" if more else "")
        if group.rows == 1:
            said += f", story {first.story}" if first.story else ""
            said += f", sentence {first.sentence}" if first.sentence else ""
        notes = [f"{said}.", group.told("story") or ""]
        also = self.also.get(id(group))
        if also:
            notes.append(f"Also coded from the other side: {'; '.join(also)}.")
        return joined([n for n in notes if n])

    def sources(self, group: Group[_Row]) -> list[str]:
        """Return the sources of the group's first rows: each story once."""
        return list(dict.fromkeys(self.source(r.data) for r in group.examples))

    def source(self, row: _Row) -> str:
        publisher = row.publisher or "ICEWS (publisher not given)"
        title = f"ICEWS story {row.story}" if row.story else "ICEWS event data, story not given"

        # ICEWS dates an event by the story that reports it: the story's date is the event's.
        def make() -> Source:
            return Source(title=title, publisher=publisher, date=row.iso)

        if row.story:
            return self.builder.source(("story", row.story), f"icews-story-{row.story}", make)
        return self.builder.source(("date", row.iso, row.publisher), f"icews-{row.iso}", make)


def _find_columns(headers: list[str], where: str) -> dict[str, str]:
    wanted = {" ".join(c.lower().split()): c for c in (*PLACED, "Intensity")}
    found: dict[str, str] = {}
    for header in headers:
        name = wanted.get(" ".join(header.lower().replace("_", " ").split()))
        if name and name not in found:
            found[name] = header
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        listed = ", ".join(echo(h) for h in headers[:12])
        raise ImportFailure(
            where,
            f"no {', '.join(repr(m) for m in missing)} column (expected {EXPECTED}; "
            f"found {listed})",
        )
    return found


def _read(icews: _Icews, label: str, chunks: Iterable[bytes]) -> None:
    """Read one input's header and add each of its rows, holding one line at a time."""
    report = icews.builder.report
    header = False
    for line in lines(chunks):
        where = f"{label}:{line.number}"
        if line.text is None:
            if not header:  # without its header no row of this input can be read
                raise ImportFailure(where, f"the header row: {line.why}; expected {EXPECTED}")
            icews.rows += 1
            report.skip(where, f"row: {line.why}; expected one ICEWS event a line")
        elif not line.text.strip():
            continue
        elif not header:
            text = line.text.removeprefix("\ufeff")  # a byte-order mark, as Excel writes
            if text.lstrip().startswith(("{", "[")):
                raise ImportFailure(where, f"this looks like JSON (expected {EXPECTED})")
            if text.lstrip().startswith("<"):  # a zip's XML: an .xlsx workbook's parts
                raise ImportFailure(
                    where,
                    f"this looks like XML, a part of an .xlsx workbook? (expected {EXPECTED}; "
                    "save the sheet as tab-separated text)",
                )
            icews.start(label, text, where)
            header = True
        else:
            icews.take(line.number, line.text)


def import_icews_streams(streams: Streams, name: str, options: Options, today: dt.date) -> Imported:
    """Import ICEWS tab-separated inputs (a year, many, zipped or not), read as streams."""
    columnar = _columnar(name, options)
    if columnar is not None:
        return columnar
    icews = _Icews(Builder(), options)
    first: str | None = None
    for label, chunks in streams:
        first = first or label
        _read(icews, label, chunks)
    if not icews.rows:
        raise empty(first or name, EXPECTED)
    for group in icews.folder:
        icews.event(group)
    icews.notes()
    comment = "Each source is an ICEWS story, dated like its events; ICEWS gives no title or link."
    codes = f"CAMEO codes starting {', '.join(options.cameo)}" if options.cameo else None
    return icews.builder.build(
        f"ICEWS events from {name}", described("ICEWS", options, codes), comment
    )


def _columnar(name: str, options: Options) -> Imported | None:
    """Import into a store by columns (icews_columns.py) when every input is a plain .tab
    file DuckDB reads row for line; None to read the streams row by row."""
    chunks = CHUNKS.get()
    if chunks is None or chunks.writer is None or not chunks.paths or not COLUMNAR:
        return None
    from .icews_columns import eligible, import_columns

    found = [(path, eligible(path)) for path in chunks.paths]
    inputs = [(path, e[0]) for path, e in found if e is not None]
    if len(inputs) < len(found):
        return None
    return import_columns(inputs, name, options, chunks.writer, chunks.size)


# The columnar store build, on by default; TIMELINE_ICEWS_COLUMNS=0 reads row by row.
COLUMNAR = os.environ.get("TIMELINE_ICEWS_COLUMNS", "1") != "0"


def _first_day(text: str) -> dt.date:
    try:
        return parse_option_date(text)[0]
    except DateProblem as err:
        raise ValueError(str(err)) from None


def _last_day(text: str) -> dt.date:
    try:
        return parse_option_date(text)[1]
    except DateProblem as err:
        raise ValueError(str(err)) from None


COUNTRY = Option(
    "--country",
    "countries",
    "keep events whose both sides are among these states, by any name or code: Russia, "
    "'Russian Federation', RUS, 365 (repeat for each)",
    metavar="COUNTRY",
    action="append",
    read=lambda names: tuple(one_line(n) for n in names),
)
ANY = Option(
    "--any",
    "any_side",
    "with --country: keep events with either side among them",
    action="store_true",
)
CAMEO = Option(
    "--cameo",
    "cameo",
    "keep CAMEO codes starting so, e.g. 04 for consultations and visits (repeat)",
    metavar="CODE",
    action="append",
    check=check_cameo_prefix,
)
FROM = Option("--from", "date_from", "keep events from this date", metavar="DATE", check=_first_day)
TO = Option(
    "--to",
    "date_to",
    "keep events up to this date (2018-03: all of March)",
    metavar="DATE",
    check=_last_day,
)
# The same option as GDELT's and POLECAT's (an equal Option is listed once by the registry).
NO_FOLD = Option(
    "--no-fold",
    "no_fold",
    "keep each coded row its own event, not folding repeats (same sides, day and code)",
    action="store_true",
)
FORMAT = StreamingFormat(
    name="icews",
    title="ICEWS event data",
    help="ICEWS event data, tab-separated, one file or many (a year each), zipped or not",
    plain_name="ICEWS event data",
    options=(COUNTRY, ANY, CAMEO, FROM, TO, NO_FOLD),
    run=from_bytes(import_icews_streams),
    check=check_filters,
    stream=import_icews_streams,
)
