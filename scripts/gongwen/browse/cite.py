"""How to cite a report: a GB/T 7714-2015 reference for an electronic resource ([EB/OL]) and
BibTeX and RIS records for reference managers.

A reference names the address and the date the reader saw the page, which only the
reader's browser knows (the site may be published under any host).  So the texts are
templates with :data:`URL` and :data:`ACCESSED` in them: the page shows them filled with the
site-relative address and a 引用日期 placeholder, and ``docs/javascripts/gongwen.js`` fills
in the full address and today's date.  Dates inside a reference are ISO, as the standard
writes them.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from ..model import Report
from .places import bureau_label, issue_date

#: Placeholders the browser replaces (gongwen.js): the page's full address, today's date.
URL = "{{url}}"
ACCESSED = "{{accessed}}"
ARCHIVE = "法治政府建设年度报告库"


def _author(report: Report) -> str:
    return report.issuer or bureau_label(report)


def gbt7714(report: Report) -> str:
    """发文机关. 题名: 文号[EB/OL]. (发布日期)[引用日期]. 网址.  A report harvested from its portal is cited at its
    original address, with the date the portal published it (the archive's page is a copy)."""
    when = (report.source_url and report.source_date_published) or issue_date(report)
    title = report.title + (f": {report.doc_number}" if report.doc_number else "")
    issued = f"({when.isoformat()})" if when else ""
    return f"{_author(report)}. {title}[EB/OL]. {issued}[{ACCESSED}]. {report.source_url or URL}."


def _bib(text: str) -> str:
    """A BibTeX field value: braces and backslashes cannot end or break the field."""
    return "".join("\\" + c if c in "{}\\%&#$_" else c for c in " ".join(text.split()))


def bibtex(report: Report) -> str:
    when = issue_date(report)
    fields = [("author", "{" + _bib(_author(report)) + "}"), ("title", _bib(report.title))]
    if report.doc_number:
        fields.append(("number", _bib(report.doc_number)))
    if when:
        fields += [("date", when.isoformat()), ("year", str(when.year))]
    fields += [("howpublished", ARCHIVE), ("url", URL), ("urldate", ACCESSED)]
    key = "gongwen-" + report.id.replace("/", "-")
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def ris(report: Report) -> str:
    when = issue_date(report)
    lines = [("TY", "GOVDOC"), ("AU", _author(report)), ("TI", report.title)]
    if report.doc_number:
        lines.append(("M1", report.doc_number))
    if when:
        lines += [("PY", str(when.year)), ("DA", when.strftime("%Y/%m/%d"))]
    lines += [("PB", _author(report)), ("DB", ARCHIVE), ("UR", URL), ("Y2", ACCESSED), ("ER", "")]
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)


def filled(template: str, report_address: str) -> str:
    """The template as shown without JavaScript: the site-relative address, 引用日期 for the date."""
    return template.replace(URL, report_address).replace(ACCESSED, "引用日期")


def _download(label: str, name: str, template: str, address: str) -> str:
    href = "data:text/plain;charset=utf-8," + quote(filled(template, address))
    return (f'<a class="gw-cite-file" download="{html.escape(name)}" href="{html.escape(href)}" '
            f'data-cite-template="{html.escape(template).replace(chr(13), "&#13;")}">{label}</a>')  # HTML drops a bare CR


def citation_html(report: Report, stem: str, address: str) -> str:
    """The 参考文献 line (GB/T 7714, with a copy button) and the BibTeX and RIS downloads."""
    text = html.escape(filled(gbt7714(report), address))
    template = html.escape(gbt7714(report))
    return (f'<p class="gw-citation-gbt"><span class="gw-label">参考文献（GB/T 7714）</span> '
            f'<span id="gw-gbt-text" data-cite-template="{template}">{text}</span> '
            f'<button type="button" class="gw-copy md-button" data-copy="gw-gbt-text">复制</button><br>'
            f'下载引文：{_download("BibTeX（.bib）", stem + ".bib", bibtex(report), address)}　'
            f'{_download("RIS（.ris）", stem + ".ris", ris(report), address)}</p>')
