"""`import icews FILE --store DIR` read by DuckDB in batches: the same store, far less Python.

The row-by-row importer (icews.py) builds a pydantic Event, Source and id per row; here
DuckDB's read_csv reads the tab-separated text, each column's distinct values are
normalised once (icews.py's own `value` rule), and dates, actors (`icews_actors.classify`
through icews.py's cache), CAMEO codes and places are looked up once per distinct value.
What stays per row is icews.py's own sequence: the filters, a sentence coded from the other
side, the folding of repeats (`fold.Group` for a group of more than one row) and the chunks
handed to the store, each in the same order, so that the store written is the same. The
events of a chunk go to the store as Arrow columns (`frame.build_frame`), never as models,
and its new sources as Arrow rows (`StoreWriter.add_source_rows`).

Repeats fold within a chunk of events, as the row-by-row path folds them when it writes a
store (not as one GROUP BY over the whole input, which would fold across chunks and give
another store). Still per row in Python: that loop (a dict lookup or two per row) and each
event's title, summary, note and id; then write.py's tables of each chunk.

Used only for plain .tab inputs that DuckDB reads row for line (every line a row with the
header's cells, no blank line): the line of the Nth row is then N + 1, as messages give it.
Anything else (a zip, a ragged or undecodable line) is read by icews.py as before
(`eligible` says which).
"""

from __future__ import annotations

import functools
import gc
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..dates import parse_partial_date
from ..eventdata.fold import Coded, Folder, Group
from ..eventdata.sides import Side, keeps, on_event
from ..files import max_stream_bytes
from ..frame import Dataset, build_frame, event_type
from .common import Builder, Imported, Options, Skip, echo, joined, one_line, reason
from .dates import read_date
from .icews import (
    EXPECTED,
    MAX_ALSO,
    MISSING,
    _Icews,
    _Row,
    _side,
    cameo_code,
    cameo_kind,
)
from .ids import _ID_RE as _ID
from .ids import IdMaker, slugify
from .rows import PROBLEMS
from .streaming import described, empty

SOURCE_ROWS = pa.schema([(n, pa.string()) for n in ("id", "title", "publisher", "date")])
BATCH_ROWS = 200_000  # rows DuckDB hands over at a time: memory follows it, not the file
WANTED = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
          "Event Text", "CAMEO Code", "Target Name", "Target Sectors", "Target Country",
          "Story ID", "Sentence Number", "Publisher", "City", "District", "Province",
          "Country")  # fmt: skip


def _norm(text: str | None) -> str:
    """Return a cell as icews.py's `value` reads it ("" for NA and for an empty cell)."""
    text = text or ""
    text = " ".join(text.split()) if text.isascii() and text.isprintable() else one_line(text)
    return "" if text == MISSING else text


def _lines(path: str) -> tuple[int, bytes]:
    """Return how many lines a file has (a last one without newline counts) and its first."""
    count, last, first = 0, b"\n", b""
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            if not first:
                first = block[: block.find(b"\n") + 1 or len(block)]
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n"), first


def _read_sql(path: str, names: list[str]) -> str:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names)))
    quoted = path.replace("'", "''")
    return (
        f"FROM read_csv('{quoted}', delim='\t', quote='', escape='', header=false, skip=1, "
        f"auto_detect=false, strict_mode=true, null_padding=false, columns={{{columns}}})"
    )


def eligible(path: str) -> tuple[list[str], int] | None:
    """Return a plain tab-separated file's header cells and row count when DuckDB reads
    it row for line (the line numbers of messages then hold); None to read it as before."""
    import duckdb

    try:
        if not os.path.isfile(path) or os.path.getsize(path) > max_stream_bytes():
            return None
        lines, first = _lines(path)
        if first[:2] == b"PK" or not first.strip():
            return None
        header = first.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
        if header.lstrip().startswith(("{", "[", "<")):  # icews.py says JSON or XML
            return None
        names = header.split("\t")
        con = duckdb.connect()
        (rows,) = con.execute(f"SELECT count(*) {_read_sql(path, names)}").fetchone() or (0,)
    except (OSError, UnicodeDecodeError, duckdb.Error):
        return None
    return (names, rows) if rows == lines - 1 else None


