"""The site cut by province: which province a generated file belongs to, each province's data files and
sitemap, the small index of them, and the cap on any one file's size.  Pure.

A province's subtree is every file whose path :func:`partition_of` gives its slug: its report pages,
bureau, region and 公开情况 pages, ``api/provinces/<slug>.json``/``.csv`` and
``sitemaps/provinces/<slug>.xml``.  Each of them depends only on that province's reports, so
``gongwen build --province <slug>`` makes them byte for byte as the whole build does; everything else
(home, 按年度, 按文号, tags, feed, ``api/index.json``, the sitemap index, the search index) is national.
Reports with no known province form the partition ``other`` (their ids start with it).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from .browse.data import csv_rows, csv_text, json_rows, json_text
from .browse.listing import crumbs, front, link
from .model import Report

#: No file of the site may be larger (bytes): static hosts and CDNs refuse or slow down beyond it.
MAX_FILE_BYTES = 50 * 2**20
#: URLs in one sitemap file (the sitemap protocol's limit).
SITEMAP_URLS = 50_000
#: First folders of a province's pages: ``reports/henan/…``, ``bureaus/henan/…``, ``regions/henan…``.
PROVINCE_FOLDERS = ("reports", "bureaus", "regions")
#: Names under ``publication/`` that span provinces (``all`` is the whole country's scope, ``type-…`` a kind of
#: issuer's across the country).
NATIONAL_PUBLICATION = ("index", "rules", "templated", "all", "type")
#: Listings under ``bureaus/`` that span provinces: the kinds of department and of issuer.
NATIONAL_BUREAU_LISTS = ("kinds", "types")
PROVINCE_DATA = "api/provinces"
PROVINCE_SITEMAPS = "sitemaps/provinces"
NATIONAL_SITEMAP = "sitemaps/national.xml"
DATA_INDEX = "api/index.json"
DATA_PAGE = "api/index.md"
NATIONAL_DATA = ("api/reports.json", "api/reports.csv")
#: zlib's level for a province's data rows (``ProvinceData``): the fastest, about 5× smaller.
ROWS_COMPRESSION = 1
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def report_partition(report: Report) -> str:
    """The province slug a report's pages are under (its id's first part; ``other`` when unplaced)."""
    return report.id.split("/", 1)[0]


def _stem(name: str) -> str:
    return name.split(".", 1)[0]


def partition_of(path: str) -> str | None:
    """The province whose subtree holds ``path`` (a generated file, or a built file of the site), or None
    for a national file."""
    parts = path.split("/")
    if len(parts) < 2:
        return None
    head, second = parts[0], _stem(parts[1])
    if head in PROVINCE_FOLDERS:
        return None if second == "index" or (head == "bureaus" and second in NATIONAL_BUREAU_LISTS) else second
    if head == "publication":
        if second in ("lists", "series"):
            scope = _stem(parts[2]).split("-", 1)[0] if len(parts) > 2 else "index"
            return None if scope in NATIONAL_PUBLICATION else scope
        return None if second in NATIONAL_PUBLICATION else second
    if f"{head}/{parts[1]}" in (PROVINCE_DATA, PROVINCE_SITEMAPS) and len(parts) > 2:
        return _stem(parts[2]).split("-", 1)[0]
    return None


def may_hold_partitions(folder: str) -> bool:
    """Whether a folder of the site (relative path) may hold a province's file: under the others (``search/``,
    ``tags/``, ``assets/`` …) :func:`partition_of` is never a province, so a walk for the provinces' files skips
    them (at 100,000 reports the search index alone is hundreds of thousands of files)."""
    if folder.split("/", 1)[0] in (*PROVINCE_FOLDERS, "publication"):
        return True
    return any(folder == prefix or prefix.startswith(folder + "/") or folder.startswith(prefix + "/")
               for prefix in (PROVINCE_DATA, PROVINCE_SITEMAPS))


def by_partition(reports: list[Report]) -> dict[str, list[Report]]:
    """The reports of each province, in their order, provinces by slug."""
    found: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        found[report_partition(report)].append(report)
    return dict(sorted(found.items()))


def province_name(reports: list[Report]) -> str:
    return next((r.province for r in reports if r.province), "地区不明")


def _file_entry(path: str, text: str) -> dict:
    data = text.encode("utf-8")
    return {"path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@dataclass(frozen=True)
class ProvinceData:
    """A province's entry in ``api/index.json`` (its count, each data file's size and SHA-256) and its reports'
    rows of the data files (``browse.data.json_rows``, ``csv_rows``), of which the whole country's files are made:
    kept compressed (``rows``), since only an archive whose whole-country files fit the cap reads them (they
    were a third of the exports' 1.6 GB at 100,000 reports, and 700 MB of the national step's memory, unused)."""

    entry: dict
    packed_rows: bytes

    def rows(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The JSON rows and the CSV rows, each ``(report id, text)``."""
        return pickle.loads(zlib.decompress(self.packed_rows))


