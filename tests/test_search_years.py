"""Each year's and each block's postings kept between builds (``search/years.py``, ``memos.YearFolder``, issue 24).

A year's part joined from its blocks' parts is the part that merging the year's reports at once gives (the rule
written here as it was before blocks: the reference); a rebuild after one report changed merges again only that
report's block, joins only its year, and gives the bytes of a cold build of the same reports; kept on disk, a
part reads back as it was written; the merge's spill, buffered, gives back each range's pieces in order."""

from __future__ import annotations

import numpy as np
import pytest

from gongwen.memos import SpillFolder, YearFolder
from gongwen.search import builder, pieces, postingfiles
from gongwen.search.entries import EntryMaker
from gongwen.search.frequent import frequent_grams
from gongwen.search.memo import KeptEntries, SearchMemo
from gongwen.search.packed import varint_sizes
from gongwen.search.analyzer import Document
from gongwen.search.postings import MemorySpill, groups_merged, lists, ranges_merged, sorted_entries
from gongwen.search.years import MemoryYears, YearPart, block_encoder, joined_parts, year_of_blocks
from test_search_pieces import COVER, synthetic


@pytest.fixture(scope="module")
def reports():
    return synthetic(90)


@pytest.fixture
def small_pieces(monkeypatch):
    """Thresholds lowered so that many grams are cut (as in test_search_pieces)."""
    monkeypatch.setattr(pieces, "SPLIT_BYTES", 100)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 64)
    monkeypatch.setattr(postingfiles, "OWN_FILE_BYTES", 48)


def changed_one(reports: list, year: int) -> list:
    """The reports with one report of ``year`` given another paragraph."""
    at = next(n for n, r in enumerate(reports) if r.year == year)
    body = [*reports[at].body, reports[at].body[0].model_copy(update={"text": "本年度另行增加的一段文字：法治年度测试。"})]
    return [*reports[:at], reports[at].model_copy(update={"body": body}), *reports[at + 1:]]


def year_merged_at_once(entries: list[bytes], blocks: pieces.Blocks) -> YearPart:
    """The reference: a year's reports merged at once, its cut points found from its sorted entries (the rule of
    ``pieces.cuts_between_blocks``, entry by entry)."""
    def encoder(keys, numbers, sizes, payload):
        entries = sorted_entries(keys, numbers, sizes)
        whole = lists(entries, payload)
        entry_bytes = varint_sizes(entries.deltas) + entries.sizes
        cut = np.zeros(len(entries.docs), dtype=bool)
        for gram, (first, count) in enumerate(zip(entries.gram_at.tolist(), entries.counts.tolist())):
            docs = entries.docs[first:first + count]
            block = np.searchsorted(blocks.starts, docs, side="right") - 1
            held = 0
            for run in np.split(np.arange(count), np.flatnonzero(np.diff(block)) + 1):  # a block's entries
                sent = int(pieces.sent_bytes(whole.keys[gram:gram + 1], entry_bytes[first + run].sum(keepdims=True),
                                             np.array([len(run)]), docs[run[:1]], docs[run[-1:]])[0])
                if run[0] and held + sent > pieces.PIECE_BYTES:
                    cut[first + run[0]], held = True, 0
                held += sent
        at = np.flatnonzero(cut)
        gram = np.searchsorted(entries.gram_at, at, side="right") - 1
        before = np.cumsum(entry_bytes) - entry_bytes
        offset = varint_sizes(entries.counts[gram]) + before[at] - before[entries.gram_at[gram]]
        cuts = np.stack([gram, at - entries.gram_at[gram], offset, varint_sizes(entries.deltas[at]),
                         entries.docs[at]], axis=1).astype(np.int64)
        ends = entries.gram_at + entries.counts - 1
        return YearPart(whole.keys, whole.starts, whole.sizes, entries.counts, entries.docs[entries.gram_at],
                        entries.docs[ends], cuts, whole.data)
    return joined_parts(list(ranges_merged(entries, MemorySpill(), encoder)))


