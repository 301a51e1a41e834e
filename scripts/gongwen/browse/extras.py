"""What a report page offers besides its text: the same bureau's other years, downloads of
the original file and of the clean text, a permanent link and a citation line.

Rendered as one HTML block at the top of the page body (``render.render_page``'s
``extras``), every value HTML-escaped; links are relative to the page, so the
site works under any path.  The original file is published beside the page
byte for byte (``reports/<id>/original.<ext>``); a type that a browser would
run as a page (HTML, SVG, XML) gets ``.txt`` appended, so that a report file
can never run script on the archive's origin.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import PurePosixPath

from ..messages import SiteProblem
from ..model import Report
from .cite import citation_html
from .links import redirect_html
from .sourcing import provenance_html
from .places import bureau_label, bureau_page, citation, report_url

#: Extensions a browser renders as active documents: published with ``.txt`` appended.
ACTIVE_TYPES = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".xml", ".xht", ".mht", ".mhtml"}


def original_name(report: Report) -> str:
    """File name of the published original inside ``reports/<id>/``."""
    return _published_name(report.source, set())


def originals(report: Report) -> list[tuple[str, str, str]]:
    """(corpus path, published name, SHA-256) of every original of the report: its own file, then the
    same report in other formats (``alternates``), each under its own name inside ``reports/<id>/``."""
    found = [(report.source, original_name(report), report.sha256)]
    for other in [*report.alternates, *report.versions]:  # other formats, then earlier versions (harvested)
        found.append((other.source, _published_name(other.source, {name for _, name, _ in found}), other.sha256))
    return found


def _published_name(source: str, taken: set[str]) -> str:
    suffix = PurePosixPath(source).suffix.lower() or ".bin"
    tail = suffix + (".txt" if suffix in ACTIVE_TYPES else "")
    name, number = "original" + tail, 2
    while name in taken:  # two originals of one format (a GBK and a UTF-8 .txt)
        name, number = f"original-{number}{tail}", number + 1
    return name


def download_stem(report: Report) -> str:
    return report.id.replace("/", "-")


def clean_text(report: Report) -> str:
    """The report as plain text: head, title, body with its headings, signature and 版记.

    UTF-8 with a BOM: common static servers (Python's, nginx's default) send ``.txt`` as ``text/plain``
    without a charset, and a browser then guesses the encoding and shows mojibake; the BOM settles it
    (Windows Notepad and Excel read it too)."""
    parts = [report.masthead, report.doc_number_line, report.title, report.recipients_line]
    lines = [p for p in parts if p]
    lines += [block.text for block in report.body]
    lines += report.closing + report.colophon
    return "\ufeff" + "\n\n".join(lines) + "\n"


def neighbours(reports: list[Report]) -> dict[str, tuple[Report | None, Report | None]]:
    """id → (previous year's report, next year's report) of the same bureau."""
    by_bureau: dict[str, list[Report]] = {}
    for report in sorted(reports, key=lambda r: (r.year, r.id)):
        by_bureau.setdefault(report.bureau_id, []).append(report)
    found = {}
    for own in by_bureau.values():
        for i, report in enumerate(own):
            before = next((r for r in reversed(own[:i]) if r.year < report.year), None)
            after = next((r for r in own[i + 1:] if r.year > report.year), None)
            found[report.id] = (before, after)
    return found


def _href(report: Report, target_url: str) -> str:
    return html.escape(posixpath.relpath(target_url, report_url(report)) + ("/" if target_url.endswith("/") else ""))


def extras_html(report: Report, before: Report | None, after: Report | None, size: int,
                sizes: dict[str, int] | None = None) -> str:
    """The extras block of one report page (``size``: bytes of the original file; ``sizes``: bytes of
    each original by corpus path, for a report held in several formats)."""
    e = html.escape
    bureau_url = bureau_page(report.bureau_id).removesuffix(".md") + "/"
    timeline = [f'<a rel="prev" href="{_href(report, report_url(before))}">← {before.year}年度</a>' if before else "",
                f'<a href="{_href(report, bureau_url)}">{e(bureau_label(report))}历年报告</a>',
                f'<a rel="next" href="{_href(report, report_url(after))}">{after.year}年度 →</a>' if after else ""]
    stem = download_stem(report)
    files = originals(report)[:1 + len(report.alternates)]  # earlier versions: in the versions list
    sizes = (sizes or {}) | {report.source: size}
    links, digests = [], []
    for source, name, digest in files:
        suffix = PurePosixPath(source).suffix.lower() or "文件"
        links.append(f'<a href="{e(name)}" download="{e(stem)}-{e(name.removesuffix(".txt") if name.endswith(suffix + ".txt") else name)}">'
                     f'原始文件（{e(suffix)}，{_size(sizes.get(source, 0))}）</a>')
        label = f"原始文件（{e(suffix)}）" if len(files) > 1 else "原始文件"
        digests.append(f'{label} SHA-256：<code class="gw-sha256">{e(digest)}</code>')
    return "\n".join([
        '<div class="gw-extras">',
        f'<p class="gw-timeline">同一部门：{" ".join(t for t in timeline if t)}</p>',
        f'<p class="gw-downloads">下载：{"　".join(links)}　<a href="{e(stem)}.txt" download>纯文本（.txt）</a><br>'
        f'{"<br>".join(digests)}</p>',
        *filter(None, [provenance_html(report, {source: name for source, name, _ in originals(report)})]),
        f'<p class="gw-permalink"><label for="gw-permalink-input">永久链接</label> '
        f'<input id="gw-permalink-input" class="gw-copy-source" type="text" readonly value="{e(report_url(report))}" '
        f'data-permalink="{e(report_url(report))}"> <button type="button" class="gw-copy md-button" '
        f'data-copy="gw-permalink-input">复制链接</button></p>',
        f'<p class="gw-citation"><span class="gw-label">引用</span> <span id="gw-citation-text">{e(citation(report))}</span> '
        f'<button type="button" class="gw-copy md-button" data-copy="gw-citation-text">复制引用</button></p>',
        citation_html(report, stem, report_url(report)),
        "</div>"])


def _size(size: int) -> str:
    return f"{size} 字节" if size < 1024 else f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"


def redirect_pages(history: dict[str, str], current: set[str]) -> tuple[dict[str, str], list[SiteProblem]]:
    """``reports/<old>/index.html`` → the current page, for each recorded id change; and problems."""
    pages, problems = {}, []
    for old, new in sorted(history.items()):
        seen = {old}
        while new in history and new not in current and new not in seen:  # changed twice: follow the chain
            seen.add(new)
            new = history[new]
        if old in current:
            problems.append(SiteProblem("E-ID-HISTORY-CURRENT", "id-history.yml", old=old))
        elif new not in current:
            problems.append(SiteProblem("W-ID-HISTORY-MISSING", "id-history.yml", old=old, new=new))
        else:
            pages[f"reports/{old}/index.html"] = _redirect(posixpath.relpath(f"reports/{new}", f"reports/{old}") + "/")
    return pages, problems


def _redirect(target: str) -> str:
    return redirect_html(target, "本页已迁移", "本报告的永久地址已改为 ")
