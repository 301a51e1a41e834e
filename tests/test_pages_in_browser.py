"""Every page type in real headless Chromium at a phone and a laptop size.

No horizontal scrolling, Chinese drawn in a CJK font, one h1 and headings in order,
``lang="zh…"``, and axe-core (bundled by axe-playwright-python) finds no serious or
critical violation.  Screenshots of each page type at each size go to tests/artifacts/
(git-ignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from conftest import assert_fits_with_headings_in_order

ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORTS = [(375, 812), (1280, 800)]
PAGE_TYPES = {
    "home": "",
    "bureau-index": "bureaus/",
    "bureau": "bureaus/henan/jiaozuo/kjj/",
    "year-index": "years/",
    "year": "years/2024/",
    "region-index": "regions/",
    "region": "regions/henan/jiaozuo/",
    "doc-numbers": "doc-numbers/",
    "tag-index": "tags/",
    "tag": "tags/topic/legal-adviser/",
    "report": "reports/henan/jiaozuo/kjj/2023/",
    "report-long-headings": "reports/henan/luoyang/xigong/kjj/2024/",
    "bureau-kind": "bureaus/kinds/kjj/",
    "about": "about/",
    "data-description": "schema/",
    "not-found": "404.html",
}
#: Page types that are listings or reports: each has breadcrumbs (当前位置).
WITH_CRUMBS = [name for name in PAGE_TYPES if name != "home"]
#: Font families that draw Chinese (fonts-noto-cjk on Debian, or what another system has).
CJK_FONT = re.compile(r"CJK|Han Sans|Han Serif|WenQuanYi|Hei|Song|Kai|Ming|Droid Sans Fallback|PingFang|YaHei", re.I)


@pytest.fixture(scope="module")
def base(browse_site, serve) -> str:
    return serve(browse_site)


def used_fonts(page, selector: str) -> list[str]:
    """The platform fonts Chromium actually used to draw the text of ``selector`` (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    text = cdp.send("DOM.describeNode", {"nodeId": node, "depth": 1})["node"]["children"][0]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    assert text
    return [font["familyName"] for font in fonts]


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=lambda v: str(v))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_fits_and_renders_chinese(browser, base, name, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(base + PAGE_TYPES[name])
    page.wait_for_load_state("networkidle")
    assert_fits_with_headings_in_order(page, width)
    assert page.evaluate("document.documentElement.lang").startswith("zh")
    fonts = used_fonts(page, "article h1")
    assert any(CJK_FONT.search(f) for f in fonts), fonts
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=lambda v: str(v))
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_has_no_serious_accessibility_violation(browser, base, name, width, height):
    from axe_playwright_python.sync_playwright import Axe
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(base + PAGE_TYPES[name])
    page.wait_for_load_state("networkidle")
    # The whole page is checked, the archive's own header search box included.
    results = Axe().run(page)
    violations = results.response["violations"]
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    page.close()
    assert serious == [], "\n".join(map(str, serious))


