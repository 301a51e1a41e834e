"""The one module that touches the file system: read the corpus, write docs/, run MkDocs.

``corpus/`` is never written to.  Generated files live only in the paths
listed in :data:`GENERATED`, which each build removes and writes anew, so a
report taken out of the corpus disappears from the site too.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .browse.extras import originals as published_originals
from .datafiles import load_id_history, load_vocabulary
from .index import report_page, report_pages, site_pages
from .model import Report, validate_front_matter
from .pipeline import BuildResult, SourceFile

#: Sidecar files carry metadata for the corpus file they are named after.
SIDECAR_SUFFIX = ".meta.yml"
#: Paths under docs/ that the build owns; hand-written pages live elsewhere.
GENERATED = ("index.md", "reports", "api", "bureaus", "years", "regions", "doc-numbers", "tags", "feed.xml",
             "publication")


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


def write_docs(docs_dir: Path, result: BuildResult, corpus_dir: Path | None = None) -> list[str]:
    """Replace the generated part of ``docs/`` with pages for ``result``; check each report page's front matter.

    With ``corpus_dir``, each report's original file is published beside its page, byte for byte.
    Returns the id history's problems (lines for the validation report); an ERROR among them stops the build.
    """
    for name in GENERATED:
        target = docs_dir / name
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    files = {r.id: published_originals(r) for r in result.reports} if corpus_dir else {}
    sizes = {source: (corpus_dir / source).stat().st_size for found in files.values() for source, _, _ in found}
    for path, text in report_pages(result.reports, sizes).items():
        _write(docs_dir / path, text)
    for report in result.reports:
        _check_page(docs_dir / report_page(report))
        for source, name, _ in files.get(report.id, []):  # every original of the report, byte for byte
            shutil.copyfile(corpus_dir / source, docs_dir / "reports" / report.id / name)
    pages, problems = site_pages(result.reports, load_vocabulary(), load_id_history())
    if any(p.startswith("错误") for p in problems):
        raise SystemExit("gongwen：" + "；".join(problems))
    for path, text in pages.items():
        _write(docs_dir / path, text)
    return problems


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def _check_page(page: Path) -> None:
    """Read a written page back and validate its front matter against the schema."""
    _, front, _ = page.read_text(encoding="utf-8").split("---\n", 2)
    validate_front_matter(yaml.safe_load(front), str(page))


def build_date(reports: list[Report]) -> dt.date:
    """A date for the site's timestamps that depends on the corpus only (reproducible builds)."""
    dates = [d for r in reports for d in (r.date_printed, r.date_signed) if d]
    return max(dates) if dates else dt.date(max((r.year for r in reports), default=2000) + 1, 1, 1)


def run_mkdocs(config: Path, site_dir: Path, when: dt.date) -> None:
    """``mkdocs build --strict`` into ``site_dir``; raises if MkDocs reports any warning."""
    epoch = int(dt.datetime.combine(when, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    env = os.environ | {"SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q",
               "-f", str(config), "-d", str(site_dir.resolve())]
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
    """Replace ``site/search/`` data (not the page) with the search index files."""
    for name in ("g", "d", "t", "meta.json", "filters.json"):
        target = site_dir / "search" / name
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    for name, data in sorted(files.items()):
        path = site_dir / "search" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def copy_site_config(root: Path, where: Path) -> Path:
    """A scratch copy of a project's site configuration (mkdocs.yml, overrides, hand-written docs, hooks).

    For building another corpus with the same site, as the tests and the benchmark do; the
    generated paths of ``docs/`` are left out (only at its top: ``docs/search/index.md`` is
    hand-written).  Returns the copy's ``mkdocs.yml``.
    """
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(root / "overrides", where / "overrides", dirs_exist_ok=True)
    shutil.copytree(root / "docs", where / "docs", dirs_exist_ok=True,
                    ignore=lambda folder, names: set(GENERATED) & set(names) if Path(folder) == root / "docs" else set())
    hooks = where / "scripts" / "gongwen"
    hooks.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "scripts" / "gongwen" / "mkdocs_hooks.py", hooks / "mkdocs_hooks.py")
    return where / "mkdocs.yml"


def write_validation_report(path: Path, text: str) -> None:
    """The full validation report of a build, for the maintainer to read (``gongwen build --report``)."""
    _write(path, text)
