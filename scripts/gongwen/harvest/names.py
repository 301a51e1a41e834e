"""Where a harvested file goes: a folder per report from its page's address, and file names that can
never leave that folder whatever a URL or a ``Content-Disposition`` header says."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

#: Attachments worth keeping: the formats reports are published in.
ATTACHMENT_TYPES = (".pdf", ".docx", ".doc", ".wps", ".ofd")
#: The detail page itself is saved under this name in its report's folder.
PAGE_NAME = "page.html"
#: The provenance sidecar of a report's folder (read by the build: ``harvested.py``).
PROVENANCE_NAME = "provenance.yml"
#: Characters kept in a folder name taken from a URL; anything else becomes ``_``.
UNSAFE_SEGMENT = re.compile(r"[^A-Za-z0-9._-]+")
#: Characters never kept in a file name (separators, controls, what Windows forbids).
UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME = 80


def report_folder(url: str) -> PurePosixPath:
    """``http://host:8000/col/col12/art_3.html`` → ``host_8000/col/col12/art_3``; a query adds its digest."""
    parts = urlsplit(url)
    host = UNSAFE_SEGMENT.sub("_", parts.netloc.lower().replace(":", "_")) or "host"
    segments = [s for s in unquote(parts.path).split("/") if s]
    if segments:
        segments[-1] = segments[-1].rsplit(".", 1)[0] or segments[-1]
    cleaned = [_segment(s) for s in segments] or ["index"]
    if parts.query:
        cleaned[-1] += "-" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
    return PurePosixPath(host, *cleaned)


def _segment(segment: str) -> str:
    cleaned = UNSAFE_SEGMENT.sub("_", segment).strip("._") or "_"
    return cleaned[:MAX_NAME]


def disposition_name(header: str | None) -> str | None:
    """The file name a ``Content-Disposition`` header offers (``filename*=UTF-8''…`` first), unchecked."""
    if not header:
        return None
    message = Message()
    message["content-disposition"] = header
    name = message.get_filename()
    return name or None


def url_name(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name)


def safe_file_name(candidate: str | None, fallback: str, taken: set[str] = frozenset()) -> str:
    """A name that is one plain file inside the folder: no separators, no ``..``, no hidden name,
    no control characters, short; ``fallback`` when nothing usable is left; ``-2``, ``-3`` … when taken."""
    name = unicodedata.normalize("NFC", candidate or "")
    name = UNSAFE_NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    name = name.lstrip(".-") or fallback
    if name.lower() == PROVENANCE_NAME or name.lower().endswith(".meta.yml"):
        name = "file-" + name
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    stem, suffix = stem[:MAX_NAME], suffix[:10]
    name = f"{stem}{dot}{suffix}"
    number, unique = 2, name
    while unique in taken:
        unique, number = f"{stem}-{number}{dot}{suffix}", number + 1
    return unique


def attachment_type(*names: str | None) -> str | None:
    """The report format a URL or a link text names (``.pdf`` …), or None."""
    for name in names:
        lowered = (name or "").lower().strip()
        for suffix in ATTACHMENT_TYPES:
            if lowered.endswith(suffix):
                return suffix
    return None


def version_name(name: str, version: int) -> str:
    """``page.html`` → ``page.v2.html``: a changed file kept beside the first (never over it)."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.v{version}.{suffix}" if dot else f"{name}.v{version}"
