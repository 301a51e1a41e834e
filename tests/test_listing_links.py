"""Listing links: ``listing.relative`` is ``posixpath.relpath`` made fast, so it must give the same path for every
kind of pair a listing makes (a page at the root, in the target's folder, under a shared folder, in another top
folder), and a listing's line is the same whether its entry's escaped text was remembered or not."""

from __future__ import annotations

import posixpath

import pytest

from gongwen.browse import listing
from gongwen.browse.listing import Entry, entry_line, relative

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
