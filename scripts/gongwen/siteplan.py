"""The build as one plan, pure: the reports of a corpus → every generated file of the site.

Read top to bottom, ``gongwen build`` is (``cli.py``; steps 1–5 in ``buildstep.py``):

1. ``corpus.scan_corpus``: the corpus folder → source files (bytes and sidecars);
2. ``pipeline.build_reports``: sources → reports and rejections (a cache skips unchanged files);
3. :func:`plan_site` (here): reports → ``{path inside docs/: text or bytes}``: each report's page,
   its clean text and its original files (one per format of the same report), the browse and tag pages, feed and data files;
   each report page's front matter checked against the schema in memory;
4. ``corpus.sync_folder``: the plan → the work folder, writing only files whose bytes changed;
5. ``search.builder.index_files`` → ``indexfiles.stage_search_index``: the search index, into the work folder,
   from each report's entries (``search/memo.py`` keeps those of the last build: only changed reports are redone);
6. ``corpus.run_mkdocs``: MkDocs, dirty (only changed pages) when nothing else changed;
7. ``indexfiles.install_search_index``: the staged index moved into the site.

Steps 1–5 run in a child process.  In a full build it finishes before MkDocs starts, so that the reports and
MkDocs' pages are never in memory at the same time; in a rebuild (MkDocs reads only the changed pages) step 5
runs beside step 6, on the other core.  The reports' text leaves memory before step 5.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Callable

import yaml

from .browse.extras import originals as published_originals
from .datafiles import load_id_history, load_vocabulary
from .index import report_page, report_pages, site_pages
from .messages import SiteProblem
from .model import Report, validate_front_matter
from .buildpaths import output_path
from .partition import (MAX_FILE_BYTES, NATIONAL_SITEMAP, by_partition, data_files, page_url, partition_of,
                        province_sitemaps, sitemap, sitemap_index)
from .pipeline import BuildResult
from .render import front_matter_yaml

#: PyYAML's C loader when libyaml is there (it is with the pinned wheels); same results, ~10× faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class SitePlan:
    """The generated part of the site, and the id history's problems (lines of the validation report)."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    problems: list[SiteProblem] = field(default_factory=list)
    dates: dict[str, dict[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Publishing:
    """What the plan needs to know of the site besides the reports: its address (``GONGWEN_SITE_URL``, for
    the sitemaps; ``/`` when unknown), the hand-written pages (``docs/``, in the national sitemap) and the cap
    on a file's size (the whole country's data files are left out beyond it)."""

    base: str = "/"
    hand_written: tuple[str, ...] = ()
    cap: int = MAX_FILE_BYTES


def plan_site(result: BuildResult, originals: dict[str, bytes], known: ReportPages | None = None,
              publishing: Publishing = Publishing()) -> SitePlan:
    """Every generated file; ``originals``: corpus path → bytes of each report's original file; ``known``:
    the report pages of the last build (``ReportPages``), updated.

    Raises ``SystemExit`` when the id history has an ERROR (a redirect would hide a report)."""
    reports = result.reports
    sizes = {source: len(data) for source, data in originals.items()}
    files: dict[str, str | bytes] = dict(report_pages(reports, sizes, checked_front, known.page if known else None))
    for report in reports:
        for source, name, _ in published_originals(report):  # every original of the report, byte for byte
            if source in originals:
                files[f"reports/{report.id}/{name}"] = originals[source]
    pages, problems = site_pages(reports, load_vocabulary(), load_id_history())
    if any(p.is_error for p in problems):
        raise SystemExit("gongwen：" + "；".join(problems))
    files |= pages | data_files(reports, publishing.cap)
    files |= sitemap_files(sorted(p for p in files if p.endswith(".md")), reports, publishing)
    return SitePlan(dict(sorted(files.items())), problems, page_dates(reports))


def sitemap_files(pages: list[str], reports: list[Report], publishing: Publishing) -> dict[str, str]:
    """``sitemap.xml``, a sitemap index: the national pages' sitemap and one per province (more than one when a
    province has over 50,000 pages).  A report page's date is its 印发/成文 date; any other page's, the latest
    such date of its province's reports (of all reports for a national page), so that a province's sitemap
    depends on its own reports only."""
    from .mkdocs_hooks import RELOCATED  # where MkDocs puts the design notes

    dated = {report_page(r): str(r.date_printed or r.date_signed) for r in reports if r.date_printed or r.date_signed}
    latest = {slug: build_date(own).isoformat() for slug, own in by_partition(reports).items()}
    national = build_date(reports).isoformat()
    entries: dict[str | None, list[tuple[str, str]]] = {slug: [] for slug in latest} | {None: []}
    for page in pages:
        slug = partition_of(page)
        entries[slug].append((page_url(output_path(page)), dated.get(page) or latest.get(slug, national)))
    for page in publishing.hand_written:
        entries[None].append((page_url(RELOCATED.get(page) or output_path(page)), national))
    files = {NATIONAL_SITEMAP: sitemap(sorted(entries.pop(None)), publishing.base)}
    for slug, own in entries.items():
        files |= province_sitemaps(slug, sorted(own), publishing.base)
    days = {name: latest.get(partition_of(name), national) for name in files}
    files["sitemap.xml"] = sitemap_index(sorted(days.items()), publishing.base)
    return files


#: The front matter fields of a report page that the sitemap shows (``overrides/sitemap.xml``).
SITEMAP_FIELDS = ("date_printed", "date_signed")


def page_dates(reports: list[Report]) -> dict[str, dict[str, str | None]]:
    """Each report page's sitemap fields, as its front matter has them (``mkdocs_hooks.on_env``)."""
    return {report_page(r): {name: str(getattr(r, name)) if getattr(r, name) else None for name in SITEMAP_FIELDS}
            for r in reports}


def check_front_matter(report: Report, page: str) -> None:
    """The front matter as MkDocs will read it (YAML between the first two ``---``) fits the schema."""
    _, front, _ = page.split("---\n", 2)
    validate_front_matter(yaml.load(front, Loader=YAML_LOADER), report_page(report))


def checked_front(report: Report) -> str:
    """The report page's front matter block, checked against the schema as MkDocs will read it."""
    block = front_matter_yaml(report)
    check_front_matter(report, block)
    return block


@dataclass
class ReportPages:
    """Each report page, by a digest of what it is made of: the report, the same bureau's reports of the
    years before and after it (the timeline links and the comparison with the previous year) and the sizes
    of its originals.  The rest of a page is the program's, and a new program starts an empty memo
    (``memos.load_memo``).  Rendering every page took 12 s of a rebuild at 10,000 reports; ``corpus.py``
    saves :attr:`used`, so pages of reports no longer in the corpus drop out."""

    stored: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)
    digests: dict[int, tuple[Report, bytes]] = field(default_factory=dict)  # id() → (the report, its digest)

    def page(self, report: Report, before: Report | None, after: Report | None, sizes: dict[str, int],
             render: Callable[[], str]) -> str:
        digest = hashlib.sha256(self._digest(report) + self._digest(before) + self._digest(after))
        digest.update(repr(sorted(sizes.items())).encode("utf-8"))
        key = digest.hexdigest()
        if key not in self.stored:
            self.stored[key] = render()
        self.used[key] = self.stored[key]
        return self.used[key]

    def _digest(self, report: Report | None) -> bytes:
        if report is None:
            return bytes(32)
        found = self.digests.get(id(report))  # each report is the neighbour of up to two others: digested once
        if found is None or found[0] is not report:  # every field, the body included (pydantic's JSON, in Rust)
            digest = hashlib.sha256(report.__pydantic_serializer__.to_json(report)).digest()
            found = self.digests[id(report)] = (report, digest)
        return found[1]


def build_date(reports: list[Report]) -> dt.date:
    """A date for the site's timestamps that depends on the corpus only (reproducible builds)."""
    dates = [d for r in reports for d in (r.date_printed, r.date_signed) if d]
    return max(dates) if dates else dt.date(max((r.year for r in reports), default=2000) + 1, 1, 1)
