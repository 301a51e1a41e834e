"""What a detail page says of itself, and which attachments it offers.

《政府网站发展指引》 asks every government page for meta tags (``ArticleTitle``, ``PubDate``,
``ContentSource`` …); those are read first.  A page without them often prints 发布时间/来源/索引号
lines above the text; those are read as printed, never guessed from the URL.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from .names import attachment_type

#: The meta tags of 《政府网站发展指引》 kept in the provenance sidecar.
META_TAGS = ("ArticleTitle", "PubDate", "ContentSource", "Url", "SiteName", "SiteIDCode", "ColumnName")
#: Lines a page prints about itself, by the key they fill (when it has no meta tags for them).
PRINTED = {"PubDate": ("发布时间", "发布日期"), "ContentSource": ("来源", "信息来源", "发布机构"),
           "IndexNumber": ("索引号",)}
PRINTED_LINE = re.compile(r"(发布时间|发布日期|信息来源|来源|发布机构|索引号)[\s\u3000]*[：:][\s\u3000]*"
                          r"([^\s\u3000|｜]+(?:[ \u3000]\d{1,2}:\d{2}(?::\d{2})?)?)")


def page_meta(soup: BeautifulSoup) -> dict[str, str]:
    """The page's own statements: its meta tags, else its printed 发布时间/来源/索引号 lines."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name, content = (tag.get("name") or "").strip(), " ".join((tag.get("content") or "").split())
        key = next((k for k in META_TAGS if k.lower() == name.lower()), None)
        if key and content and key not in found:
            found[key] = content
    text = soup.get_text("\n")
    for label, value in PRINTED_LINE.findall(text):
        key = next(k for k, labels in PRINTED.items() if label in labels)
        found.setdefault(key, value.strip())
    return found


def attachments(soup: BeautifulSoup, base: str) -> list[tuple[str, str]]:
    """(link text, address) of each report-format attachment the page links, in page order, once each."""
    found: dict[str, str] = {}
    for link in soup.find_all("a", href=True):
        href = link["href"].strip()
        if href.startswith(("#", "javascript:", "mailto:")):
            continue
        text = " ".join(link.get_text(" ").split())
        if attachment_type(href.split("?")[0].split("#")[0], text, link.get("title")):
            found.setdefault(urljoin(base, href), text)
    return [(text, url) for url, text in found.items()]