@dataclass
class _Chunk:
    """The groups of one chunk: a row (a tuple) each, a fold.Group once a repeat joins it."""

    firsts: list[tuple[Any, ...]] = field(default_factory=list)
    groups: list[Group[_Row] | None] = field(default_factory=list)
    by_key: dict[tuple[Any, ...], int] = field(default_factory=dict)
    sentences: dict[tuple[Any, ...], int] = field(default_factory=dict)
    also: dict[int, list[str]] = field(default_factory=dict)
    folded: int = 0


# A row as the loop holds it: where, event id, day, text, code, kind, sides, place, story,
# sentence, publisher (icews._Row's fields, in its order).
Tup = tuple[str, str, str, str, str, str, tuple[Side, Side], str | None, str, str, str]


def _coded(row: Tup) -> Coded[_Row]:
    data = _Row(*row)
    return Coded(day=row[2], sides=(row[6][0].key, row[6][1].key), code=row[4], data=data,
                 where=row[0], story=row[8] or None, publisher=row[10] or None)  # fmt: skip


class Columns:
    """One columnar import of ICEWS files into a store (the writer of `StoreWriter`)."""

    def __init__(self, options: Options, writer: Any, size: int):
        self.icews = _Icews(Builder(), options)
        self.builder = self.icews.builder
        self.report = self.builder.report
        self.options = options
        self.writer = writer
        self.size = size  # groups a chunk holds before it is handed over
        self.chunk = _Chunk()
        self.handed_folded = 0  # rows folded in chunks handed over
        self.cache: dict[Any, Any] = {}
        self.people_of: dict[tuple[int, int], tuple[list[str], list[str]]] = {}
        self.sources_by_key: dict[tuple[str, ...], str] = {}  # sources of no numbered story
        self.event_ids, self.source_ids = _Ids("icews-"), _Ids("icews-story-")

    def read(self, path: str, label: str, names: list[str]) -> None:
        """Read one eligible input's rows in batches, in order."""
        import duckdb

        icews = self.icews
        icews.start(label, "\t".join(names), f"{label}:1")
        columns = icews.columns or {}
        index = {h: i for i, h in enumerate(icews.headers)}
        con = duckdb.connect()
        reader = con.sql(f"SELECT * {_read_sql(path, names)}").to_arrow_reader(BATCH_ROWS)
        line = 2
        for batch in reader:
            raw = {w: _raw(batch, index.get(columns.get(w, ""))) for w in WANTED}
            kept = self._rows(label, line, self._cells(raw))
            self._left_out(batch, kept, index)
            line += batch.num_rows

    def _mapped(self, kind: str | None, raw: pa.Array, make: Any) -> list[Any]:
        """Return make(cell) for each cell, made once per distinct cell (once per import for
        a kind: a problem is kept as its exception, said for each row that has it)."""
        encoded = raw.dictionary_encode()
        cache = self.cache.setdefault(kind, {}) if kind else {}
        values = []
        for text in encoded.dictionary.to_pylist():
            if text not in cache:
                try:
                    cache[text] = make(text)
                except PROBLEMS as err:
                    cache[text] = err
            values.append(cache[text])
        table = np.empty(len(values), dtype=object)
        for at, value in enumerate(values):  # one by one: a tuple stays one value
            table[at] = value
        return list(table[encoded.indices.to_numpy(zero_copy_only=False)].tolist())

    def _cells(self, raw: dict[str, pa.Array]) -> list[list[Any]]:
        """Return a batch's cells as icews.py reads them: day, sides, code, then the rest."""
        m = self._mapped
        joined3 = [pc.binary_join_element_wise(*(raw[f"{w} {c}"] for c in ("Name", "Sectors",
                   "Country")), "\t") for w in ("Source", "Target")]  # fmt: skip
        place = pc.binary_join_element_wise(
            *(raw[c] for c in ("City", "District", "Province", "Country")), "\t"
        )
        return [
            m("date", raw["Event Date"], _day),
            m("Source", joined3[0], functools.partial(_actor, "Source")),
            m("Target", joined3[1], functools.partial(_actor, "Target")),
            m("cameo", raw["CAMEO Code"], lambda t: _code_kind(_norm(t))),
            m(None, raw["Event ID"], _norm),
            m("text", raw["Event Text"], _norm),
            m("place", place, _place),
            m(None, raw["Story ID"], _norm),
            m("sentence", raw["Sentence Number"], _norm),
            m("publisher", raw["Publisher"], _norm),
        ]

    def _rows(self, label: str, line: int, cells: list[list[Any]]) -> list[int]:
        """Read each row of a batch as icews.py's `read` and `add`; return those kept."""
        kept = []
        report, wanted, add = self.report, self._wanted, self._add
        for i, (iso, a, b, ck, eid, text, place, story, sentence, publisher) in enumerate(
            zip(*cells, strict=True)
        ):
            self.icews.rows += 1
            bad = next((x for x in (iso, a, b, ck) if isinstance(x, Exception)), None)
            if bad is not None:
                report.skip(f"{label}:{line + i}", reason(bad))
                continue
            code, kind = ck
            if not wanted(code, (a, b), iso):
                report.filtered += 1
                continue
            kept.append(i)
            add((f"{label}:{line + i}", eid, iso, text or f"CAMEO {code}", code, kind, (a, b),
                 place, story, sentence, publisher))  # fmt: skip
        return kept

    def _wanted(self, code: str, pair: tuple[Side, Side], iso: str) -> bool:
        """icews.py's filters; --country once per pair of sides (what it records is the same:
        a pair's first row records its spellings, its later rows nothing new)."""
        icews = self.icews
        if icews.cameo and not code.startswith(icews.cameo):
            return False
        if (self.options.date_from or self.options.date_to) and not _in_dates(self.options, iso):
            return False
        if icews.countries is None:
            return True
        kept = self.cache.setdefault("pair", {})
        ids = (id(pair[0]), id(pair[1]))  # one Side object per distinct cell (`_mapped`)
        if ids not in kept:
            kept[ids] = keeps(pair, icews.countries, self.options.any_side)
        return bool(kept[ids])

    def _add(self, row: Tup) -> None:
        """icews.py's `add` once a row is read: its sentence, its group, the chunk handed over."""
        chunk = self.chunk
        sides = row[6]
        key = (row[2], sides[0].key, sides[1].key, row[4])
        sentence = (row[8], row[9], row[2], frozenset(s.key for s in sides), row[5])
        mirror = chunk.sentences.get(sentence) if row[8] else None
        if mirror is not None and key != self._key(mirror):
            self.icews.mirrored += 1
            also = chunk.also.setdefault(mirror, [])
            said = f"{row[3]} ({row[4]})"
            if said not in also and len(also) < MAX_ALSO:
                also.append(said)
            return
        if mirror is not None and self.options.no_fold:
            self.icews.again += 1
            return
        at = chunk.by_key.get(key) if not self.options.no_fold else None
        new = at is None
        if at is None:
            at = len(chunk.firsts)
            chunk.firsts.append(row)
            chunk.groups.append(None)
            if not self.options.no_fold:
                chunk.by_key[key] = at
        else:
            group = chunk.groups[at]
            if group is None:
                group = chunk.groups[at] = Group(_coded(chunk.firsts[at]))
            group.add(_coded(row))
            chunk.folded += 1
        if row[8]:
            chunk.sentences.setdefault(sentence, at)
        if new and len(chunk.firsts) >= self.size:
            self.hand_over(final=False)

    def _key(self, at: int) -> tuple[Any, ...]:
        row = self.chunk.firsts[at]
        return (row[2], row[6][0].key, row[6][1].key, row[4])

    def _left_out(self, batch: pa.RecordBatch, kept: list[int], index: dict[str, int]) -> None:
        """Count the cells with a value that have no place, of the rows kept, in icews.py's
        order: by the first row with one, then by column."""
        import pyarrow.compute as pc

        if not kept:
            return
        rows = pa.array(kept, pa.int64())
        found = []
        for header, at in index.items():
            if header in self.icews.placed:
                continue
            cells = pc.utf8_trim_whitespace(pc.fill_null(batch.column(at).take(rows), ""))
            has = pc.invert(pc.is_in(cells, pa.array(["", MISSING])))
            n = pc.sum(has.cast(pa.int64())).as_py() or 0
            if n:
                first = pc.index(has, True).as_py()
                found.append((first, at, header, n))
        for _first, _at, header, n in sorted(found):
            self.report.left_out(header, count=n)

    def hand_over(self, final: bool) -> None:
        """Write the chunk's events to the store (as Arrow columns) and start the next."""
        chunk = self.chunk
        events, sources = self._events(chunk)
        if events or not final:
            frame = build_frame(events_array(events))
            people = dict(self.builder.people)
            self.writer.add(Dataset("", None, people, {}, frame, ()))
            self.writer.add_source_rows(pa.table(sources, SOURCE_ROWS))
        if final:
            self.icews.folder = Folder()
            self.icews.folder.folded = chunk.folded
        else:
            self.handed_folded += chunk.folded
            self.icews.folded = self.handed_folded
        self.chunk = _Chunk()

    def _events(self, chunk: _Chunk) -> tuple[dict[str, list[Any]], dict[str, list[str]]]:
        """Return a chunk's events as columns, and the sources met first in it."""
        columns: dict[str, list[Any]] = {n: [] for n in ("id", "title", "date", "kind", "place",
                                                         "leaders", "summary", "countries",
                                                         "sources", "note")}  # fmt: skip
        sources: dict[str, list[str]] = {n: [] for n in ("id", "title", "publisher", "date")}
        for at, first in enumerate(chunk.firsts):
            group = chunk.groups[at]
            where, event_id, iso, text, code, kind, sides, place = first[:8]
            # By the sides' identity: one Side object per distinct cell (`_mapped`); hashing
            # a Side hashes every field in Python.
            pair = self.people_of.get((id(sides[0]), id(sides[1])))
            if pair is None:
                pair = on_event(sides, self.builder.person)
                self.people_of[(id(sides[0]), id(sides[1]))] = pair
            leaders, countries = pair
            title = f"{text}: {sides[0].name} → {sides[1].name}"
            examples = [first] if group is None else [_tup(c.data) for c in group.examples]
            ids = list(dict.fromkeys(self._source(r, sources) for r in examples))
            columns["id"].append(self._event_id(where, event_id, iso, title))
            columns["title"].append(title)
            columns["date"].append(iso)
            columns["kind"].append(kind)
            columns["place"].append(place)
            columns["leaders"].append(list(dict.fromkeys(leaders)) or None)
            columns["summary"].append(f"{sides[0].label()}: {text} (CAMEO {code}), with "
                                      f"{sides[1].label()} as the target.")  # fmt: skip
            columns["countries"].append(countries or None)
            columns["sources"].append(ids)
            columns["note"].append(_told(first, group, chunk.also.get(at)))
        return (columns if chunk.firsts else {}), sources

    def _event_id(self, where: str, event_id: str, iso: str, title: str) -> str:
        """Return the id Builder.add_event gives (and report a renamed one as it does)."""
        hint = f"icews-{event_id}" if event_id else None
        if hint is None:
            words = slugify(title) or "event"
            eid = self.event_ids.maker.make(f"{iso}-{words}", fallback=f"{iso}-event")
        else:
            eid = self.event_ids.make(event_id)
        if hint and self.event_ids.maker.was_renamed(eid):
            self.report.change(
                where, f"id {echo(hint)} is taken by an earlier event; this one's id is {eid!r}"
            )
        return eid

    def _source(self, row: Tup, sources: dict[str, list[str]]) -> str:
        """Return the id of a row's source (a story, else a day and publisher), as icews.py."""
        iso, story, publisher = row[2], row[8], row[10]
        if story and (known := self.source_ids.seen(story)) is not None:
            return known
        key = ("story", story) if story else ("date", iso, publisher)
        sid = self.sources_by_key.get(key)
        if sid is None:
            if story:
                sid = self.source_ids.make(story, "source")
                if not self.source_ids.given(story, sid):
                    self.sources_by_key[key] = sid
            else:
                sid = self.sources_by_key[key] = self.source_ids.maker.make(
                    f"icews-{iso}", fallback="source"
                )
            sources["id"].append(sid)
            sources["title"].append(
                f"ICEWS story {story}" if story else "ICEWS event data, story not given"
            )
            sources["publisher"].append(publisher or "ICEWS (publisher not given)")
            sources["date"].append(iso)
        return sid


