"""Big postings in pieces by year and province (``search/pieces.py``, issue 24), read back from the index files.

Over synthetic reports of many provinces and years, with the thresholds lowered so that many grams are cut:
the pieces of a gram, decoded in order, are its whole postings; no piece holds two years; pieces are listed in
the lexicon shard with their first report and size; and reports are numbered by year, then province."""

from __future__ import annotations

import gzip
import json
from bisect import bisect_right

import pytest

from conftest import SEEDS
from gongwen.pipeline import SourceFile, build_reports, report_from_text
from gongwen.search import builder, pieces, postingfiles
from gongwen.search.builder import encoded_postings, gram_key, part_starts
from gongwen.search.postingfiles import gram_name
from gongwen.search.frequent import frequent_grams
from gongwen.synthetic import pool_from_reports, synthetic_reports
from test_search_analyzer import _decode


#: Phrase lists for common grams at this size (``frequent.py``'s threshold lowered).
COVER = 2000


def synthetic(count: int) -> list:
    pool = pool_from_reports([report_from_text(p.read_text(encoding="utf-8"), p.name, "0" * 64) for p in SEEDS])
    texts = synthetic_reports(count, pool, seed=3)
    return build_reports([SourceFile(name, text.encode("utf-8")) for name, text in texts]).reports


#: The thresholds of ``cut_index``: low enough that grams of one or two characters in a third of the reports are
#: cut (those in nearly every report are not: ``pieces.sent_bytes``).
SPLIT, PIECE = 40, 24


@pytest.fixture(scope="module")
def cut_index():
    """The index of 120 synthetic reports with phrase lists, every gram over SPLIT bytes sent in pieces of about
    PIECE, and files of their own from 48 bytes."""
    reports = synthetic(120)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pieces, "SPLIT_BYTES", SPLIT)
        patch.setattr(pieces, "PIECE_BYTES", PIECE)
        patch.setattr(postingfiles, "OWN_FILE_BYTES", 48)
        found = builder.indexed(reports)
        files = builder.index_files(found, cover_bytes=COVER)
    return found, files


def entries(data: bytes, gram: str, base: int = 0) -> list[tuple[int, tuple[int, ...]]]:
    """A postings list as (report, its payload's numbers), whatever its kind (builder.py documents them);
    ``base``: where its first delta counts from (a piece's first report)."""
    numbers, at, doc, out = _decode(data), 1, base, []
    for _ in range(numbers[0]):
        doc += numbers[at]
        width = 1 if gram.startswith("\x01") else (1 + numbers[at + 1]) if len(gram) == 3 and "\x00" not in gram else 0
        out.append((doc, tuple(numbers[at + 1:at + 1 + width])))
        at += 1 + width
    return out


def listed_own(files) -> dict[str, object]:
    return {gram: own for name, data in files.items() if name.startswith(("w/", "v/")) for gram, own in json.loads(data)["o"].items()}


def test_reports_are_numbered_by_year_then_province(cut_index):
    found, files = cut_index
    orders = [(r.year, r.province or "") for r in found.reports]
    assert orders == sorted(orders) and len({o[1] for o in orders}) > 5 and len({o[0] for o in orders}) > 3
    meta = json.loads(files["meta.json"])
    starts, provinces = meta["blocks"][0::2], [meta["provinces"][n] for n in meta["blocks"][1::2]]
    assert [orders[s] for s in starts] == sorted(set(orders))  # a block per (year, province), in order
    assert provinces == [orders[s][1] for s in starts]


