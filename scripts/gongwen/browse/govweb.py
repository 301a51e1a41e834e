"""What government site search, the national site inspections and browsers read from a page.

- The meta tags of 《政府网站发展指引》 (SiteName, SiteDomain, SiteIDCode, ColumnName, ArticleTitle, PubDate,
  ContentSource, Keywords, Description, Url): :func:`meta_tags`, printed in every page's head by
  ``overrides/main.html``;
- a report's schema.org description (``Report``: issuer, dates, 文号) as JSON-LD: :func:`report_json_ld`,
  with ``<``, ``>`` and ``&`` written as ``\\u003c``…, so that no report text can end the script element;
- an OpenSearch description (``opensearch.xml``), so that a browser can add the archive's search;
- the QR code of a report's permanent address for the printed page (segno, SVG, made at build time).

Pure functions over a page's front matter (raw, not HTML-escaped) and the site's settings; the MkDocs hook
(``mkdocs_hooks.py``) calls them and the template escapes what it prints.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import segno

#: ColumnName: the site's columns (its navigation), by the first part of a page's URL.
COLUMNS = {"": "首页", "reports": "报告", "bureaus": "按部门", "years": "按年度", "regions": "按地区",
           "doc-numbers": "按文号", "tags": "标签", "publication": "公开情况", "search": "检索",
           "about": "关于本库", "maintaining": "维护指南", "schema": "数据说明", "design": "设计说明"}
#: What a JSON-LD text must not hold raw inside ``<script>``: the parser would end the element at ``</script>``.
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def site_domain(extra: dict, site_url: str | None) -> str:
    """``extra.site_domain``, else the host of the site's address (empty when neither is known)."""
    return str(extra.get("site_domain") or (urlsplit(site_url).hostname if site_url else "") or "")


def column_name(url: str) -> str:
    return COLUMNS.get(url.split("/", 1)[0], "")


def as_date(value) -> dt.date | None:
    """A front-matter date, as YAML gave it (a date, or its ISO text)."""
    if isinstance(value, dt.date) or not value:
        return value or None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def issue_day(meta: dict) -> str:
    """印发日期, else 成文日期, ISO (the guideline's PubDate; no time of day is known, so none is given)."""
    day = as_date(meta.get("date_printed")) or as_date(meta.get("date_signed"))
    return day.isoformat() if day else ""


def citation_of(meta: dict) -> str:
    """发文机关《标题》（文号），日期 (as ``places.citation``, from the front matter)."""
    text = f"{meta.get('issuer') or meta.get('bureau_name') or ''}《{meta.get('title', '')}》"
    if meta.get("doc_number"):
        text += f"（{meta['doc_number']}）"
    day = as_date(meta.get("date_printed")) or as_date(meta.get("date_signed"))
    return text + (f"，{day.year}年{day.month}月{day.day}日" if day else "")


def meta_tags(meta: dict, title: str, url: str, canonical: str | None, site: dict) -> list[tuple[str, str]]:
    """(name, content) of each guideline meta tag that has a value; ``meta``: the page's raw front matter
    (a report page has ``sha256``), ``site``: ``site_name``, ``site_url``, ``site_description`` and ``extra``."""
    extra = site.get("extra") or {}
    report = bool(meta.get("sha256"))
    tags = [("SiteName", site.get("site_name") or ""), ("SiteDomain", site_domain(extra, site.get("site_url"))),
            ("SiteIDCode", str(extra.get("site_id_code") or "")), ("ColumnName", column_name(url)),
            ("ArticleTitle", title)]
    if report:
        keywords = [str(t) for t in meta.get("tags") or []]
        tags += [("PubDate", issue_day(meta)), ("ContentSource", str(meta.get("issuer") or meta.get("bureau_name") or "")),
                 ("Keywords", ",".join(keywords)), ("Description", citation_of(meta))]
    else:
        tags += [("ContentSource", str(extra.get("organizer") or site.get("site_name") or "")),
                 ("Description", str(site.get("site_description") or ""))]
    tags.append(("Url", canonical or ""))
    return [(name, value) for name, value in tags if value]


def script_json(data) -> str:
    """JSON safe to print between ``<script type="application/ld+json">`` and ``</script>`` as it is."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for char, escaped in SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def report_json_ld(meta: dict, canonical: str | None, site_name: str) -> str:
    """A report page's schema.org ``Report``: title, issuer, dates, 文号, year, place; as :func:`script_json`."""
    place = "".join(dict.fromkeys(p for p in (meta.get("province"), meta.get("city"), meta.get("county")) if p))
    data = {"@context": "https://schema.org", "@type": "Report", "name": meta.get("title"),
            "headline": meta.get("title"), "inLanguage": "zh-CN",
            "author": {"@type": "GovernmentOrganization", "name": meta.get("issuer") or meta.get("bureau_name")},
            "about": {"@type": "GovernmentOrganization", "name": meta.get("bureau_name") or meta.get("bureau")},
            "datePublished": issue_day(meta) or None,
            "dateCreated": signed.isoformat() if (signed := as_date(meta.get("date_signed"))) else None,
            "reportNumber": meta.get("doc_number"), "identifier": meta.get("doc_number") or meta.get("id"),
            "temporalCoverage": str(meta["year"]) if meta.get("year") else None,
            "spatialCoverage": {"@type": "AdministrativeArea", "name": place} if place else None,
            "keywords": ",".join(meta.get("topics") or []) or None, "url": canonical,
            "isPartOf": {"@type": "WebSite", "name": site_name}}
    return script_json({key: value for key, value in data.items() if value is not None})


#: ShortName: at most 16 characters (OpenSearch 1.1).
SEARCH_NAME = "法治政府报告库"


def opensearch_xml(site_name: str, site_url: str | None) -> str:
    """The OpenSearch 1.1 description of the archive's search (``search/?q=…``, read by
    ``docs/assets/search/page.js``).  Its template is absolute when the site's address is set
    (``GONGWEN_SITE_URL``), else relative to the site's root, where this file is."""
    base = (site_url.rstrip("/") + "/") if site_url else ""
    template = f"{base}search/?q={{searchTerms}}"
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">',
        f"  <ShortName>{escape(SEARCH_NAME)}</ShortName>",
        f"  <Description>{escape(f'检索{site_name}：标题、部门、文号或正文中的词语。')}</Description>",
        "  <InputEncoding>UTF-8</InputEncoding>", "  <OutputEncoding>UTF-8</OutputEncoding>",
        "  <Language>zh-CN</Language>",
        f"  <Url type=\"text/html\" method=\"get\" template={quoteattr(template)}/>",
        "</OpenSearchDescription>", ""])


#: The QR mask pattern, fixed: segno's choice among the eight (scoring each) took 9 of the 12 ms a code costs, about
#: 90 s of a cold build at 10,000 reports; every mask gives a valid code, and the printed code is read back in a test.
QR_MASK = 0


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (error correction M, the quiet zone of 4 modules the standard asks), scaled by CSS."""
    code = segno.make(url, error="m", micro=False, mask=QR_MASK)
    return code.svg_inline(scale=1, border=4, svgclass="gw-qr", lineclass=None, omitsize=True)