def province_data(slug: str, reports: list[Report]) -> tuple[dict[str, str], ProvinceData]:
    """A province's data files (``api/provinces/<slug>.json`` and ``.csv``) and what the index and the whole
    country's files take of them."""
    rows = json_rows(reports), csv_rows(reports)
    mine = {f"{PROVINCE_DATA}/{slug}.json": json_text(rows[0]), f"{PROVINCE_DATA}/{slug}.csv": csv_text(rows[1])}
    entry = {"slug": slug, "name": province_name(reports), "reports": len(reports),
             "files": [_file_entry(path, text) for path, text in mine.items()]}
    packed = zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), ROWS_COMPRESSION)
    return mine, ProvinceData(entry, packed)


def data_files(reports: list[Report], cap: int = MAX_FILE_BYTES,
               given: dict[str, ProvinceData] | None = None) -> dict[str, str]:
    """``api/provinces/<slug>.json`` and ``.csv`` for each province, ``api/index.json`` (each file with its
    count, size and SHA-256) and the data page ``api/index.md``; the whole country in one file
    (``api/reports.json``, ``api/reports.csv``) only while that file stays within ``cap``.  ``given``: each
    province's :class:`ProvinceData` as its own build made it (the national step's, from the provinces'
    exports): then no province's files are made here, only the national ones, from the provinces' rows."""
    files: dict[str, str] = {}
    found = given if given is not None else {}
    if given is None:
        for slug, own in by_partition(reports).items():
            mine, found[slug] = province_data(slug, own)
            files |= mine
    provinces = [found[slug].entry for slug in sorted(found)]
    national = []
    for kind, (path, make) in enumerate(zip(NATIONAL_DATA, (json_text, csv_text))):
        if national_bytes([p["files"][kind]["bytes"] for p in provinces], make, kind) > cap:
            continue  # not made: at 100,000 reports each would be about 300 MB of text, made only to be measured
        text = make([row for data in found.values() for row in data.rows()[kind]])
        files[path] = text
        national.append(_file_entry(path, text))
    index = {"reports": len(reports), "max_file_bytes": cap, "national": national, "provinces": provinces}
    files[DATA_INDEX] = json.dumps(index, ensure_ascii=False, indent=1) + "\n"
    files[DATA_PAGE] = data_page(index)
    return files


#: Between two provinces' rows in the whole country's file: ``reports_json``'s ``",\n"``, nothing in the CSV.
ROW_SEPARATOR_BYTES = (2, 0)


def national_bytes(province_bytes: list[int], make, kind: int) -> int:
    """The size of the whole country's data file that ``make`` (``reports_json`` or ``reports_csv``, ``kind`` 0 or 1)
    would make, from the sizes of its provinces' files: the same rows, with one file's frame (brackets, or BOM and
    header) instead of one per province, and the separator between them."""
    if not province_bytes:
        return len(make([]).encode("utf-8"))
    frame = len(make([]).encode("utf-8")) - ROW_SEPARATOR_BYTES[kind]
    return sum(province_bytes) - (len(province_bytes) - 1) * frame


