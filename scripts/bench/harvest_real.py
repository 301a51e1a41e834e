"""Saved copies of real portal columns, served on 127.0.0.1 and harvested: does ``gongwen harvest`` find the
reports a careful reader finds?

    .venv/bin/python scripts/bench/harvest_real.py FOLDER [--manifest scripts/bench/harvest-real.json]

The manifest (JSON) lists columns; each has ``url`` (the column's first listing page as published),
``files`` (each saved address → its file under FOLDER: listing pages, report pages, attachments, as saved)
and ``expected`` (the titles of the annual reports a careful reader finds in the column). The saved
copies stay outside the repository (third-party text); the manifest holds only addresses and titles.

Each column is served by the tests' portal (``tests/harvest_portal.py``) on a port of its own; the saved
bytes are served as they are, except that the column's original addresses (``http://host``,
``https://host``, ``//host``) are written as the local one, so that links stay on the served copy. An
address the manifest lacks answers 404, as a page the saver did not keep. The harvest runs with no delay;
its reports are read back from the ``provenance.yml`` it writes. Printed per column and in all: expected,
found, missed (expected, not found) and extra (found, not expected).
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from gongwen.harvest.crawl import Harvest, Source  # noqa: E402
from gongwen.harvest.fetch import Politeness  # noqa: E402
from harvest_portal import Portal  # noqa: E402

MANIFEST = Path(__file__).with_name("harvest-real.json")
QUICK = Politeness(contact="harvest_real.py", delay=0, timeout=10, retries=0)


def origins(urls: list[str]) -> set[str]:
    return {urlsplit(url).netloc for url in urls}


def local_bytes(body: bytes, hosts: set[str], base: str) -> bytes:
    """The saved bytes with the column's own addresses made local (ASCII, so any page encoding keeps)."""
    for host in sorted(hosts, key=len, reverse=True):
        for prefix in (f"https://{host}", f"http://{host}", f"//{host}"):
            body = body.replace(prefix.encode(), base.encode())
    return body


def serve(column: dict, folder: Path) -> tuple[Portal, str]:
    """The column's saved files on a local port; the local address of its first listing page."""
    portal = Portal()
    base = portal.start()
    hosts = origins([column["url"], *column["files"]])
    if not any(urlsplit(url).path == "/robots.txt" for url in column["files"]):
        portal.add("/robots.txt", "User-agent: *\nDisallow:\n", content_type="text/plain")
    for url, name in column["files"].items():
        parts = urlsplit(url)
        kind = mimetypes.guess_type(parts.path)[0] or "text/html"
        portal.add(parts.path + (f"?{parts.query}" if parts.query else ""),
                   local_bytes((folder / name).read_bytes(), hosts, base), content_type=kind)
    parts = urlsplit(column["url"])
    return portal, base + parts.path + (f"?{parts.query}" if parts.query else "")


def harvested_titles(column: dict, folder: Path, scratch: Path) -> tuple[set[str], int]:
    portal, url = serve(column, folder)
    try:
        (_, tally), = Harvest(scratch / "corpus", scratch / "work", QUICK).run([Source(url)])
    finally:
        portal.stop()
    titles = {yaml.safe_load(path.read_text(encoding="utf-8"))["title"]
              for path in (scratch / "corpus").rglob("provenance.yml")}
    return {_plain(title) for title in titles}, tally.pages


def _plain(title: str) -> str:
    return "".join(title.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the saved copies (outside the repository)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST,
                        help=f"columns and expected titles (default {MANIFEST.name})")
    args = parser.parse_args(argv)
    columns = json.loads(args.manifest.read_text(encoding="utf-8"))["columns"]
    totals = {"expected": 0, "found": 0, "missed": 0, "extra": 0}
    for number, column in enumerate(columns):
        expected = {_plain(title) for title in column["expected"]}
        with tempfile.TemporaryDirectory() as scratch:
            found, pages = harvested_titles(column, args.folder, Path(scratch))
        counts = {"expected": len(expected), "found": len(found & expected), "missed": len(expected - found),
                  "extra": len(found - expected)}
        print(f"{column['url']}: listing pages {pages}; " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        for title in sorted(expected - found):
            print(f"  missed: {title}")
        for title in sorted(found - expected):
            print(f"  extra: {title}")
        totals = {k: totals[k] + counts[k] for k in totals}
    print(f"{len(columns)} columns: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 1 if totals["missed"] or totals["extra"] else 0


if __name__ == "__main__":
    sys.exit(main())
