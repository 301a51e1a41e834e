"""MkDocs hooks: the only place the archive reaches into MkDocs' page rendering.

Material prints ``page.meta`` values (the title in ``<title>`` and in the
header, tags) without escaping.  Report metadata is data taken from input
files, so every string in a page's meta is HTML-escaped before templates see
it; an escaped value is ``Markup`` and so is never escaped twice.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def _escaped(value):
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def on_page_context(context, page, config, nav):
    page.meta = _escaped(page.meta)
    if page.title is not None:
        page.title = _escaped(page.title)
    return context
