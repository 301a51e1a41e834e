"""Reports → the files of the search index (``site/search/…``), as bytes.

Layout (all paths relative to ``search/``), so that a query fetches only
what it needs:

``meta.json``
    Loaded at the first query, and of a size that does not grow with the archive: document
    count, bucket count, lexicon shard count, the first document of each year (documents are
    numbered by year, province, then id) and where the parts of a key start in *indexed positions*
    (``parts``, below).
``filters.json``
    Per document its bureau, region and level, with the lists of their values:
    loaded only when one of those filters is used (it grows with the number of
    bureaus, and most queries do not need it).
``b/<bucket>.bin`` and ``g/<cp1>-<cp2>[-<cp3>].bin``
    Postings of character grams of the search keys.  A trigram's postings list
    every position (so a phrase of three or more characters is verified exactly
    from positions, never guessed); single characters and bigrams list
    documents only (that is exact for them).  Grams whose postings are large
    get a file of their own; the rest share hashed buckets.
``t/<block>/<n>.txt``
    A result shown (the ``n``-th report of its block, ``pieces.Blocks.names``: a report added elsewhere renames
    no other block's files): its row (title, bureau, year, 文号, region, URL, where the text starts in the
    key) as one line of JSON, then its search key, for the snippet.
Names grams (in ``g/`` too)
    Characters and bigrams of each report's *names* (title, bureau, place, year; the key up to
    ``names_end``) are indexed too, as documents only, under the gram's code points preceded by
    0: a word of one or two characters is then known to be in a report's names (for ranking).
``s/<k>.bin``
    Per document one byte, its key's length on a log scale (``length_code``): the document
    length for the word score, ``STATS_REPORTS`` reports a file (reports ``k × STATS_REPORTS`` on;
    their average length in ``meta.json``).  Fetched only for the reports a query's word tiers
    must order: those of the first page's groups (``rank.js``).  ``sc/<k>.bin`` holds the same for
    ``STATS_COARSE`` such files, fetched instead of half of them or more.

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
from itertools import accumulate
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ..datafiles import load_vocabulary
from ..browse.places import bureau_label, report_url
from ..model import Report
from ..vocabulary import Vocabulary
from .analyzer import Document
from .entries import EntryMaker, Entries, doc_entries, indexed_parts  # noqa: F401  (indexed_parts: the parts' shifts)
from .frequent import COVER_BYTES, frequent_grams, sample
from .lexicon import derive_lexicon, lexicon_files
from .memo import SearchMemo, report_digest
from .names import name_rules
from .pieces import Blocks, blocks_of
from .postingfiles import PostingLayout, posting_stream
from .postings import PackedGrams, all_postings, code_table, groups_merged
from .years import (MemoryYears, YearPart, assembled, block_digest, block_encoder, released, year_digest,
                    year_of_blocks)

#: Documents per result-row file.
CHUNK = 100
#: Format version, in meta.json (for readers of the index; the browser code ships with its index).
VERSION = 10  # 10: the lengths in coarse sc/<k>.bin files too, big lists cut by the bytes sent (pieces.sent_bytes); 9: t/ files and pieces named by their block, a piece's first delta from its first report; 8: the grams with own files and phrase lists listed by their first two characters (v/); 7: the longer words in v/ shards by their first two characters; 6: the lengths in s/<k>.bin files; 5: big postings in pieces by year and province (pieces.py); 4: buckets in b/
#: The lengths' code (``s/<k>.bin``): a key of ``n`` characters is stored as ``round(LENGTH_STEPS × log2(n))``
#: in one byte (about 6 % apart), enough for BM25's length normalisation.
LENGTH_STEPS = 12
#: Reports per file of lengths (``s/<k>.bin``).  A natural query's first page orders the reports of a few groups
#: (those with the same 文号, words and words in names as the tenth result): at 100,000 reports, one file of every
#: length was 61 KB of a natural query's 240 KB.  1,024 lengths are about 0.7 KB gzip: the groups of a place's
#: query lie in one block of each year (a province's), so their lengths took 6–7 files of 4,096 (14–22 KB).
STATS_REPORTS = 1024
#: Files of lengths in one coarse file (``sc/<k>.bin``: reports ``k × STATS_COARSE × STATS_REPORTS`` on, the same
#: bytes).  A query that needs half or more of a coarse file's fine files fetches it instead: at most twice their
#: bytes, in a quarter of the requests or fewer.  At 100,000 reports a natural query naming a year ordered groups
#: spread over that year's reports: 20 fine files, 23 of its 94 requests (issue 24).  Not ``S/``: a file system
#: that ignores case (macOS's, Windows') would hold both folders as one.
STATS_COARSE = 8


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


def encoded_postings(docs: list[Document], parts: list[int] | None = None,
                     frequent: frozenset[str] = frozenset()) -> dict[tuple[int, ...], bytes]:
    """Characters and bigrams → ``count, doc deltas``; trigrams → ``count, per doc: delta, n, position deltas``;
    the phrase lists of the ``frequent`` grams (``frequent.py``) → ``count, per doc: delta, occurrences << 2 | part``;
    names grams (``NAMES``) → ``count, doc deltas``.  Keyed by the gram's code points (a phrase list: 1, then the
    gram's).  Positions are indexed positions (``part_starts``); without ``parts``, offsets into the key."""
    postings = all_postings(doc_entries(docs, parts, frequent))
    table = code_table(postings.keys, sorted(frequent))
    return {tuple(int(c) for c in row if c >= 0): postings.data[start:start + size].tobytes()
            for row, start, size in zip(table, postings.starts.tolist(), postings.sizes.tolist())}


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


