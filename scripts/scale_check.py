"""Scale check of the browse pages: build a site of N synthetic reports and measure its listings.

    .venv/bin/python scripts/scale_check.py [--count 1000]

Prints the figures and writes docs/benchmarks-browse.md.  A listing page is any page that is not
a report page; its entries are the <li> items of its article (tag listings included).  The site is
built with the checkout's own mkdocs.yml into a temporary folder (generated pages go to the build's
work folder beside it, see ``gongwen/buildpaths.py``), so the checkout is not touched.  The bar
(issue 3): no listing page over ~200 entries or ~500 KB of HTML.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def gongwen(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "gongwen.cli", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def measure(site: Path) -> tuple[int, list[tuple[int, int, str]]]:
    pages, listings = 0, []
    for page in site.rglob("index.html"):
        pages += 1
        rel = page.parent.relative_to(site).as_posix()
        html = page.read_bytes()
        if rel.startswith("reports/"):
            continue
        article = BeautifulSoup(html, "html.parser").select_one("article")
        listings.append((len(article.select("li")) if article else 0, len(html), rel))
    return pages, sorted(listings, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        gongwen("synth", "--count", str(args.count), "--out", str(tmp / "corpus"))
        started = time.monotonic()  # the checkout's own configuration: the build writes only beside its site
        gongwen("build", "--corpus", str(tmp / "corpus"), "--site", str(tmp / "site"), "--config", str(ROOT / "mkdocs.yml"))
        seconds = time.monotonic() - started
        pages, listings = measure(tmp / "site")
    most = listings[0]
    largest = max(listings, key=lambda item: item[1])
    lines = ["# Browse pages at scale", "", "Written by `scripts/scale_check.py`; numbers from one run on the development machine.",
             "", "| figure | value |", "| --- | --- |",
             f"| synthetic reports | {args.count} |", f"| HTML pages built | {pages} |",
             f"| `gongwen build` time (incl. `mkdocs build --strict`) | {seconds:.0f} s |",
             f"| listing pages | {len(listings)} |",
             f"| most entries on one listing page | {most[0]} (`{most[2]}/`) |",
             f"| largest listing page | {largest[1] / 1024:.0f} KB (`{largest[2]}/`) |",
             "", "Bar: no listing page over ~200 entries or ~500 KB of HTML.", ""]
    text = "\n".join(lines)
    print(text)
    (ROOT / "docs" / "benchmarks-browse.md").write_text(text, encoding="utf-8")
    return 0 if most[0] <= 200 and largest[1] <= 500 * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
