"""MkDocs hooks: the only place the archive reaches into MkDocs' page rendering.

Material prints ``page.meta`` values (the title in ``<title>`` and in the
header) without escaping.  Report metadata is data taken from input files, so
every string in a page's meta is HTML-escaped before any template sees it:
first thing after the page is read, and again before templates (an escaped
value is ``Markup`` and so is never escaped twice).

``on_files`` ships the search scripts without comments and spacing (``browse/scripts.py``), and adds the
generated pages: ``gongwen build`` writes them into its work
folder (``buildpaths.py``; never into the hand-written ``docs/``) and names it in
the environment; each becomes a ``File.generated`` backed by that file, so that
``--dirty`` builds compare its time with the built page's.  It also publishes the
design notes under ``design/`` (``docs/search.md`` would take the search page's URL), a page at each
note's old address that leads to the new one, and ``opensearch.xml``.

``on_page_context`` gives the templates what government site search and readers read
(``browse/govweb.py``): the 《政府网站发展指引》 meta tags, a report's JSON-LD and the QR code of
its permanent address, printed beside the address.

The tag chips of a report page are rendered here into Material's own ``tags``
partial (no tags plugin): each links to the page its tag stands for
(``browse/tags.py``: a bureau, year or place page, or a tag index page).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data


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
    if page.meta.get("sha256") and page.meta.get("tags"):
        page.gongwen_chips = _chips(page.meta, files)
    _escape_page(page)
    return markdown


def _chips(meta: dict, files) -> list[dict]:
    """Material's ``tags`` partial expects items with ``name`` and ``url`` (made relative by its ``url`` filter)."""
    from gongwen.browse.tags import tag_links
    from gongwen.datafiles import load_vocabulary
    from gongwen.model import FrontMatter

    chips = []
    for name, target in tag_links(FrontMatter.model_validate(meta), load_vocabulary().topics):
        file = files.get_file_from_path(target)
        chips.append({"name": escape(name), "url": file.url if file else None, "hidden": False})
    return chips


#: The developers' design notes (English) are published under design/, apart from the public pages: and
#: docs/search.md would be /search/, which is the search page (docs/search/index.md).
RELOCATED = {"search.md": "design/search/index.html", "benchmarks.md": "design/benchmarks/index.html",
             "scale.md": "design/scale/index.html", "benchmarks-browse.md": "design/benchmarks-browse/index.html"}
#: Addresses a design note had before it moved under design/: each keeps a page that leads to the new one.
MOVED = {"benchmarks-browse/index.html": "../design/benchmarks-browse/"}


def on_files(files, config):
    for file in files:
        if file.src_uri in RELOCATED:
            file.dest_uri = RELOCATED[file.src_uri]
            for cached in ("url", "abs_dest_path"):
                file.__dict__.pop(cached, None)
    from gongwen.browse.govweb import opensearch_xml
    from gongwen.browse.links import redirect_html
    from gongwen.buildpaths import GENERATED_DOCS_ENV

    _ship_search_scripts(files, config)

    for old, new in MOVED.items():
        files.append(File.generated(config, old, content=redirect_html(new, "本页已迁移", "本页已迁至设计说明：")))
    files.append(File.generated(config, "opensearch.xml", content=opensearch_xml(config.site_name, config.site_url)))
    generated = os.environ.get(GENERATED_DOCS_ENV)
    if generated:
        _add_generated(files, config, Path(generated))
    return files


def _ship_search_scripts(files, config) -> None:
    """The search scripts without comments and spacing (``browse/scripts.py``)."""
    from gongwen.browse.scripts import is_search_script, shipped

    for file in [f for f in files if f.generated_by is None and is_search_script(f.src_uri)]:
        files.remove(file)
        source = Path(file.abs_src_path).read_text(encoding="utf-8")
        files.append(File.generated(config, file.src_uri, content=shipped(source)))


