"""The numpy index builder (``packed.py``, ``postings.py``) against the plain definition of the format.

The reference below encodes the postings and the bucket files one Python call per (gram, report), as the
builder did before it used numpy (``docs/search.md`` documents the bytes); the builder must give the same
bytes, whatever its key ranges and gather chunks.  The memo of a rebuild (``memo.py``) must give the same
bytes as a build from nothing, and reuse what did not change."""

from __future__ import annotations

import collections
import dataclasses
import math

import jieba
import pytest

from gongwen.search import frequent as frequent_module
from conftest import SEEDS
from gongwen.pipeline import report_from_text
from gongwen.search import builder, packed, postingfiles, postings
from gongwen.search.analyzer import document
from gongwen.search.builder import (NAMES, bucket_of, doc_entries, encoded_postings, gram_key, indexed_parts,
                                    part_starts, search_files, trigram_positions, varint)
from gongwen.search.postingfiles import BUCKET_BYTES, gram_name, posting_files
from gongwen.search.frequent import PHRASE, frequent_grams, grams_of, phrase_counts, sample, sample_counts
from gongwen.search.memo import KeptEntries, SearchMemo
from test_search_index import docs, reports  # noqa: F401  (the seeds' reports and search keys, as fixtures)


def reference_postings(docs, parts, frequent) -> dict[tuple[int, ...], bytes]:
    """Each gram's postings, encoded one report at a time (the format's definition)."""
    entries: dict[str, list[tuple[int, bytes]]] = collections.defaultdict(list)
    for number, doc in enumerate(docs):
        for gram, value in phrase_counts(doc, frequent).items():
            entries[PHRASE + gram].append((number, varint(value)))
        lines = doc.key.split("\n")
        for gram in {line[i:i + n] for line in lines for n in (1, 2) for i in range(len(line) - n + 1)}:
            entries[gram].append((number, b""))
        names = doc.key[:doc.names_end].split("\n")
        for gram in {NAMES + line[i:i + n] for line in names for n in (1, 2) for i in range(len(line) - n + 1)}:
            entries[gram].append((number, b""))
        for gram, positions in trigram_positions(doc.key, indexed_parts(doc, parts)).items():
            deltas = [b - a for a, b in zip([0] + positions, positions)]
            entries[gram].append((number, varint(len(positions)) + b"".join(map(varint, deltas))))
    encoded = {}
    for gram, found in entries.items():
        numbers = [n for n, _ in found]
        body = b"".join(varint(n - m) + data for (n, data), m in zip(found, [0] + numbers))
        encoded[gram_key(gram)] = varint(len(found)) + body
    return encoded


