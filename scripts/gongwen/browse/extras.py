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

from ..model import Report
from .cite import citation_html
from .places import bureau_label, bureau_page, citation, report_url

#: Extensions a browser renders as active documents: published with ``.txt`` appended.
ACTIVE_TYPES = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".xml", ".xht", ".mht", ".mhtml"}


def original_name(report: Report) -> str:
    """File name of the published original inside ``reports/<id>/``."""
    suffix = PurePosixPath(report.source).suffix.lower() or ".bin"
    return "original" + suffix + (".txt" if suffix in ACTIVE_TYPES else "")


def download_stem(report: Report) -> str:
    return report.id.replace("/", "-")


def clean_text(report: Report) -> str:
    """The report as plain text: head, title, body with its headings, signature and 版记.

    UTF-8 with a BOM: common static servers (Python's, nginx's default) send ``.txt`` as ``text/plain``
    without a charset, and a browser then guesses the encoding and shows mojibake; the BOM settles it
    (Windows Notepad and Excel read it too)."""
    parts = [report.masthead, report.doc_number, report.title, report.recipients_line]
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


def extras_html(report: Report, before: Report | None, after: Report | None, size: int) -> str:
    """The extras block of one report page (``size``: bytes of the original file)."""
    e = html.escape
    bureau_url = bureau_page(report.bureau_id).removesuffix(".md") + "/"
    timeline = [f'<a rel="prev" href="{_href(report, report_url(before))}">← {before.year}年度</a>' if before else "",
                f'<a href="{_href(report, bureau_url)}">{e(bureau_label(report))}历年报告</a>',
                f'<a rel="next" href="{_href(report, report_url(after))}">{after.year}年度 →</a>' if after else ""]
    stem = download_stem(report)
    original = original_name(report)
    suffix = PurePosixPath(report.source).suffix.lower() or "文件"
    return "\n".join([
        '<div class="gw-extras">',
        f'<p class="gw-timeline">同一部门：{" ".join(t for t in timeline if t)}</p>',
        f'<p class="gw-downloads">下载：<a href="{e(original)}" download="{e(stem)}-original{e(suffix)}">原始文件'
        f'（{e(suffix)}，{_size(size)}）</a>　<a href="{e(stem)}.txt" download>纯文本（.txt）</a><br>'
        f'原始文件 SHA-256：<code class="gw-sha256">{e(report.sha256)}</code></p>',
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


def redirect_pages(history: dict[str, str], current: set[str]) -> tuple[dict[str, str], list[str]]:
    """``reports/<old>/index.html`` → the current page, for each recorded id change; and problems."""
    pages, problems = {}, []
    for old, new in sorted(history.items()):
        seen = {old}
        while new in history and new not in current and new not in seen:  # changed twice: follow the chain
            seen.add(new)
            new = history[new]
        if old in current:
            problems.append(f"ERROR id-history.yml: “{old}” is the id of a current report; a redirect would hide it")
        elif new not in current:
            problems.append(f"WARNING id-history.yml: “{old}” points to “{new}”, which is not in the corpus (no redirect)")
        else:
            pages[f"reports/{old}/index.html"] = _redirect(posixpath.relpath(f"reports/{new}", f"reports/{old}") + "/")
    return pages, problems


def _redirect(target: str) -> str:
    t = html.escape(target)
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>本页已迁移</title>'
            f'<meta name="robots" content="noindex"><link rel="canonical" href="{t}">'
            f'<meta http-equiv="refresh" content="0; url={t}"></head>\n'
            f'<body><h1>本页已迁移</h1><p>本报告的永久地址已改为 <a href="{t}">{t}</a>。</p></body></html>\n')
