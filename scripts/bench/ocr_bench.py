"""OCR and office-format benchmark: how well and how fast scans, .doc/.wps and .ofd are read.

    .venv/bin/python scripts/bench/ocr_bench.py --write docs/benchmarks.md   (make bench)

Scans: every seed of ``tests/seeds/`` (with a 落款 added, where the seal goes) printed to PDF and scanned
(``tests/formats.py``: pages rendered to pictures and put back into a PDF of pictures) at 300 and 200 dpi,
and at 300 dpi with a red seal over the 落款 and a grainy, skewed scan — the last also recognised without
removing the red, to measure what removing it gains.  For each: the character error rate of the body
against the .txt's (edit distance over characters, spaces aside, divided by the .txt's length), whether
title, 文号, year, issuer and 成文日期 come out right, the recogniser's confidence and the time per page.

Office formats: each seed as .doc (LibreOffice from the tests' .docx) read by this archive's reader
(LibreOffice → .docx → the .docx reader), compared with the text of the Word binary read directly
(the piece table of the ``WordDocument`` stream, via olefile, as text-only tools do): character error rate
against the .docx's text, whether tables and footnotes survive, and time per file.  And each seed as .ofd.

With ``--write``, the figures replace the page's ``<!-- ocr begin/end -->`` section, the rest is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import struct
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

#: The 落款 added to each seed (none of them prints one) for the seal to be stamped over.
SIGNATURE_DATE = "2025年2月18日"
BEGIN, END = "<!-- ocr begin -->", "<!-- ocr end -->"
HEAD_FIELDS = ("title", "doc_number", "year", "issuer", "date_signed")


def character_error_rate(reference: str, found: str) -> float:
    """Levenshtein distance between the two texts' characters (whitespace aside) over the reference's length."""
    import numpy
    ref = numpy.frombuffer("".join(reference.split()).encode("utf-32-le"), dtype=numpy.uint32)
    hyp = numpy.frombuffer("".join(found.split()).encode("utf-32-le"), dtype=numpy.uint32)
    if not len(ref):
        return float(len(hyp) > 0)
    previous = numpy.arange(len(hyp) + 1)
    steps = numpy.arange(len(hyp) + 1)
    for index, char in enumerate(ref, 1):
        substitute = previous[:-1] + (hyp != char)
        best = numpy.empty_like(previous)
        best[0] = index
        best[1:] = numpy.minimum(previous[1:] + 1, substitute)
        previous = numpy.minimum.accumulate(best - steps) + steps  # insertions, left to right
    return float(previous[-1]) / len(ref)


def body_text(report) -> str:
    """What a reader reads of a report: masthead to colophon, tables by cell."""
    parts = [report.masthead or "", report.doc_number_line or "", report.title, report.recipients_line or ""]
    parts += [block.text + "".join(cell for row in block.rows for cell in row) for block in report.body]
    return "\n".join(parts + report.closing + report.colophon + report.notes)


def signed_seed(path: Path) -> str:
    from formats import signed
    from gongwen.pipeline import report_from_text
    text = path.read_text(encoding="utf-8")
    issuer = report_from_text(text, path.name, "0" * 64).issuer
    return signed(text, issuer, SIGNATURE_DATE)


def scan_rows(seeds: list[Path]) -> list[dict]:
    from formats import scan_pdf_bytes
    from gongwen.pipeline import SourceFile, report_from_source
    from gongwen.readers import ocr
    variants = [("300 dpi", dict(dpi=300)), ("200 dpi", dict(dpi=200)),
                ("300 dpi, seal and noise", dict(dpi=300, seal=True, noise=True))]
    rows = []
    for path in seeds:
        text = signed_seed(path)
        truth = report_from_source(SourceFile(path.name, text.encode("utf-8")))
        for name, options in variants + [("300 dpi, seal and noise, red kept", dict(dpi=300, seal=True, noise=True))]:
            data = scan_pdf_bytes(text, **options)
            keep_red = name.endswith("red kept")
            original = ocr.without_red
            if keep_red:
                ocr.without_red = lambda image: image
            try:
                started = time.perf_counter()
                found = report_from_source(SourceFile(path.stem + ".pdf", data))
                seconds = time.perf_counter() - started
            finally:
                ocr.without_red = original
            pages = _pages(data)
            rows.append({"seed": path.stem, "variant": name, "pages": pages, "seconds_per_page": seconds / pages,
                         "cer": character_error_rate(body_text(truth), body_text(found)),
                         "confidence": found.ocr_confidence,
                         "wrong": [f for f in HEAD_FIELDS if getattr(found, f) != getattr(truth, f)]})
            print(rows[-1], flush=True)
    return rows


def _pages(pdf: bytes) -> int:
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def word_binary_text(data: bytes) -> str:
    """The text of a Word 97 binary read directly: the piece table (CLX) of the ``WordDocument`` stream, as
    text-only tools read it.  No tables as tables, no footnotes apart (they follow the body in the same text)."""
    import olefile
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        word = ole.openstream("WordDocument").read()
        flags = struct.unpack_from("<H", word, 10)[0]
        table = ole.openstream("1Table" if flags & 0x0200 else "0Table").read()
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x01A2)
    clx = table[fc_clx:fc_clx + lcb_clx]
    index = 0
    while clx[index] == 0x01:  # Prc: formatting, skipped
        index += 3 + struct.unpack_from("<H", clx, index + 1)[0]
    size = struct.unpack_from("<I", clx, index + 1)[0]
    plc = clx[index + 5:index + 5 + size]
    count = (size - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    text = []
    for piece in range(count):
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * piece + 2)[0]
        length = cps[piece + 1] - cps[piece]
        if fc & 0x40000000:  # 8-bit text
            start = (fc & 0x3FFFFFFF) // 2
            text.append(word[start:start + length].decode("cp1252", "replace"))
        else:
            text.append(word[fc:fc + 2 * length].decode("utf-16-le", "replace"))
    raw = "".join(text)
    return "".join(ch if ch not in "\r\x07" else "\n" for ch in raw if ch >= " " or ch in "\r\x07")


def office_rows(seeds: list[Path]) -> list[dict]:
    from formats import doc_bytes, docx_bytes
    from gongwen.pipeline import SourceFile, report_from_source
    from ofd_writer import ofd_bytes
    texts = [path.read_text(encoding="utf-8") for path in seeds]
    footnote = "数据来源：河南省科技厅《区域科技创新评价报告》。"
    docs = doc_bytes(*texts, footnote=footnote)
    rows = []
    for path, text, doc in zip(seeds, texts, docs):
        truth = report_from_source(SourceFile(path.stem + ".docx", docx_bytes(text, footnote=footnote)))
        started = time.perf_counter()
        found = report_from_source(SourceFile(path.stem + ".doc", doc))
        office = time.perf_counter() - started
        started = time.perf_counter()
        direct = word_binary_text(doc)
        direct_time = time.perf_counter() - started
        started = time.perf_counter()
        ofd = report_from_source(SourceFile(path.stem + ".ofd", ofd_bytes(text)))
        ofd_time = time.perf_counter() - started
        plain = report_from_source(SourceFile(path.name, path.read_bytes()))
        rows.append({"seed": path.stem, "office_cer": character_error_rate(body_text(truth), body_text(found)),
                     "office_same": found.model_dump(exclude={"source", "sha256", "source_format"})
                     == truth.model_dump(exclude={"source", "sha256", "source_format"}),
                     "office_seconds": office, "direct_cer": character_error_rate(body_text(truth), direct),
                     "direct_seconds": direct_time, "direct_footnote_apart": False,
                     "ofd_cer": character_error_rate(body_text(plain), body_text(ofd)), "ofd_seconds": ofd_time})
        print(rows[-1], flush=True)
    return rows


def section(scans: list[dict], office: list[dict], started: dt.datetime, elapsed: float) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    lines = [BEGIN, f"## Reading scans, .doc/.wps and .ofd ({started:%Y-%m-%d}, {machine})", "",
             f"Command: `python scripts/bench/ocr_bench.py --write docs/benchmarks.md` ({elapsed / 60:.1f} minutes). "
             "Scans are the seeds (a 落款 added) printed by reportlab and scanned by the tests' fixtures: every page "
             "rendered to a picture and put back into a PDF of pictures; the noisy variant is skewed by about half "
             "a degree, with grey grain and specks, and a red seal 42 mm across stamped over the 落款. OCR is "
             "RapidOCR 3.10 (PP-OCRv6 small, shipped in the wheel) on ONNX Runtime, pages rendered at 200 dpi. "
             "CER: edit distance over characters (spaces aside) divided by the .txt's length, masthead to "
             f"colophon. Load average when it started: {LOAD_AT_START[0]:.1f} (the machine is shared: times per page "
             "vary with what else runs; the error rates do not).", "",
             "| variant | pages | CER mean | CER worst | title, 文号, year, issuer, 成文日期 right | confidence mean | seconds per page |",
             "| --- | ---: | ---: | ---: | --- | ---: | ---: |"]
    for variant in dict.fromkeys(row["variant"] for row in scans):
        rows = [row for row in scans if row["variant"] == variant]
        pages = sum(row["pages"] for row in rows)
        wrong = sorted({f"{row['seed']}: {', '.join(row['wrong'])}" for row in rows if row["wrong"]})
        lines.append(f"| {variant} | {pages} | {_pct(sum(r['cer'] for r in rows) / len(rows))} | "
                     f"{_pct(max(r['cer'] for r in rows))} | {'all, on every seed' if not wrong else '; '.join(wrong)} | "
                     f"{sum(r['confidence'] or 0 for r in rows) / len(rows):.3f} | "
                     f"{sum(r['seconds_per_page'] * r['pages'] for r in rows) / pages:.1f} |")
    lines += ["", "Office formats, each seed (with the tests' table, footnote, comment and tracked change):", "",
              "| reader | CER against the .docx's text, mean / worst | same Report as the .docx | tables and footnotes | seconds per file, mean |",
              "| --- | ---: | --- | --- | ---: |"]
    same = sum(row["office_same"] for row in office)
    lines.append(f"| .doc → LibreOffice → .docx reader (shipped) | {_pct(_mean(office, 'office_cer'))} / "
                 f"{_pct(max(r['office_cer'] for r in office))} | {same} of {len(office)} | kept | {_mean(office, 'office_seconds'):.1f} |")
    lines.append(f"| .doc piece table read directly (olefile, for comparison) | {_pct(_mean(office, 'direct_cer'))} / "
                 f"{_pct(max(r['direct_cer'] for r in office))} | no (text only) | lost: cells and footnotes run into the text | "
                 f"{_mean(office, 'direct_seconds'):.3f} |")
    lines.append(f"| .ofd (tests' writer, no table) → OFD reader, against the .txt | {_pct(_mean(office, 'ofd_cer'))} / "
                 f"{_pct(max(r['ofd_cer'] for r in office))} | the .txt's (test_formats.py) | tables come out as lines, as in PDF | "
                 f"{_mean(office, 'ofd_seconds'):.2f} |")
    lines += ["", END]
    return "\n".join(lines)


def _mean(rows: list[dict], key: str) -> float:
    return sum(row[key] for row in rows) / len(rows)


def _pct(value: float) -> str:
    return f"{value:.2%}"


def write_section(path: Path, text: str) -> None:
    page = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in page and END in page:
        page = page.split(BEGIN)[0] + text + page.split(END, 1)[1]
    else:
        page = page.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(page, encoding="utf-8")


#: The machine's load average (1 minute) when the run started.
LOAD_AT_START = [0.0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds (all five by default)")
    parser.add_argument("--write", type=Path, help="replace the OCR section of this page (docs/benchmarks.md)")
    args = parser.parse_args(argv)
    seeds = sorted((ROOT / "tests" / "seeds").glob("*.txt"))[: args.seeds]
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    LOAD_AT_START[0] = os.getloadavg()[0]
    office = office_rows(seeds)
    scans = scan_rows(seeds)
    text = section(scans, office, started, time.perf_counter() - clock)
    print(text)
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
