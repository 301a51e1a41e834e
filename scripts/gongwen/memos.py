"""The build's memos on disk, in its work folder (``buildpaths.py``): what one build computed, for the next one.

Each memo is sharded, so that a rebuild after one report changed rewrites the few files whose entries changed:
the report cache, the report pages' front matter, the search memo, the sort step's provinces and the OCR
memo (``load_memo``/``save_memo``); the search memo's postings entries (``EntryFolder``); the search
index merge's pieces between its two passes (``SpillFolder``); and each year's postings (``YearFolder``).  Like ``corpus.py`` (the corpus, the site
and everything else the build reads or writes), no decision is made here: the memos' contents are their
callers'.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import shutil
import weakref
import zlib
from pathlib import Path

import numpy as np

from .buildpaths import ocr_cache
from .pipeline import SourceFile
from .readers.ocr import VERSION as OCR_VERSION
from .search.years import YearPart

#: A memo is saved in this many files, by its keys' checksums: a rebuild after one report changed rewrites the
#: few files whose entries changed, not the whole memo (the reports' took 9 s to write at 10,000 reports).
MEMO_SHARDS = 64


class Memo(dict):
    """A memo's entries as loaded (``load_memo``), with which shard held which entry (to save only what changed)."""

    def __init__(self, loaded: dict[int, dict] | None = None):
        super().__init__()
        self.loaded = loaded or {}
        for entries in self.loaded.values():
            self.update(entries)


def _shard(key) -> int:
    return zlib.crc32(repr(key).encode("utf-8")) % MEMO_SHARDS


def load_memo(folder: Path, program: str) -> Memo:
    """Entries saved by the previous build (``save_memo``: the report cache, the front matter blocks, the search
    memo) with the same program; empty when missing, unreadable or older."""
    loaded = {}
    try:
        if (folder / "program").read_text(encoding="utf-8") != program:
            return Memo()
        for shard in range(MEMO_SHARDS):
            with (folder / f"{shard}.pickle").open("rb") as stream:
                loaded[shard] = pickle.load(stream)
                while stream.peek(1):  # entries ``add_to_memo`` appended, later ones winning
                    loaded[shard].update(pickle.load(stream))
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, TypeError, ValueError):
        return Memo()
    return Memo(loaded)


