"""The search page's scripts as the site ships them.

``docs/assets/search/*.js`` are written to be read: a comment says why, names are long.  A visitor's phone
downloads them with the first query, so the site ships them without comments and spacing (rjsmin, which
keeps every token as it is; no renaming, so an error in the browser still names our functions).  At
100,000 reports they were 22 KB of a natural query's ~200 KB, 14 KB so.  The MkDocs hook ships them this
way, and the benchmarks copy them over a kept site the same way.
"""

from __future__ import annotations

from pathlib import Path

import rjsmin

#: Where the search scripts are, under ``docs/`` and in the site.
SEARCH_SCRIPTS = "assets/search/"


def is_search_script(uri: str) -> bool:
    return uri.startswith(SEARCH_SCRIPTS) and uri.endswith(".js")


def shipped(source: str) -> str:
    """A script without its comments and spacing, every token kept."""
    return rjsmin.jsmin(source)


def ship_scripts(source: Path, site: Path) -> None:
    """Every search script of ``source`` (``docs/assets/search``) into the site, as the build ships it."""
    target = site / SEARCH_SCRIPTS
    for script in sorted(source.glob("*.js")):
        (target / script.name).write_text(shipped(script.read_text(encoding="utf-8")), encoding="utf-8")
