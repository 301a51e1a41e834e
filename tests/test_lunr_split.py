"""The benchmark's lunr split by term (scripts/bench/lunr_split.py), on the seeds: each per-term slice
is an index lunr can load on its own and answers its word exactly; the phrase check uses the positions."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT, SEEDS
from gongwen.pipeline import report_from_text
from gongwen.search.analyzer import document, metadata_fields, segmenter, text_fields, user_dictionary, words

sys.path.insert(0, str(ROOT / "scripts" / "bench"))

import lunr_split  # noqa: E402

HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")  # no lunr query syntax (+ - ~ ^ * :) inside


@pytest.fixture(scope="module")
def seeds():
    reports = [report_from_text(path.read_text(encoding="utf-8"), path.name, "0" * 64) for path in SEEDS]
    cut = segmenter(user_dictionary(reports))
    index = lunr_split.build_index(lunr_split.lunr_documents(reports, cut))
    word_lists = {r.id: {w for text in metadata_fields(r) + text_fields(r) for w in words(cut, text)} for r in reports}
    return reports, cut, index, word_lists


def test_a_term_slice_is_a_lunr_index_that_answers_its_word_exactly(seeds):
    from lunr.index import Index
    reports, _, index, word_lists = seeds
    slices = dict(lunr_split.term_slices(index))
    everywhere = set.intersection(*word_lists.values())
    rare = sorted(w for w in set.union(*word_lists.values()) - everywhere if HAN_WORD.fullmatch(w))
    assert len(rare) > 100 and "法治" in everywhere
    for word in [*rare[::len(rare) // 40], "法治"]:
        piece = Index.load(lunr_split.encoded(slices[word]).decode("utf-8"))  # as lunr.js would fetch it
        expected = {ref for ref, found in word_lists.items() if word in found}
        assert {hit["ref"] for hit in piece.search(word)} == expected, word
        other = rare[0] if word != rare[0] else rare[1]
        assert piece.search(other) == []  # the slice holds its own term only
    assert len(slices) == len(index["invertedIndex"])
    assert sum(len(s["fieldVectors"]) for s in slices.values()) == sum(
        len(vector) // 2 for _, vector in index["fieldVectors"])  # every field-vector pair in exactly one slice


def test_phrases_need_adjacent_words_and_partial_words_are_not_found(seeds):
    reports, cut, index, _ = seeds
    postings = dict(index["invertedIndex"])
    keys = {r.id: document(r).key for r in reports}
    for phrase in ("科技类校外培训", "法治政府建设", "行政执法"):
        terms = words(cut, phrase)
        assert len(terms) > 1
        found = lunr_split.phrase_refs(postings, terms)
        assert found and found <= {ref for ref, key in keys.items() if phrase in key}
        assert not lunr_split.phrase_refs(postings, terms[::-1])  # same words, wrong order
    missed = lunr_split.unfindable(postings, cut, ["科技类校外培训", "法律顾问"], keys)
    assert [text for text, _, _ in missed] == ["技类校", "律顾"]
    assert all(holding > 0 and found == 0 for _, holding, found in missed)