#: Characters on each drawn line of an element's text.
LINE_LENGTHS = """selector => { const text = document.querySelector(selector).firstChild, tops = {};
  for (let i = 0; i < text.length; i++) {
    const range = document.createRange(); range.setStart(text, i); range.setEnd(text, i + 1);
    const top = Math.round(range.getBoundingClientRect().top); tops[top] = (tops[top] || 0) + 1; }
  return Object.values(tops); }"""


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=lambda v: str(v))
def test_report_page_starts_with_its_title(browser, base, width, height):
    """Title first (full contrast), then the key facts, then the box of metadata (open on a desktop only)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(base + PAGE_TYPES["report"])
    page.wait_for_load_state("networkidle")
    top = page.evaluate("document.querySelector('article h1').getBoundingClientRect().top")
    assert top < 400, top
    color = page.evaluate("getComputedStyle(document.querySelector('article h1')).color")
    assert color in ("rgba(0, 0, 0, 0.87)", "rgb(0, 0, 0)"), color  # Material's body text colour, not its light grey
    facts = page.locator(".gw-facts").inner_text()
    assert "焦科组〔2024〕5号" in facts and "2023年度" in facts and "2024年3月18日印发" in facts
    assert page.evaluate("document.querySelector('.gw-details').open") == (width > 960)
    for selector in (".gw-masthead", "article h1", ".gw-doc-title"):  # no character left alone on a line
        lines = page.evaluate(LINE_LENGTHS, selector)
        assert min(lines) >= max(lines) / 3, (selector, lines)
    page.close()


@pytest.mark.parametrize("name", WITH_CRUMBS)
def test_breadcrumbs_lead_back_home(browser, base, name):
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(base + PAGE_TYPES[name])
    crumbs = page.locator("nav.gw-crumbs li").all_inner_texts()
    assert crumbs[0] == "首页" and len(crumbs) >= 2, crumbs
    assert page.locator("nav.gw-crumbs [aria-current=page]").count() == 1
    if name == "report":
        assert [c.strip("› ") for c in crumbs] == ["首页", "河南省", "焦作市", "焦作市科学技术局", "2023年度"]
    page.click("nav.gw-crumbs a >> nth=0")
    assert page.url == base
    page.close()


def test_not_found_page_is_chinese_and_leads_to_search(browser, base):
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(base + "404.html")
    assert page.locator("article h1").inner_text() == "页面不存在"
    assert "Not found" not in page.content()
    page.fill("#gw-404-q", "法律顾问")
    page.press("#gw-404-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert "q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE" in page.url
    page.close()


def test_copy_buttons_fill_the_permalink(browser, base):
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(base + PAGE_TYPES["report"])
    page.wait_for_load_state("networkidle")
    page.click(".gw-details > summary")  # closed on a phone
    assert page.input_value("#gw-permalink-input") == base + PAGE_TYPES["report"]
    import datetime as dt
    today = dt.date.today()
    gbt = page.inner_text("#gw-gbt-text")  # the full address and the day it was read, filled in by the browser
    assert gbt.endswith(f"[{today.isoformat()}]. {base}{PAGE_TYPES['report']}."), gbt
    with page.expect_download() as download:
        page.click("a[download$='.ris']")
    ris = Path(download.value.path()).read_bytes().decode("utf-8")
    assert f"UR  - {base}{PAGE_TYPES['report']}\r\n" in ris and f"Y2  - {today:%Y/%m/%d}\r\n" in ris
    page.click("button[data-copy=gw-citation-text]")
    page.wait_for_function("document.querySelector('button[data-copy=gw-citation-text]').textContent === '已复制'",
                           timeout=5000)
    page.close()


def test_report_prints_like_a_gongwen(browser, base):
    """Print media: no navigation, header, tags or extras; the title and the document's headings stay."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base + PAGE_TYPES["report"])
    page.emulate_media(media="print")
    hidden = page.evaluate("""['.md-header', '.md-sidebar--primary', '.md-footer', '.md-tags', '.gw-extras', '.gw-meta',
        '.gw-crumbs', '.gw-facts', '.gw-details', 'article > h1']
        .map(s => document.querySelector(s)).filter(Boolean)
        .map(el => getComputedStyle(el).display)""")
    assert len(hidden) == 10 and set(hidden) == {"none"}
    shown = page.evaluate("""[...document.querySelectorAll('.gw-masthead, .gw-doc-title, article h2, article h3')]
        .map(h => [h.className || h.tagName, getComputedStyle(h).display, getComputedStyle(h).textAlign])""")
    assert shown[:2] == [["gw-masthead", "block", "center"], ["gw-doc-title", "block", "center"]]  # printed under its 版头
    assert len(shown) > 10 and all(display == "block" for _, display, _ in shown)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "report-print.pdf"
    page.pdf(path=str(pdf_path), format="A4")
    page.close()
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
    assert len(texts) > 2
    for number, text in enumerate(texts, 1):
        lines = text.splitlines()
        assert f"— {number} —" in lines, (number, lines[-3:])  # page numbers as a 公文 prints them
        assert any(line.startswith(base + PAGE_TYPES["report"]) and "打印于" in line for line in lines), lines[-3:]
    assert unicodedata.normalize("NFKC", texts[0].splitlines()[0]) == "中共焦作市科学技术局党组文件"  # 版头 on one line
    last = texts[-1].splitlines()
    assert any("办公室" in line and line.rstrip().endswith("印发") for line in last), last  # 版记: one line


def test_clean_text_download_reads_as_chinese_in_the_browser(browser, base):
    """Python's static server sends .txt as text/plain with no charset, as many hosts do; the BOM decides."""
    page = browser.new_page()
    response = page.goto(base + PAGE_TYPES["report"] + "henan-jiaozuo-kjj-2023.txt")
    assert "charset" not in response.headers["content-type"]
    assert page.inner_text("body").startswith("中共焦作市科学技术局党组文件")
    page.close()


FOCUS_STYLE = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return [e.tagName + ' ' + (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 20),
          s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== 'none'] }"""


@pytest.mark.parametrize("name", ["report", "home", "not-found"])
def test_keyboard_sees_where_the_focus_is(browser, base, name):
    """Skip link first, then every control shows a visible focus ring; no ¶ anchor is a tab stop; landmarks."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base + PAGE_TYPES[name])
    page.wait_for_load_state("networkidle")
    assert page.evaluate("[...document.querySelectorAll('header.md-header, main, footer')].map(e => e.tagName)") == \
        ["HEADER", "MAIN", "FOOTER"]
    assert page.locator("nav.gw-crumbs[aria-label='当前位置']").count() == (0 if name == "home" else 1)
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_STYLE))
        if seen[-1][0].startswith("BODY"):  # past the last control: the focus leaves the page
            seen.pop()
            break
    if name != "not-found":  # Material's skip link needs a table of contents, which the 404 page has none of
        assert seen[0][0] == "A 跳到正文"
    unringed = [label for label, ringed in seen if not ringed]
    assert unringed == [], unringed
    assert not any(label.startswith("A ¶") for label, _ in seen)
    page.close()
