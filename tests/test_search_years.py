"""Each year's postings kept between builds (``search/years.py``, ``memos.YearFolder``, issue 24).

A rebuild after one report changed merges again only that report's year, and gives the bytes of a cold build of
the same reports; kept on disk, a year's part reads back as it was written; the merge's spill, buffered, gives
back each range's pieces in order."""

from __future__ import annotations

import numpy as np
import pytest

from gongwen.memos import SpillFolder, YearFolder
from gongwen.search import builder, pieces
from gongwen.search.memo import KeptEntries, SearchMemo
from gongwen.search.years import MemoryYears
from test_search_pieces import COVER, synthetic


@pytest.fixture(scope="module")
def reports():
    return synthetic(90)


@pytest.fixture
def small_pieces(monkeypatch):
    """Thresholds lowered so that many grams are cut (as in test_search_pieces)."""
    monkeypatch.setattr(pieces, "SPLIT_BYTES", 100)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 64)
    monkeypatch.setattr(builder, "OWN_FILE_BYTES", 48)


def changed_one(reports: list, year: int) -> list:
    """The reports with one report of ``year`` given another paragraph."""
    at = next(n for n, r in enumerate(reports) if r.year == year)
    body = [*reports[at].body, reports[at].body[0].model_copy(update={"text": "本年度另行增加的一段文字：法治年度测试。"})]
    return [*reports[:at], reports[at].model_copy(update={"body": body}), *reports[at + 1:]]


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_rebuild_merges_only_the_changed_year_and_gives_the_cold_bytes(reports, small_pieces, on_disk, tmp_path):
    years = YearFolder(tmp_path / "years") if on_disk else MemoryYears()
    memo = SearchMemo()
    first = dict(builder.index_stream(builder.indexed(reports, memo), cover_bytes=COVER, memo=memo, years=years))
    all_years = sorted({r.year for r in reports})
    assert sorted(years.made) == all_years and len(all_years) > 3
    assert any(name.count(".") == 2 for name in first)  # pieces, as g/<gram>.<first report>.bin
    year = all_years[2]
    changed = changed_one(reports, year)
    years.made.clear()
    memo = SearchMemo(memo.used, KeptEntries(memo.kept.used))
    again = dict(builder.index_stream(builder.indexed(changed, memo), cover_bytes=COVER, memo=memo, years=years))
    assert years.made == [year]
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
