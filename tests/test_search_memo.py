"""Issue 24: the search memo's entries (23 KB a report) are kept on disk, not in memory (``memos.EntryFolder``),
and a rebuild reuses every unchanged report's, rewriting only the shards that changed; a cold build computes
the entries in a process pool (``entries.Entries``).  The index bytes stay those of a build without either."""

from __future__ import annotations

import pytest

from conftest import SEEDS
from gongwen.buildstep import entry_pool
from gongwen.memos import MEMO_SHARDS, EntryFolder
from gongwen.pipeline import report_from_text
from gongwen.search import builder, entries, postings
from gongwen.search.memo import KeptEntries, SearchMemo
from test_search_index import reports  # noqa: F401  (the seeds' reports, as a fixture)

COVER = 2000


@pytest.fixture
def computed(monkeypatch):
    """The reports whose entries this process computes (by key), in order."""
    done = []
    make = entries.EntryMaker.__call__

    def counting(self, doc):
        done.append(doc.key)
        return make(self, doc)
    monkeypatch.setattr(entries.EntryMaker, "__call__", counting)
    return done


def shard_files(folder) -> dict[str, tuple[int, int]]:
    """Each shard file → its inode and time (a shard written again is a new file)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir() if p.suffix in (".bin", ".index")}


def test_entries_are_kept_on_disk_and_a_rebuild_reuses_every_unchanged_one(reports, computed, tmp_path):
    folder = tmp_path / "entries"
    memo = SearchMemo({}, EntryFolder(folder, "program"))
    cold = builder.search_files(reports, cover_bytes=COVER)
    assert builder.search_files(reports, cover_bytes=COVER, memo=memo) == cold
    memo.kept.save()
    digests = set(memo.kept.used)
    assert len(digests) == len(reports)
    # on disk, not in memory: the folder holds every report's entries, the memo only where they are
    assert not any(isinstance(v, bytes) for held in (memo.kept.old, memo.kept.new) for v in held.values())
    assert not any(isinstance(v, tuple) and any(isinstance(x, bytes) for x in v) for v in memo.stored.values())
    assert sum(p.stat().st_size for p in folder.glob("*.bin")) == sum(size for _, _, size in memo.kept.new.values())
    assert len(list(folder.glob("*.index"))) == MEMO_SHARDS and not list(folder.glob("*.new"))

    # one report's text changed (not its names: the part starts stay): only it is computed again
    body = reports[2].body
    changed = reports[2].model_copy(update={"body": [body[0].model_copy(update={"text": body[0].text + "又及。"}), *body[1:]]})
    corpus = [*reports[:2], changed, *reports[3:]]
    expected = builder.search_files(corpus, cover_bytes=COVER)
    before, computed[:] = shard_files(folder), []
    memo = SearchMemo(memo.used, EntryFolder(folder, "program"))
    assert builder.search_files(corpus, cover_bytes=COVER, memo=memo) == expected
    memo.kept.save()
    assert len(computed) == 1 and computed[0] == builder.indexed([changed]).docs[0].key
    after = shard_files(folder)
    rewritten = {name.split(".")[0] for name in after if after[name] != before.get(name)}
    assert 1 <= len(rewritten) <= 2  # the changed report's new shard and its old one's, no other
    loaded = EntryFolder(folder, "program")
    assert set(loaded.old) == set(memo.kept.used) and len(loaded.old) == len(reports)
    assert len(digests - set(loaded.old)) == 1  # the old entries of the changed report dropped out

    computed[:] = []
    memo = SearchMemo(memo.used, EntryFolder(folder, "another program"))  # a new program starts afresh
    assert builder.search_files(corpus, cover_bytes=COVER, memo=memo) == expected
    assert len(computed) == len(reports)


def test_in_memory_memo_reuses_entries_across_rebuilds(reports, computed):
    memo = SearchMemo()
    builder.search_files(reports, cover_bytes=COVER, memo=memo)
    assert len(computed) == len(reports)  # the key ranges' sample is kept, not computed twice
    computed[:] = []
    memo = SearchMemo(memo.used, KeptEntries(memo.kept.used))
    builder.search_files(reports, cover_bytes=COVER, memo=memo)
    assert computed == []


@pytest.mark.parametrize("with_memo", [False, True])
def test_entries_computed_in_a_pool_give_the_same_index(with_memo, computed, monkeypatch, tmp_path):
    """Chunks of 4 reports computed by the build's two worker processes, a few ahead of the merge, taken back in
    order."""
    seeds = [report_from_text(p.read_text(encoding="utf-8"), p.name, "0" * 64) for p in SEEDS]
    found = builder.indexed(seeds * 4)  # 20 documents: 5 chunks
    monkeypatch.setattr(postings, "CHUNK_DOCS", 4)
    monkeypatch.setattr(postings, "SAMPLE_DOCS", 2)
    one = builder.index_files(found, cover_bytes=COVER)
    years = len({r.year for r in found.reports})  # each year's postings are merged on their own (years.py)
    assert years > 1 and len(computed) == 2 * years + len(found.docs)  # each year's key ranges' sample, then every report
    memo = SearchMemo({}, EntryFolder(tmp_path / "entries", "program")) if with_memo else None
    computed[:] = []
    with entry_pool() as pool:  # the build's
        pooled = dict(builder.index_stream(found, cover_bytes=COVER, memo=memo, pool=pool))
    assert pooled == one
    sampled = [found.digests[start:end][::max(1, (end - start) // 2)] for _, start, end in builder.year_spans(found.reports)]
    samples = len({d for year in sampled for d in year}) if with_memo else sum(map(len, sampled))  # a memo's copies: once
    assert len(computed) == samples == (4 if with_memo else 2 * years)  # only the samples: the workers computed the rest
    if with_memo:
        assert len(memo.kept.new) == len(set(found.digests))


def test_a_search_key_pickled_for_the_pool_keeps_its_own_size():
    """A str pickled keeps its UTF-8 form cached inside it for life (2.5 times a Chinese key's size): every key
    sent to the entries' pool grew so, 0.9 GB at 100,000 reports.  A ``Document`` pickles its key encoded, and
    comes back the same, with its checksum if it had one."""
    import pickle
    import sys

    from gongwen.search.analyzer import Document

    key = "".join(chr(0x4E00 + n % 3000) for n in range(5000))
    doc = Document(key, 10, 40, 20)
    size = sys.getsizeof(doc.key)
    assert doc.checksum
    back = pickle.loads(pickle.dumps(doc))
    assert sys.getsizeof(doc.key) == size
    assert back == doc and back.__dict__.get("checksum") == doc.checksum
    fresh = pickle.loads(pickle.dumps(Document(key, 10, 40, 20)))
    assert "checksum" not in fresh.__dict__ and fresh.checksum == doc.checksum
