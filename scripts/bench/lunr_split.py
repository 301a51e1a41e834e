"""lunr, the format issue 4 proposed, measured whole and split by term.

Documents as the issue described them: jieba words (the analyzer's segmenter, with the archive's
bureau and place names and whole 文号 as a user dictionary), fields ``title`` and ``body`` (the
other metadata, then the text), lunr.py's builder with its English pipeline removed and the
term positions kept (``metadata_whitelist=["position"]``), since a phrase needs its words adjacent.

*Split by term* is the best case for lunr's bytes: one file per term, each the smallest index
lunr.js could ``lunr.Index.load()`` to answer that term alone — the term's ``invertedIndex`` entry
and, for each document field that holds it, its field vector cut to that term's pair.  A query
fetches the files of its words, each gzip-compressed on its own as a static host sends it.  The
query is cut with the build's jieba, another best case: a browser cannot cut it so without
shipping jieba and the dictionary.  Quality is what such an index can answer exactly (documents
holding every phrase's words adjacent and in order, from the positions) against the substring
truth of ``analyzer.matches``.

Above ``LIMIT`` reports the index is built on a deterministic sample (every k-th report) and the
part of each term's file that holds documents is scaled linearly to the corpus (right for the common
words that dominate a query's bytes; it overstates a word found in one report, such as a 文号); the
result says so (``sample < count``).
"""

from __future__ import annotations

import gzip
import json
import statistics
import time
from collections import defaultdict

from gongwen.search.analyzer import (document, matches, metadata_fields, parse_query, segmenter, text_fields,
                                     user_dictionary, words)

#: Reports indexed in full; above this lunr.py's pure-Python index needs too much time and memory.
LIMIT = 2000
FIELDS = ("title", "body")
#: Between paragraphs (and metadata fields) in a field's text: lunr's tokenizer splits on it, and the
#: wider gap keeps a phrase from matching across two paragraphs (the truth has a line break there).
PARAGRAPH = " \n "
#: Substrings not made of whole words, shown as evidence of what a word index cannot find.
EVIDENCE = 4


