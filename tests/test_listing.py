"""Listing pages made fast must be the same pages: ``listing.relative`` is ``posixpath.relpath`` for every kind of
pair a listing makes (a page at the root, in the target's folder, under a shared folder, in another top folder); a
line is the same whether its entry's escaped text was remembered or not; and a list's lines remembered from the
last build (``RememberedLines``) are used only for the same page and the same entries."""

from __future__ import annotations

import posixpath

import pytest

from gongwen.browse import listing
from gongwen.browse.listing import MAX_ENTRIES, Entry, RememberedLines, entry_line, listing_pages, relative, remembering

PAGES = ["index.md", "years/2024.md", "years/2024/3.md", "tags/topic-xzfy/2.md", "publication/lists/henan/2024.md",
         "reports/henan/jiaozuo/index.md", "reports/henan/jiaozuo/kjj/2024.md", "bureaus/henan/index.md"]
TARGETS = ["index.md", "years/index.md", "years/2024/2.md", "reports/henan/jiaozuo/kjj/2023.md",
           "reports/henan/jiaozuo/kjj/2024.md", "reports/henan/zhengzhou/kjj/2024.md", "reports/hebei/a/b/2022.md",
           "bureaus/henan/jiaozuo/kjj/index.md", "tags/index.md", "tags/topic-xzfy/3.md"]


@pytest.mark.parametrize("page", PAGES)
def test_relative_is_relpath_from_the_pages_folder(page):
    for target in TARGETS:
        expected = posixpath.relpath(target, posixpath.dirname(page) or ".")
        assert relative(target, page) == expected, (target, page)


def test_a_line_is_the_same_when_its_escaped_text_is_remembered():
    entry = Entry("焦作市科技局 <b>2024</b>年度 [一]", "reports/henan/jiaozuo/kjj/2024.md", "焦科〔2025〕6号 · 按期")
    listing._escaped.cache_clear()
    first = entry_line(entry, "tags/topic-xzfy/2.md")
    assert listing._escaped.cache_info().misses == 1
    again = entry_line(entry, "tags/topic-xzfy/2.md")
    assert listing._escaped.cache_info().hits == 1 and again == first
    assert first == ('- [焦作市科技局 &lt;b&gt;2024&lt;/b&gt;年度 \\[一\\]](../../reports/henan/jiaozuo/kjj/2024.md)'
                     ' — <span class="gw-nowrap">焦科〔2025〕6号</span> · 按期')


def _listing(notes: dict[int, str]) -> dict[str, str]:
    """A listing paged over three pages, one entry's note as ``notes`` says."""
    entries = tuple(Entry(f"某县科技局 {n}年度", f"reports/henan/a/kjj-{n}/2024.md", notes.get(n, "按期"))
                    for n in range(2 * MAX_ENTRIES + 10))
    return listing_pages("years/2024.md", "2024年度报告", [], [listing.Group("河南省", "henan", entries)])


def test_remembered_lines_are_used_for_the_same_page_and_entries_only():
    plain = _listing({})
    assert len(plain) == 4  # the index of groups and three pages
    first = RememberedLines()
    with remembering(first):
        assert _listing({}) == plain
    assert len(first.stored) == 3 and first.used == first.stored
    # a block held by the memo is taken from it: marked here, so that the test sees which blocks were used
    marked = {key: f"{text}\n<!-- remembered -->" for key, text in first.stored.items()}
    second = RememberedLines(dict(marked))
    with remembering(second):
        again = _listing({MAX_ENTRIES + 5: "逾期 3 天"})  # an entry of the second page changed
    changed = _listing({MAX_ENTRIES + 5: "逾期 3 天"})
    assert changed["years/2024/henan/2.md"] != plain["years/2024/henan/2.md"]
    assert again["years/2024/henan/2.md"] == changed["years/2024/henan/2.md"]  # made afresh, not the old block
    for page in ("years/2024/henan.md", "years/2024/henan/3.md"):
        assert again[page] == changed[page].replace("\n\n页码", "\n<!-- remembered -->\n\n页码", 1)
    assert len(second.used) == 3 and len(set(second.used) & set(marked)) == 2  # the next build keeps these three
    assert listing._REMEMBERED == []  # only within the block
