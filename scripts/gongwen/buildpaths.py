"""Where a build puts things: the one description of the generated paths.

Used by ``gongwen build`` and ``gongwen clean`` (``corpus.py``), the MkDocs hook, the
benchmarks and ``scripts/scale_check.py``.  A build of ``--site S`` keeps its work
folder beside it, ``S/../.gongwen/<name of S>/``:

- ``docs/``: the generated pages (the paths in :data:`GENERATED`), written only when
  their text changed, so that MkDocs' dirty build rebuilds only what changed; the
  hook adds them to the site as if they were in ``docs/``, which stays hand-written;
- ``reports.pickle``: parsed reports by source bytes, sidecar and program version;
- ``fronts.pickle``: each report page's front matter block, checked, by its data (``siteplan.FrontMatters``);
- ``search.pickle``: each report's search key and postings entries, the phrase-list sample's counts
  (``search/memo.py``), so that a rebuild indexes only the reports that changed;
- ``search/``: the search index, written before MkDocs runs (so that the reports can leave memory first)
  and moved into ``S/search/`` after it;
- ``stamp``: what the pages of ``S`` were built with besides their sources
  (configuration, theme overrides, hand-written pages, program); when it differs
  the next build is a clean one.
"""

from __future__ import annotations

from pathlib import Path

#: Top-level paths of the generated pages (inside the site's virtual docs/).
GENERATED = ("index.md", "reports", "api", "bureaus", "years", "regions", "doc-numbers", "tags", "feed.xml",
             "publication")
#: Folder (beside the site folder) that holds every site's work folder.
WORK_ROOT = ".gongwen"
#: Environment variable by which ``gongwen build`` tells the MkDocs hook where the generated pages are.
GENERATED_DOCS_ENV = "GONGWEN_GENERATED_DOCS"


def is_generated(uri: str) -> bool:
    """Whether a path inside docs/ belongs to the generated pages (``reports/…``, ``index.md``…)."""
    return uri.split("/", 1)[0] in GENERATED


def work_dir(site_dir: Path) -> Path:
    return site_dir.absolute().parent / WORK_ROOT / site_dir.absolute().name


def generated_docs(site_dir: Path) -> Path:
    return work_dir(site_dir) / "docs"


def report_cache(site_dir: Path) -> Path:
    return work_dir(site_dir) / "reports.pickle"


def front_matter_memo(site_dir: Path) -> Path:
    return work_dir(site_dir) / "fronts.pickle"


def search_memo(site_dir: Path) -> Path:
    return work_dir(site_dir) / "search.pickle"


def staged_search(site_dir: Path) -> Path:
    return work_dir(site_dir) / "search"


def build_stamp(site_dir: Path) -> Path:
    return work_dir(site_dir) / "stamp"


def output_path(uri: str) -> str:
    """Where MkDocs (``use_directory_urls: true``) writes the file built from ``uri``."""
    if not uri.endswith(".md"):
        return uri
    stem = uri.removesuffix(".md")
    return "index.html" if stem == "index" else stem.removesuffix("index") + "index.html" if stem.endswith("/index") \
        else f"{stem}/index.html"
