"""The state on one machine: one SQLite file, safe for overlapping processes (WAL, a busy timeout)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from newsbot.state.base import PostRecord, StateStore, url_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    path TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    modified TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS urls (
    url_key TEXT PRIMARY KEY,
    path TEXT NOT NULL REFERENCES posts(path)
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    sitemaps TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS rewrites (
    key TEXT PRIMARY KEY,
    rewrite TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS source_feeds (
    source TEXT NOT NULL,
    arguments TEXT NOT NULL,
    feeds TEXT NOT NULL,
    PRIMARY KEY (source, arguments)
);
"""


def open_state_file(path: str, schema: str) -> sqlite3.Connection:
    """The state file at ``path`` (made if missing) with ``schema``'s tables, as every store opens it.

    WAL lets a reader and the writer work at once; a commit waits for no disk flush (a power cut may
    lose the last rows saved, never the file), as one flush per article held up every download.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    database = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("PRAGMA synchronous=NORMAL")
    database.executescript(schema)
    return database


class SqliteStateStore(StateStore):
    """SQLite store of posted articles, keyed by canonical URL."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._db = open_state_file(path, _SCHEMA)
        if "sitemaps" not in {row[1] for row in self._db.execute("PRAGMA table_info(feeds)")}:  # a file from before
            self._db.execute("ALTER TABLE feeds ADD COLUMN sitemaps TEXT NOT NULL DEFAULT '[]'")

    def claim(self, url: str) -> bool:
        """May this process post ``url`` now? Always, on one machine under the run lock."""
        return True

    def release(self, url: str) -> None:
        """Give up the claim on ``url`` (nothing to do on SQLite)."""

    def lookup(self, *urls: str) -> PostRecord | None:
        """The post made from any of ``urls``, or None."""
        for url in urls:
            if not url:
                continue
            row = self._db.execute(
                "SELECT p.path, p.url, p.content_hash, p.modified, p.published FROM urls u "
                "JOIN posts p ON p.path = u.path WHERE u.url_key = ?",
                (url_key(url),),
            ).fetchone()
            if row:
                return PostRecord(*row)
        return None

    def record(self, urls: list[str], path: str, content_hash: str, modified: str = "", published: str = "") -> None:
        """Remember a post; call only after its file is completely written."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO posts (path, url, content_hash, modified, published, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET url=excluded.url, content_hash=excluded.content_hash, "
                "modified=excluded.modified, published=excluded.published, updated_at=excluded.updated_at",
                (path, urls[0], content_hash, modified, published, now),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO urls (url_key, path) VALUES (?, ?)",
                [(url_key(url), path) for url in dict.fromkeys(urls) if url],
            )

    def feed_validators(self, url: str) -> tuple[str, str]:
        """``(etag, last_modified)`` the feed's server sent last time, for a conditional request."""
        row = self._db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else ("", "")

    def feed_sitemaps(self, url: str) -> list[str]:
        """The sitemaps a sitemap index listed when it was last read."""
        row = self._db.execute("SELECT sitemaps FROM feeds WHERE url = ?", (url,)).fetchone()
        return json.loads(row[0]) if row else []

    def record_feed(self, url: str, etag: str, last_modified: str, sitemaps: Sequence[str] = ()) -> None:
        """Remember a feed's validators (and a sitemap index's sitemaps); call once its entries are all handled."""
        self._db.execute(
            "INSERT OR REPLACE INTO feeds (url, etag, last_modified, sitemaps) VALUES (?, ?, ?, ?)",
            (url, etag, last_modified, json.dumps(list(sitemaps))),
        )

    def record_source_feeds(self, source: str, arguments: str, feeds: list[str]) -> None:
        """Remember the feeds a complete run of ``source`` with ``arguments`` read (an index's sitemaps too)."""
        self._db.execute(
            "INSERT OR REPLACE INTO source_feeds (source, arguments, feeds) VALUES (?, ?, ?)",
            (source, arguments, json.dumps(feeds)),
        )

    def source_feeds(self, source: str, arguments: str) -> list[str]:
        """The feeds recorded by :meth:`record_source_feeds`; empty when that run never completed."""
        row = self._db.execute(
            "SELECT feeds FROM source_feeds WHERE source = ? AND arguments = ?", (source, arguments)
        ).fetchone()
        return json.loads(row[0]) if row else []

    def cached_rewrite(self, key: str) -> dict | None:
        row = self._db.execute("SELECT rewrite FROM rewrites WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def record_rewrite(self, key: str, rewrite: dict) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._db.execute(
            "INSERT OR REPLACE INTO rewrites (key, rewrite, created_at) VALUES (?, ?, ?)",
            (key, json.dumps(rewrite, ensure_ascii=False), now),
        )

    def count(self) -> int:
        """How many posts are recorded."""
        return self._db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]

    def close(self) -> None:
        self._db.close()