def reference_files(encoded: dict[tuple[int, ...], bytes]) -> dict[str, bytes]:
    files = {f"g/{gram_name(k)}.bin": d for k, d in encoded.items() if len(d) > postingfiles.OWN_FILE_BYTES}
    small = {k: d for k, d in encoded.items() if len(d) <= postingfiles.OWN_FILE_BYTES}
    buckets = max(1, sum(map(len, small.values())) // BUCKET_BYTES)
    contents = collections.defaultdict(bytes)
    for key in sorted(small):
        head = varint(len(key)) + b"".join(map(varint, key)) + varint(len(small[key]))
        contents[bucket_of(key, buckets)] += head + small[key]
    return files | {f"b/{n}.bin": d for n, d in contents.items()}


@pytest.mark.parametrize("cover_bytes", [200, 2000, 10**9])
def test_postings_are_the_reference_bytes(docs, cover_bytes, monkeypatch):
    """Every gram's postings and every g/ file, with phrase lists many, few and none (and, the seeds being
    few, files of their own from 64 bytes)."""
    monkeypatch.setattr(postingfiles, "OWN_FILE_BYTES", 64)
    parts = part_starts(docs)
    frequent = frequent_grams(docs, cover_bytes)
    reference = reference_postings(docs, parts, frequent)
    assert encoded_postings(docs, parts, frequent) == reference
    files, own, _ = posting_files(postings.all_postings(doc_entries(docs, parts, frequent)), sorted(frequent))
    assert files == reference_files(reference)
    assert own and all(len(files[f"g/{gram_name(gram_key(g))}.bin"]) > 64 for g in own)
    assert len(files) > len(own) + 10


def test_ranges_and_chunks_do_not_change_the_bytes(docs, monkeypatch):
    """Merged a few hundred entries at a time and gathered 64 bytes at a time: the same postings."""
    parts, frequent = part_starts(docs), frequent_grams(docs, 2000)
    whole = encoded_postings(docs, parts, frequent)
    monkeypatch.setattr(postings, "RANGE_ENTRIES", 300)
    monkeypatch.setattr(packed, "GATHER_BYTES", 64)
    assert len(postings.key_ranges(doc_entries(docs, parts, frequent))) > 10
    assert encoded_postings(docs, parts, frequent) == whole


@pytest.mark.parametrize("long_segment", [1, 16, 10**9])  # every segment copied as a slice; both ways; by index
def test_gather_puts_the_segments_end_to_end_whichever_way_it_copies_them(long_segment, monkeypatch):
    random = packed.np.random.default_rng(5)
    source = random.integers(0, 256, 5000, dtype=packed.np.uint8)
    sizes = random.choice([0, 1, 3, 20, 40, 300], 400)
    starts = random.integers(0, 5000 - 300, 400)
    monkeypatch.setattr(packed, "LONG_SEGMENT", long_segment)
    monkeypatch.setattr(packed, "GATHER_BYTES", 64)
    expected = b"".join(source[start:start + size].tobytes() for start, size in zip(starts, sizes))
    assert packed.gather(source, starts, sizes).tobytes() == expected
    assert packed.gather(source, starts[:0], sizes[:0]).tobytes() == b""


def test_varints_are_leb128():
    values = [0, 1, 127, 128, 255, 16383, 16384, 2**21 - 1, 2**21, 2**28, 2**35 + 5, 2**56 + 3]
    data, sizes = packed.varints(packed.np.array(values, dtype=packed.np.uint64))
    assert data.tobytes() == b"".join(map(varint, values))
    assert sizes.tolist() == [len(varint(v)) for v in values]


def test_packed_keys_sort_like_grams():
    """The packed order is the order of the grams' code points, names grams first, then phrase lists."""
    grams = ["法", "法治", "法治政", "治", "a", "ab", "〔20", "\U00020000", "\U00020000a", NAMES + "法", NAMES + "法治"]
    keys = [packed.pack(g) for g in grams]
    assert sorted(grams, key=gram_key) == [g for _, g in sorted(zip(keys, grams))]
    assert [packed.unpack(k) for k in keys] == [gram_key(g) for g in grams]
    assert max(packed.pack(NAMES + "\U0010FFFF\U0010FFFF"), 0) < packed.phrase_key(0) < packed.pack("\x02")


def test_sample_counts_are_the_counters(docs):
    """Hashed counting with numpy gives the counts of the plain definition."""
    counted = sample_counts(docs)
    in_reports, occurrences = collections.Counter(), collections.Counter()
    for doc in docs:
        lines = doc.key.split("\n")
        in_reports.update(set().union(*map(grams_of, lines)))
        occurrences.update(line[i:i + 3] for line in lines for i in range(len(line) - 2))
    need = max(2, math.ceil(frequent_module.MIN_SHARE * len(docs)))
    common = {g: n for g, n in in_reports.items() if n >= need}
    assert counted.in_reports == common and len(common) > 1000
    assert counted.occurrences == {g: occurrences[g] for g in common if len(g) == 3}
    assert counted.words == whole_words(docs, common) and 100 < len(counted.words) < len(common) / 2


def whole_words(docs, common: dict[str, int]) -> frozenset[str]:
    """The plain definition of ``SampleCounts.words``: the common grams that, in at least ``ALIGNED_SHARE`` of the
    reports holding them, occur somewhere as a run of jieba's words of the line, with no punctuation."""
    tokenizer = jieba.Tokenizer()
    aligned = collections.Counter()
    for doc in docs:
        found = set()
        for line in doc.key.split("\n"):
            cuts = [start for _, start, _ in tokenizer.tokenize(line, HMM=False)] + [len(line)]
            found |= {line[a:b] for a in cuts for b in cuts if 3 <= b - a <= 8 and line[a:b].isalnum()}
        aligned.update(found)
    return frozenset(g for g, n in aligned.items() if g in common and n >= frequent_module.ALIGNED_SHARE * common[g])


def test_phrase_lists_go_to_runs_of_whole_words_only(docs):
    """法治政府建设 gets a list; 治政府建设, which would save as many bytes, is no run of words (法治 is cut), so it
    gets none, nor does a gram across punctuation (设，2).  The bars on bytes alone would choose both."""
    counts = sample_counts(sample(docs))
    chosen = frequent_grams(docs, 100, counts)
    assert "法治政府建设" in chosen and chosen <= counts.words
    assert all(gram.isalnum() for gram in chosen)
    by_bytes = frequent_grams(docs, 100, dataclasses.replace(counts, words=frozenset(counts.in_reports)))
    assert {"治政府建设", "法治政府建设"} <= by_bytes and "治政府建设" not in chosen
    assert any(not gram.isalnum() for gram in by_bytes)


def test_a_trigram_word_gets_a_list_when_it_occurs_more_than_twice_in_the_reports_holding_it(docs):
    """At 100,000 reports 教育局 occurs 2.7 times in each of 26,000 reports: 85 KB of positions, the most of a
    natural query's bytes, and 22 KB as a list.  A trigram word averaging 2.5 occurrences gets a list (a quarter
    of the positions' bytes, the old bar, kept it out); one occurring once in each report does not (its list
    would save little)."""
    def with_word(times: list[int]) -> list:
        return [document_with(doc, "。".join(["教育局会同财政部门"] * times[k % len(times)]) + "。") for k, doc in enumerate(docs * 20)]
    assert "教育局" in frequent_grams(with_word([2, 3]), 500)
    assert "教育局" not in frequent_grams(with_word([1]), 500)
    assert "教育局" not in frequent_grams(with_word([2, 3]), 500, dataclasses.replace(
        sample_counts(sample(with_word([2, 3]))), words=frozenset()))  # and only as a whole word


def test_single_words_get_their_lists_first_under_the_cap(docs, monkeypatch):
    """Under ``MAX_GRAMS`` the single words (what a natural query is cut into) come before runs of several words,
    which save more bytes: ranked by bytes alone the runs take every place."""
    counts = sample_counts(sample(docs))
    by_bytes = frequent_grams(docs, 100, dataclasses.replace(counts, words=frozenset(
        g for g in counts.words if not frequent_module.is_one_word(g))))
    words = {g for g in frequent_grams(docs, 100, counts) if frequent_module.is_one_word(g)}
    assert len(words) >= 3 and len(by_bytes) > len(words)
    monkeypatch.setattr(frequent_module, "MAX_GRAMS", len(words))
    assert frequent_grams(docs, 100, counts) == words
    assert "法治政府建设" in by_bytes and "法治政府建设" not in words and not frequent_module.is_one_word("法治政府建设")


def test_sample_stays_when_an_unsampled_report_changes(docs, monkeypatch):
    """Whether a report is sampled depends on its key alone: changing one report leaves the others where they were."""
    monkeypatch.setattr(frequent_module, "SAMPLE", 2)
    chosen = sample(docs)
    assert 0 < len(chosen) < len(docs)
    for at in range(len(docs)):
        changed = docs[:at] + [document_with(docs[at], "又一段文字。")] + docs[at + 1:]
        assert [d for d in sample(changed) if d is not changed[at]] == [d for d in chosen if d is not docs[at]]


def document_with(doc, extra: str):
    return type(doc)(doc.key + "\n" + extra, doc.title_end, doc.meta_end, doc.names_end)


def test_memo_rebuild_is_a_cold_build(reports):
    """Index, change one report, add one, remove one: each rebuild with the memo gives the bytes of a build
    without it, and recomputes only the reports that changed."""
    memo = SearchMemo()
    search_files(reports, cover_bytes=2000, memo=memo)
    changed = reports[0].model_copy(update={"title": reports[0].title + "（修订）"})
    added = reports[1].model_copy(update={"id": reports[1].id + "-copy", "year": 2030})
    for corpus in ([changed, *reports[1:]], [changed, *reports[1:], added], [changed, *reports[2:], added]):
        before, kept = dict(memo.stored), dict(memo.kept.used)
        memo = SearchMemo(memo.used, KeptEntries(memo.kept.used))
        assert search_files(corpus, cover_bytes=2000, memo=memo) == search_files(corpus, cover_bytes=2000)
        reused = [k for k, v in memo.used.items() if k in before and before[k] is v]
        assert len(reused) >= len(corpus) - 1, "unchanged reports are not recomputed"
        if {c for c, _ in memo.kept.used.values()} == {c for c, _ in kept.values()}:  # the same context: reused
            assert sum(memo.kept.used[k] is kept[k] for k in kept if k in memo.kept.used) >= len(corpus) - 2


def test_control_characters_in_a_report_are_not_index_marks(reports):
    """Code points 0 and 1 mark names grams and phrase lists: a report whose text holds them (and other control
    characters) gives a key without them and an index that builds (it stopped the build with an IndexError)."""
    text = SEEDS[0].read_text(encoding="utf-8").replace("。", "\x00。\x01", 3).replace("，", "\x02，\x7f", 3)
    odd = report_from_text(text, "control.txt", "0" * 64)
    assert "\x00" in "".join(b.text for b in odd.body)
    key = document(odd).key
    assert not any(ch in key for ch in "\x00\x01\x02\x7f")
    files = search_files([odd, *reports[1:]], cover_bytes=2000)
    assert files["meta.json"] and any(name.startswith(("g/", "b/")) for name in files)


def test_merge_spilled_to_disk_in_small_chunks_and_ranges_gives_the_same_postings(docs, monkeypatch, tmp_path):
    """Issue 24: the external merge (entries kept compact, a first pass spilling each key range's pieces, a second
    merging each range) gives the in-memory merge's bytes, whatever the chunks, ranges and spill."""
    from gongwen.memos import SpillFolder

    parts, frequent = part_starts(docs), frequent_grams(docs, 2000)
    entries = doc_entries(docs * 3, parts, frequent)  # 15 documents: several chunks of 4
    whole = postings.all_postings(entries)
    monkeypatch.setattr(postings, "RANGE_ENTRIES", 500)
    monkeypatch.setattr(postings, "CHUNK_DOCS", 4)
    spill = SpillFolder(tmp_path / "spill")
    assert len(postings.key_ranges(entries)) > 20
    small = postings.all_postings(entries, spill)
    for name in ("keys", "starts", "sizes", "data"):
        assert getattr(small, name).tolist() == getattr(whole, name).tolist(), name
    assert not any((tmp_path / "spill").iterdir())  # every piece taken back
    assert reference_postings(docs, parts, frequent) == encoded_postings(docs, parts, frequent)


def test_compact_entries_expand_to_the_same_arrays():
    grams = packed.DocGrams(packed.np.array([3, 9, 2**62 + 5], dtype=packed.np.uint64),
                            packed.np.array([0, 300, 2], dtype=packed.np.uint32), packed.np.arange(302, dtype=packed.np.uint8))
    back = packed.expand(packed.compact(grams))
    assert packed.entry_count(packed.compact(grams)) == 3
    for name in ("keys", "sizes", "payload"):
        assert getattr(back, name).tolist() == getattr(grams, name).tolist()
    assert back.keys.dtype == packed.np.uint64 and back.sizes.dtype == packed.np.uint32


def test_no_index_file_is_written_twice(docs, monkeypatch):
    """A gram's own file is named by its code points in hex: 2 (U+0032) is g/32.bin, 十 (U+5341) g/5341.bin.
    Buckets were g/<n>.bin too, so with more than 50 buckets (5,342 for 十: from about 10,000 reports) a bucket
    replaced a gram's postings; buckets are b/<n>.bin now."""
    monkeypatch.setattr(postingfiles, "OWN_FILE_BYTES", 16)
    monkeypatch.setattr(postingfiles, "BUCKET_BYTES", 16)
    seeds = [report_from_text(p.read_text(encoding="utf-8"), p.name, "0" * 64) for p in SEEDS]
    found = builder.indexed(seeds * 8)  # 40 documents: a character's postings pass 16 bytes
    names = [name for name, _ in builder.index_stream(found)]
    assert len(names) == len(set(names))
    assert "g/32.bin" in names and "b/32.bin" in names  # the gram 2 and bucket 32 apart


def test_postings_written_range_by_range_give_the_whole_index(monkeypatch):
    """Issue 24: each key range's big postings are written as the range is merged and only the small ones kept
    for the buckets; without a memo each report's entries are computed when the merge reads them.  With many
    small ranges, many files of their own and chunks of 4 reports: the files of one range merged in memory."""
    seeds = [report_from_text(p.read_text(encoding="utf-8"), p.name, "0" * 64) for p in SEEDS]
    found = builder.indexed(seeds * 3)
    monkeypatch.setattr(postingfiles, "OWN_FILE_BYTES", 64)
    whole = builder.index_files(found, cover_bytes=2000, memo=SearchMemo())
    assert len(postings.key_ranges(doc_entries(found.docs, part_starts(found.docs), frozenset()))) == 1
    monkeypatch.setattr(postings, "RANGE_ENTRIES", 300)
    monkeypatch.setattr(postings, "CHUNK_DOCS", 4)
    assert len(postings.key_ranges(doc_entries(found.docs, part_starts(found.docs), frozenset()))) > 20
    streamed = builder.index_files(found, cover_bytes=2000)
    assert streamed == whole
    assert sum(name.startswith("g/") for name in streamed) > 50 and sum(name.startswith("b/") for name in streamed) > 10
    assert not isinstance(doc_entries(found.docs, None, frozenset()), list)  # computed when read, not held
