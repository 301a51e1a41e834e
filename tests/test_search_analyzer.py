"""The search analyzer: normalisation, 文号 forms, query phrases, jieba with the archive's dictionary, and
the index built from it (exact substring answers from bigram positions, checked against the truth)."""

from __future__ import annotations

import itertools
import random

import pytest

from conftest import SEEDS
from gongwen.pipeline import report_from_text
from gongwen.search.analyzer import (Phrase, document, fold, matches, parse_query, search_key, segmenter,
                                     short_forms, user_dictionary, words)
from gongwen.search.builder import NAMES, bucket_of, encoded_postings, gram_key, search_files, trigram_positions, varint


@pytest.fixture(scope="module")
def reports():
    return [report_from_text(path.read_text(encoding="utf-8"), path.name, "0" * 64) for path in SEEDS]


@pytest.mark.parametrize("text, key", [
    ("焦科组〔2024〕5号", "焦科组〔2024〕5号"), ("焦科组[2024]5号", "焦科组〔2024〕5号"),
    ("焦科组（2024）5号", "焦科组〔2024〕5号"), ("焦科组(2024)5号", "焦科组〔2024〕5号"),
    ("焦科组【2024】5号", "焦科组〔2024〕5号"), ("焦科组［２０２４］５号", "焦科组〔2024〕5号"),
    ("ＡＢＣ１２３", "abc123"), ("法律\u3000顾 问", "法律顾问"), ("零\u200b宽\ufeff", "零宽"),
    ("（2024）年度", "（2024）年度"),  # brackets without 号 after: not a 文号, left alone
    ("10:30，a,b", "10：30，a，b"), ("第一行\n第二行", "第一行\n第二行"),
])
def test_search_key_normalises_width_spaces_and_doc_number_brackets(text, key):
    assert search_key(text) == key


def test_fold_keeps_spaces_as_separators_and_never_touches_chinese_punctuation():
    assert fold("法律\u3000顾问，（一）") == "法律 顾问，（一）"


@pytest.mark.parametrize("query", ["焦科组〔2024〕5号", "焦科组[2024]5号", "焦科组（2024）5号", "焦科组2024 5号",
                                   "焦科组 2024 5 号", "焦科组（２０２４）５号"])
def test_every_doc_number_form_is_one_canonical_phrase(query):
    assert parse_query(query) == [Phrase("焦科组〔2024〕5号", True)]


def test_spaces_split_phrases_and_doc_numbers_are_taken_out_first():
    assert parse_query("法律顾问  焦科组2024 5号 2024年") == [
        Phrase("焦科组〔2024〕5号", True), Phrase("法律顾问"), Phrase("2024年")]
    assert parse_query("   ") == [] and parse_query("法治 法治") == [Phrase("法治")]


def test_short_forms_of_bureau_names():
    assert short_forms("信阳市科学技术局") == ["信阳市科技局"]
    assert short_forms("河南省科学技术厅") == ["河南省科技厅"]
    assert short_forms("焦作市司法局") == [] and short_forms(None) == []
    assert short_forms("福建省人民政府") == ["福建省政府"]


@pytest.mark.parametrize("title, query", [
    ("静海区2024年度法治政府建设情况报告", "静海区政府"),
    ("重庆市铜梁区2024年法治政府建设情况报告", "铜梁区人民政府"),
    ("福建省2024年度法治政府建设情况报告", "福建省政府"),
    ("中共海南省委 海南省人民政府关于2024年法治政府建设情况的报告", "海南省政府"),
])
def test_a_government_titled_by_its_place_is_found_by_its_names(title, query):
    report = report_from_text(title + "\n2024年，坚持依法行政，推进法治政府建设。\n一、主要举措\n严格规范公正文明执法。\n",
                              "g.txt", "0" * 64)
    assert matches(document(report), parse_query(query))
    assert not matches(document(report), parse_query("焦作市政府"))


def test_jieba_keeps_the_archives_names_and_doc_numbers_whole(reports):
    dictionary = user_dictionary(reports)
    assert {"信阳市科学技术局", "信阳市科技局", "焦科组〔2024〕5号", "马村区"} <= set(dictionary)
    cut = words(segmenter(dictionary), "按照焦科组（2024）5号文件，信阳市科技局和马村区科学科技局开展检查")
    assert "焦科组〔2024〕5号" in cut and "信阳市科技局" in cut and "马村区科学科技局" in cut
    plain = words(segmenter([]), "按照焦科组（2024）5号文件")
    assert "焦科组〔2024〕5号" not in plain and "〔2024〕5号" in plain


