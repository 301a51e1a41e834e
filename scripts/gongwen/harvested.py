"""What ``gongwen harvest`` recorded of a corpus file (its folder's ``provenance.yml``), for the build.

The harvest writes, beside the files of each report, where each came from (the page's address, the
file's own, when it was fetched, which version) and what the page said of itself (its
《政府网站发展指引》 meta tags, else its printed 发布时间/来源/索引号 lines).  The build reads it here:
the addresses and dates become ``source_url``, ``retrieved_at`` …, and the page's statements stand in
for a metadata table the file itself lacks (an attachment's PDF has none).  Two files from one address
are two versions of one report: one page, the newest version first, the earlier ones listed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import yaml

from .messages import warn
from .model import Report, Version

#: The sidecar's name (the harvest writes it: ``harvest/names.py``).
PROVENANCE_NAME = "provenance.yml"
#: The page's statements, by the ``source_meta`` field they stand in for.
PAGE_FIELDS = {"PubDate": "date_published", "ContentSource": "publisher", "IndexNumber": "index_number"}


def harvested_fields(provenance: bytes | None, path: str) -> tuple[dict, dict[str, str], list[str]]:
    """(front-matter fields, the page's statements as ``source_meta``, warnings) for the file at ``path``."""
    if provenance is None:
        return {}, {}, []
    try:
        record = yaml.safe_load(provenance.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        record = None
    sidecar = str(PurePosixPath(path).parent / PROVENANCE_NAME)
    if not isinstance(record, dict) or not isinstance(record.get("files", []), list):
        return {}, {}, [warn("source_url", "W-PROVENANCE", sidecar=sidecar)]
    name = PurePosixPath(path).name
    entry = next((f for f in record.get("files", []) if isinstance(f, dict) and f.get("name") == name), None)
    if entry is None:  # a file put into a harvested folder by hand
        return {}, {}, []
    page = entry.get("page") or record.get("page") or {}
    meta = {field: str(page[key]) for key, field in PAGE_FIELDS.items() if isinstance(page, dict) and page.get(key)}
    own, address = _web(entry.get("url")), _web(record.get("source_url"))
    fields = {"source_url": address, "source_file_url": own if own != address else None,
              "retrieved_at": _moment(entry.get("retrieved_at")),
              "version": entry["version"] if isinstance(entry.get("version"), int) and entry["version"] >= 1 else None}
    warnings = [] if address else [warn("source_url", "W-PROVENANCE", sidecar=sidecar)]
    return fields, meta, warnings


def _web(url) -> str | None:
    """Only an http(s) address is kept (it becomes a link on the page)."""
    return url if isinstance(url, str) and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc else None


def _moment(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def version_key(report: Report) -> str | None:
    """The address a harvested file came from, shared by all its versions."""
    return (report.source_file_url or report.source_url) if report.version else None


def with_version(kept: Report, other: Report) -> Report:
    """One page for two versions of a report: the newer one's text, the older listed in ``versions``;
    the page keeps the id it was given."""
    newer, older = (other, kept) if (other.version or 0) > (kept.version or 0) else (kept, other)
    earlier = Version(source=older.source, source_format=older.source_format, sha256=older.sha256,
                      version=older.version or 1, retrieved_at=older.retrieved_at,
                      source_date_published=older.source_date_published)
    versions = sorted([*kept.versions, *other.versions, earlier], key=lambda v: v.version)
    return newer.model_copy(update={"id": kept.id, "versions": versions,
                                    "alternates": [*newer.alternates, *older.alternates]})