def test_a_year_joined_from_its_blocks_is_the_year_merged_at_once(reports, small_pieces):
    found = builder.indexed(reports)
    make = EntryMaker(builder.part_starts(found.docs), frequent_grams(found.docs, COVER))
    years = MemoryYears()
    dict(builder.index_stream(found, cover_bytes=COVER, years=years))
    cuts = 0
    for year, start, end in builder.year_spans(found.reports):
        expected = year_merged_at_once([make(doc) for doc in found.docs[start:end]],
                                       builder.blocks(found.reports[start:end]))
        joined = years.parts[year][1]
        assert all(np.array_equal(getattr(joined, name), getattr(expected, name))
                   for name in ("keys", "starts", "sizes", "counts", "first", "last", "cuts", "data")), year
        cuts += len(expected.cuts)
    assert cuts > 10


def test_blocks_of_hundreds_of_reports_count_their_first_deltas_in_the_year(small_pieces):
    """With hundreds of reports in a year, a block's first delta takes more bytes counted from 0 than from the
    report before it in the year: the cuts must count it in the year (keys of a few characters, four blocks)."""
    random = np.random.default_rng(7)
    docs = [Document("".join(random.choice(list("法治政府建设年度报告"), 40)), 2, 2) for _ in range(600)]
    entries = [EntryMaker(None, frozenset())(doc) for doc in docs]
    starts = [0, 150, 300, 450]
    blocks = pieces.Blocks(np.array(starts), np.zeros(4, dtype=np.int64), np.arange(4), ("甲", "乙", "丙", "丁"))
    parts = [joined_parts(list(ranges)) for _, ranges in groups_merged(entries, starts, MemorySpill(), block_encoder)]
    joined = joined_parts(list(year_of_blocks(parts, starts)))
    expected = year_merged_at_once(entries, blocks)
    assert len(expected.cuts) > 10 and (expected.cuts[:, 4] >= 128).any()
    assert all(np.array_equal(getattr(joined, name), getattr(expected, name))
               for name in ("keys", "starts", "sizes", "counts", "first", "last", "cuts", "data"))


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_rebuild_merges_only_the_changed_block_and_gives_the_cold_bytes(reports, small_pieces, on_disk, tmp_path):
    years = YearFolder(tmp_path / "years") if on_disk else MemoryYears()
    kept = YearFolder(tmp_path / "blocks") if on_disk else MemoryYears()
    memo = SearchMemo()
    first = dict(builder.index_stream(builder.indexed(reports, memo), cover_bytes=COVER, memo=memo, years=years,
                                      kept_blocks=kept))
    all_years = sorted({r.year for r in reports})
    assert sorted(years.made) == all_years and len(all_years) > 3
    assert len(kept.made) == len({(r.year, r.province) for r in reports}) > len(all_years)
    assert any(name.count(".") == 2 for name in first)  # pieces, as g/<gram>.<first report>.bin
    year = all_years[2]
    changed = changed_one(reports, year)
    province = next(r.province for r in changed if r.year == year)
    years.made.clear()
    kept.made.clear()
    memo = SearchMemo(memo.used, KeptEntries(memo.kept.used))
    again = dict(builder.index_stream(builder.indexed(changed, memo), cover_bytes=COVER, memo=memo, years=years,
                                      kept_blocks=kept))
    assert years.made == [year] and kept.made == [f"{year}-{province}"]
    cold = builder.index_files(builder.indexed(changed), cover_bytes=COVER)
    assert again == cold and again != first
    assert set(memo.kept.used) == set(builder.indexed(changed).digests)  # the kept years' entries stay for the next build


def test_a_report_added_to_the_last_year_renumbers_no_other_year(reports, small_pieces):
    """Reports are numbered by year: a report added to the newest year leaves every other year's part as it was.
    (Without phrase lists: at this size the added report is a twentieth of the sample that chooses them, and a
    change of phrase lists changes every report's entries.)"""
    years = MemoryYears()
    no_lists = 10 ** 12
    dict(builder.index_stream(builder.indexed(reports), cover_bytes=no_lists, years=years))
    newest = max(r.year for r in reports)
    extra = next(r for r in reports if r.year == newest).model_copy(update={"id": "zz/added/" + str(newest)})
    years.made.clear()
    again = dict(builder.index_stream(builder.indexed([*reports, extra]), cover_bytes=no_lists, years=years))
    assert years.made == [newest]
    assert again == builder.index_files(builder.indexed([*reports, extra]), cover_bytes=no_lists)


