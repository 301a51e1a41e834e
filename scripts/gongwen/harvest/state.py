"""What a harvest fetched, kept in SQLite between runs (``state.sqlite`` in the harvest's work folder).

Each address's last good answer: its validators (ETag, Last-Modified) for the next run's conditional
request, its SHA-256, and for pages (listings and detail pages, not attachments) the body, so that a
304 can still be read.  Runs are numbered; a run that did not finish is resumed by the next one,
which takes what that run already fetched without asking again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT);
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY, run INTEGER NOT NULL, etag TEXT, last_modified TEXT, sha256 TEXT,
    body BLOB, content_type TEXT, retrieved_at TEXT);
CREATE TABLE IF NOT EXISTS failed (url TEXT PRIMARY KEY, run INTEGER NOT NULL, kind TEXT, problem TEXT);
"""


@dataclass
class Known:
    """The last good answer for one address."""

    url: str
    run: int
    etag: str | None
    last_modified: str | None
    sha256: str | None
    body: bytes | None
    content_type: str | None
    retrieved_at: str | None


class State:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)
        self.db.commit()
        self.run = 0
        self.resumed = False

    def start(self, now: str) -> int:
        """Resume the last run when it did not finish, else start a new one."""
        row = self.db.execute("SELECT id, finished FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row and row[1] is None:
            self.run, self.resumed = row[0], True
        else:
            self.run = self.db.execute("INSERT INTO runs (started) VALUES (?)", (now,)).lastrowid
        self.db.commit()
        return self.run

    def finish(self, now: str) -> None:
        self.db.execute("UPDATE runs SET finished = ? WHERE id = ?", (now, self.run))
        self.db.commit()

    def known(self, url: str) -> Known | None:
        row = self.db.execute("SELECT url, run, etag, last_modified, sha256, body, content_type, retrieved_at "
                              "FROM fetched WHERE url = ?", (url,)).fetchone()
        return Known(*row) if row else None

    def remember(self, known: Known) -> None:
        self.db.execute("INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (known.url, known.run, known.etag, known.last_modified, known.sha256, known.body,
                         known.content_type, known.retrieved_at))
        self.db.commit()

    def failure(self, url: str) -> tuple[str, str] | None:
        """How asking for ``url`` failed earlier in this run (a resumed run does not ask again)."""
        row = self.db.execute("SELECT kind, problem FROM failed WHERE url = ? AND run = ?", (url, self.run)).fetchone()
        return tuple(row) if row else None

    def remember_failure(self, url: str, kind: str, problem: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO failed VALUES (?, ?, ?, ?)", (url, self.run, kind, problem))
        self.db.commit()

    def close(self) -> None:
        self.db.close()
