"""With ``memos.py`` (the build's memos) and ``indexfiles.py`` (the search index's files), the module that touches
the file system: read the corpus, write the site and the work folder, run MkDocs.

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
import threading
from dataclasses import replace
from pathlib import Path, PurePosixPath


from .buildpaths import (GENERATED_DOCS_ENV, build_stamp, generated_docs, is_generated, linked_pages,
                         page_dates, province_exports, work_dir)
from .harvested import PROVENANCE_NAME
from .pipeline import SourceFile

#: Sidecar files carry metadata for the corpus file they are named after.
SIDECAR_SUFFIX = ".meta.yml"


def scan_corpus(root: Path, within: Path | None = None, only: set[str] | None = None) -> tuple[list[SourceFile], list[str]]:
    """Every file under ``root`` (any depth; hidden folders such as ``.git`` skipped) with its sidecar; orphan sidecars.
    ``within``: only the files under this folder of ``root`` (one province's), their paths still relative to ``root``;
    ``only``: only these files (paths relative to ``root``) and their sidecars (one province job's, ``provincejobs.py``).

    A hidden file (``.DS_Store``) is a source like any other, so that ``gongwen check`` lists it.
    """
    files = _listed(root, within or root, only) if only is not None else \
        sorted(p for p in (within or root).rglob("*") if p.is_file() and not _hidden(p.relative_to(root)))
    sidecars = {p for p in files if p.name.endswith(SIDECAR_SUFFIX)}
    provenance = {p.parent: p.read_bytes() for p in files if p.name == PROVENANCE_NAME}  # gongwen harvest's
    used: set[Path] = set()
    sources = []
    for path in (p for p in files if p not in sidecars and p.name != PROVENANCE_NAME):
        sidecar_path = _sidecar_for(path, sidecars)
        used.add(sidecar_path) if sidecar_path else None
        sources.append(replace(_source_file(root, path, sidecar_path), provenance=provenance.get(path.parent)))
    orphans = [p.relative_to(root).as_posix() for p in sorted(sidecars - used)]
    return sources, orphans


def _listed(root: Path, within: Path, only: set[str]) -> list[Path]:
    """The files of ``only`` (paths relative to ``root``) under ``within``, their sidecars and their folders'
    provenance, looked up by name: a province job lists a thirtieth of the corpus, and walking all of it took 2 s
    of a one-report rebuild at 100,000 files.  A path that leaves the corpus (``..``, absolute) is never read."""
    inside = {path for path in only if not PurePosixPath(path).is_absolute() and ".." not in PurePosixPath(path).parts}
    named = {root / path for path in _with_sidecars(inside)} | {(root / path).parent / PROVENANCE_NAME for path in inside}
    return sorted(p for p in named if p.is_relative_to(within) and not _hidden(p.relative_to(root)) and p.is_file())


def _with_sidecars(paths: set[str]) -> set[str]:
    """The files and the names their sidecars may have (``_sidecar_names``)."""
    return paths | {name for path in paths for name in _sidecar_names(path)}


def count_sources(root: Path) -> int:
    """How many files the corpus holds besides sidecars (without reading them): whether a build is large."""
    return sum(1 for path in _corpus_files(root) if not path.endswith(SIDECAR_SUFFIX))


def _corpus_files(root: Path) -> dict[str, os.stat_result]:
    """The files ``scan_corpus`` reads (relative POSIX path → its ``stat``), hidden folders skipped, listed by
    ``os.scandir`` (``rglob`` and ``is_file`` took 1.1 s of 100,000 files)."""
    return files_under(root, skip=lambda folder: folder.rpartition("/")[2].startswith("."))


def source_signatures(root: Path) -> tuple[dict[str, tuple], list[str]]:
    """Each corpus file (``scan_corpus``'s sources, by relative path) with what tells, without reading it, that
    neither it, nor its sidecar, nor its folder's provenance changed: their names, sizes, times and inodes (a
    write changes the inode's ``ctime``, which no program sets; as ``git``'s index knows files).  And the orphan
    sidecars.  A large build's sort step reads only the files whose signature it has not seen
    (``provincejobs.sort_corpus``: reading 100,000 files took 4 of its 5 s)."""
    files = _corpus_files(root)
    stamp = {path: (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino) for path, stat in files.items()}
    used, signatures = set(), {}
    for path in sorted(files):
        name = path.rpartition("/")[2]
        if name.endswith(SIDECAR_SUFFIX) or name == PROVENANCE_NAME:
            continue
        sidecar = next((c for c in _sidecar_names(path) if c in stamp), None)
        used.add(sidecar)
        provenance = f"{path.rpartition('/')[0]}/{PROVENANCE_NAME}".lstrip("/")
        signatures[path] = (path, stamp[path], sidecar, stamp.get(sidecar), stamp.get(provenance))
    return signatures, sorted(p for p in files if p.endswith(SIDECAR_SUFFIX) and p not in used)


def _sidecar_names(path: str) -> tuple[str, str]:
    """``_sidecar_for``'s two names for a relative path: ``NAME.txt.meta.yml``, then ``NAME.meta.yml``."""
    pure = PurePosixPath(path)
    return f"{path}{SIDECAR_SUFFIX}", pure.with_name(pure.stem + SIDECAR_SUFFIX).as_posix()


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


def sync_folder(folder: Path, files: dict[str, str | bytes], manifest: Path) -> list[str]:
    """Make ``folder`` hold exactly ``files`` (path → text or bytes), writing only files whose bytes
    differ, so that unchanged files keep their times.  Returns the paths that were removed.

    ``manifest`` keeps each written file's size, time and digest: a file whose size and time are those it
    records is known by its digest, not read back (reading 44,000 pages back took 10 s at 10,000 reports)."""
    present = files_under(folder)
    removed = sorted(set(present) - set(files))
    remove_outputs(folder, removed)
    known = load_manifest(manifest)
    manifest.unlink(missing_ok=True)  # until the folder is as the new one says
    written = {}
    for path, text in files.items():
        data = text.encode("utf-8") if isinstance(text, str) else text  # one at a time: not a second copy of the site
        digest = content_digest(data)
        target = folder / path
        stat = present.get(path)
        if stat is None or known.get(path) != [stat.st_size, stat.st_mtime_ns, digest]:
            if stat is None or stat.st_size != len(data) or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            stat = target.stat()
        written[path] = [stat.st_size, stat.st_mtime_ns, digest]
    manifest.write_text(json.dumps(written, sort_keys=True), encoding="utf-8")
    return removed


def files_under(folder: Path, skip=None) -> dict[str, os.stat_result]:
    """Every file under ``folder`` (relative POSIX path → its ``stat``); ``os.scandir``, not ``rglob`` + ``stat``.
    ``skip``: given a folder's relative path, whether to leave it out."""
    found, pending = {}, [("", str(folder))] if folder.is_dir() else []
    while pending:
        prefix, where = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if skip is None or not skip(prefix + entry.name):
                        pending.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    found[prefix + entry.name] = entry.stat()
    return found


def content_digest(data: bytes) -> str:
    """What a manifest records of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_page_dates(site_dir: Path, dates: dict) -> None:
    page_dates(generated_docs(site_dir)).write_text(json.dumps(dates, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def hand_written_pages(config: Path) -> tuple[str, ...]:
    """The hand-written pages of a site (``docs/`` beside its configuration), for the national sitemap."""
    docs = config.parent / "docs"
    found = (p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if docs.is_dir() else ()
    return tuple(sorted(uri for uri in found if not is_generated(uri)))


def file_sizes(folder: Path, skip=None) -> dict[str, int]:
    """Every file of a built site (relative path → bytes), for the cap on a file's size; ``skip``: folders left
    out (``files_under``)."""
    return {path: stat.st_size for path, stat in files_under(folder, skip).items()}


def write_linked_pages(site_dir: Path, pages: list[str] | None) -> None:
    """The province pages the national step links to (``None``: not the national step, no such list)."""
    listed = linked_pages(generated_docs(site_dir))
    listed.unlink(missing_ok=True)
    if pages is not None:
        listed.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")


def save_province_export(site_dir: Path, partition: str, export) -> Path:
    """A province build's part of the national step, ``national-input/<province>.pickle`` in its work folder."""
    path = province_exports(site_dir) / f"{partition}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".partial").open("wb") as stream:
        pickle.dump(export, stream, protocol=pickle.HIGHEST_PROTOCOL)
    path.with_suffix(".partial").replace(path)
    return path


def load_province_exports(folder: Path, later: tuple[str, ...] = (), ready=None) -> list:
    """Every ``*.pickle`` under ``folder`` (the provinces' exports gathered for the national step), in the order of
    their paths.  ``later``: provinces whose exports are loaded after ``ready()`` returns, the others meanwhile (a
    split build starts its national step beside the province jobs still running: ``provincejobs.py``)."""
    waiting = {f"{slug}.pickle" for slug in later}
    loaded = {path: _unpickled(path) for path in _exports_in(folder) if path.name not in waiting}
    if waiting:
        ready()
        loaded |= {path: _unpickled(path) for path in _exports_in(folder) if path not in loaded}
    if not loaded:
        raise SystemExit(f"gongwen：{folder} 中没有分省生成结果（*.pickle）；先运行各省的 gongwen build --province，"
                         "把各省工作文件夹中 national-input/ 下的文件收集到这里。")
    return [loaded[path] for path in sorted(loaded)]


def _exports_in(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pickle")) if folder.is_dir() else []


def _unpickled(path: Path):
    with path.open("rb") as stream:
        return pickle.load(stream)


def read_ahead(paths: list[Path]) -> threading.Thread:
    """Ask the kernel to read these files into its page cache, in the background (``posix_fadvise``'s
    ``WILLNEED``), while the build does something else: the national step of a one-report rebuild at 100,000
    reports spent 16 s reading the provinces' 1.6 GB of exports from disk, and the search index its year parts."""
    def advise():
        for path in paths:
            try:
                with path.open("rb") as stream:
                    os.posix_fadvise(stream.fileno(), 0, 0, os.POSIX_FADV_WILLNEED)
            except OSError:  # gone meanwhile, or a system without the call: only slower
                continue
    thread = threading.Thread(target=advise, daemon=True)
    thread.start()
    return thread


def remove_outputs(folder: Path, paths: list[str]) -> None:
    """Delete files (paths inside ``folder``), and the folders that this leaves empty."""
    for path in paths:
        (folder / path).unlink(missing_ok=True)
    for parent in sorted({(folder / path).parent for path in paths}, key=lambda p: len(p.parts), reverse=True):
        while parent != folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def program_version() -> str:
    """A digest of the program: every file of the ``gongwen`` package (code and data) and the
    versions of MkDocs and its theme.  A new version re-parses every report and rebuilds every page."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('mkdocs')} {version('mkdocs-material')} {version('pyyaml')}".encode())
    package = Path(__file__).resolve().parent  # not resources.files: a namespace package's path has no usable str
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


#: The environment variable from which ``mkdocs.yml`` takes the site's address (``site_url``).
SITE_URL_ENV = "GONGWEN_SITE_URL"


def site_stamp(config: Path, program: str) -> str:
    """What every page of a site depends on besides its own source: the program, the configuration,
    the theme overrides and the hand-written pages (their titles are in every page's navigation); and the
    site's address, which ``mkdocs.yml`` reads from the environment (every page's canonical link, meta
    tags and printed QR code hold it)."""
    root = config.parent
    digest = hashlib.sha256(program.encode() + config.read_bytes())
    digest.update(b"\0site_url\0" + os.environ.get(SITE_URL_ENV, "").encode())
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


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def read_json(path: Path, default=None):
    """A file ``write_json`` wrote, or ``default`` when there is none (or it is damaged)."""
    found = load_manifest(path)
    return found if found or path.is_file() else default


def link_subtrees(site_dir: Path, parts: dict[str, Path], part_of, changed: set[str] | None = None,
                  may_hold=lambda folder: True) -> None:
    """Make ``site_dir``'s files of each part (``part_of(path)``, None for the rest) those of the part's own
    site ``parts[name]``: hard links (a copy across file systems), changed ones only; files of parts no longer
    there, or gone from their part's site, removed.  Files of no part are left as they are.  ``changed``: the
    parts whose sites may differ from what was linked last (None: any); another part's files, when the site
    holds some, are left as linked, neither its site nor its own folders in ``site_dir`` walked again (at 100,000
    reports these walks were most of this step).  ``may_hold(folder)``: whether a folder may hold a part's file
    (the others are not walked)."""
    kept, seen = set(parts) - (changed if changed is not None else set(parts)), set()

    def skip(folder: str) -> bool:
        if not may_hold(folder):
            return True
        if (part := part_of(folder + "/index.html")) in kept:  # a folder wholly of a part left as linked
            seen.add(part)
            return True
        return False

    present: dict[str, dict[str, os.stat_result]] = {}
    for path, stat in files_under(site_dir, skip).items():
        if (part := part_of(path)) is not None:
            present.setdefault(part, {})[path] = stat
    remove_outputs(site_dir, sorted(path for part, files in present.items() if part not in parts for path in files))
    for name, folder in parts.items():
        have = present.get(name, {})
        if name in kept and (have or name in seen):
            continue
        wanted = {path: stat for path, stat in files_under(folder).items() if part_of(path) == name}
        remove_outputs(site_dir, sorted(set(have) - set(wanted)))
        for path, stat in wanted.items():
            found = have.get(path)
            if found is not None and (found.st_ino, found.st_dev) == (stat.st_ino, stat.st_dev):
                continue
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            try:
                os.link(folder / path, target)
            except OSError:
                shutil.copy2(folder / path, target)