def year_spans(reports: list[Report]) -> list[tuple[int, int, int]]:
    """``(year, first document, end)`` of each year, ascending (documents are numbered by year)."""
    starts = year_starts(reports)
    return [(year, start, end) for (year, start), end in zip(starts, [s for _, s in starts[1:]] + [len(reports)])]


def year_parts(found: Indexed, spans: list[tuple[int, int, int]], made: EntryMaker, memo: SearchMemo | None,
               spill, pool, years, kept_blocks) -> list[YearPart]:
    """Each year's postings (``years.py``): the part kept in ``years`` when its reports and their entries' context
    are the same (their entries in the memo kept for the next build without being read), else joined again from
    its blocks' parts (``block_parts``)."""
    found_parts, names = [], set()
    for year, start, end in spans:
        local = blocks(found.reports[start:end])
        # kept by the province's name, not its number as the index's files are (``Blocks.names``): a province
        # new to the archive renumbers the others, which would merge every block again
        block_names = [f"{year}-{local.provinces[number]}" for number in local.province.tolist()]
        names.update(block_names)
        digest = year_digest(made.context, found.digests[start:end], local)
        part = years.get(year, digest)
        if part is None:
            bounds = [*local.starts.tolist(), end - start]
            parts = block_parts(found, start, bounds, block_names, made, memo, spill, pool, kept_blocks)
            part = years.put(year, digest, released(year_of_blocks(parts, bounds[:-1]), kept_blocks))
        elif memo is not None:
            memo.touch_entries(found.digests[start:end], made.context)
        found_parts.append(part)
    years.keep_only({year for year, _, _ in spans})
    kept_blocks.keep_only(names)
    return found_parts


def block_parts(found: Indexed, start: int, bounds: list[int], names: list[str], made: EntryMaker,
                memo: SearchMemo | None, spill, pool, kept) -> list[YearPart]:
    """The parts of a year's blocks (``bounds``: where each starts in the year, then its end; the year starts at
    report ``start``): kept in ``kept`` when their reports and context are the same, else merged, all the
    missing ones in one pass (``postings.groups_merged``: a cold build's pool computes entries across blocks)."""
    spans = [(start + a, start + b) for a, b in zip(bounds, bounds[1:])]
    digests = [block_digest(made.context, found.digests[a:b]) for a, b in spans]
    parts = [kept.get(name, digest) for name, digest in zip(names, digests)]
    missing = [number for number, part in enumerate(parts) if part is None]
    if memo is not None:
        for a, b in (spans[number] for number, part in enumerate(parts) if part is not None):
            memo.touch_entries(found.digests[a:b], made.context)
    rows = [at for number in missing for at in range(*spans[number])]
    entries = Entries([found.docs[at] for at in rows], made, memo, [found.digests[at] for at in rows], pool)
    sizes = [spans[number][1] - spans[number][0] for number in missing]
    merged = groups_merged(entries, list(accumulate(sizes[:-1], initial=0)), spill, block_encoder) if missing else ()
    for (_, ranges), number in zip(merged, missing):
        parts[number] = kept.put(names[number], digests[number], ranges)
    return parts


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


def length_codes(docs: list[Document]) -> bytes:
    """Per document the length of its key, one byte (``length_code``)."""
    return bytes(length_code(len(doc.key)) for doc in docs)


def stats_files(codes: bytes) -> dict[str, bytes]:
    """The length codes, ``STATS_REPORTS`` documents a file (``s/``), and ``STATS_COARSE`` times as many (``sc/``)."""
    files = {}
    for folder, per in (("s", STATS_REPORTS), ("sc", STATS_REPORTS * STATS_COARSE)):
        files.update({f"{folder}/{k}.bin": codes[start:start + per] for k, start in enumerate(range(0, len(codes), per))})
    return files


def length_average(codes: bytes) -> float:
    """The average of the lengths the codes give (``2^(code / LENGTH_STEPS)``), for BM25's length normalisation."""
    return sum(2 ** (code / LENGTH_STEPS) for code in codes) / max(1, len(codes))


#: What the index no longer needs of a report once its search key is made (most of a report's memory).
TEXT_FIELDS = {"body": [], "sections": [], "closing": [], "colophon": [], "notes": [], "warnings": [],
               "masthead": None, "recipients_line": None, "required_items_where": {}}


@dataclass(frozen=True)
class Indexed:
    """The reports to index, in document order (``document_order``), without their text (``TEXT_FIELDS``), with
    their search keys and digests (``memo.report_digest``)."""

    reports: list[Report]
    docs: list[Document]
    digests: list[str]


