"""The work folder and the site's search index are updated file by file, by manifests of digests.

A rebuild must not read every generated page back (``corpus.sync_folder``) nor rewrite every index file
(``stage_search_index``): the manifests say what is there.  They are trusted only for a file whose size and
time are those recorded, and a full build forgets the index's.
"""

from __future__ import annotations

import os

import pytest

from gongwen import corpus, indexfiles
from gongwen.buildpaths import staged_search


def files_under(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sync_writes_only_what_changed_and_rewrites_a_page_changed_behind_its_back(tmp_path):
    folder, manifest = tmp_path / "docs", tmp_path / "manifest.json"
    plan = {"a.md": "一", "b/c.md": "二", "d.bin": b"\x00"}
    assert corpus.sync_folder(folder, plan, manifest) == []
    assert files_under(folder) == {"a.md": "一".encode(), "b/c.md": "二".encode(), "d.bin": b"\x00"}
    kept = (folder / "a.md").stat().st_mtime_ns
    os.utime(folder / "b/c.md", ns=(1, 1))
    corpus.sync_folder(folder, plan, manifest)
    assert (folder / "a.md").stat().st_mtime_ns == kept  # unchanged: not written again

    (folder / "a.md").write_text("三", encoding="utf-8")  # same size, another time: the manifest is not trusted
    os.utime(folder / "a.md", ns=(2, 2))
    assert corpus.sync_folder(folder, plan | {"d.bin": b"\x01"}, manifest) == []
    assert files_under(folder)["a.md"] == "一".encode() and files_under(folder)["d.bin"] == b"\x01"

    assert corpus.sync_folder(folder, {"a.md": "一"}, manifest) == ["b/c.md", "d.bin"]
    assert files_under(folder) == {"a.md": "一".encode()} and not (folder / "b").exists()


def test_the_search_index_is_staged_by_difference_and_stale_files_leave_the_site(tmp_path):
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "index.html").write_text("检索页", encoding="utf-8")  # MkDocs' page: never touched
    (site / "search" / "g").mkdir()
    (site / "search" / "g" / "old.bin").write_bytes(b"0")  # an earlier index, with no manifest
    indexfiles.write_search_index(site, {"g/1.bin": b"1", "meta.json": b"m"})
    assert files_under(site / "search") == {"index.html": "检索页".encode(), "g/1.bin": b"1", "meta.json": b"m"}

    indexfiles.stage_search_index(site, {"g/2.bin": b"2", "meta.json": b"m"})
    assert files_under(staged_search(site)) == {"g/2.bin": b"2"}  # meta.json is unchanged
    indexfiles.install_search_index(site)
    assert files_under(site / "search") == {"index.html": "检索页".encode(), "g/2.bin": b"2", "meta.json": b"m"}
    assert not staged_search(site).exists()

    indexfiles.forget_search_index(site)  # a full build: MkDocs cleans the site, every file is staged
    indexfiles.stage_search_index(site, {"g/2.bin": b"2", "meta.json": b"m"})
    assert files_under(staged_search(site)) == {"g/2.bin": b"2", "meta.json": b"m"}


def test_a_rebuilds_search_index_is_written_in_place_by_difference_and_without_a_manifest_is_staged(tmp_path):
    """A rebuild writes the changed index files straight into the site (MkDocs beside it does not clean it), the
    manifest last; a site without a manifest (a build stopped half-way) gets the whole index staged instead."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "index.html").write_text("检索页", encoding="utf-8")
    indexfiles.write_search_index(site, {"g/1.bin": b"1", "t/0.txt": b"t", "meta.json": b"m"})
    written = []
    real_write = type(site).write_bytes
    def spy(path, data):
        written.append(path.relative_to(site).as_posix())
        return real_write(path, data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(site), "write_bytes", spy)
        indexfiles.update_search_index(site, [("g/2.bin", b"2"), ("t/0.txt", b"t"), ("meta.json", b"n")])
    assert sorted(written) == ["search/g/2.bin", "search/meta.json"] and not staged_search(site).exists()
    assert files_under(site / "search") == {"index.html": "检索页".encode(), "g/2.bin": b"2", "t/0.txt": b"t",
                                            "meta.json": b"n"}
    indexfiles.install_search_index(site)  # nothing staged: nothing moved
    assert files_under(site / "search")["meta.json"] == b"n"
    indexfiles.forget_search_index(site)  # as a stopped build leaves it
    indexfiles.update_search_index(site, [("g/2.bin", b"2"), ("t/1.txt", b"u"), ("meta.json", b"n")])
    assert files_under(staged_search(site)) == {"g/2.bin": b"2", "t/1.txt": b"u", "meta.json": b"n"}
    indexfiles.install_search_index(site)
    assert files_under(site / "search") == {"index.html": "检索页".encode(), "g/2.bin": b"2", "t/1.txt": b"u",
                                            "meta.json": b"n"}


def test_an_index_file_that_cannot_be_written_stops_the_build_with_the_error(tmp_path):
    """The files are written by another thread: its error reaches the build, which does not wait for ever."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    indexfiles.write_search_index(site, {"meta.json": b"m"})
    (site / "search" / "g").write_bytes(b"not a folder")
    with pytest.raises(OSError):
        indexfiles.update_search_index(site, [(f"g/{n}.bin", b"x") for n in range(3 * indexfiles.WRITE_AHEAD)])
