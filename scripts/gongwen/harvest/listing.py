"""A listing page (a column) → its entries (title, address) and the addresses of its other pages.

Common portal systems paginate in four ways, all read here from the page's text alone:

* static pages linked from a page bar: ``index_1.html`` … (and 下一页/尾页 links);
* a page bar written by script: ``createPageHTML(total, current, "index", "html")`` (TRS), the numbers
  written out or held in ``var`` assignments: pages ``index.html``, ``index_1.html`` … ``index_{total-1}``;
  or, on many ministries' and provinces' portals, ``createPageHTML('page_div', total, current, "list",
  "shtml", records)``, whose pages are ``list.shtml``, ``list_2.shtml`` … ``list_{total}.shtml``;
* records embedded as XML in a script (大汉 JCMS): ``<datastore><recordset><record><![CDATA[<li>…]]>``,
  the rest served in groups by the ``nextgroup`` address with ``startrecord``/``endrecord``/``perpage``;
* a JSON list behind the page: a ``….json`` address named in a script, a list of objects with a title
  and an address, and a page count (``totalPage`` …) with the page number in the address.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from ..readers.html import FURNITURE
from ..textdata import HAN_CHAR

#: A link is a document entry when its title has at least this many Han characters.
MIN_ENTRY_HAN = 6
STATIC_PAGE = re.compile(r"(?:^|/)(index|list|default)_(\d+)\.s?html?$", re.I)
NEXT_WORDS = ("下一页", "下页", "尾页", "末页")
_PAGE_ARGUMENTS = r"([\w.]+)\s*,\s*([\w.]+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']"
#: ``createPageHTML(total, current, prefix, suffix)``: the first page unnumbered, then ``_1`` … ``_{total-1}``.
CREATE_PAGE = re.compile(r"createPageHTML\(\s*" + _PAGE_ARGUMENTS)
#: ``createPageHTML('page_div', total, current, prefix, suffix, records)``: unnumbered, then ``_2`` … ``_{total}``.
CREATE_PAGE_DIV = re.compile(r"createPageHTML\(\s*[\"'][\w-]+[\"']\s*,\s*" + _PAGE_ARGUMENTS)
VAR_NUMBER = re.compile(r"\bvar\s+(\w+)\s*=\s*[\"']?(\d+)[\"']?")
DATASTORE = re.compile(r"<datastore>.*?</datastore>", re.S | re.I)
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S | re.I)
TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
JSON_URL = re.compile(r"[\"']([^\"'\s<>]+?\.json(?:\?[^\"'\s<>]*)?)[\"']")
TITLE_KEYS = ("title", "Title", "TITLE", "name", "DOCTITLE", "docTitle", "fileName", "subject")
URL_KEYS = ("url", "Url", "URL", "link", "href", "DOCPUBURL", "docPubUrl", "pubUrl", "path")
PAGES_KEYS = ("totalPage", "totalPages", "pageCount", "pages", "page_count", "total_pages", "countPage")
JSON_PAGE = re.compile(r"(_|page=|/)(\d+)(\.json)", re.I)


@dataclass
class Listing:
    entries: list[tuple[str, str]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def decode_page(data: bytes, content_type: str = "") -> str:
    """A page's text: its declared charset (header, then ``<meta>``), else UTF-8, else GB18030."""
    declared = re.search(r"charset=[\"']?([\w-]+)", content_type or "", re.I) or \
        re.search(rb"charset=[\"']?([\w-]+)", data[:4096], re.I)
    names = [declared.group(1).decode() if isinstance(declared.group(1), bytes) else declared.group(1)] if declared else []
    for name in names + ["utf-8", "gb18030"]:
        name = "gb18030" if name.lower() in ("gb2312", "gbk") else name
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def parse_listing(text: str, url: str) -> Listing:
    """Entries and further pages of one listing response (HTML, JCMS XML or JSON)."""
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped[:1] in "{[":
        return _json_listing(stripped, url)
    listing = Listing()
    for store in DATASTORE.findall(text):
        _datastore(store, url, listing)
    if not listing.entries:
        soup = BeautifulSoup(text, "html.parser")
        listing.entries = _links(soup, url)
        listing.pages = _static_pages(soup, url)
    listing.pages += _script_pages(text, url) + [urljoin(url, found) for found in JSON_URL.findall(text)]
    listing.pages = _unique([p for p in listing.pages if p != url])
    return listing


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _links(soup: BeautifulSoup, base: str) -> list[tuple[str, str]]:
    found = []
    for link in soup.find_all("a", href=True):
        href = link["href"].strip()
        if href.startswith(("#", "javascript:", "mailto:")):
            continue
        text = " ".join(link.get_text(" ").split())
        title = link.get("title", "").strip()
        title = title if len(title) > len(text) else text
        if len(HAN_CHAR.findall(title)) >= MIN_ENTRY_HAN and not STATIC_PAGE.search(urlsplit(href).path) \
                and not _in_furniture(link):
            found.append((title, urljoin(base, href)))
    return _unique(found)


