"""The one module that touches the file system: read the corpus, write the work folder, run MkDocs.

``corpus/`` is never written to, and neither is the hand-written ``docs/``: generated
pages go to the build's work folder (``buildpaths.py``), beside the site folder, and
only the files whose bytes changed are written, so that a second build redoes only
what changed.  No decisions about the site are made here (``siteplan.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import zlib
from importlib import resources
from pathlib import Path


from .buildpaths import (GENERATED_DOCS_ENV, build_stamp, generated_docs, is_generated, page_dates, staged_search,
                         work_dir)
from .pipeline import SourceFile

#: Sidecar files carry metadata for the corpus file they are named after.
SIDECAR_SUFFIX = ".meta.yml"


def scan_corpus(root: Path) -> tuple[list[SourceFile], list[str]]:
    """Every file under ``root`` (any depth; hidden folders such as ``.git`` skipped) with its sidecar; orphan sidecars.

    A hidden file (``.DS_Store``) is a source like any other, so that ``gongwen check`` lists it.
    """
    files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p.relative_to(root)))
    sidecars = {p for p in files if p.name.endswith(SIDECAR_SUFFIX)}
    used: set[Path] = set()
    sources = []
    for path in (p for p in files if p not in sidecars):
        sidecar_path = _sidecar_for(path, sidecars)
        used.add(sidecar_path) if sidecar_path else None
        sources.append(_source_file(root, path, sidecar_path))
    orphans = [p.relative_to(root).as_posix() for p in sorted(sidecars - used)]
    return sources, orphans


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts[:-1])


def _sidecar_for(path: Path, sidecars: set[Path]) -> Path | None:
    """``NAME.txt.meta.yml`` or ``NAME.meta.yml`` beside ``NAME.txt``."""
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)):
        if candidate in sidecars:
            return candidate
    return None


def _source_file(root: Path, path: Path, sidecar_path: Path | None) -> SourceFile:
    relative = path.relative_to(root).as_posix()
    if sidecar_path is None:
        return SourceFile(relative, path.read_bytes())
    name = sidecar_path.relative_to(root).as_posix()  # checked line by line in sidecar.py
    return SourceFile(relative, path.read_bytes(), sidecar_name=name, sidecar_bytes=sidecar_path.read_bytes())


def run_mkdocs(config: Path, site_dir: Path, when: dt.date, dirty: bool) -> None:
    """``mkdocs build --strict`` into ``site_dir``, with the generated pages of the work folder
    (mkdocs_hooks.py adds them); ``dirty``: rebuild only pages whose source is newer than their output."""
    epoch = int(dt.datetime.combine(when, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    env = os.environ | {"SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1",
                        GENERATED_DOCS_ENV: str(generated_docs(site_dir))}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--dirty" if dirty else "--clean", "-q",
               "-f", str(config), "-d", str(site_dir.absolute())]
    subprocess.run(command, check=True, env=env)


def read_files(paths: list[Path]) -> list[SourceFile]:
    """Named files (outside or inside a corpus), each with its sidecar if one lies beside it."""
    sources = []
    for path in paths:
        sidecars = {p for p in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)) if p.is_file()}
        sources.append(_source_file(path.parent, path, _sidecar_for(path, sidecars)))
    return sources


def write_texts(folder: Path, files: list[tuple[str, str]]) -> None:
    """Write generated text files (synthetic corpora); never used on ``corpus/``'s own files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8", newline="\n")


def write_search_index(site_dir: Path, files: dict[str, bytes]) -> None:
    """Replace ``site/search/`` data with the search index files (``stage_search_index`` then
    ``install_search_index``)."""
    stage_search_index(site_dir, files)
    install_search_index(site_dir)


def stage_search_index(site_dir: Path, files: dict[str, bytes]) -> None:
    """Write the search index files into the build's work folder, to be moved into the site after MkDocs."""
    staged = staged_search(site_dir)
    shutil.rmtree(staged, ignore_errors=True)
    for name, data in sorted(files.items()):
        path = staged / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def install_search_index(site_dir: Path) -> None:
    """Move the staged index into ``site/search/``.  Each top-level file or folder the index writes is removed
    whole first, so that a shard of an earlier build that this one lacks does not survive an incremental build;
    anything else there (the page, another search's files in the benchmark) stays."""
    staged = staged_search(site_dir)
    target_dir = site_dir / "search"
    target_dir.mkdir(parents=True, exist_ok=True)
    for entry in sorted(staged.iterdir()):
        target = target_dir / entry.name
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
        entry.replace(target)
    staged.rmdir()


