"""The harvest's sources: listing pages named on the command line or in ``data/sources.yml``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .crawl import Source

SOURCES_FILE = "sources.yml"


class SourcesError(ValueError):
    """A sources file that cannot be used; the message is Chinese and says what to fix."""


def default_sources_text() -> str:
    return resources.files("gongwen").joinpath("data").joinpath(SOURCES_FILE).read_text(encoding="utf-8")


def read_sources(text: str, name: str) -> list[Source]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise SourcesError(f"{name} 第 {line} 行附近无法按 YAML 读取。处理：对照文件开头的示例改写。") from None
    items = (data or {}).get("sources", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise SourcesError(f"{name} 应是一个列表（sources: 下每项一个来源）。处理：对照文件开头的示例改写。")
    sources = []
    for number, item in enumerate(items, 1):
        item = {"url": item} if isinstance(item, str) else item
        if not isinstance(item, dict) or not _web_address(str(item.get("url", ""))):
            raise SourcesError(f"{name} 第 {number} 个来源没有 http/https 开头的 url。处理：写成 url: https://…")
        hosts = item.get("allow_hosts") or []
        sources.append(Source(str(item["url"]), item.get("issuer"), tuple(str(h) for h in hosts), item.get("notes")))
    return sources


def command_sources(urls: list[str], sources_file: Path | None) -> list[Source]:
    """The URLs given, then the sources file's; ``data/sources.yml`` when neither is given."""
    bad = [url for url in urls if not _web_address(url)]
    if bad:
        raise SourcesError(f"{bad[0]} 不是 http/https 网址。处理：写列表页的完整网址，如 https://www.example.gov.cn/col/index.html")
    sources = [Source(url) for url in urls]
    if sources_file is not None:
        try:
            text = sources_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise SourcesError(f"无法读取来源文件 {sources_file}。处理：核对文件名，文件应为 UTF-8 编码。") from None
        sources += read_sources(text, str(sources_file))
    elif not sources:
        sources = read_sources(default_sources_text(), "scripts/gongwen/data/sources.yml")
    return list({source.url: source for source in sources}.values())


def _web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