def _in_furniture(link) -> bool:
    """A link in the navigation, breadcrumbs or footer is not an entry of the column."""
    for element in link.parents:
        words = " ".join([element.get("id") or "", *(element.get("class") or [])]) if element.attrs is not None else ""
        if element.name in ("nav", "header", "footer") or (words and FURNITURE.search(words)):
            return True
    return False


def _static_pages(soup: BeautifulSoup, base: str) -> list[str]:
    pages = []
    for link in soup.find_all("a", href=True):
        href = link["href"].strip()
        text = "".join(link.get_text().split())
        if STATIC_PAGE.search(urlsplit(href).path) or text in NEXT_WORDS:
            if not href.startswith(("#", "javascript:")):
                pages.append(urljoin(base, href))
    return pages


def _script_pages(text: str, base: str) -> list[str]:
    """The pages a ``createPageHTML(…)`` page bar would link, in either of its two forms."""
    numbers = dict(VAR_NUMBER.findall(text))
    pages = []
    for pattern, first in ((CREATE_PAGE, 0), (CREATE_PAGE_DIV, 1)):
        for total, _current, prefix, suffix in pattern.findall(text):
            count = int(numbers.get(total, total)) if (numbers.get(total, total)).isdigit() else 0
            pages += [urljoin(base, f"{prefix}.{suffix}" if n == first else f"{prefix}_{n}.{suffix}")
                      for n in range(first, first + count)]
    return pages


def _datastore(store: str, base: str, listing: Listing) -> None:
    records = RECORD.findall(store)
    for record in records:
        listing.entries += _links(BeautifulSoup(record, "html.parser"), base)
    group, total = NEXTGROUP.search(store), TOTAL_RECORD.search(store)
    if not (group and total and records):
        return
    link = BeautifulSoup(group.group(1), "html.parser").find("a", href=True)
    if link is None:
        return
    proxy, size = urljoin(base, link["href"]), len(records)
    joiner = "&" if "?" in proxy else "?"
    for start in range(size + 1, int(total.group(1)) + 1, size):
        listing.pages.append(f"{proxy}{joiner}startrecord={start}&endrecord={start + size - 1}&perpage={size}")


def _json_listing(text: str, url: str) -> Listing:
    try:
        data = json.loads(text)
    except ValueError:
        return Listing()
    listing = Listing()
    for item in _json_items(data):
        title = next((str(item[k]) for k in TITLE_KEYS if item.get(k)), "")
        address = next((str(item[k]) for k in URL_KEYS if item.get(k)), "")
        if title and address:
            listing.entries.append((" ".join(title.split()), urljoin(url, address)))
    count = _json_pages(data)
    match = JSON_PAGE.search(urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else ""))
    if count and match:
        parts = urlsplit(url)
        whole = parts.path + ("?" + parts.query if parts.query else "")
        for number in range(1, count + 1):
            new = whole[:match.start(2)] + str(number) + whole[match.end(2):]
            path, _, query = new.partition("?")
            listing.pages.append(urlunsplit((parts.scheme, parts.netloc, path, query, "")))
    listing.pages = _unique([p for p in listing.pages if p != url])
    return listing


def _json_items(data) -> list[dict]:
    """The first list of objects that have a title and an address, anywhere in the document."""
    if isinstance(data, list):
        if any(isinstance(i, dict) and any(k in i for k in TITLE_KEYS) and any(k in i for k in URL_KEYS) for i in data):
            return [i for i in data if isinstance(i, dict)]
        values = data
    elif isinstance(data, dict):
        values = list(data.values())
    else:
        return []
    for value in values:
        found = _json_items(value)
        if found:
            return found
    return []


def _json_pages(data) -> int:
    if isinstance(data, dict):
        for key in PAGES_KEYS:
            if isinstance(data.get(key), int) or str(data.get(key, "")).isdigit():
                return int(data[key])
        for value in data.values():
            found = _json_pages(value)
            if found:
                return found
    return 0