def test_pieces_decoded_in_order_are_the_whole_postings(cut_index):
    found, files = cut_index
    whole = encoded_postings(found.docs, part_starts(found.docs), frequent_grams(found.docs, COVER))
    cut = {gram: own for gram, own in listed_own(files).items() if isinstance(own, list)}
    kinds = {"names" if g[0] == "\x00" else "list" if g[0] == "\x01" else len(g) for g in cut}
    assert len(cut) > 20 and kinds == {"names", "list", 1, 2, 3}
    year_at = {n: r.year for n, r in enumerate(found.reports)}
    meta = json.loads(files["meta.json"])
    starts, province = meta["blocks"][0::2], meta["blocks"][1::2]

    def block_name(first: int) -> str:  # the block holding the piece's first report: its year, its province
        block = bisect_right(starts, first) - 1
        return f"{year_at[first]}-{province[block]}"
    for gram, own in cut.items():
        key = gram_key(gram)
        firsts, kbs = own[0::2], own[1::2]
        parts = [files[f"g/{gram_name(key)}.{block_name(first)}.bin"] for first in firsts]  # named by its first block
        assert f"g/{gram_name(key)}.bin" not in files and len(parts) > 1
        assert kbs == [-(-len(p) // 1024) for p in parts]
        read = [entries(p, gram, first) for p, first in zip(parts, firsts)]
        assert all(_decode(p)[1] == 0 for p in parts)  # its first delta, from its first report
        assert [r[0][0] for r in read] == firsts
        assert [e for r in read for e in r] == entries(whole[key], gram)
        assert all(len({year_at[doc] for doc, _ in r}) == 1 for r in read)  # a piece never spans two years
    small = [g for g, own in listed_own(files).items() if isinstance(own, int)]
    assert small and all(files[f"g/{gram_name(gram_key(g))}.bin"] == whole[gram_key(g)] for g in small)


def test_a_list_of_report_numbers_alone_is_cut_by_the_bytes_sent_not_its_size(cut_index):
    """A gram in every report whose entries are report numbers alone (报告, or its names gram) is deltas of 1, which
    gzip sends as almost nothing: one file, not a request per piece (issue 24); a trigram, a phrase list, or a
    short gram in part of the reports, of the same size, is cut."""
    found, files = cut_index
    whole = encoded_postings(found.docs, part_starts(found.docs), frequent_grams(found.docs, COVER))
    own, everywhere = listed_own(files), len(found.reports)
    listed = {g: _decode(whole[gram_key(g)])[0] for g in own}
    dense = [g for g, n in listed.items() if n == everywhere and (g[0] == "\x00" or len(g) < 3) and len(whole[gram_key(g)]) > SPLIT]
    assert "\x00报告" in dense and "报告" in dense
    for gram in dense:
        data = files[f"g/{gram_name(gram_key(gram))}.bin"]
        assert own[gram] == -(-len(data) // 1024) and len(gzip.compress(data)) < SPLIT
    assert isinstance(own["法治政"], list) and listed["法治政"] == everywhere  # the same reports, with positions: cut
    sparse = [g for g, n in listed.items() if len(g) < 3 and g[0] != "\x00" and n < everywhere / 2 and isinstance(own[g], list)]
    assert sparse  # report numbers alone, but far apart: their bytes are sent, and cut


def test_a_province_of_a_year_is_cut_from_its_neighbours_when_big(cut_index):
    """Blocks go into one piece only while it stays under PIECE_BYTES: a gram in nearly every report is cut
    at provinces inside a year, not only at years."""
    found, files = cut_index
    block_at = {n: (r.year, r.province) for n, r in enumerate(found.reports)}
    own = listed_own(files)["法治政"]
    years = [block_at[first][0] for first in own[0::2]]
    assert len(years) > len(set(years))


def test_without_big_grams_nothing_is_cut_and_the_bytes_are_the_old_format():
    """The seeds are small: no gram reaches SPLIT_BYTES, every own file is whole."""
    reports = [report_from_text(p.read_text(encoding="utf-8"), p.name, "0" * 64) for p in SEEDS]
    files = builder.search_files(reports)
    assert all(isinstance(own, int) for own in listed_own(files).values())
    assert all(name.count(".") == 1 for name in files if name.startswith("g/"))
