"""Index stage: the set of reports → every generated file of the site besides the report text.

Pure: returns ``{path inside docs/: text}``; ``siteplan.plan_site`` gathers it for the build.
The pages themselves are built in ``browse/`` (listings, tags, data, extras).
"""

from __future__ import annotations

from functools import partial
from typing import Callable

from .browse.data import atom_feed, reports_json
from .browse.embed import embed_pages
from .browse.extras import clean_text, download_stem, extras_html, neighbours, redirect_pages
from .browse.extras import originals as published_originals
from .browse.home import home_page
from .browse.links import stable_link_pages
from .browse.listing import crumbs
from .browse.pages import bureau_kind_pages, bureau_pages, doc_number_pages, region_pages, year_pages
from .browse.places import report_page, report_trail, report_url
from .browse.publication import publication_pages
from .compliance.checklist import compliance_html
from .browse.tags import collect_tags, tag_pages
from .messages import SiteProblem
from .model import Report
from .render import front_matter_yaml, render_page
from .vocabulary import Vocabulary

__all__ = ["report_page", "report_url", "report_pages", "site_pages", "reports_json"]


def report_pages(reports: list[Report], sizes: dict[str, int],
                 front: Callable[[Report], str] = front_matter_yaml, known: KnownPages | None = None) -> dict[str, str]:
    """Each report's page (with its extras) and its clean text; ``sizes``: source → bytes of the original;
    ``front``: a report's front matter block; ``known``: the pages of the last build by their inputs
    (``siteplan.ReportPages``): a page whose report, neighbours and originals' sizes are unchanged is reused."""
    around = neighbours(reports)
    pages = {}
    for report in reports:
        before, after = around[report.id]
        own_sizes = {source: sizes.get(source, 0) for source, _, _ in published_originals(report)}
        render = partial(_report_page, report, before, after, own_sizes, front)
        pages[report_page(report)] = known(report, before, after, own_sizes, render) if known else render()
        pages[f"reports/{report.id}/{download_stem(report)}.txt"] = clean_text(report)
    return pages


#: ``(report, previous year's, next year's, sizes of its originals, render) → page``: a memo of report pages.
KnownPages = Callable[[Report, "Report | None", "Report | None", dict, Callable[[], str]], str]


def _report_page(report: Report, before: Report | None, after: Report | None, sizes: dict[str, int],
                 front: Callable[[Report], str]) -> str:
    extras = extras_html(report, before, after, sizes.get(report.source, 0), sizes) + "\n\n" + compliance_html(report, before)
    return render_page(report, extras, crumbs(report_trail(report), report_page(report)), front(report))


def site_pages(reports: list[Report], vocabulary: Vocabulary, history: dict[str, str],
               sentences: dict[str, dict[int, int]] | None = None,
               province_texts: bool = True) -> tuple[dict[str, str], list[SiteProblem]]:
    """Browse pages, tag pages, redirects and feed; and the id history's problems.  ``sentences``: each report's
    sentence hashes by id, for reports without their text (the national step of a split build);
    ``province_texts`` False: the pages of a province (``partition.partition_of``) by path only, with empty
    texts, or not at all when no page links to them (the national step: each province's job makes them; they
    were half of its pages' time)."""
    pages = {"index.md": home_page(reports)}
    for build in (bureau_pages, region_pages):
        pages |= build(reports, province_texts)
    for build in (bureau_kind_pages, year_pages, doc_number_pages):
        pages |= build(reports)
    pages |= tag_pages(collect_tags(reports, vocabulary.topics), vocabulary.topics)
    pages |= publication_pages(reports, sentences, province_texts)
    redirects, problems = redirect_pages(history, {r.id for r in reports})
    pages |= redirects
    pages |= stable_link_pages(reports, province_texts) | embed_pages(reports, province_texts)  # for 政务公开 pages
    pages["feed.xml"] = atom_feed(reports)  # the data files (api/) are partition.data_files
    return pages, problems
