"""Nothing injected, whatever the format: markup in a report reaches the page as visible text.

One hostile report per format (.txt, .docx, .html, .pdf) carries ``<script>``,
``onerror=`` and ``javascript:`` links in its title, body and (for .docx) a
table cell; the web page also carries real script elements and a real
``javascript:`` link.  The site is built with ``mkdocs build --strict`` and each
page is opened in headless Chromium: the markup shows as text, no dialog opens,
the DOM holds no injected script, handler or link, and the head's meta tags and
JSON-LD hold the title as data.
"""

from __future__ import annotations

import html
import io

import pytest

from gongwen.buildpaths import generated_docs
from conftest import build_site
from formats import html_bytes, pdf_bytes

SCRIPT, IMG, LINK = "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '<a href="javascript:alert(3)">点此</a>'


def hostile_text(bureau: str) -> str:
    return f"""{bureau}2024年法治政府建设工作报告{SCRIPT}
2024年，我局依法行政{IMG}，详见[链接](javascript:alert(4))和{LINK}。
一、加强领导&amp;监督
全面落实 *责任* 与 `制度`，推进依法行政，严格规范公正文明执法，持续深化普法宣传教育工作。
二、存在问题
法治政府建设相关制度有待进一步完善，运用法治思维和法治方式推动业务工作能力需进一步加强。
"""


def hostile_docx(text: str) -> bytes:
    from docx import Document
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = SCRIPT, IMG
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def hostile_html(text: str) -> bytes:
    """The hostile text (escaped, as a site shows it) plus real script, handler and link elements."""
    page = html_bytes(text, {"索引号": SCRIPT, "发布机构": IMG}).decode("utf-8")
    page = page.replace("</p>", '<script>alert("real")</script><img src=x onerror="alert(5)"></p>', 1)
    page = page.replace("一、加强领导", '<a href="javascript:alert(6)" onclick="alert(7)">一、加强领导</a>', 1)
    return page.encode("utf-8")


FORMATS = {
    "txt": ("某某县科技局", lambda text: text.encode("utf-8")),
    "docx": ("某某县教育局", hostile_docx),
    "html": ("某某县财政局", hostile_html),
    "pdf": ("某某县民政局", pdf_bytes),
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for extension, (bureau, make) in FORMATS.items():
        (corpus / f"hostile.{extension}").write_bytes(make(hostile_text(bureau)))
    site, done = build_site(tmp, corpus)
    assert "共 4 个文件：发布 4 个页面，未发布 0 个" in done.stdout, done.stdout
    return site


def page_of(site, bureau: str) -> str:
    for page in (site / "reports").rglob("index.html"):
        if bureau in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix()
    raise AssertionError(f"no page for {bureau}")


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_markup_in_every_format_is_visible_text_in_chromium(hostile_site, serve, browser, extension):
    bureau = FORMATS[extension][0]
    base = serve(hostile_site)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base}{page_of(hostile_site, bureau)}/")
    article = page.locator("article").inner_text()
    assert page.locator("article h1").inner_text().startswith(f"{bureau}2024年法治政府建设工作报告{SCRIPT}")
    for visible in (IMG, "[链接](javascript:alert(4))", LINK, "&amp;监督", "*责任*", "`制度`"):
        assert visible in article, (visible, article[:400])
    # the page's head (meta tags, JSON-LD: browse/govweb.py) holds the same title as data
    head = page.evaluate("""() => ({ld: JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent),
        meta: document.querySelector('meta[name=ArticleTitle]').content})""")
    assert head["ld"]["name"] == head["meta"] and head["meta"].startswith(f"{bureau}2024年法治政府建设工作报告{SCRIPT}")
    if extension == "docx":
        assert page.locator("article table.gw-table td").all_inner_texts() == [SCRIPT, IMG]
    page.wait_for_timeout(200)
    assert dialogs == []
    injected = "article script, article img, [onerror], [onclick], a[href^='javascript']"
    assert page.evaluate(f'document.querySelectorAll("{injected}").length') == 0
    assert "real" not in article and "alert(5)" not in article and "alert(6)" not in page.content()
    page.close()


def test_web_page_metadata_markup_is_stored_as_text(hostile_site):
    pages = [p.read_text(encoding="utf-8") for p in (generated_docs(hostile_site) / "reports").rglob("*.md")]
    page = next(text for text in pages if "某某县财政局" in text)
    assert f"source_index_number: {SCRIPT}" in page and f"source_publisher: {IMG}" in page
    assert html.escape(SCRIPT, quote=False) in page  # the title as body text, escaped
    assert "alert(5)" not in page and 'alert("real")' not in page and "alert(6)" not in page


def test_web_page_metadata_is_shown_beside_the_documents_own_as_text(hostile_site, serve, browser):
    page = browser.new_page()
    page.goto(f"{serve(hostile_site)}{page_of(hostile_site, '某某县财政局')}/")
    source = page.locator(".gw-meta .gw-source").inner_text()
    assert "索引号" in source and SCRIPT in source and IMG in source
    assert page.evaluate('document.querySelectorAll(".gw-meta script, .gw-meta img").length') == 0
    page.close()
