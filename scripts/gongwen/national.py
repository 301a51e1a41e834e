"""The build split by province: what a province's build hands to the national step, and the national step's plan.

A CI matrix builds each province on its own (``gongwen build --province henan``): its report pages, bureau,
region and 公开情况 pages, data files and sitemap (``partition.py``), byte for byte as the whole build makes
them.  Each province's build also leaves a :class:`ProvinceExport` in its work folder: its reports without
their text (``search.builder.TEXT_FIELDS``: what only a report's own page shows), its data files' rows and
entry in ``api/index.json`` (``partition.ProvinceData``), each report's sentence hashes (for the
疑似模板化报告 page, which compares reports across provinces) and its search keys (so that no province's text
is parsed twice).  The national step (``gongwen build --national DIR``) reads the exports alone and builds
what spans provinces: home, 按年度, 按文号, tags, feed, the national 公开情况 pages, ``api/index.json``, the
sitemap index and the search index.  The province pages its listings link to are given to MkDocs as
link targets only (``linked.json`` beside the generated pages, read by the MkDocs hook), never rendered.
Pure: ``corpus.py`` saves and loads the exports.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compliance.repeats import sentence_hashes
from .datafiles import load_id_history, load_vocabulary
from .index import report_page, site_pages
from .model import Report
from .partition import ProvinceData, data_files, partition_of, province_data
from .search.builder import Indexed, document_order
from .siteplan import Publishing, SitePlan, page_dates, sitemap_files

@dataclass(frozen=True)
class ProvinceExport:
    """One province's part of the national step: its reports without their text, in the build's order (by
    corpus path), their sentence hashes by id, and their search keys (``search.builder.indexed``)."""

    program: str
    partition: str
    reports: list[Report]
    sentences: dict[str, dict[int, int]]
    found: Indexed
    data: ProvinceData


def province_export(program: str, partition: str, reports: list[Report], found: Indexed) -> ProvinceExport:
    """The reports are those of ``found`` (without their text and the fields only their own pages show,
    ``builder.TEXT_FIELDS``), so that each is saved and loaded once: loading them took 45 s of a rebuild at
    100,000 reports.  ``data``: the province's data rows and entry (``partition.province_data``), so that the
    national step makes no province's data files again (46 % of its pages' time at 10,000 reports)."""
    without_text = {report.id: report for report in found.reports}
    for doc in found.docs:  # computed here, carried by the pickle: the national step does not encode every key
        doc.checksum  # noqa: B018
    return ProvinceExport(program, partition, [without_text[r.id] for r in reports],
                          {r.id: sentence_hashes(r) for r in reports}, found, province_data(partition, reports)[1])


@dataclass(frozen=True)
class NationalInput:
    """Every province's export, merged as the whole build would hold them."""

    reports: list[Report]
    sentences: dict[str, dict[int, int]]
    found: Indexed
    data: dict[str, ProvinceData]


def merged(exports: list[ProvinceExport], program: str) -> NationalInput:
    """The exports as one: reports by corpus path (the whole build's order), search keys by year, province and id
    (``indexed``'s).  Raises ``SystemExit`` when an export comes from another version of the program or two
    exports hold one province."""
    seen: dict[str, int] = {}
    for export in exports:
        if export.program != program:
            raise SystemExit(f"gongwen：{export.partition} 的分省生成结果来自另一版本的程序；"
                             "请用同一版本重新运行各省的 gongwen build --province，再运行全国一步。")
        seen[export.partition] = seen.get(export.partition, 0) + 1
    if twice := sorted(slug for slug, count in seen.items() if count > 1):
        raise SystemExit(f"gongwen：分省生成结果中 {'、'.join(twice)} 出现了不止一次；每省只应有一份。")
    reports = sorted((r for e in exports for r in e.reports), key=lambda r: r.source)
    rows = sorted(((r, d, g) for e in exports for r, d, g in zip(e.found.reports, e.found.docs, e.found.digests)),
                  key=lambda row: document_order(row[0]))
    found = Indexed([r for r, _, _ in rows], [d for _, d, _ in rows], [g for _, _, g in rows])
    return NationalInput(reports, {k: v for e in exports for k, v in e.sentences.items()}, found,
                         {e.partition: e.data for e in exports})


def national_plan(given: NationalInput, publishing: Publishing) -> tuple[SitePlan, list[str]]:
    """The national files (as the whole build makes them), and the province pages they may link to (paths
    inside docs/), which MkDocs is to know as link targets without building them."""
    reports = given.reports
    pages, problems = site_pages(reports, load_vocabulary(), load_id_history(), given.sentences, province_texts=False)
    if any(p.is_error for p in problems):
        raise SystemExit("gongwen：" + "；".join(problems))
    files = pages | data_files(reports, publishing.cap, given.data)
    everything = sorted({*(p for p in files if p.endswith(".md")), *(report_page(r) for r in reports)})
    files |= sitemap_files(everything, reports, publishing)
    national = {path: text for path, text in files.items() if partition_of(path) is None}
    linked = [page for page in everything if partition_of(page) is not None]
    return SitePlan(dict(sorted(national.items())), problems, page_dates([])), linked
