"""The build as one plan, pure: the reports of a corpus → every generated file of the site.

Read top to bottom, ``gongwen build`` is (``cli.py``):

1. ``corpus.scan_corpus``: the corpus folder → source files (bytes and sidecars);
2. ``pipeline.build_reports``: sources → reports and rejections (a cache skips unchanged files);
3. :func:`plan_site` (here): reports → ``{path inside docs/: text or bytes}``: each report's page,
   its clean text and its original files (one per format of the same report), the browse and tag pages, feed and data files;
   each report page's front matter checked against the schema in memory;
4. ``corpus.sync_folder``: the plan → the work folder, writing only files whose bytes changed;
5. ``search.builder.index_files`` → ``corpus.stage_search_index``: the search index, into the work folder,
   from each report's entries (``search/memo.py`` keeps those of the last build: only changed reports are redone);
6. ``corpus.run_mkdocs``: MkDocs, dirty (only changed pages) when nothing else changed;
7. ``corpus.install_search_index``: the staged index moved into the site.

Steps 1–5 run in a child process.  In a full build it finishes before MkDocs starts, so that the reports and
MkDocs' pages are never in memory at the same time; in a rebuild (MkDocs reads only the changed pages) step 5
runs beside step 6, on the other core.  The reports' text leaves memory before step 5.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import yaml

from .browse.extras import originals as published_originals
from .datafiles import load_id_history, load_vocabulary
from .index import report_page, report_pages, site_pages
from .messages import SiteProblem
from .model import Report, validate_front_matter
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


def plan_site(result: BuildResult, originals: dict[str, bytes], fronts: FrontMatters | None = None) -> SitePlan:
    """Every generated file; ``originals``: corpus path → bytes of each report's original file; ``fronts``:
    the front matter blocks of the last build (``FrontMatters``), updated.

    Raises ``SystemExit`` when the id history has an ERROR (a redirect would hide a report)."""
    reports = result.reports
    fronts = fronts if fronts is not None else FrontMatters()
    files: dict[str, str | bytes] = dict(report_pages(reports, {s: len(b) for s, b in originals.items()}, fronts.block))
    for report in reports:
        for source, name, _ in published_originals(report):  # every original of the report, byte for byte
            if source in originals:
                files[f"reports/{report.id}/{name}"] = originals[source]
    pages, problems = site_pages(reports, load_vocabulary(), load_id_history())
    if any(p.is_error for p in problems):
        raise SystemExit("gongwen：" + "；".join(problems))
    files |= pages
    return SitePlan(dict(sorted(files.items())), problems, page_dates(reports))


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


@dataclass
class FrontMatters:
    """Each report page's front matter block, checked against the schema as MkDocs will read it, by its data.

    Dumping and re-reading the YAML took a third of planning the pages (57 s at 10,000 reports); the block
    depends on the front matter's data alone, so a rebuild reuses the last build's (``corpus.py`` saves
    :attr:`used`).  Keyed by a digest of the data's ``repr``, which tells a date from a string."""

    stored: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)

    def block(self, report: Report) -> str:
        key = hashlib.sha256(repr(report.front_matter()).encode("utf-8")).hexdigest()
        if key not in self.stored:
            block = front_matter_yaml(report)
            check_front_matter(report, block)
            self.stored[key] = block
        self.used[key] = self.stored[key]
        return self.used[key]


def build_date(reports: list[Report]) -> dt.date:
    """A date for the site's timestamps that depends on the corpus only (reproducible builds)."""
    dates = [d for r in reports for d in (r.date_printed, r.date_signed) if d]
    return max(dates) if dates else dt.date(max((r.year for r in reports), default=2000) + 1, 1, 1)