def test_document_key_has_metadata_first_then_text(reports):
    report = next(r for r in reports if r.bureau == "信阳市科学技术局")
    doc = document(report)
    assert doc.key[:doc.title_end] == search_key(report.title)
    assert "信阳市科技局" in doc.key[:doc.meta_end]  # the short form is metadata
    assert search_key(report.body[-1].text) in doc.key[doc.meta_end:]


def test_varint_round_trip_boundaries():
    assert varint(0) == b"\x00" and varint(127) == b"\x7f" and varint(128) == b"\x80\x01"
    assert varint(300) == b"\xac\x02"


def _decode(data: bytes) -> list[int]:
    out, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append(value)
            value, shift = 0, 0
    return out


def decoded_postings(docs) -> tuple[dict[str, list[int]], dict[str, dict[int, list[int]]]]:
    """The shipped postings bytes read back: grams of 1-2 characters → documents; trigrams → document → positions."""
    present, positional = {}, {}
    for key, data in encoded_postings(docs).items():
        gram, numbers = "".join(map(chr, key)), _decode(data)
        doc, at = 0, 1
        if len(gram) < 3 or gram.startswith(NAMES):
            present[gram] = list(itertools.accumulate(numbers[1:]))
            assert len(present[gram]) == numbers[0]
            continue
        positional[gram] = {}
        for _ in range(numbers[0]):
            doc, count = doc + numbers[at], numbers[at + 1]
            positional[gram][doc] = list(itertools.accumulate(numbers[at + 2:at + 2 + count]))
            at += 2 + count
        assert at == len(numbers)
    return present, positional


def phrase_docs(present, positional, phrase: str) -> set[int]:
    """Answer a phrase the way the browser does: from gram postings alone, never from the text."""
    if len(phrase) < 3:
        return set(present.get(phrase, []))
    offsets = list(range(0, len(phrase) - 2, 3))
    if offsets[-1] + 3 < len(phrase):
        offsets.append(len(phrase) - 3)
    lists = [positional.get(phrase[o:o + 3], {}) for o in offsets]
    found = set()
    for doc, starts in lists[0].items():
        if all(doc in lst for lst in lists) and any(all(p + o in lists[k][doc] for k, o in enumerate(offsets)) for p in starts):
            found.add(doc)
    return found


def random_phrases(docs, seed: int, tries: int = 300):
    """Random substrings of the keys (1 to 12 characters, none across a line), each followed by a
    near-miss made by changing its last character; with the truth (the reports containing it)."""
    rng = random.Random(seed)
    for _ in range(tries):
        key = rng.choice(docs).key
        start = rng.randrange(len(key) - 12)
        phrase = key[start:start + rng.randint(1, 12)]
        if "\n" not in phrase:
            for candidate in (phrase, phrase[:-1] + rng.choice("法治的一是")):
                yield candidate, {n for n, d in enumerate(docs) if matches(d, [Phrase(candidate)])}


def test_gram_postings_answer_every_substring_exactly(reports):
    """Random substrings and near-misses: the postings give exactly the truth."""
    docs = [document(r) for r in reports]
    present, positional = decoded_postings(docs)
    checked = 0
    for candidate, truth in random_phrases(docs, 4):
        assert phrase_docs(present, positional, candidate) == truth, candidate
        checked += 1
    assert checked > 300


def test_postings_encoding_and_buckets(reports):
    docs = [document(r) for r in reports]
    _, positional = decoded_postings(docs)
    truth = {n: trigram_positions(d.key)["法治政"] for n, d in enumerate(docs) if "法治政" in d.key}
    assert truth and positional["法治政"] == truth
    numbers = _decode(encoded_postings(docs)[gram_key("法治政")])
    first_doc = min(truth)
    assert numbers[:4] == [len(truth), first_doc, len(truth[first_doc]), truth[first_doc][0]]
    assert trigram_positions("甲乙丙\n丁甲乙丙") == {"甲乙丙": [0, 5], "丁甲乙": [4]}
    assert 0 <= bucket_of(gram_key("法治政"), 7) < 7 and gram_key("法") == (ord("法"),)


def test_index_files_are_deterministic_and_complete(reports):
    first, second = search_files(reports), search_files(list(reversed(reports)))
    assert first == second
    assert {"meta.json", "filters.json", "d/0.json"} <= set(first) and sum(name.startswith("t/") for name in first) == len(reports)
    assert all(name.startswith(("g/", "b/", "t/", "d/", "w/", "v/", "meta.json", "filters.json", "s/", "sc/")) for name in first)
    assert not list(itertools.islice((n for n in first if n.endswith(".html")), 1))
