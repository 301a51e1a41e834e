"""Where a build puts things: the one description of the generated paths.

Used by ``gongwen build`` and ``gongwen clean`` (``corpus.py``), the MkDocs hook, the
benchmarks and ``scripts/scale_check.py``.  A build of ``--site S`` keeps its work
folder beside it, ``S/../.gongwen/<name of S>/``:

- ``docs/``: the generated pages (the paths in :data:`GENERATED`), written only when
  their text changed, so that MkDocs' dirty build rebuilds only what changed; the
  hook adds them to the site as if they were in ``docs/``, which stays hand-written;
- ``reports/``: parsed reports by source bytes, sidecar and program version;
- ``ocr/``: what OCR recognised on scanned pages, by the file's SHA-256 and the recogniser's version
  (``reportcache.OcrMemo``), kept across program versions: OCR takes seconds a page;
- ``dates.json``: each report page's 印发/成文 dates, which the MkDocs hook gives the sitemap for the pages a
  dirty build does not read (reading their front matter took half of a dirty MkDocs run at 10,000 reports);
- ``docs-manifest.json``: each generated page's size, time and digest as last written, so that a rebuild
  knows an unchanged page by its digest without reading it back (``corpus.sync_folder``);
- ``pages/``: each report page by a digest of what it is made of (``siteplan.ReportPages``);
- ``search-memo/``: each report's search key and the phrase-list sample's counts (``search/memo.py``), so
  that a rebuild indexes only the reports that changed (each of these three memos in 64 files by key,
  ``memos.save_memo``: a rebuild rewrites only the files whose entries changed);
- ``search-entries/``: each report's postings entries, the rest of the search memo, in 64 shards by digest
  read back one report's at a time (``memos.EntryFolder``: not in memory, 2.3 GB at 100,000 reports);
- ``search-spill/``: the search index merge's pieces between its passes (on disk, not in memory; emptied);
- ``search-years/<year>/``: each year's postings (``search/years.py``, ``memos.YearFolder``), by a digest of its
  reports: a rebuild merges again only the years whose reports changed;
- ``search/``: the search index files that differ from those in ``S/search/``, written while or before
  MkDocs runs and moved into ``S/search/`` after it; ``search-manifest.json`` lists the digests of the
  index files in ``S/search/`` (``search-manifest.next.json``: of the staged index);
- ``national-input/<province>.pickle``: what ``--province`` leaves for the national step (``national.py``);
  ``linked.json``: in the national step, the province pages its listings link to (built by the provinces);
- ``validation.json``: in a province's build, its part of the validation report (``validation.Tally``);
- in a large build run by province jobs (``provincejobs.py``): ``province-of/``, each corpus file's province by
  its report cache key (a memo: a rebuild parses only new and changed files to sort them, and puts their reports
  in their province jobs' ``reports/``; ``ocr/`` is the sort step's), ``provinces/<slug>/``
  each province job's site (``site/``, its work folder beside it), list of files (``files.txt``) and inputs'
  digest (``inputs.json``), and ``exports/``, the provinces' exports gathered for the national step;
- ``stamp``: what the pages of ``S`` were built with besides their sources
  (configuration, theme overrides, hand-written pages, program); when it differs
  the next build is a clean one.
"""

from __future__ import annotations

from pathlib import Path

#: Top-level paths of the generated pages (inside the site's virtual docs/).
GENERATED = ("index.md", "reports", "api", "bureaus", "years", "regions", "doc-numbers", "tags", "feed.xml",
             "publication", "sitemap.xml", "sitemaps")
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
    return work_dir(site_dir) / "reports"


def ocr_cache(site_dir: Path) -> Path:
    return work_dir(site_dir) / "ocr"


def page_dates(generated: Path) -> Path:
    """Beside the generated pages ``generated``: each report page's dates, for the sitemap of a dirty build."""
    return generated.parent / "dates.json"


def linked_pages(generated: Path) -> Path:
    """Beside the generated pages ``generated``: pages built elsewhere that they link to (the national step of a
    split build, ``national.py``; absent otherwise)."""
    return generated.parent / "linked.json"


def province_exports(site_dir: Path) -> Path:
    """What a province's build leaves for the national step (``national.ProvinceExport``, one file)."""
    return work_dir(site_dir) / "national-input"


def files_over_cap(site_dir: Path) -> Path:
    """A part of a split build's files over the cap on a file's size (path → bytes), which the build that ran
    the parts reads instead of walking the whole site again."""
    return work_dir(site_dir) / "over-cap.json"


def report_page_memo(site_dir: Path) -> Path:
    return work_dir(site_dir) / "pages"


def listing_memo(site_dir: Path) -> Path:
    """The national step's lists' lines (``browse.listing.RememberedLines``)."""
    return work_dir(site_dir) / "listing-lines"


def docs_manifest(site_dir: Path) -> Path:
    return work_dir(site_dir) / "docs-manifest.json"


def search_manifest(site_dir: Path, staged: bool = False) -> Path:
    """The digests of the index files in the site (``staged``: of the staged index, once installed)."""
    return work_dir(site_dir) / ("search-manifest.next.json" if staged else "search-manifest.json")


def search_memo(site_dir: Path) -> Path:
    return work_dir(site_dir) / "search-memo"


def search_entries(site_dir: Path) -> Path:
    """The search memo's postings entries (``memos.EntryFolder``)."""
    return work_dir(site_dir) / "search-entries"


def search_spill(site_dir: Path) -> Path:
    """The search index merge's pieces between its two passes (``search/postings.py``), emptied as it goes."""
    return work_dir(site_dir) / "search-spill"


def search_years(site_dir: Path) -> Path:
    """Each year's postings, kept for the next build (``memos.YearFolder``)."""
    return work_dir(site_dir) / "search-years"


def search_blocks(site_dir: Path) -> Path:
    """Each block's postings (a province's reports of a year), kept for the next build (``memos.YearFolder``)."""
    return work_dir(site_dir) / "search-blocks"


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


def validation_tally(site_dir: Path) -> Path:
    return work_dir(site_dir) / "validation.json"


def read_signatures(site_dir: Path) -> Path:
    """Each corpus file's report cache key and digest, by what its file system says of it (``corpus.source_signatures``:
    a large build's sort step reads only the files it does not know)."""
    return work_dir(site_dir) / "signatures"


def province_sorting(site_dir: Path) -> Path:
    """Each corpus file's province, by its report cache key (a large build's first step, ``provincejobs.py``)."""
    return work_dir(site_dir) / "province-of"


def province_jobs(site_dir: Path) -> Path:
    """The province jobs of a large build: ``<slug>/site`` each (its own work folder beside it)."""
    return work_dir(site_dir) / "provinces"


def gathered_exports(site_dir: Path) -> Path:
    """The provinces' exports, gathered for the national step of a large build."""
    return work_dir(site_dir) / "exports"
