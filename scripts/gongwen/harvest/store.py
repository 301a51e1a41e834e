"""The harvest's only writer into the corpus: one folder per report, bytes untouched, and a
``provenance.yml`` beside them that says where and when each file came from.

A file is never overwritten: when an address gives new bytes (the portal changed the report after
publishing it), they are kept beside the first as ``NAME.v2.EXT`` and the sidecar lists both
versions.  Every write goes to a hidden ``.part`` file first and is renamed into place, so that a
run killed midway leaves no half file; every path is checked to lie inside the corpus folder.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from .names import PROVENANCE_NAME, safe_file_name, version_name

HEADER = ("# 由 gongwen harvest 写入：本文件夹各文件的来源（网址、采集时间、校验值）和网页对自身的说明。\n"
          "# 请勿手改；要纠正报告的字段，另写与报告同名的 .meta.yml 文件。\n")


class OutsideCorpus(ValueError):
    """A path that would leave the corpus folder (never written)."""


@dataclass(frozen=True)
class Saved:
    name: str
    outcome: str  # new | unchanged | changed
    version: int


class Store:
    def __init__(self, corpus: Path):
        self.corpus = corpus
        corpus.mkdir(parents=True, exist_ok=True)
        self.root = corpus.resolve()

    def folder(self, relative: PurePosixPath) -> Path:
        folder = (self.root / relative).resolve()
        if not folder.is_relative_to(self.root) or folder == self.root:
            raise OutsideCorpus(str(relative))
        return folder

    def provenance(self, relative: PurePosixPath) -> dict:
        path = self.folder(relative) / PROVENANCE_NAME
        if not path.is_file():
            return {}
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def holds(self, relative: PurePosixPath, url: str) -> bool:
        """Whether the folder already keeps a file from ``url`` (so that a conditional request is enough)."""
        folder = self.folder(relative)
        return any(entry["url"] == url and (folder / entry["name"]).is_file()
                   for entry in self.provenance(relative).get("files", []))

    def save(self, relative: PurePosixPath, url: str, candidate: str, fallback: str, data: bytes,
             entry: dict, head: dict) -> Saved:
        """Keep ``data`` from ``url`` in the folder: unchanged bytes are not written again, new bytes of a
        known address become its next version.  ``entry``: what the sidecar records of this file
        (retrieved_at, etag …); ``head``: the folder's own lines (source_url, the page's statements)."""
        folder = self.folder(relative)
        record = self.provenance(relative)
        files = record.get("files", [])
        digest = hashlib.sha256(data).hexdigest()
        same_url = [f for f in files if f["url"] == url]
        if same_url and same_url[-1]["sha256"] == digest:
            return Saved(same_url[-1]["name"], "unchanged", same_url[-1]["version"])
        version = same_url[-1]["version"] + 1 if same_url else 1
        taken = {f["name"] for f in files} | ({p.name for p in folder.iterdir()} if folder.is_dir() else set())
        name = version_name(same_url[0]["name"], version) if same_url else safe_file_name(candidate, fallback, taken)
        name = safe_file_name(name, fallback, taken) if name in taken else name
        self._write(folder, name, data)
        files.append({"name": name, "url": url, "version": version, "sha256": digest, **entry})
        self._write(folder, PROVENANCE_NAME, _sidecar_text({**record, **head, "files": files}))
        return Saved(name, "changed" if same_url else "new", version)

    def _write(self, folder: Path, name: str, data: bytes) -> None:
        target = (folder / name).resolve()
        if target.parent != folder or not target.is_relative_to(self.root):
            raise OutsideCorpus(name)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".*.part"):  # left by a run killed while writing
            stale.unlink()
        partial = folder / f".{name}.part"
        with partial.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        partial.replace(target)


def _sidecar_text(record: dict) -> bytes:
    order = ["source_url", "title", "issuer", "listing_url", "page", "files"]
    ordered = {key: record[key] for key in order if record.get(key) not in (None, {}, [])}
    ordered |= {k: v for k, v in record.items() if k not in ordered and v not in (None, {}, [])}
    text = yaml.dump(ordered, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1000)
    return (HEADER + text).encode("utf-8")
