"""The index format of issue 11's 10,000-report work: positions laid out by part, phrase lists of
frequent grams, reports numbered by year, a meta.json that does not grow with the archive, the
one-byte lengths of s/<k>.bin.  Each is read back from the shipped bytes and compared with the
text itself."""

from __future__ import annotations

import itertools
import json
import random
from bisect import bisect_right

import pytest

from gongwen.search import builder

from conftest import SEEDS
from gongwen.pipeline import report_from_text
from gongwen.search.analyzer import Document, document
from gongwen.search.builder import LENGTH_STEPS, NAMES, encoded_postings, length_code, part_starts, search_files
from gongwen.search import frequent
from gongwen.search.frequent import PHRASE, SampleCounts, cover, frequent_grams, line_parts, sample, sample_stride
from test_search_analyzer import _decode, phrase_docs, random_phrases


@pytest.fixture(scope="module")
def reports():
    return [report_from_text(path.read_text(encoding="utf-8"), path.name, "0" * 64) for path in SEEDS]


@pytest.fixture(scope="module")
def docs(reports):
    return [document(r) for r in reports]


def decoded(docs, parts, frequent):
    """Shipped postings read back: 1-2 characters → docs; trigrams → doc → positions; phrase lists → doc → value."""
    present, positional, listed = {}, {}, {}
    for key, data in encoded_postings(docs, parts, frequent).items():
        gram, numbers = "".join(map(chr, key)), _decode(data)
        if gram.startswith(PHRASE):
            listed[gram[1:]] = dict(zip(itertools.accumulate(numbers[1::2]), numbers[2::2]))
            assert len(listed[gram[1:]]) == numbers[0]
        elif len(gram) < 3 or gram.startswith(NAMES):
            present[gram] = set(itertools.accumulate(numbers[1:]))
        else:
            positional[gram], doc, at = {}, 0, 1
            for _ in range(numbers[0]):
                doc, count = doc + numbers[at], numbers[at + 1]
                positional[gram][doc] = list(itertools.accumulate(numbers[at + 2:at + 2 + count]))
                at += 2 + count
    return present, positional, listed


def indexed(doc, parts, offset: int) -> int:
    """Where a key offset is indexed, computed from the lines themselves (not the builder's code)."""
    starts, at, part_begins = [0, *parts], 0, {}
    for line, part in line_parts(doc):
        part_begins.setdefault(part, at)
        if offset <= at + len(line):
            return starts[part] + offset - part_begins[part]
        at += len(line) + 1
    raise AssertionError(offset)


def answer(present, positional, listed, phrase: str) -> set[int]:
    """A phrase answered the way the browser does: a phrase list if there is one, else grams and positions."""
    return set(listed[phrase]) if phrase in listed else phrase_docs(present, positional, phrase)


def test_positions_are_laid_out_by_part_and_still_verify_every_substring(docs):
    parts = part_starts(docs)
    assert parts == sorted(parts) and all(p & (p - 1) == 0 for p in (parts[0], parts[1] - parts[0], parts[2] - parts[1]))
    present, positional, _ = decoded(docs, parts, frozenset())
    for number, doc in enumerate(docs):
        for gram in ("法治政", "科学技", "年度法"):
            truth = [indexed(doc, parts, i) for i in range(len(doc.key) - 2) if doc.key[i:i + 3] == gram]
            assert positional.get(gram, {}).get(number, []) == truth
        title = positional[doc.key[:3]][number][0]
        assert title == 0 and max(p for lst in positional.values() for p in lst.get(number, [])) >= parts[2]
    checked = 0
    for candidate, truth in random_phrases(docs, 11):
        assert answer(present, positional, {}, candidate) == truth, candidate
        checked += 1
    assert checked > 300


def test_phrase_lists_count_every_occurrence_and_name_the_part_of_the_first(docs):
    frequent = frequent_grams(docs, cover_bytes=100)
    assert "法治政府建设" in frequent and all(3 <= len(g) <= 8 for g in frequent)
    present, positional, listed = decoded(docs, part_starts(docs), frequent)
    assert set(listed) == frequent
    for gram in sorted(frequent)[::7]:
        truth = {}
        for number, doc in enumerate(docs):
            found = [(part, sum(line[i:].startswith(gram) for i in range(len(line))))
                     for line, part in line_parts(doc) if gram in line]
            if found:
                truth[number] = sum(n for _, n in found) << 2 | found[0][0]
        assert listed[gram] == truth, gram
    rng = random.Random(5)
    for gram in rng.sample(sorted(frequent), 40):  # the browser's answer from the list = the substring truth
        assert answer(present, positional, listed, gram) == {n for n, d in enumerate(docs) if gram in d.key}


def test_phrase_lists_go_to_grams_whose_positions_would_be_large_and_their_list_small(docs):
    """法治政府建设: in every report, dozens of times; a gram in one report only, or with cheap
    trigrams, gets none; a larger threshold never chooses more."""
    chosen = frequent_grams(docs, cover_bytes=100)
    assert "法治政府建设" in chosen and frequent_grams(docs, cover_bytes=10**9) == frozenset()
    assert frequent_grams(docs, cover_bytes=1000) <= chosen
    assert all(sum(g in d.key for d in docs) >= 2 for g in chosen)
    assert frequent_grams(docs) == frozenset()  # five reports: no positions are large enough to need lists
    assert cover(3) == [0] and cover(7) == [0, 3, 4] and cover(9) == [0, 3, 6]