def data_page(index: dict) -> str:
    """The data users' page: where to get one province, and all of it."""
    page, mib = DATA_PAGE, 2**20
    lines = [*front("数据下载"), crumbs([("数据下载", "")], page), "", "# 数据下载", "",
             f"全部 {index['reports']} 篇报告的文件信息（字段含义见{link('数据说明', 'schema.md', page)}），"
             "每个省一个 JSON 文件和一个 CSV 文件（CSV 文件可直接用电子表格软件打开）。"
             f"程序可读取 {link('api/index.json', DATA_INDEX, page)}：列出每个文件的地址、篇数、大小和 SHA-256。", ""]
    if index["national"]:
        lines += ["全国汇总：" + "、".join(link(f"{e['path'].rsplit('.', 1)[1].upper()}（{e['bytes'] / mib:.1f} MB）", e["path"], page)
                                      for e in index["national"]) + "。", ""]
    else:
        lines += [f"全国汇总文件超过单个文件 {index['max_file_bytes'] / mib:.0f} MB 的上限，不再提供；请按下表逐省下载"
                  "（api/index.json 列出全部文件，可用程序依次下载）。", ""]
    lines += ["| 地区 | 篇数 | JSON | CSV |", "| --- | --- | --- | --- |"]
    for province in index["provinces"]:
        cells = [link(f"{e['path'].rsplit('.', 1)[1].upper()}（{e['bytes'] / mib:.2f} MB）", e["path"], page)
                 for e in province["files"]]
        lines.append(f"| {province['name']} | {province['reports']} | {' | '.join(cells)} |")
    return "\n".join(lines + [""])


def page_url(output: str) -> str:
    """The URL path of a built page (``reports/x/index.html`` → ``reports/x/``)."""
    return output.removesuffix("index.html")


def sitemap(entries: list[tuple[str, str]], base: str) -> str:
    """A sitemap of ``(URL path, lastmod)``; ``base``: the site's address ending in ``/`` (``/`` when unknown)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    lines += [f"  <url><loc>{_loc(base, url)}</loc><lastmod>{day}</lastmod></url>" for url, day in entries]
    return "\n".join(lines + ["</urlset>", ""])


def _loc(base: str, url: str) -> str:
    return (base + quote(url, safe="/-._~")).replace("&", "&amp;")


def sitemap_parts(slug: str, count: int) -> list[str]:
    """The files of a province's sitemap: one per :data:`SITEMAP_URLS` URLs."""
    parts = max(1, -(-count // SITEMAP_URLS))
    return [f"{PROVINCE_SITEMAPS}/{slug}.xml"] + [f"{PROVINCE_SITEMAPS}/{slug}-{n}.xml" for n in range(2, parts + 1)]


def province_sitemaps(slug: str, entries: list[tuple[str, str]], base: str) -> dict[str, str]:
    names = sitemap_parts(slug, len(entries))
    return {name: sitemap(entries[i * SITEMAP_URLS:(i + 1) * SITEMAP_URLS], base) for i, name in enumerate(names)}


def sitemap_index(names: list[tuple[str, str]], base: str) -> str:
    """``sitemap.xml``: the national sitemap and every province's, ``(file, lastmod)``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    lines += [f"  <sitemap><loc>{_loc(base, name)}</loc><lastmod>{day}</lastmod></sitemap>" for name, day in names]
    return "\n".join(lines + ["</sitemapindex>", ""])


def oversized(sizes: dict[str, int], cap: int = MAX_FILE_BYTES) -> list[str]:
    """One Chinese line for each file over ``cap`` bytes (path → size), largest first."""
    mib = 2**20
    return [f"网站文件 {path} 有 {size / mib:.1f} MB，超过单个文件 {cap / mib:.0f} MB 的上限（静态网站主机和 CDN "
            f"拒收或传送很慢）。处理：把生成这个文件的部分拆小（如按省的数据文件再按市或年度拆分），或联系开发人员"
            for path, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])) if size > cap]