class _Ids:
    """IdMaker's ids for hints PREFIX + a number (ICEWS's event and story ids): those of a
    number written plainly (no sign, no leading zero) are held as numbers, 8 bytes each, not
    as a text in a set (a year of ICEWS has millions); every other through IdMaker, which
    is told of the plain ones it could meet, so the ids are the ones IdMaker alone gives."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.maker = IdMaker()
        self.told: set[str] = set()  # ids given plainly that the maker was told of
        self.numbers = np.zeros(0, np.int64)  # sorted: the numbers given plainly, merged
        self.recent: set[int] = set()  # and those given since the last merge
        self.squatted: set[int] = set()  # numbers whose plain id the maker gave another

    def _taken(self, n: int) -> bool:
        if n in self.recent:
            return True
        at = int(np.searchsorted(self.numbers, n))
        return at < len(self.numbers) and int(self.numbers[at]) == n

    def _take(self, n: int) -> None:
        self.recent.add(n)
        if len(self.recent) >= 1 << 16:
            merged = np.concatenate([self.numbers, np.fromiter(self.recent, np.int64)])
            self.numbers, self.recent = np.sort(merged), set()

    def _tell(self, made: str) -> None:
        """Let the maker know a plain id is taken before it makes one of the same base."""
        if made not in self.told:
            self.told.add(made)
            self.maker.make(made, fallback="item")

    def make(self, number: str, fallback: str = "item") -> str:
        """Return the id IdMaker would give the hint PREFIX + number."""
        hint = self.prefix + number
        n = _plain(number)
        if n is not None and not self._taken(n):
            self._take(n)
            return hint
        if n is not None:
            self._tell(hint)  # taken: the maker numbers it (-2, -3...) and says it renamed
        else:  # its base may be a plain id given already (icews-12. is icews-12)
            base = hint if _ID.fullmatch(hint) else slugify(hint)
            plain = _plain(base.removeprefix(self.prefix)) if base.startswith(self.prefix) else None
            if plain is not None and self._taken(plain):
                self._tell(base)
        made = self.maker.make(hint, fallback=fallback)
        if made.startswith(self.prefix) and (m := _plain(made[len(self.prefix) :])) is not None:
            self._take(m)
            self.squatted.add(m)
            self.told.add(made)  # the maker holds it already
        return made

    def seen(self, number: str) -> str | None:
        """Return the plain id of a number given already by `make` for it; None if none."""
        n = _plain(number)
        if n is None or n in self.squatted or not self._taken(n):
            return None
        return self.prefix + number

    def given(self, number: str, made: str) -> bool:
        """Say whether `seen` will find what `make` gave for a number (else keep it apart)."""
        return made == self.prefix + number and self.seen(number) == made


def _plain(number: str) -> int | None:
    """Return a number written plainly (digits, no leading zero, at most 18), else None."""
    if number.isdigit() and number.isascii() and len(number) <= 18 and number[:1] != "0":
        return int(number)
    return (number == "0" and 0) or None


def _tup(row: _Row) -> Tup:
    return (row.where, row.event_id, row.iso, row.text, row.code, row.kind, row.sides,
            row.place, row.story, row.sentence, row.publisher)  # fmt: skip


def _told(first: Tup, group: Group[_Row] | None, also: list[str] | None) -> str | None:
    """Return icews.py's note of an event (`_Icews.told`), for a group or a single row."""
    rows = 1 if group is None else group.rows
    ids = [first[1]] if group is None else [c.data.event_id for c in group.examples]
    ids = [i for i in ids if i]
    if not ids:
        said = "An ICEWS event" if rows == 1 else "ICEWS events"
    elif rows == 1:
        said = f"ICEWS event {ids[0]}"
    else:
        more = rows - len(ids)
        said = f"ICEWS events {', '.join(ids)}" + (f" and {more:,} more" if more else "")
    if rows == 1:
        said += f", story {first[8]}" if first[8] else ""
        said += f", sentence {first[9]}" if first[9] else ""
    notes = [f"{said}.", (group.told("story") if group is not None else None) or ""]
    if also:
        notes.append(f"Also coded from the other side: {'; '.join(also)}.")
    return joined([n for n in notes if n])