def _add_generated(files, config, folder: Path) -> None:
    """Every file under ``folder`` as a page or file of the site; a hand-written file of the same
    path, or one left in docs/ by an old build under a generated path, gives way."""
    from gongwen.buildpaths import is_generated

    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    uris = {p.relative_to(folder).as_posix() for p in paths}
    for file in list(files):
        if file.generated_by is None and (file.src_uri in uris or is_generated(file.src_uri)):
            files.remove(file)
    for path in paths:
        files.append(File.generated(config, path.relative_to(folder).as_posix(), abs_src_path=str(path)))
    _add_linked(files, config, folder)


def _add_linked(files, config, folder: Path) -> None:
    """The national step of a split build (``national.py``): the province pages its listings link to, as link
    targets that are not built (each province's own build makes them)."""
    from mkdocs.structure.files import InclusionLevel

    from gongwen.buildpaths import linked_pages

    listed = linked_pages(folder)
    for uri in json.loads(listed.read_text(encoding="utf-8")) if listed.is_file() else []:
        files.append(File.generated(config, uri, content="", inclusion=InclusionLevel.EXCLUDED))


class _DirtyNotice(logging.Filter):
    """``gongwen build`` decides itself when a dirty build is exact (see ``buildpaths.py``), so MkDocs'
    general warning about dirty builds is not a problem of this build (it would fail ``--strict``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


def on_startup(command, dirty):
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())


def on_env(env, config, files):
    """The Chinese field names for templates (one table, ``fieldnames.py``, as ``messages.FIELD_LABELS``); and a page a dirty build
    did not read still needs the front matter the sitemap shows: a generated page's is in ``dates.json``
    (``siteplan.page_dates``; re-reading 38,000 pages' YAML took half of a dirty build at 10,000 reports)."""
    from gongwen.messages import FIELD_LABELS

    env.globals["field_labels"] = FIELD_LABELS
    dates = _page_dates()
    for file in files.documentation_pages():
        page = file.page
        if page is not None and page.markdown is None and file.abs_src_path:
            if file.generated_by is not None:  # a generated page: its dates, as ``gongwen build`` wrote them
                page.meta = _escaped(dates.get(file.src_uri, {}))
            else:
                _, meta = get_data(Path(file.abs_src_path).read_text(encoding="utf-8-sig"))
                page.meta = _escaped(meta)
    return env


def _page_dates() -> dict:
    from gongwen.buildpaths import GENERATED_DOCS_ENV, page_dates

    generated = os.environ.get(GENERATED_DOCS_ENV)
    dates = page_dates(Path(generated)) if generated else None
    return json.loads(dates.read_text(encoding="utf-8")) if dates and dates.is_file() else {}


def on_page_context(context, page, config, nav):
    _escape_page(page)
    if getattr(page, "gongwen_chips", None):
        context["tags"] = page.gongwen_chips
    context |= _government_web(page, config)
    return context


def _raw(value):
    """A value as the front matter had it, before :func:`_escaped` (the template escapes what it prints)."""
    if isinstance(value, Markup):
        return value.unescape()
    if isinstance(value, list):
        return [_raw(item) for item in value]
    if isinstance(value, dict):
        return {key: _raw(item) for key, item in value.items()}
    return value


def _government_web(page, config) -> dict:
    """The page's 《政府网站发展指引》 meta tags; a report page's JSON-LD and the QR code of its permanent
    address for print (``browse/govweb.py``)."""
    from gongwen.browse.govweb import meta_tags, qr_svg, report_json_ld

    meta, canonical = _raw(page.meta), page.canonical_url
    title = _raw(meta.get("title") or page.title or config.site_name)
    site = {"site_name": config.site_name, "site_url": config.site_url, "site_description": config.site_description,
            "extra": config.extra}
    found = {"gw_meta": meta_tags(meta, str(title), page.url, canonical, site)}
    if meta.get("sha256"):
        found["gw_json_ld"] = Markup(report_json_ld(meta, canonical, config.site_name))
        found["gw_qr"] = Markup(qr_svg(canonical)) if canonical else None
    return found


def on_post_page(output, page, config):
    """A written page's HTML and Markdown are not read again (anchor checks use the ids MkDocs kept), so they
    are dropped: MkDocs otherwise holds every page's HTML until the end (about 1 GB at 10,000 reports)."""
    page.content = None
    page.markdown = None
    return output
