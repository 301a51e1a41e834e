"""Browse stage: the set of reports → listing pages, tag pages, feeds and data files.

Every function here is pure: reports in, ``{path inside docs/: text}`` out.
``siteplan.plan_site`` gathers them.  Listing pages link to ``.md`` sources, so
``mkdocs build --strict`` checks every link, and no listing page holds more
than :data:`listing.MAX_ENTRIES` entries (long lists are grouped, then paged).
"""