def events_array(columns: dict[str, list[Any]]) -> pa.StructArray:
    """Return a chunk's event columns as the Arrow array `frame.to_arrow` makes of events."""
    kind = event_type()
    n = len(columns.get("id", []))
    arrays = [pa.array(columns[f.name], f.type) if f.name in columns else pa.nulls(n, f.type)
              for f in kind]  # fmt: skip
    return pa.StructArray.from_arrays(arrays, fields=list(kind))


def _code_kind(text: str) -> tuple[str, str]:
    code = cameo_code(text)
    return code, cameo_kind(code)


def _in_dates(options: Options, iso: str) -> bool:
    date = parse_partial_date(iso)
    first, last = options.date_from, options.date_to
    return not ((first and date.last < first) or (last and date.first > last))


def import_columns(
    paths: list[tuple[str, list[str]]], name: str, options: Options, writer: Any, size: int
) -> Imported:
    """Import eligible ICEWS files (path, header cells) into a store's writer, a chunk at a
    time; return the import's report and heading (its events are in the store)."""
    columns = Columns(options, writer, size)
    # The rows held are millions of small tuples, none in a cycle: the collector's passes
    # over them (a third of the time) find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for path, names in paths:
            columns.read(path, path, names)
    finally:
        if collecting:
            gc.enable()
    if not columns.icews.rows:
        raise empty(paths[0][0] if paths else name, EXPECTED)
    columns.hand_over(final=True)
    columns.icews.notes()
    comment = "Each source is an ICEWS story, dated like its events; ICEWS gives no title or link."
    codes = f"CAMEO codes starting {', '.join(options.cameo)}" if options.cameo else None
    return columns.builder.build(
        f"ICEWS events from {name}", described("ICEWS", options, codes), comment
    )


def _day(raw: str) -> str:
    """Return an Event Date cell's day (icews.py's `read`); Skip or DateProblem if none."""
    text = _norm(raw)
    if not text:
        raise Skip("no Event Date")
    return read_date(text, what="Event Date").iso


def _actor(which: str, raw: str) -> Side:
    """Return a side from its name, sectors and country cells (tab-joined), as icews.py."""
    name, sectors, country = (_norm(t) for t in raw.split("\t"))
    if not name:
        raise Skip(f"no {which} Name")
    return _side(name, sectors, country)


def _place(raw: str) -> str | None:
    """Return where it happened: City, District, Province, Country, each named once."""
    parts = (_norm(t) for t in raw.split("\t"))
    return ", ".join(dict.fromkeys(p for p in parts if p)) or None


def _raw(batch: pa.RecordBatch, at: int | None) -> pa.Array:
    """Return a column's cells as text, "" for an empty one (or a column the input lacks)."""
    if at is None:
        return pa.array([""] * batch.num_rows, pa.string())
    return pc.fill_null(batch.column(at), "")