def document_order(report: Report) -> tuple:
    """Reports are numbered by year, then province, then id: a year, and a province within it, is a range of
    report numbers (``pieces.Blocks``)."""
    return report.year or 0, report.province or "", report.id


def blocks(reports: list[Report]) -> Blocks:
    return blocks_of([(r.year or 0, r.province or "") for r in reports])


def indexed(reports: list[Report], memo: SearchMemo | None = None) -> Indexed:
    """The reports' search keys (reused from ``memo`` when a report's are the same); the caller may then let the
    full reports go, so that the index is built without them in memory (1.6 GB at 10,000 reports)."""
    memo = memo if memo is not None else SearchMemo()
    reports = sorted(reports, key=document_order)
    digests = [report_digest(report) for report in reports]
    docs = [memo.document(report, digest) for report, digest in zip(reports, digests)]
    return Indexed([report.model_copy(update=TEXT_FIELDS) for report in reports], docs, digests)


def search_files(reports: list[Report], vocabulary: Vocabulary | None = None,
                 cover_bytes: int = COVER_BYTES, memo: SearchMemo | None = None) -> dict[str, bytes]:
    """Every file of the search index, by path under ``search/``; the same reports give the same bytes.

    ``cover_bytes``: when a gram gets a phrase list (``frequent.py``; tests lower it for small archives).
    ``memo``: what the last build computed (``memo.py``), reused where its inputs are the same; updated."""
    memo = memo if memo is not None else SearchMemo()
    return index_files(indexed(reports, memo), vocabulary, cover_bytes, memo)


def index_files(found: Indexed, vocabulary: Vocabulary | None = None, cover_bytes: int = COVER_BYTES,
                memo: SearchMemo | None = None) -> dict[str, bytes]:
    """``search_files`` from the reports' search keys."""
    return dict(index_stream(found, vocabulary, cover_bytes, memo))


def index_stream(found: Indexed, vocabulary: Vocabulary | None = None, cover_bytes: int = COVER_BYTES,
                 memo: SearchMemo | None = None, spill=None, pool=None, years=None, kept_blocks=None):
    """``index_files``' files one at a time, ``(name, bytes)``, for the build to write as they come: the whole
    index (2.3 GB at 100,000 reports) is never in memory at once.  ``spill``: where the merge keeps its
    pieces (``postings.ranges_merged``; ``memos.SpillFolder`` in a build).  Each report's entries are read
    from the ``memo`` or computed when the merge reads them (``entries.Entries``), by the ``pool``'s processes
    when one is given (a cold build's); without a memo they are not kept for a next build.  ``years`` and
    ``kept_blocks``: where each year's and each block's postings are kept (``years.py``; ``memos.YearFolder`` in
    a build): only the blocks whose part is not there are merged, and only their years joined again."""
    reports, docs = found.reports, found.docs
    parts = part_starts(docs)
    frequent = frequent_grams(docs, cover_bytes, (memo or SearchMemo()).sample_counts(sample(docs)))
    layout = PostingLayout()
    made = EntryMaker(parts, frequent)
    found_blocks = blocks(reports)
    spans = year_spans(reports)
    kept_years = years if years is not None else MemoryYears()
    by_year = year_parts(found, spans, made, memo, spill, pool, kept_years,
                         kept_blocks if kept_blocks is not None else MemoryYears())
    yield from posting_stream(released(assembled(by_year, [start for _, start, _ in spans]), kept_years),
                              sorted(frequent), layout, found_blocks)
    lexicon = derive_lexicon(PackedGrams(layout.keys), reports, name_rules(vocabulary or load_vocabulary(), reports))
    words, shards, pairs = lexicon_files(lexicon, layout.own, sorted(frequent))
    yield from words.items()
    codes = length_codes(docs)
    yield from stats_files(codes).items()
    meta = {"version": VERSION, "count": len(reports), "buckets": layout.buckets, "chunk": CHUNK, "parts": parts,
            "years": year_starts(reports), "length_steps": LENGTH_STEPS, "blocks": found_blocks.meta(),
            "stats": {"reports": STATS_REPORTS, "coarse": STATS_COARSE, "average": length_average(codes)},
            "provinces": list(found_blocks.provinces),
            "words": {"shards": shards, "pairs": pairs, "unknown": lexicon.unknown}}
    yield "meta.json", _json(meta)
    yield "filters.json", _json(filters(reports))
    for start in range(0, len(reports), CHUNK):
        yield f"d/{start // CHUNK}.json", _json([result_row(r) for r in reports[start:start + CHUNK]])
    names, block_of = found_blocks.names(), found_blocks.of(np.arange(len(reports))).tolist()
    for number, (report, doc, block) in enumerate(zip(reports, docs, block_of)):
        yield (f"t/{names[block]}/{number - int(found_blocks.starts[block])}.txt",
               _json(result_row(report) | {"text_at": doc.meta_end}) + b"\n" + doc.key.encode("utf-8"))
