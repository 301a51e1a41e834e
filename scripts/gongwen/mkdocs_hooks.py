"""MkDocs hooks: the only place the archive reaches into MkDocs' page rendering.

Material prints ``page.meta`` values (the title in ``<title>`` and in the
header, tags, tag listings) without escaping.  Report metadata is data taken
from input files, so every string in a page's meta is HTML-escaped before any
plugin or template sees it: first thing after the page is read (before the
tags plugin collects tags and titles), and again before templates (an escaped
value is ``Markup`` and so is never escaped twice).  Generated tag listings
name their tags escaped the same way (browse/tags.py).

``on_files`` moves two design notes off the URL of the search page.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from mkdocs.plugins import event_priority


def _escaped(value):
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def _escape_page(page) -> None:
    page.meta = _escaped(page.meta)
    if page.title is not None:
        page.title = _escaped(page.title)


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    _escape_page(page)
    return markdown


#: Design notes whose natural URL is taken: docs/search.md would be /search/, which is
#: the search page (docs/search/index.md).  They are published under design/ instead.
RELOCATED = {"search.md": "design/search/index.html", "benchmarks.md": "design/benchmarks/index.html"}


def on_files(files, config):
    for file in files:
        if file.src_uri in RELOCATED:
            file.dest_uri = RELOCATED[file.src_uri]
            for cached in ("url", "abs_dest_path"):
                file.__dict__.pop(cached, None)
    return files


def on_page_context(context, page, config, nav):
    _escape_page(page)
    return context