def sample_of(reports: list, limit: int = LIMIT) -> list:
    """All reports up to ``limit``; above, every k-th report (deterministic), at most ``limit``."""
    step = -(-len(reports) // limit)
    return reports[::step][:limit]


def lunr_documents(reports: list, cut) -> list[dict]:
    """One lunr document per report: jieba words joined by spaces, paragraphs by a wider gap."""
    def field(texts):
        return PARAGRAPH.join(" ".join(words(cut, text)) for text in texts)
    return [{"id": r.id, "title": field(metadata_fields(r)[:1]), "body": field(metadata_fields(r)[1:] + text_fields(r))}
            for r in reports]


def build_index(docs: list[dict]) -> dict:
    """lunr.py's serialized index (the dict lunr.js loads), positions kept, no English pipeline."""
    from lunr import get_default_builder
    builder = get_default_builder()
    builder.pipeline.reset()  # no English stemmer/stop words/trimmer on Chinese words
    builder.search_pipeline.reset()
    builder.metadata_whitelist = ["position"]
    builder.ref("id")
    for name in FIELDS:
        builder.field(name)
    for doc in docs:
        builder.add(doc)
    return builder.build().serialize()


def encoded(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def without_positions(index: dict) -> dict:
    """The same index as lunr.py serializes it without a metadata whitelist (each posting ``{}``)."""
    inverted = [[term, {key: value if key == "_index" else dict.fromkeys(value, {}) for key, value in posting.items()}]
                for term, posting in index["invertedIndex"]]
    return index | {"invertedIndex": inverted}


def vectors_by_term(index: dict) -> dict[int, list]:
    """Each term's ``_index`` → the field vectors cut to that term: ``["field/ref", [_index, score]]``."""
    by_term = defaultdict(list)
    for field_ref, elements in index["fieldVectors"]:
        for i in range(0, len(elements), 2):
            by_term[elements[i]].append([field_ref, elements[i:i + 2]])
    return by_term


def term_slices(index: dict):
    """(term, slice) for every term: a self-contained lunr index answering that one term."""
    by_term = vectors_by_term(index)
    for term, posting in index["invertedIndex"]:
        yield term, {"version": index["version"], "fields": index["fields"], "fieldVectors": by_term[posting["_index"]],
                     "invertedIndex": [[term, posting]], "pipeline": index["pipeline"]}


def slice_sizes(index: dict, scale: float = 1.0) -> dict[str, tuple[float, float]]:
    """Each term's file: (raw bytes, gzip level 6 bytes).  With ``scale`` (corpus / sample), the part
    that holds documents grows linearly and the rest (version, fields, pipeline, the term) stays."""
    sizes = {}
    for term, piece in term_slices(index):
        data = encoded(piece)
        sizes[term] = (len(data), len(gzip.compress(data, 6)))
        if scale != 1.0:
            empty = encoded(piece | {"fieldVectors": [], "invertedIndex": [[term, {"_index": 0} | dict.fromkeys(FIELDS, {})]]})
            fixed = (len(empty), len(gzip.compress(empty, 6)))
            sizes[term] = tuple(f + (size - f) * scale for size, f in zip(sizes[term], fixed))
    return sizes


def phrase_refs(postings: dict, terms: list[str]) -> set[str]:
    """Documents where ``terms`` occur adjacent and in order in one field (from lunr's positions)."""
    if not terms or any(t not in postings for t in terms):
        return set()
    found = set()
    for field in FIELDS:
        for ref, metadata in postings[terms[0]][field].items():
            ends = {start + length for start, length in metadata["position"]}
            for term in terms[1:]:
                after = postings[term][field].get(ref)
                ends = {start + length for start, length in after["position"] if start - 1 in ends} if after else set()
                if not ends:
                    break
            if ends:
                found.add(ref)
    return found


def query_phrases(cut, query: str) -> list[list[str]]:
    """A query's phrases, each cut into words by the build's jieba (the best case for lunr)."""
    return [words(cut, phrase.text) for phrase in parse_query(query)]


def answer(postings: dict, phrases: list[list[str]]) -> set[str]:
    """A query's documents: every phrase found (AND)."""
    results = [phrase_refs(postings, terms) for terms in phrases]
    return set.intersection(*results) if results else set()


def query_figures(postings: dict, sizes: dict, cut, queries: list[str], truth: dict) -> dict:
    """Bytes fetched per query (its words' files, each gzip) and its precision/recall against the truth."""
    fetched, precisions, recalls, wrong = [], [], [], []
    for query in queries:
        phrases = query_phrases(cut, query)
        fetched.append(sum(sizes[t][1] for t in {t for terms in phrases for t in terms} if t in sizes))
        found, expected = answer(postings, phrases), truth[query]
        precisions.append(len(found & expected) / len(found) if found else 1.0)
        recalls.append(len(found & expected) / len(expected) if expected else 1.0)
        if found != expected:
            wrong.append(query)
    return {"query_bytes": fetched, "precision": statistics.mean(precisions), "recall": statistics.mean(recalls),
            "wrong": wrong}


def partial_substrings(cut, queries: list[str]) -> list[str]:
    """Parts of the queries' phrases that are not whole words: across the first word boundary of a
    multi-word phrase (科技类|校外 → 技类校), or the inside of a long single word (法律顾问 → 律顾)."""
    found = []
    for query in queries:
        for terms in query_phrases(cut, query):
            if len(terms) > 1 and len(terms[0]) > 1:
                found.append(terms[0][1:] + terms[1][:1])
            elif len(terms) == 1 and len(terms[0]) > 3:
                found.append(terms[0][1:-1])
    return list(dict.fromkeys(found))


def unfindable(postings: dict, cut, queries: list[str], keys: dict[str, str]) -> list[tuple[str, int, int]]:
    """Substrings not made of whole words that the word index misses: (substring, reports holding it, found)."""
    missed = []
    for text in partial_substrings(cut, queries):
        holding = sum(1 for key in keys.values() if text in key)
        found = len(phrase_refs(postings, words(cut, text)))
        if found < holding:
            missed.append((text, holding, found))
    return missed[:EVIDENCE]


def whole_sizes(index: dict, count: int) -> dict:
    """The whole serialized index per report: plain (no positions) and with positions, raw and gzip."""
    sizes = {}
    for label, data in (("plain", encoded(without_positions(index))), ("positions", encoded(index))):
        sizes[label] = len(data) / count
        sizes[label + "_gz"] = len(gzip.compress(data, 6)) / count
    return sizes


def lunr_sizes(reports: list, queries: list[str], limit: int = LIMIT) -> dict:
    """lunr's figures for the benchmark: whole index per report, split by term per query, quality."""
    sample = sample_of(reports, limit)
    cut = segmenter(user_dictionary(reports))
    start = time.perf_counter()
    index = build_index(lunr_documents(sample, cut))
    build_seconds = time.perf_counter() - start
    sizes, postings = slice_sizes(index, len(reports) / len(sample)), dict(index["invertedIndex"])
    docs = {r.id: document(r) for r in sample}
    truth = {q: {ref for ref, doc in docs.items() if matches(doc, parse_query(q))} for q in queries}
    figures = query_figures(postings, sizes, cut, queries, truth)
    return {"count": len(reports), "sample": len(sample), "build_seconds": build_seconds,
            "chars": statistics.mean(len("".join(text_fields(r))) for r in sample), **whole_sizes(index, len(sample)),
            "files": len(sizes), "split_raw": sum(raw for raw, _ in sizes.values()),
            "split_gz": sum(gz for _, gz in sizes.values()), **figures,
            "unfindable": unfindable(postings, cut, queries, {ref: doc.key for ref, doc in docs.items()})}


def lunr_paragraphs(lunr: dict, kb, ours_gz: int, ours_first: list[int]) -> list[str]:
    """The benchmark page's lunr paragraphs: the whole index, and split by term, against this archive
    (``kb`` formats bytes like the rest of the page; ``ours_first`` = this archive's first-query bytes)."""
    n, first = lunr["count"], statistics.median(ours_first)
    measured = (f"all {n:,} reports" if lunr["sample"] == n else f"a deterministic sample of {lunr['sample']:,} of "
                f"{n:,} reports, each file's documents scaled by {n / lunr['sample']:.1f}, files counted in the sample")
    missed = ", ".join(f"`{text}` (in {holding:,} reports, found in {found:,})" for text, holding, found in lunr["unfindable"])
    wrong = ", ".join(f"`{q}`" for q in lunr["wrong"])
    return [
        f"lunr.py, for comparison (the format the issue proposed; jieba words with the archive's user dictionary, "
        f"lunr's English pipeline removed; {measured}, {lunr['chars']:,.0f} characters of text per report; "
        f"lunr.py built the index in {lunr['build_seconds']:.0f} s): the whole index serialized is {kb(lunr['plain'])} "
        f"per report ({kb(lunr['plain_gz'])} gzip); with the term positions a phrase check needs {kb(lunr['positions'])} "
        f"({kb(lunr['positions_gz'])} gzip), i.e. {kb(lunr['positions_gz'] * n)} gzip for {n:,} reports, "
        f"against {kb(ours_gz)} for this archive's whole index.", "",
        f"lunr split by term, one file per term (the best case for lunr's bytes; each file is the smallest index "
        f"lunr.js can load to answer its term: the term's inverted-index entry with positions, and the field vectors cut "
        f"to that term): {lunr['files']:,} files, {kb(lunr['split_raw'])} ({kb(lunr['split_gz'])} gzip, each file "
        f"compressed on its own). A query fetches the files of its words: {kb(statistics.median(lunr['query_bytes']))} "
        f"median / {kb(max(lunr['query_bytes']))} worst gzip (lunr.js itself not counted), against {kb(first)} / "
        f"{kb(max(ours_first))} for this archive's first query; and that assumes the "
        f"browser cuts the query with the build's jieba and dictionary, which it cannot without shipping them. "
        f"What a word index answers exactly (every phrase's words adjacent and in order, from the positions): "
        f"precision / recall {lunr['precision']:.2f} / {lunr['recall']:.2f}, {len(lunr['wrong'])} queries not exact"
        + (f" ({wrong})" if wrong else "") + ". Substrings that are not whole words, which it cannot find: "
        + (missed or "none among the queries") + "."]
