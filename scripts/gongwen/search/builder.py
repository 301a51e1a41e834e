"""Reports → the files of the search index (``site/search/…``), as bytes.

Layout (all paths relative to ``search/``), so that a query fetches only
what it needs:

``meta.json``
    Loaded at the first query, and of a size that does not grow with the archive: document
    count, bucket count, lexicon shard count, the first document of each year (documents are
    numbered by year, then id) and where the parts of a key start in *indexed positions*
    (``parts``, below).
``filters.json``
    Per document its bureau, region and level, with the lists of their values:
    loaded only when one of those filters is used (it grows with the number of
    bureaus, and most queries do not need it).
``g/<bucket>.bin`` and ``g/<cp1>-<cp2>[-<cp3>].bin``
    Postings of character grams of the search keys.  A trigram's postings list
    every position (so a phrase of three or more characters is verified exactly
    from positions, never guessed); single characters and bigrams list
    documents only (that is exact for them).  Grams whose postings are large
    get a file of their own; the rest share hashed buckets.
``t/<doc>.txt``
    A result shown: its row (title, bureau, year, 文号, region, URL, where the text starts in the
    key) as one line of JSON, then its search key, for the snippet.
Names grams (in ``g/`` too)
    Characters and bigrams of each report's *names* (title, bureau, place, year; the key up to
    ``names_end``) are indexed too, as documents only, under the gram's code points preceded by
    0: a word of one or two characters is then known to be in a report's names (for ranking).
``stats.bin``
    Per document one byte, its key's length on a log scale (``length_code``): the document
    length for the word score.  Fetched only when a query reaches the word tiers.

Indexed positions
    A trigram's positions are not offsets into the key but into four *parts* laid end to end at
    fixed starts ``0, parts[0], parts[1], parts[2]``: the title, the rest of the names, the rest of
    the metadata, the text.  So where a phrase first occurs says which part it is in (for
    ranking) without any per-document data; the starts are the smallest powers of two that fit
    the longest part of the archive, so the positions take no more bytes.
``w/<n>.json``
    The lexicon (``lexicon.py``): words, costs, forms, browse links, traditional → simplified,
    sharded by the first character; a query fetches the shards of its characters.  Each
    shard also lists the grams starting with its characters that have a file of their own.
``d/<chunk>.json``
    Result rows only, ``CHUNK`` documents a file: for listing every result's
    URL (``gongwenSearch.resultUrls``, used by the benchmark), not by the page.

The binary format is documented in ``docs/search.md`` and read by
``docs/assets/search/index.js``.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict

from ..datafiles import load_vocabulary
from ..browse.places import bureau_label, report_url
from ..model import Report
from ..vocabulary import Vocabulary
from .analyzer import Document, document
from .frequent import COVER_BYTES, PHRASE, frequent_grams, phrase_counts
from .lexicon import derive_lexicon, lexicon_files
from .names import name_rules

#: Documents per result-row file.
CHUNK = 100
#: Encoded postings above this many bytes get a file of their own.
OWN_FILE_BYTES = 4096
#: Target size of a bucket of small postings.
BUCKET_BYTES = 4096
#: Format version, checked by the browser code.
VERSION = 3
#: stats.bin's length code: a key of ``n`` characters is stored as ``round(LENGTH_STEPS × log2(n))``
#: in one byte (about 6 % apart), enough for BM25's length normalisation.
LENGTH_STEPS = 12


def varint(value: int) -> bytes:
    """LEB128: 7 bits a byte, high bit set on all but the last."""
    if value < 0x80:
        return _SMALL[value]
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


#: The one-byte varints, made once (most numbers of the index are small deltas).
_SMALL = [bytes([n]) for n in range(0x80)]


def _deltas(numbers: list[int]) -> bytes:
    previous, out = 0, bytearray()
    for number in numbers:
        delta = number - previous
        out += _SMALL[delta] if delta < 0x80 else varint(delta)
        previous = number
    return bytes(out)


class _Postings:
    """One gram's postings, encoded as the documents arrive (in increasing order); the count goes in front at the end.

    Encoding as we go keeps the build's memory near the size of the index itself, instead of a
    Python list of every position of every trigram (several GB at 10,000 reports)."""

    __slots__ = ("data", "count", "last")

    def __init__(self) -> None:
        self.data, self.count, self.last = bytearray(), 0, 0

    def add(self, doc: int, positions: list[int] | None = None, value: int | None = None) -> None:
        self.data += varint(doc - self.last)
        self.last, self.count = doc, self.count + 1
        if positions is not None:
            self.data += varint(len(positions)) + _deltas(positions)
        if value is not None:
            self.data += varint(value)

    def encoded(self) -> bytes:
        return varint(self.count) + bytes(self.data)


def trigram_positions(key: str, shifts: list[tuple[int, int]] = ((0, 0),)) -> dict[str, list[int]]:
    """Every trigram of a key (none across a newline) → its positions, in order.

    ``shifts``: (first key offset of a part, its indexed start), ascending (``indexed_parts``)."""
    found: dict[str, list[int]] = defaultdict(list)
    bounds = list(shifts) + [(len(key), 0)]
    for (begin, start), (end, _) in zip(bounds, bounds[1:]):
        for position in range(begin, end - 2):
            triple = key[position:position + 3]
            if "\n" not in triple:
                found[triple].append(position - begin + start)
    return found


def _power_of_two(n: int) -> int:
    return 1 << max(0, n - 1).bit_length()


def part_starts(docs: list[Document]) -> list[int]:
    """Indexed starts of the rest of the names, the rest of the metadata and the text (``meta.json``'s ``parts``).

    Each part is given the smallest power of two that fits its longest instance (plus its newline)."""
    title = max((d.title_end + 1 for d in docs), default=1)
    names = max((d.names_end - d.title_end for d in docs), default=1)
    tags = max((d.meta_end - d.names_end for d in docs), default=1)
    names_at = _power_of_two(title)
    tags_at = names_at + _power_of_two(names)
    return [names_at, tags_at, tags_at + _power_of_two(tags)]


def indexed_parts(doc: Document, parts: list[int]) -> list[tuple[int, int]]:
    """(key offset, indexed start) of the title, the rest of the names, the rest of the metadata, the text."""
    names_end = max(doc.names_end, doc.title_end)
    return [(0, 0), (doc.title_end + 1, parts[0]), (names_end + 1, parts[1]), (max(doc.meta_end, names_end) + 1, parts[2])]


def encoded_postings(docs: list[Document], parts: list[int] | None = None,
                     frequent: frozenset[str] = frozenset()) -> dict[tuple[int, ...], bytes]:
    """Characters and bigrams → ``count, doc deltas``; trigrams → ``count, per doc: delta, n, position deltas``;
    the phrase lists of the ``frequent`` grams (``frequent.py``) → ``count, per doc: delta, occurrences << 2 | part``.

    Positions are indexed positions (``part_starts``); without ``parts``, offsets into the key."""
    postings: dict[str, _Postings] = defaultdict(_Postings)
    starts = frozenset(gram[:3] for gram in frequent)
    for number, doc in enumerate(docs):
        for gram, value in sorted(phrase_counts(doc, frequent, starts).items()):
            postings[PHRASE + gram].add(number, value=value)
        lines = doc.key.split("\n")
        for gram in sorted({line[i:i + n] for line in lines for n in (1, 2) for i in range(len(line) - n + 1)}):
            postings[gram].add(number)
        for gram in sorted(names_grams(doc)):
            postings[gram].add(number)
        shifts = indexed_parts(doc, parts) if parts else ((0, 0),)
        for triple, positions in sorted(trigram_positions(doc.key, shifts).items()):
            postings[triple].add(number, positions)
    return {gram_key(gram): entry.encoded() for gram, entry in postings.items()}


#: Marks a gram of the names part (code point 0 never occurs in a key).
NAMES = "\x00"


def names_grams(doc: Document) -> set[str]:
    """Characters and bigrams of the report's names, marked with ``NAMES``."""
    lines = doc.key[:doc.names_end].split("\n")
    return {NAMES + line[i:i + n] for line in lines for n in (1, 2) for i in range(len(line) - n + 1)}


def gram_key(gram: str) -> tuple[int, ...]:
    """A gram as its code points."""
    return tuple(ord(ch) for ch in gram)


def bucket_of(key: tuple[int, ...], buckets: int) -> int:
    """The bucket of a gram; the browser computes the same number (kept below 2**53 at every step)."""
    value = len(key)
    for code in key:
        value = (value * 7919 + code) % buckets
    return value


def gram_name(key: tuple[int, ...]) -> str:
    return "-".join(f"{code:x}" for code in key)


def posting_files(encoded: dict[tuple[int, ...], bytes]) -> tuple[dict[str, bytes], dict[str, int], int]:
    """Postings into files: big ones alone, the rest in hashed buckets (each entry: n, n code points, length, data).

    Also the grams with a file of their own and its size in KB (listed in the lexicon shards), and the
    number of buckets."""
    files, own = {}, {}
    small = {key: data for key, data in encoded.items() if len(data) <= OWN_FILE_BYTES}
    for key in sorted(set(encoded) - set(small)):
        files[f"g/{gram_name(key)}.bin"] = encoded[key]
        own["".join(map(chr, key))] = -(-len(encoded[key]) // 1024)
    buckets = max(1, sum(len(d) for d in small.values()) // BUCKET_BYTES)
    contents: dict[int, bytearray] = defaultdict(bytearray)
    for key in sorted(small):
        header = varint(len(key)) + b"".join(varint(code) for code in key)
        contents[bucket_of(key, buckets)] += header + varint(len(small[key])) + small[key]
    files |= {f"g/{number}.bin": bytes(data) for number, data in sorted(contents.items())}
    return files, own, buckets


def _numbered(values: list[str | None]) -> tuple[list[str], list[int]]:
    names = sorted({v for v in values if v})
    index = {name: number for number, name in enumerate(names)}
    return names, [index[v] if v else -1 for v in values]


def year_starts(reports: list[Report]) -> list[list[int]]:
    """``[year, first document of that year]`` for each year, ascending (documents are numbered by year)."""
    starts: dict[int, int] = {}
    for number, report in enumerate(reports):
        starts.setdefault(report.year, number)
    return [[year, start] for year, start in starts.items()]


def filters(reports: list[Report]) -> dict:
    """Per document: bureau, level and regions as numbers into the lists of their values."""
    levels, level = _numbered([r.level for r in reports])
    bureaus, bureau = _numbered([bureau_label(r) for r in reports])  # the bureau's one name on the site
    regions = sorted({v for r in reports for v in (r.province, r.city, r.county) if v})
    number = {name: n for n, name in enumerate(regions)}
    region = [[number[v] for v in (r.province, r.city, r.county) if v] for r in reports]
    return {"levels": levels, "bureaus": bureaus, "regions": regions, "level": level, "bureau": bureau, "region": region}


def result_row(report: Report) -> dict:
    region = " ".join(v for v in (report.province, report.city, report.county) if v)
    return {"url": report_url(report), "title": report.title, "bureau": bureau_label(report), "year": report.year,
            "doc_number": report.doc_number, "region": region}


def length_code(length: int) -> int:
    """A key's length in one byte, on a log scale (BM25 needs it only roughly, like Lucene's norms)."""
    return min(255, round(LENGTH_STEPS * math.log2(max(1, length))))


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def stats(docs: list[Document]) -> bytes:
    """Per document: the length of its key, one byte (``length_code``)."""
    return bytes(length_code(len(doc.key)) for doc in docs)


def search_files(reports: list[Report], vocabulary: Vocabulary | None = None,
                 cover_bytes: int = COVER_BYTES) -> dict[str, bytes]:
    """Every file of the search index, by path under ``search/``; the same reports give the same bytes.

    ``cover_bytes``: when a gram gets a phrase list (``frequent.py``; tests lower it for small archives)."""
    reports = sorted(reports, key=lambda r: (r.year or 0, r.id))  # by year: a year is a range of documents
    docs = [document(report) for report in reports]
    parts = part_starts(docs)
    frequent = frequent_grams(docs, cover_bytes)
    encoded = encoded_postings(docs, parts, frequent)
    grams = {"".join(map(chr, key)) for key in encoded if key[0] > 1}  # not the names grams, not the phrase lists
    files, own, buckets = posting_files(encoded)
    lexicon = derive_lexicon(grams, reports, name_rules(vocabulary or load_vocabulary(), reports))
    words, shards = lexicon_files(lexicon, own, sorted(frequent))
    files |= words
    files["stats.bin"] = stats(docs)
    meta = {"version": VERSION, "count": len(reports), "buckets": buckets, "chunk": CHUNK, "parts": parts,
            "years": year_starts(reports), "length_steps": LENGTH_STEPS,
            "words": {"shards": shards, "unknown": lexicon.unknown}}
    files["meta.json"] = _json(meta)
    files["filters.json"] = _json(filters(reports))
    for start in range(0, len(reports), CHUNK):
        files[f"d/{start // CHUNK}.json"] = _json([result_row(r) for r in reports[start:start + CHUNK]])
    files |= {f"t/{number}.txt": _json(result_row(report) | {"text_at": doc.meta_end}) + b"\n" + doc.key.encode("utf-8")
              for number, (report, doc) in enumerate(zip(reports, docs))}
    return files