def text_file(meta: dict, number: int) -> str:
    """The browser's ``textFile``: a report's result file, found from meta.json alone (its block's year and
    province number, and its place in the block)."""
    starts = meta["blocks"][0::2]
    block = bisect_right(starts, number) - 1
    year = max(year for year, start in meta["years"] if start <= number)
    return f"t/{year}-{meta['blocks'][2 * block + 1]}/{number - starts[block]}.txt"


def test_reports_are_numbered_by_year_and_meta_json_does_not_grow_with_the_archive(reports):
    small, large = search_files(reports), search_files(reports * 40)
    meta = json.loads(large["meta.json"])
    assert {name for name in large if name.startswith("t/")} == {text_file(meta, n) for n in range(meta["count"])}
    rows = [json.loads(large[text_file(meta, n)].split(b"\n", 1)[0]) for n in range(meta["count"])]
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)
    starts = {year: start for year, start in meta["years"]}
    assert all(rows[start]["year"] == year and (start == 0 or rows[start - 1]["year"] < year) for year, start in starts.items())
    assert len(large["meta.json"]) < len(small["meta.json"]) + 50  # no per-report arrays
    assert not any(isinstance(v, list) and len(v) >= meta["count"] for v in meta.values())


def test_stats_give_each_report_its_length_within_six_percent(reports, docs, monkeypatch):
    """Two reports a file (``s/0.bin`` …), in report order, and 16 a coarse file (``sc/0.bin``); meta.json holds the
    average of the lengths they give."""
    monkeypatch.setattr(builder, "STATS_REPORTS", 2)
    files = search_files(reports)
    meta = json.loads(files["meta.json"])
    order = sorted(range(len(reports)), key=lambda i: (reports[i].year, reports[i].province or "", reports[i].id))
    names = sorted((n for n in files if n.startswith("s/")), key=lambda n: int(n[2:-4]))
    assert names == ["s/0.bin", "s/1.bin", "s/2.bin"] and meta["stats"]["reports"] == 2
    codes = b"".join(files[n] for n in names)
    assert len(codes) == len(reports) and "stats.bin" not in files
    coarse = sorted((n for n in files if n.startswith("sc/")), key=lambda n: int(n[3:-4]))  # the same, 2 × 8 a file
    assert meta["stats"]["coarse"] == 8 and coarse == ["sc/0.bin"] and files["sc/0.bin"] == codes
    for byte, i in zip(codes, order):
        assert abs(2 ** (byte / meta["length_steps"]) / len(docs[i].key) - 1) < 0.06
    assert meta["stats"]["average"] == pytest.approx(sum(2 ** (b / LENGTH_STEPS) for b in codes) / len(codes), rel=1e-12)
    assert length_code(1) == 0 and length_code(10**9) == 255 and meta["length_steps"] == LENGTH_STEPS


def test_the_phrase_lists_do_not_move_with_the_archives_size_outside_the_sample(monkeypatch):
    """Two grams that save the same bytes in the sample are ordered by name, whatever the archive's size: ranked by
    bytes scaled to the archive in floating point, the rounding ordered them, and one report added outside the
    sample (100,000 synthetic reports) swapped two grams at the cap, so every report's entries changed."""
    monkeypatch.setattr(frequent, "MAX_GRAMS", 1)
    grams = {"丁甲辛丙": 7, "乙戊庚己": 10}
    assert not any(map(frequent.is_one_word, grams))  # (single words are ranked first)
    # the same bytes saved, by different sums: 2 × (30 + 31 + 29 + 33 − 7) = 2 × (35 + 27 + 33 + 31 − 10)
    trigrams = dict(zip([g[o:o + 3] for g in grams for o in cover(len(g))], [30, 29, 35, 33]))
    occurrences = dict(zip(trigrams, [31, 33, 27, 31]))
    counts = SampleCounts(97, 2, grams | trigrams, occurrences, frozenset(grams))
    chosen = {frequent_grams([None] * n, cover_bytes=1, counts=counts) for n in range(97, 5000, 7)}
    assert chosen == {frozenset({"丁甲辛丙"})}


def test_the_sample_changes_with_the_archives_size_only_when_it_doubles():
    sizes = range(1, 5 * frequent.SAMPLE)
    strides = {size: sample_stride(size) for size in sizes}
    assert all(stride & (stride - 1) == 0 for stride in strides.values())
    assert [size for size in sizes[1:] if strides[size] != strides[size - 1]] == [2 * frequent.SAMPLE, 4 * frequent.SAMPLE]
    base = [Document(key=f"报告{n}", title_end=1, meta_end=1) for n in range(3 * frequent.SAMPLE - 1)]
    outside = next(d for n in range(100) if (d := Document(key=f"另一{n}", title_end=1, meta_end=1)) not in sample(base + [d]))
    assert sample(base + [outside]) == sample(base)  # 1,499 → 1,500 reports: the same stride, the same sample
