"""The data flow, one source file at a time and then the whole corpus:

    read → normalize → layout → extract → Report → (render, index)

Everything here is pure: sources come in as bytes, reports and rejections go
out as values.  ``corpus.py`` and ``memos.py`` are the only modules that touch the disk.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from pydantic import ValidationError

from .body import body_blocks, numbering_warnings, section_tree
from .compliance.fields import with_compliance
from .compliance.repeats import repeat_share, with_repeat_shares
from .datafiles import load_vocabulary
from .extract import extract_metadata, title_text
from .layout import split_layout
from .messages import FieldWarning, fail, warn
from .model import InputError, Original, Rejection, Report
from .normalize import normalize_lines
from .harvested import harvested_fields, version_key, with_version
from .preamble import read_preamble
from .provenance import conflict_warnings, source_fields
from .readers import READERS, Reading, read_source, reading_text
from .sidecar import SIDECAR_SUFFIX, Sidecar, check_fields, read_sidecar
from .slug import colliding_id, report_id
from .tagrules import default_tags
from .vocabulary import Vocabulary, bureau_fields, topics_of

__all__ = ["READERS", "SourceFile", "BuildResult", "report_from_text", "report_from_reading", "report_from_source", "build_reports"]

#: Warning prefixes that a hand-set field makes moot.
FIELDS_OF_WARNING = {"region": ("province", "city", "county", "level")}


@dataclass(frozen=True)
class SourceFile:
    """One corpus file as read from disk: its path relative to the corpus, bytes, and its sidecar
    (``sidecar_bytes`` as on disk, checked here; or ``sidecar``, fields already parsed)."""

    path: str
    data: bytes
    sidecar: dict | None = None
    sidecar_name: str | None = None
    sidecar_error: str | None = None
    sidecar_bytes: bytes | None = None
    provenance: bytes | None = None  # the folder's provenance.yml, written by gongwen harvest


@dataclass
class BuildResult:
    """What a corpus gave: published reports and rejected files, with the input count."""

    reports: list[Report] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    inputs: int = 0


def report_from_text(text: str, source: str, sha256: str, sidecar: dict | Sidecar | None = None,
                     sidecar_name: str = "", vocabulary: Vocabulary | None = None) -> Report:
    """normalize → layout → extract → Report, for decoded plain text."""
    return report_from_reading(Reading(format="txt", items=(text,)), source, sha256, sidecar, sidecar_name, vocabulary)


def report_from_reading(reading: Reading, source: str, sha256: str, sidecar: dict | Sidecar | None = None,
                        sidecar_name: str = "", vocabulary: Vocabulary | None = None) -> Report:
    """normalize → layout → extract → Report, for what a reader found (text, tables, site metadata);
    bureaus and topics come from ``vocabulary`` (the package's data files by default).

    The sidecar's fields that passed their checks are applied (a title-less text is published
    with the sidecar's ``title:``); its bad lines become ERROR lines among the warnings."""
    vocabulary = vocabulary or load_vocabulary()
    hand = sidecar if isinstance(sidecar, Sidecar) else check_fields(sidecar_name, sidecar or {})
    text, tables = reading_text(reading)
    preamble = read_preamble(normalize_lines(text))
    layout = split_layout(preamble.lines)
    if layout.doc_number_line is None and preamble.label_doc_number:
        layout = replace(layout, doc_number_line=preamble.label_doc_number)
    fields, warnings, place_prefix = extract_metadata(layout, text, hand.fields.get("title"), hand.fields.get("year"))
    blocks = body_blocks(layout.body, tables)
    if not any(block.kind == "paragraph" for block in blocks):
        raise fail("E-NO-BODY")
    _require_title_and_year(fields, sidecar_name or PurePosixPath(source).name + SIDECAR_SUFFIX)
    warnings += numbering_warnings(blocks)
    site_fields, site_warnings = source_fields(preamble.source_meta | reading.source_meta)
    if fields["doc_number"] is None and site_fields["source_doc_number"]:  # the page states it; the text prints none
        fields["doc_number"] = site_fields["source_doc_number"]
        warnings = [w for w in warnings if w.field != "doc_number"]
    fields |= site_fields | {"source": source, "sha256": sha256, "sections": section_tree(blocks),
                             "overridden": [], "source_format": reading.format,
                             "ocr_confidence": reading.ocr_confidence, "seals": reading.seals}
    warnings += site_warnings + conflict_warnings(fields) + ocr_warnings(reading)
    fields |= hand.fields | {"overridden": sorted(hand.fields)}
    fields["warnings"] = hand.errors + [w for w in warnings if not _settled_by_hand(w, fields["overridden"])]
    for name, value in bureau_fields(vocabulary, fields, place_prefix).items():
        fields.setdefault(name, value)
    plain = "\n".join([fields["title"], *(block.text for block in blocks)])
    fields.setdefault("topics", topics_of(plain, vocabulary.topics))
    fields.setdefault("id", report_id(fields))
    fields.setdefault("tags", default_tags(fields))
    try:
        return with_compliance(Report(**fields, masthead=layout.masthead, doc_number_line=layout.doc_number_line,
                                      recipients_line=layout.recipients_line, body=blocks, closing=layout.closing,
                                      colophon=layout.colophon, notes=list(reading.notes), **_cover_fields(layout)))
    except ValidationError as error:  # each sidecar value was checked on its own; this is a bug, said plainly
        raise fail("E-SCHEMA", detail=_first_problem(error)) from None


def _cover_fields(layout) -> dict:
    """The parts of a report that stand above its title: a cover letter, a congress meeting line."""
    cover = layout.cover
    return {"delivery": layout.delivery, "cover_title": title_text(cover.title_lines) if cover else None,
            "cover_text": cover.text if cover else [], "cover_closing": cover.closing if cover else []}


def ocr_warnings(reading: Reading) -> list[FieldWarning]:
    """Text recognised from a scan is published with a warning, so that ``gongwen check`` lists every OCR'd file."""
    if reading.ocr_confidence is None:
        return []
    return [warn("ocr_confidence", "W-OCR", confidence=f"{reading.ocr_confidence:.1%}")]


def _require_title_and_year(fields: dict, sidecar_name: str) -> None:
    """A page needs a title and a year: from the text, else from the sidecar; the error says which line to add."""
    if fields["title"] is None:
        raise fail("E-NO-TITLE", sidecar=sidecar_name)
    if fields["year"] is None:
        raise fail("E-NO-YEAR", title=fields["title"], sidecar=sidecar_name)


def source_sidecar(source: SourceFile) -> Sidecar:
    """The source's sidecar, checked (an empty one when it has none)."""
    name = source.sidecar_name or ""
    if source.sidecar_bytes is not None:
        return read_sidecar(name, source.sidecar_bytes)
    if source.sidecar_error:
        return Sidecar(errors=[warn("overridden", "E-SIDECAR-NOT-MAPPING", sidecar=name)])
    return check_fields(name, source.sidecar or {})


def report_from_source(source: SourceFile, recognise=None) -> Report:
    """read → … → Report for one corpus file; :class:`InputError` says why not.  ``recognise``: OCR of scanned
    pages, as remembered by the build (``reportcache.OcrMemo``); by default pages are recognised afresh."""
    reading = read_source(source.path, source.data, recognise)
    digest = hashlib.sha256(source.data).hexdigest()
    harvested, page_meta, notes = harvested_fields(source.provenance, source.path)
    reading = replace(reading, source_meta=page_meta | reading.source_meta)
    report = report_from_reading(reading, source.path, digest, source_sidecar(source), source.sidecar_name or "")
    return report.model_copy(update=harvested | {"warnings": report.warnings + notes}) if harvested or notes else report


def build_reports(sources: list[SourceFile], parse: Callable[[SourceFile], Report] = report_from_source,
                  share: Callable[[Report, Report], float] = repeat_share) -> BuildResult:
    """Every source becomes a report, another original of a report (same report in another format:
    one page offers both) or a rejection; byte duplicates and id clashes are rejections.
    ``parse`` is ``report_from_source`` and ``share`` is ``repeats.repeat_share``, or caches of them
    (``reportcache.py``)."""
    result = BuildResult(inputs=len(sources))
    by_digest: dict[str, str] = {}
    by_id: dict[str, str] = {}
    by_content: dict[str, int] = {}  # same report → its index in result.reports
    by_heading: dict[tuple, str] = {}  # same title, issuer and year → the first file
    pairs = ScanPairs()
    by_address: dict[str, int] = {}  # a harvested file's address → its report's index (versions share it)
    for source in sorted(sources, key=lambda s: s.path):
        try:
            report = parse(source)
        except InputError as error:
            result.rejections.append(Rejection(source=source.path, reason=str(error), code=error.code))
            continue
        content, address = content_key(report), version_key(report)
        if address in by_address and report.sha256 not in by_digest:  # the same address gave other bytes
            index = by_address[address]
            result.reports[index] = with_version(result.reports[index], report)
            by_digest[report.sha256] = source.path
            continue
        sibling = None if content in by_content else ocr_sibling(report, result.reports, pairs.candidates(report))
        if report.sha256 in by_digest:
            error = fail("E-DUPLICATE-FILE", other=by_digest[report.sha256])
        elif content in by_content:
            index = by_content[content]
            result.reports[index] = with_alternate(result.reports[index], report)
            by_digest[report.sha256] = source.path
            continue
        elif sibling is not None:
            _merge_scan(result.reports, sibling, report, by_id)
            pairs.move(sibling[0], result.reports[sibling[0]])
            by_digest[report.sha256], by_content[content] = source.path, sibling[0]
            continue
        elif report.id in by_id and "id" in report.overridden:
            error = fail("E-ID-TAKEN", id=report.id, other=by_id[report.id],
                         sidecar=source.sidecar_name or PurePosixPath(source.path).name + SIDECAR_SUFFIX)
        else:
            report = _warn_near_duplicate(_free_id(report, by_id), by_heading)
            by_digest[report.sha256], by_id[report.id], by_content[content] = source.path, source.path, len(result.reports)
            if address:
                by_address[address] = len(result.reports)
            pairs.add(len(result.reports), report)
            result.reports.append(report)
            continue
        result.rejections.append(Rejection(source=source.path, reason=str(error), code=error.code))
    result.reports = with_repeat_shares(_warn_shared_bureau_ids(result.reports), share)
    return result


def content_key(report: Report) -> str:
    """What makes two files the same report whatever their format: title, issuer, year and the body's
    characters as normalized, spaces and line breaks aside (a PDF prints a table as lines), hashed."""
    body = "".join(block.text + "".join(cell for row in block.rows for cell in row) for block in report.body)
    parts = [report.title, report.issuer or "", str(report.year), "".join(body.split())]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


#: An OCR'd report and a report read directly are the same report when their texts are this similar (OCR misreads
#: a character or two in a hundred, so the content key, an exact digest, cannot match them).
OCR_SAME_REPORT = 0.9


def ocr_sibling(report: Report, reports: list[Report], candidates: list[int]) -> tuple[int, float] | None:
    """The index of the report of another file that holds the same report as ``report`` when exactly one of the
    two was recognised from a scan, and how similar their texts are (texts ≥ ``OCR_SAME_REPORT``).  ``candidates``:
    the reports of the other kind and the same year (``ScanPairs``); a title unlike this one's is passed over
    before the texts are compared."""
    text = _plain(report)
    for index in candidates:
        other = reports[index]
        if difflib.SequenceMatcher(None, report.title, other.title).quick_ratio() < OCR_SAME_REPORT:
            continue
        matcher = difflib.SequenceMatcher(None, text, _plain(other), autojunk=False)
        if matcher.quick_ratio() >= OCR_SAME_REPORT and (similarity := matcher.ratio()) >= OCR_SAME_REPORT:
            return index, similarity
    return None


@dataclass
class ScanPairs:
    """Where a report's scan or directly read twin can be, by year: the reports recognised from a scan and those
    read directly (a report is compared only with the other kind, so a corpus without scans costs nothing)."""

    scans: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    direct: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def _kind(self, report: Report) -> dict[int, list[int]]:
        return self.scans if report.ocr_confidence is not None else self.direct

    def add(self, index: int, report: Report) -> None:
        self._kind(report)[report.year].append(index)

    def candidates(self, report: Report) -> list[int]:
        return (self.direct if report.ocr_confidence is not None else self.scans).get(report.year, [])

    def move(self, index: int, report: Report) -> None:
        """The page at ``index`` is now ``report``'s (a file read directly took it over from a scan)."""
        for kind in (self.scans, self.direct):
            if index in kind.get(report.year, []):
                kind[report.year].remove(index)
        self.add(index, report)


def _plain(report: Report) -> str:
    return "".join((report.title + "".join(block.text for block in report.body)).split())


def _merge_scan(reports: list[Report], sibling: tuple[int, float], report: Report, by_id: dict[str, str]) -> None:
    """One page for a scan and a file read directly (``ocr_sibling``): the text read directly, the scan among
    its originals; when the file read directly comes second, it takes the page (and an id) over from the scan."""
    index, similarity = sibling
    scan, read = (report, reports[index]) if report.ocr_confidence is not None else (reports[index], report)
    if read is report:
        del by_id[scan.id]
        read = _free_id(read, by_id)
        by_id[read.id] = read.source
    reports[index] = with_scan(read, scan, similarity)


def with_scan(report: Report, scan: Report, similarity: float) -> Report:
    """``report`` (read from its file) offering the scan ``scan`` of the same report and its originals; the page's
    text is ``report``'s, and a warning names the scan."""
    merged = with_alternate(report, scan)
    extra = [alternate for alternate in scan.alternates if alternate not in merged.alternates]
    warning = warn("source", "W-OCR-SIBLING", scan=scan.source, similarity=f"{similarity:.1%}")
    return merged.model_copy(update={"alternates": [*merged.alternates, *extra], "warnings": [*merged.warnings, warning]})


def with_alternate(report: Report, other: Report) -> Report:
    """``report`` offering ``other``'s file too (its page lists every original); a sidecar of ``other``
    is not used (the page is ``report``'s), and a warning says where its fields belong."""
    original = Original(source=other.source, source_format=other.source_format, sha256=other.sha256)
    lost = [name for name in other.overridden if getattr(other, name) != getattr(report, name)]
    warnings = [warn("alternates", "W-ALTERNATE-SIDECAR", other=other.source, source=report.source)] if lost else []
    return report.model_copy(update={"alternates": [*report.alternates, original], "warnings": report.warnings + warnings})


def _warn_near_duplicate(report: Report, by_heading: dict[tuple, str]) -> Report:
    """Same title, issuer and year as another file but a different text: both are published, with a warning."""
    heading = ("".join(report.title.split()), report.issuer, report.year)
    other = by_heading.setdefault(heading, report.source)
    if other == report.source:
        return report
    warning = warn("source", "W-NEAR-DUPLICATE", other=other)
    return report.model_copy(update={"warnings": [*report.warnings, warning]})


def _warn_shared_bureau_ids(reports: list[Report]) -> list[Report]:
    """Two different bureaus with one ``bureau_id`` would share a bureau page: say so (bureaus.yml settles it)."""
    first: dict[str, str] = {}
    for report in reports:
        first.setdefault(report.bureau_id, report.bureau_name or "")
    out = []
    for report in reports:
        other = first[report.bureau_id]
        if (report.bureau_name or "") != other:
            warning = warn("bureau_id", "W-BUREAU-ID-SHARED", bureau_id=report.bureau_id, other=other or "一个未具名部门")
            report = report.model_copy(update={"warnings": [*report.warnings, warning]})
        out.append(report)
    return out


def _free_id(report: Report, by_id: dict[str, str]) -> Report:
    """The report itself, or under its collision id when another file has its id (see slug.py)."""
    if report.id not in by_id:
        return report
    new_id = colliding_id(report.id, report.sha256)
    warning = warn("id", "W-ID-TAKEN", id=report.id, other=by_id[report.id], new_id=new_id)
    return report.model_copy(update={"id": new_id, "warnings": [*report.warnings, warning]})




def _settled_by_hand(warning: FieldWarning, overridden: list[str]) -> bool:
    return any(name in overridden for name in FIELDS_OF_WARNING.get(warning.field, (warning.field,)))


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    return f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