def copy_site_config(root: Path, where: Path) -> Path:
    """A scratch copy of a project's site configuration (mkdocs.yml, overrides, hand-written docs, hooks).

    For building with the same site elsewhere, as the tests and the benchmarks do; pages that a
    build before generated pages moved out of ``docs/`` may have left there are not copied.
    Returns the copy's ``mkdocs.yml``.
    """
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(root / "overrides", where / "overrides", dirs_exist_ok=True)
    shutil.copytree(root / "docs", where / "docs", dirs_exist_ok=True,
                    ignore=lambda folder, names: {n for n in names if is_generated(n)} if Path(folder) == root / "docs" else set())
    hooks = where / "scripts" / "gongwen"
    hooks.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "scripts" / "gongwen" / "mkdocs_hooks.py", hooks / "mkdocs_hooks.py")
    return where / "mkdocs.yml"


def write_validation_report(path: Path, text: str) -> None:
    """The full validation report of a build, for the maintainer to read (``gongwen build --report``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def sync_folder(folder: Path, files: dict[str, str | bytes]) -> list[str]:
    """Make ``folder`` hold exactly ``files`` (path → text or bytes), writing only files whose bytes
    differ, so that unchanged files keep their times.  Returns the paths that were removed."""
    present = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else {}
    removed = sorted(set(present) - set(files))
    remove_outputs(folder, removed)
    for path, text in files.items():
        data = text.encode("utf-8") if isinstance(text, str) else text  # one at a time: not a second copy of the site
        target = folder / path
        if path in present and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return removed


def write_page_dates(site_dir: Path, dates: dict) -> None:
    page_dates(generated_docs(site_dir)).write_text(json.dumps(dates, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def remove_outputs(folder: Path, paths: list[str]) -> None:
    """Delete files (paths inside ``folder``), and the folders that this leaves empty."""
    for path in paths:
        (folder / path).unlink(missing_ok=True)
    for parent in sorted({(folder / path).parent for path in paths}, key=lambda p: len(p.parts), reverse=True):
        while parent != folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


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


def program_version() -> str:
    """A digest of the program: every file of the ``gongwen`` package (code and data) and the
    versions of MkDocs and its theme.  A new version re-parses every report and rebuilds every page."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('mkdocs')} {version('mkdocs-material')} {version('pyyaml')}".encode())
    package = Path(str(resources.files(__package__)))
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def site_stamp(config: Path, program: str) -> str:
    """What every page of a site depends on besides its own source: the program, the configuration,
    the theme overrides and the hand-written pages (their titles are in every page's navigation)."""
    root = config.parent
    digest = hashlib.sha256(program.encode() + config.read_bytes())
    for folder in (root / "overrides", root / "docs"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def built_with(site_dir: Path) -> str:
    """The stamp of the previous build of ``site_dir`` ("" when there is none or its output is gone)."""
    stamp = build_stamp(site_dir)
    return stamp.read_text(encoding="utf-8") if stamp.is_file() and (site_dir / "index.html").is_file() else ""


def record_build(site_dir: Path, stamp: str) -> None:
    build_stamp(site_dir).write_text(stamp, encoding="utf-8")


def forget_build(site_dir: Path) -> None:
    """Before a build: a build that stops half-way must not be taken for a finished one."""
    build_stamp(site_dir).unlink(missing_ok=True)


def clean(site_dir: Path, docs_dir: Path) -> list[Path]:
    """Remove a site, its work folder, and pages that builds before the work folder left in ``docs_dir``."""
    targets = [site_dir, work_dir(site_dir)]
    targets += [p for p in sorted(docs_dir.iterdir()) if is_generated(p.name)] if docs_dir.is_dir() else []
    for target in targets:
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    return targets
