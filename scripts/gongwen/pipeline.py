"""The data flow, one source file at a time and then the whole corpus:

    read → normalize → layout → extract → Report → (render, index)

Everything here is pure: sources come in as bytes, reports and rejections go
out as values.  ``corpus.py`` is the only module that touches the disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pydantic import ValidationError

from .body import body_blocks, numbering_warnings, section_tree
from .datafiles import load_vocabulary
from .extract import extract_metadata
from .layout import split_layout
from .model import OVERRIDABLE, InputError, Rejection, Report
from .normalize import normalize_lines
from .provenance import conflict_warnings, source_fields
from .readers import READERS, Reading, read_source, reading_text
from .slug import colliding_id, report_id
from .tagrules import default_tags
from .vocabulary import Vocabulary, bureau_fields, topics_of

__all__ = ["READERS", "SourceFile", "BuildResult", "report_from_text", "report_from_reading", "report_from_source", "build_reports"]

#: Warning prefixes that a hand-set field makes moot.
FIELDS_OF_WARNING = {"region": ("province", "city", "county", "level")}


@dataclass(frozen=True)
class SourceFile:
    """One corpus file as read from disk: its path relative to the corpus, bytes, sidecar."""

    path: str
    data: bytes
    sidecar: dict | None = None
    sidecar_name: str | None = None
    sidecar_error: str | None = None


@dataclass
class BuildResult:
    """What a corpus gave: published reports and rejected files, with the input count."""

    reports: list[Report] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    inputs: int = 0


def report_from_text(text: str, source: str, sha256: str, sidecar: dict | None = None, sidecar_name: str = "",
                     vocabulary: Vocabulary | None = None) -> Report:
    """normalize → layout → extract → Report, for decoded plain text."""
    return report_from_reading(Reading(format="txt", items=(text,)), source, sha256, sidecar, sidecar_name, vocabulary)


def report_from_reading(reading: Reading, source: str, sha256: str, sidecar: dict | None = None,
                        sidecar_name: str = "", vocabulary: Vocabulary | None = None) -> Report:
    """normalize → layout → extract → Report, for what a reader found (text, tables, site metadata);
    bureaus and topics come from ``vocabulary`` (the package's data files by default)."""
    vocabulary = vocabulary or load_vocabulary()
    text, tables = reading_text(reading)
    layout = split_layout(normalize_lines(text))
    fields, warnings = extract_metadata(layout, text)
    blocks = body_blocks(layout.body, tables)
    if not any(block.kind == "paragraph" for block in blocks):
        raise InputError("no body text under the title")
    warnings += numbering_warnings(blocks)
    site_fields, site_warnings = source_fields(reading.source_meta)
    fields |= site_fields | {"source": source, "sha256": sha256, "sections": section_tree(blocks),
                             "overridden": [], "source_format": reading.format}
    warnings += site_warnings + conflict_warnings(fields)
    fields = _apply_sidecar(fields, sidecar or {}, sidecar_name)
    fields["warnings"] = [w for w in warnings if not _settled_by_hand(w, fields["overridden"])]
    for name, value in bureau_fields(vocabulary, fields).items():
        fields.setdefault(name, value)
    plain = "\n".join([fields["title"], *(block.text for block in blocks)])
    fields.setdefault("topics", topics_of(plain, vocabulary.topics))
    fields.setdefault("id", report_id(fields))
    fields.setdefault("tags", default_tags(fields))
    fields.pop("place_prefix", None)
    try:
        return Report(**fields, masthead=layout.masthead, recipients_line=layout.recipients_line,
                      body=blocks, closing=layout.closing, colophon=layout.colophon, notes=list(reading.notes))
    except ValidationError as error:
        where = f"sidecar {sidecar_name}: " if sidecar else ""
        raise InputError(f"{where}metadata does not fit the schema: {_first_problem(error)}") from None


def report_from_source(source: SourceFile) -> Report:
    """read → … → Report for one corpus file; :class:`InputError` says why not."""
    reading = read_source(source.path, source.data)
    if source.sidecar_error:
        raise InputError(f"sidecar {source.sidecar_name}: {source.sidecar_error}")
    digest = hashlib.sha256(source.data).hexdigest()
    return report_from_reading(reading, source.path, digest, source.sidecar, source.sidecar_name or "")


def build_reports(sources: list[SourceFile], parse: Callable[[SourceFile], Report] = report_from_source) -> BuildResult:
    """Every source becomes a report or a rejection; duplicates and id clashes are rejections.
    ``parse`` is ``report_from_source`` or a cache of it (``reportcache.py``)."""
    result = BuildResult(inputs=len(sources))
    by_digest: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for source in sorted(sources, key=lambda s: s.path):
        try:
            report = parse(source)
        except InputError as error:
            result.rejections.append(Rejection(source=source.path, reason=str(error)))
            continue
        if report.sha256 in by_digest:
            reason = f"same bytes as {by_digest[report.sha256]} (duplicate file)"
        elif report.id in by_id and "id" in report.overridden:
            reason = (f"id “{report.id}” (set in the sidecar) is already taken by {by_id[report.id]}; "
                      f"set another `id:` in a sidecar {PurePosixPath(source.path).name}.meta.yml")
        else:
            report = _free_id(report, by_id)
            by_digest[report.sha256], by_id[report.id] = source.path, source.path
            result.reports.append(report)
            continue
        result.rejections.append(Rejection(source=source.path, reason=reason))
    result.reports = _warn_shared_bureau_ids(result.reports)
    return result


def _warn_shared_bureau_ids(reports: list[Report]) -> list[Report]:
    """Two different bureaus with one ``bureau_id`` would share a bureau page: say so (bureaus.yml settles it)."""
    first: dict[str, str] = {}
    for report in reports:
        first.setdefault(report.bureau_id, report.bureau_name or "")
    out = []
    for report in reports:
        other = first[report.bureau_id]
        if (report.bureau_name or "") != other:
            warning = (f"bureau_id: “{report.bureau_id}” is also the id of {other or 'an unnamed bureau'}; "
                       f"give one of them its own slug in data/bureaus.yml")
            report = report.model_copy(update={"warnings": [*report.warnings, warning]})
        out.append(report)
    return out


def _free_id(report: Report, by_id: dict[str, str]) -> Report:
    """The report itself, or under its collision id when another file has its id (see slug.py)."""
    if report.id not in by_id:
        return report
    new_id = colliding_id(report.id, report.sha256)
    warning = (f"id: “{report.id}” is already taken by {by_id[report.id]}, so this report is published as "
               f"“{new_id}” (set `id:` in a sidecar to choose another)")
    return report.model_copy(update={"id": new_id, "warnings": [*report.warnings, warning]})


def _apply_sidecar(fields: dict, sidecar: dict, sidecar_name: str) -> dict:
    unknown = sorted(set(sidecar) - set(OVERRIDABLE))
    if unknown:
        raise InputError(f"sidecar {sidecar_name}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(OVERRIDABLE)})")
    return fields | sidecar | {"overridden": sorted(sidecar)}


def _settled_by_hand(warning: str, overridden: list[str]) -> bool:
    topic = warning.split(":", 1)[0]
    return any(name in overridden for name in FIELDS_OF_WARNING.get(topic, (topic,)))


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    return f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
