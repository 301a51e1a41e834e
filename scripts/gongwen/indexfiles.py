"""The search index's files in the site (``site/search/``): written in place by a rebuild, or staged in the work
folder and moved into the site after MkDocs has cleaned it.  With ``corpus.py`` and ``memos.py``, the modules that
touch the file system; no decision about the index is made here (``search/builder.py`` makes its files).
"""

from __future__ import annotations

import json
import queue
import shutil
import threading
from pathlib import Path

from .buildpaths import search_manifest, staged_search
from .corpus import content_digest, files_under, load_manifest, remove_outputs


def write_search_index(site_dir: Path, files: dict[str, bytes]) -> None:
    """Replace ``site/search/`` data with the search index files (``stage_search_index`` then
    ``install_search_index``), whatever the site held before."""
    forget_search_index(site_dir)
    stage_search_index(site_dir, files)
    install_search_index(site_dir)


def stage_search_index(site_dir: Path, files) -> None:
    """Write the search index files that differ from the site's (its manifest says) into the build's work
    folder, to be moved into the site after MkDocs; and the new index's manifest.  ``files``: name → bytes,
    or ``(name, bytes)`` pairs as the builder makes them (``search.builder.index_stream``), written as they come."""
    staged = staged_search(site_dir)
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    digests = _write_changed(staged, files.items() if isinstance(files, dict) else files,
                             load_manifest(search_manifest(site_dir)))
    search_manifest(site_dir, staged=True).write_text(json.dumps(digests, sort_keys=True), encoding="utf-8")


def update_search_index(site_dir: Path, files) -> None:
    """A rebuild's search index written into ``site/search/`` as the builder makes it (``(name, bytes)`` pairs):
    the files whose bytes differ from the site's (its manifest says), then the files the new index lacks removed,
    then the new manifest.  MkDocs runs beside it without cleaning the site; staging the files and moving them
    took 12 s more of a rebuild after a report was added at 100,000 reports (150,000 files renamed).  The
    manifest is removed first, so that a build stopped half-way leaves none: with none, the whole index is staged
    (``stage_search_index``) and installed whole after MkDocs, as in a full build."""
    installed = load_manifest(search_manifest(site_dir))
    if not installed:
        return stage_search_index(site_dir, files)
    search_manifest(site_dir).unlink()
    shutil.rmtree(staged_search(site_dir), ignore_errors=True)
    target = site_dir / "search"
    digests = _write_changed(target, files, installed)
    remove_outputs(target, sorted(set(installed) - set(digests)))
    search_manifest(site_dir).write_text(json.dumps(digests, sort_keys=True), encoding="utf-8")


#: Files made and not yet written at most (a few MB: most index files are under 32 KB).
WRITE_AHEAD = 1024


def _write_changed(folder: Path, files, installed: dict[str, str]) -> dict[str, str]:
    """Each ``(name, bytes)`` whose digest is not ``installed``'s written into ``folder`` by another thread, while
    the builder makes the next files (a write releases the GIL: after a report was added at 100,000 reports,
    150,000 index files changed, and writing them stopped the index's process for 20 s); every file's digest."""
    pending: queue.Queue = queue.Queue(WRITE_AHEAD)
    failed: list[BaseException] = []

    def write():
        folders = set()
        while (item := pending.get()) is not None:
            if failed:  # keep taking, so that the builder is never blocked; the error is raised below
                continue
            try:
                if item[0].parent not in folders:
                    item[0].parent.mkdir(parents=True, exist_ok=True)
                    folders.add(item[0].parent)
                item[0].write_bytes(item[1])
            except OSError as error:
                failed.append(error)
    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    digests = {}
    try:
        for name, data in files:
            digests[name] = content_digest(data)
            if installed.get(name) != digests[name]:
                pending.put((folder / name, data))
    finally:
        pending.put(None)
        writer.join()
    if failed:
        raise failed[0]
    return digests


def forget_search_index(site_dir: Path) -> None:
    """Before a full build (MkDocs cleans the site, its index included): the site holds no index files."""
    search_manifest(site_dir).unlink(missing_ok=True)


def install_search_index(site_dir: Path) -> None:
    """Move the staged index files into ``site/search/`` (if any: a rebuild writes them in place) and remove the
    site's index files that the new index lacks.  With no manifest of what the site holds, each top-level file or folder the index writes is removed
    whole first, so that a shard of an earlier build does not survive; anything else there (the page,
    another search's files in the benchmark) stays."""
    staged, target_dir = staged_search(site_dir), site_dir / "search"
    if not staged.is_dir():  # written in place (``update_search_index``)
        return
    installed = load_manifest(search_manifest(site_dir))
    new = load_manifest(search_manifest(site_dir, staged=True))
    search_manifest(site_dir).unlink(missing_ok=True)  # until the site holds the new index
    if installed:
        remove_outputs(target_dir, sorted(set(installed) - set(new)))
    else:
        for top in sorted({name.split("/", 1)[0] for name in new}):
            target = target_dir / top
            shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    for name in sorted(files_under(staged)):
        target = target_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (staged / name).replace(target)
    shutil.rmtree(staged)
    search_manifest(site_dir, staged=True).replace(search_manifest(site_dir))