def save_memo(folder: Path, entries: dict, program: str, loaded: Memo | None = None) -> None:
    """Save ``entries``; a shard whose entries are those ``loaded`` held (the same objects) is left as it is."""
    shards: dict[int, dict] = {shard: {} for shard in range(MEMO_SHARDS)}
    for key, value in entries.items():
        shards[_shard(key)][key] = value
    before = loaded.loaded if loaded is not None and (folder / "program").is_file() else {}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "program").unlink(missing_ok=True)  # until every shard is written
    for shard, held in shards.items():
        old = before.get(shard)
        if old is not None and old.keys() == held.keys() and all(old[k] is v for k, v in held.items()):
            continue
        partial = folder / f"{shard}.partial"
        with partial.open("wb") as stream:
            pickle.dump(held, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(folder / f"{shard}.pickle")
    (folder / "program").write_text(program, encoding="utf-8")


def memo_entry(key, value) -> tuple[int, bytes]:
    """One entry of a memo as ``add_to_memo`` adds it: its shard and its pickle, made in the process that has the
    value (a report parsed in the sort step's pool is pickled once, there, not sent back and pickled again)."""
    return _shard(key), pickle.dumps({key: value}, protocol=pickle.HIGHEST_PROTOCOL)


def add_to_memo(folder: Path, entries: list[tuple[int, bytes]], program: str) -> None:
    """Add ``entries`` (``memo_entry``'s) to the memo in ``folder`` without reading it: each appended to its shard's
    file (a memo of another program, or none, is started afresh).  The sort step of a split build hands each
    province job the reports it parsed this way (``provincejobs.sort_corpus``), a few at a time, so that neither
    holds every report at once nor rewrites a shard for each."""
    try:
        same = (folder / "program").read_text(encoding="utf-8") == program
    except OSError:
        same = False
    if not same:
        save_memo(folder, {}, program)
    shards: dict[int, list[bytes]] = {}
    for shard, data in entries:
        shards.setdefault(shard, []).append(data)
    for shard, pieces in shards.items():
        with (folder / f"{shard}.pickle").open("ab") as stream:
            stream.write(b"".join(pieces))


def load_ocr_memo(site_dir: Path) -> Memo:
    """What OCR recognised in the builds of ``site_dir`` (``reportcache.OcrMemo``), under the recogniser's version."""
    return load_memo(ocr_cache(site_dir), OCR_VERSION)


def save_ocr_memo(site_dir: Path, ocr, loaded: Memo, sources: list[SourceFile] | set[str]) -> None:
    """Keep what OCR recognised (``ocr``, an ``OcrMemo`` over ``loaded``) for the files still in the corpus (by
    digest: renaming a scan costs nothing); ``sources``: the corpus files, or their SHA-256 digests."""
    if loaded or ocr.used:  # a corpus without scans leaves no memo behind (nor reads every file's digest)
        digests = sources if isinstance(sources, set) else {hashlib.sha256(source.data).hexdigest() for source in sources}
        save_memo(ocr_cache(site_dir), ocr.kept(digests), OCR_VERSION, loaded)


class EntryFolder:
    """The search memo's postings entries of the reports (``search/memo.py``'s ``kept``: ``get``/``put``) on disk,
    so that a build with a memo holds what one without does (they were 2 GB of 4.6 at 100,000 reports).

    ``MEMO_SHARDS`` shards by digest, each the entries end to end (``<n>.bin``) and, in memory while a build
    runs, where each one is and its context (``<n>.index``); an entry is read back when the merge reads it.
    Entries made by this build go to their shard's ``<n>.new`` as they come; ``save`` writes again only the
    shards whose entries changed, from those and the old ones this build used (a cold build's ``.new`` files
    become the shards as they are), and drops what no build used."""

    def __init__(self, folder: Path, program: str):
        self.folder, self.program = folder, program
        self.new: dict[str, tuple[str, int, int]] = {}  # digest → context, offset, size in its shard's .new
        self.ends: dict[int, int] = {}
        self.used: set[str] = set()
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.new"):  # a build that stopped half-way
            stale.unlink()
        self.loaded = _load_entry_index(folder, program)
        self.old: dict[str, tuple[str, int, int]] = self.loaded or {}  # … in its shard's .bin

    def get(self, digest: str, context: str) -> bytes | None:
        where, found = (".new", self.new[digest]) if digest in self.new else (".bin", self.old.get(digest))
        if found is None or found[0] != context:
            return None
        self.used.add(digest)
        return _read_at(self.folder / f"{_entry_shard(digest)}{where}", found[1], found[2])

    def touch(self, digest: str, context: str) -> None:
        """An entry kept for the next build without being read."""
        found = self.new.get(digest) or self.old.get(digest)
        if found is not None and found[0] == context:
            self.used.add(digest)

    def put(self, digest: str, context: str, entries: bytes) -> None:
        shard = _entry_shard(digest)
        with (self.folder / f"{shard}.new").open("ab") as stream:
            stream.write(entries)
        self.new[digest] = (context, self.ends.get(shard, 0), len(entries))
        self.ends[shard] = self.ends.get(shard, 0) + len(entries)
        self.used.add(digest)

    def save(self) -> None:
        """Each shard whose entries this build changed (or used fewer of) written again; the others left."""
        by_shard: dict[int, set[str]] = {shard: set() for shard in range(MEMO_SHARDS)}
        before: dict[int, set[str]] = {shard: set() for shard in range(MEMO_SHARDS)}
        for digest in self.used:
            by_shard[_entry_shard(digest)].add(digest)
        for digest in self.old:
            before[_entry_shard(digest)].add(digest)
        (self.folder / "program").unlink(missing_ok=True)  # until every shard is written
        for shard, used in by_shard.items():
            if self.loaded is not None and used == before[shard] and not any(d in self.new for d in used):
                continue
            self._write_shard(shard, sorted(used))
        (self.folder / "program").write_text(self.program, encoding="utf-8")

    def _write_shard(self, shard: int, digests: list[str]) -> None:
        new, data, index = self.folder / f"{shard}.new", self.folder / f"{shard}.bin", {}
        if all(d in self.new for d in digests) and self.ends.get(shard, 0) == sum(self.new[d][2] for d in digests):
            index = {digest: self.new[digest] for digest in digests}  # the .new file holds just these: it is the shard
            new.replace(data) if new.is_file() else data.write_bytes(b"")
        else:
            with (self.folder / f"{shard}.partial").open("wb") as stream:
                for digest in digests:
                    where, (context, at, size) = (new, self.new[digest]) if digest in self.new else (data, self.old[digest])
                    index[digest] = (context, stream.tell(), size)
                    stream.write(_read_at(where, at, size))
            (self.folder / f"{shard}.partial").replace(data)
            new.unlink(missing_ok=True)
        with (self.folder / f"{shard}.index.partial").open("wb") as stream:
            pickle.dump(index, stream, protocol=pickle.HIGHEST_PROTOCOL)
        (self.folder / f"{shard}.index.partial").replace(self.folder / f"{shard}.index")


def _entry_shard(digest: str) -> int:
    return int(digest[:8], 16) % MEMO_SHARDS


def _read_at(path: Path, at: int, size: int) -> bytes:
    with path.open("rb") as stream:
        return os.pread(stream.fileno(), size, at)


def _load_entry_index(folder: Path, program: str) -> dict | None:
    """Where ``EntryFolder.save`` put each entry, when it saved them with this program; else None."""
    index = {}
    try:
        if (folder / "program").read_text(encoding="utf-8") != program:
            return None
        for shard in range(MEMO_SHARDS):
            with (folder / f"{shard}.index").open("rb") as stream:
                index.update(pickle.load(stream))
    except (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return index


class SpillFolder:
    """Where the search index's merge keeps each key range's pieces between its two passes
    (``search/postings.py``): on disk, so that every report's entries are not in memory at once.  Pieces are held
    up to :attr:`BUFFER_BYTES` and then appended to their ranges' files, one opening per range: one opening per
    piece was a quarter of a rebuild's merge at 10,000 reports (about 18,000 openings; 1.8 million at 100,000)."""

    BUFFER_BYTES = 1 << 26

    def __init__(self, folder: Path):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder
        self.held: dict[int, list[bytes]] = {}
        self.held_bytes = 0

    def add(self, number: int, piece: bytes) -> None:
        self.held.setdefault(number, []).extend((len(piece).to_bytes(8, "little"), piece))  # not joined: a copy
        self.held_bytes += 8 + len(piece)
        if self.held_bytes >= self.BUFFER_BYTES:
            self._flush()

    def _flush(self) -> None:
        for number, pieces in sorted(self.held.items()):
            with (self.folder / f"{number}.bin").open("ab") as stream:
                stream.writelines(pieces)
        self.held, self.held_bytes = {}, 0

    def take(self, number: int) -> list[memoryview]:
        if self.held:
            self._flush()
        path = self.folder / f"{number}.bin"
        data = path.read_bytes() if path.is_file() else b""
        path.unlink(missing_ok=True)
        pieces, at, view = [], 0, memoryview(data)
        while at < len(data):
            size = int.from_bytes(view[at:at + 8], "little")
            pieces.append(view[at + 8:at + 8 + size])  # views, not copies
            at += 8 + size
        return pieces


class YearFolder:
    """The search index's year parts, or its block parts (``search/years.py``), on disk: one folder a part, named
    by its year (or ``year-province``), each array a raw file and ``digest`` written last, moved into place whole.
    Parts are read back mapped, not loaded: the assembly reads the grams of a key range at a time.  ``made``: the
    parts made, not found (as ``years.MemoryYears``)."""

    #: Each array's file and type (``YearPart``'s fields; ``cuts`` has five columns).
    ARRAYS = {"keys": "<u8", "starts": "<i8", "sizes": "<u4", "counts": "<u4", "first": "<u4", "last": "<u4",
              "cuts": "<i8", "data": "u1"}

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.made: list[int | str] = []
        self._mappings: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()  # the parts' files mapped so far (``release``)

    def get(self, year: int | str, digest: str) -> YearPart | None:
        where = self.folder / str(year)
        marked = where / "digest"
        if not marked.is_file() or marked.read_text(encoding="ascii") != digest:
            return None
        arrays = {name: self._mapped(where / f"{name}.bin", kind) for name, kind in self.ARRAYS.items()}
        return YearPart(**arrays | {"cuts": arrays["cuts"].reshape(-1, 5)})

    def put(self, year: int | str, digest: str, ranges) -> YearPart:
        """The part, written a key range at a time as ``ranges`` gives them, then read back mapped."""
        new = self.folder / f"{year}.new"
        shutil.rmtree(new, ignore_errors=True)
        new.mkdir()
        streams = {name: (new / f"{name}.bin").open("wb") for name in self.ARRAYS}
        grams = held = 0
        try:
            for part in ranges:
                moved = {"starts": part.starts + held, "cuts": part.cuts + np.array([grams, 0, 0, 0, 0])}
                for name, kind in self.ARRAYS.items():
                    streams[name].write(np.ascontiguousarray(moved.get(name, getattr(part, name)), dtype=kind).tobytes())
                grams, held = grams + len(part.keys), held + len(part.data)
        finally:
            for stream in streams.values():
                stream.close()
        (new / "digest").write_text(digest, encoding="ascii")
        shutil.rmtree(self.folder / str(year), ignore_errors=True)
        new.rename(self.folder / str(year))
        self.made.append(year)
        return self.get(year, digest)

    def keep_only(self, years: set) -> None:
        """The other parts (and any a stopped build left half-written) removed."""
        for path in self.folder.iterdir():
            if path.name not in {str(year) for year in years}:
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def release(self) -> None:
        """The pages of the parts read so far let go by this process (they stay in the page cache and are read
        back if touched again): the assembly and the year joins read each part once, a key range after another,
        and the pages it had read stayed resident until the end, 1.5 GB at 100,000 reports."""
        for mapping in list(self._mappings):
            mapping.madvise(mmap.MADV_DONTNEED)

    def _mapped(self, path: Path, kind: str) -> np.ndarray:
        if not path.stat().st_size:
            return np.zeros(0, dtype=kind)
        with path.open("rb") as stream:
            mapping = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        self._mappings.add(mapping)
        return np.frombuffer(mapping, dtype=kind)