def test_a_year_part_on_disk_reads_back_as_written(reports, small_pieces, tmp_path):
    memory, disk = MemoryYears(), YearFolder(tmp_path / "years")
    found = builder.indexed(reports)
    assert builder.index_files(found, cover_bytes=COVER) == dict(builder.index_stream(found, cover_bytes=COVER, years=disk))
    dict(builder.index_stream(found, cover_bytes=COVER, years=memory))
    assert sum(len(part.cuts) for _, part in memory.parts.values()) > 10
    for year, (digest, part) in memory.parts.items():
        read = disk.get(year, digest)
        assert read is not None and disk.get(year, "another digest") is None
        assert all(np.array_equal(getattr(part, name), getattr(read, name))
                                      for name in ("keys", "starts", "sizes", "counts", "first", "last", "cuts", "data"))
    disk.keep_only({min(memory.parts)})
    assert [p.name for p in (tmp_path / "years").iterdir()] == [str(min(memory.parts))]


def test_the_spill_buffered_gives_each_range_its_pieces_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(SpillFolder, "BUFFER_BYTES", 100)
    spill = SpillFolder(tmp_path / "spill")
    pieces_added = {n: [bytes([n, k]) * (7 * k + 1) for k in range(6)] for n in range(5)}
    for k in range(6):
        for n in range(5):
            spill.add(n, pieces_added[n][k])
    assert spill.held  # the last ones not yet written
    assert [spill.take(n) for n in range(5)] == [pieces_added[n] for n in range(5)]
    assert spill.take(0) == [] and not any((tmp_path / "spill").iterdir())


def _resident_kb(path) -> int:
    """This process's resident pages of the mappings of ``path`` (``/proc/self/smaps``)."""
    total, inside = 0, False
    for line in open("/proc/self/smaps", encoding="utf-8"):
        if line[0] in "0123456789abcdef" and " " in line and "-" in line.split(" ", 1)[0]:
            inside = line.rstrip().endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


def test_a_part_read_from_disk_lets_its_pages_go_when_released_and_still_reads_the_same(tmp_path):
    """``YearFolder.release``: a part's mapped pages that were read stay resident until released (1.5 GB at 100,000
    reports by the end of the assembly); released, they leave this process, and read again they are the same."""
    rows = 4096
    data = np.arange(1 << 22, dtype=np.uint32).view(np.uint8)  # 16 MB
    part = YearPart(np.arange(rows, dtype=np.uint64), np.arange(rows, dtype=np.int64) * 4096, np.full(rows, 4096),
                    np.ones(rows, np.int64), np.zeros(rows, np.int64), np.zeros(rows, np.int64),
                    np.zeros((0, 5), np.int64), data)
    folder = YearFolder(tmp_path / "years")
    read = folder.put(2024, "digest", [part])
    expected = int(data.sum(dtype=np.uint64))
    assert int(read.data.sum(dtype=np.uint64)) == expected
    path = tmp_path / "years" / "2024" / "data.bin"
    assert _resident_kb(path) >= 8 * 1024
    folder.release()
    assert _resident_kb(path) == 0
    assert int(read.data.sum(dtype=np.uint64)) == expected and np.array_equal(read.keys, part.keys)


def test_the_index_lets_each_parts_pages_go_as_it_reads_them(reports, small_pieces, tmp_path, monkeypatch):
    """The year joins release the block parts and the assembly the year parts, a key range after another."""
    released = []
    monkeypatch.setattr(YearFolder, "release", lambda self: released.append(self.folder.name))
    found = builder.indexed(reports)
    files = dict(builder.index_stream(found, cover_bytes=COVER, years=YearFolder(tmp_path / "years"),
                                      kept_blocks=YearFolder(tmp_path / "blocks")))
    assert files == builder.index_files(found, cover_bytes=COVER)
    assert released.count("blocks") >= len({r.year for r in reports}) and released.count("years") >= 1
