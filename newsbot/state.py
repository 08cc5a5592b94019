"""What newsbot has seen and posted, so a second run posts nothing twice.

SQLite by default (one file, safe for overlapping processes thanks to WAL and
a busy timeout). Keys are canonical URLs: tracking parameters and fragments
removed, query sorted, so the same article under two feed links is one post.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from w3lib.url import canonicalize_url, url_query_cleaner

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "ocid", "cmpid", "ref", "rss", "from", "cid",
)
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
    last_modified TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS source_feeds (
    source TEXT NOT NULL,
    arguments TEXT NOT NULL,
    feeds TEXT NOT NULL,
    PRIMARY KEY (source, arguments)
);
"""


@lru_cache(maxsize=4096)  # asked several times per article (feed, state, file name); w3lib's canonical form is slow
def url_key(url: str) -> str:
    """The canonical form of an article URL used as its identity."""
    cleaned = url_query_cleaner(url, _TRACKING_PARAMS, remove=True, keep_fragments=False)
    key = canonicalize_url(cleaned, keep_fragments=False)
    return key.replace("://www.", "://", 1).replace("http://", "https://", 1)


@dataclass(frozen=True)
class PostRecord:
    """A post newsbot wrote: where, from what, and which version of the article."""

    path: str
    """Post file path relative to the output directory (``_posts/…md``)."""
    url: str
    content_hash: str
    modified: str
    """The feed's change date for the article when it was posted (empty when the feed gives none)."""
    published: str


def arguments_key(arguments: dict[str, str]) -> str:
    """One string for a run's spider arguments (``-a``), the same whatever their order."""
    return json.dumps(arguments, sort_keys=True, ensure_ascii=False)


def default_state_path(output_dir: str) -> str:
    """Where the state file lives unless ``NEWSBOT_STATE`` says otherwise."""
    return os.path.join(output_dir, ".newsbot", "state.sqlite3")


class _Settings(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...


def state_path(settings: _Settings) -> str:
    """The state file ``settings`` (Scrapy's, or the quick check's plain ones) point at."""
    return settings.get("NEWSBOT_STATE") or default_state_path(settings.get("NEWSBOT_OUTPUT", "output"))


class PostState:
    """SQLite store of posted articles, keyed by canonical URL."""

    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PostState:
        """One store per crawler, shared by the spider and the pipelines; Redis with ``NEWSBOT_REDIS_URL``."""
        existing = getattr(crawler, "newsbot_state", None)
        if existing is None:
            settings = crawler.settings
            if settings.get("NEWSBOT_REDIS_URL"):
                from newsbot.distributed import RedisPostState

                existing = RedisPostState(settings.get("NEWSBOT_REDIS_URL"))
            else:
                existing = cls(state_path(settings))
            crawler.newsbot_state = existing
        return existing

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

    def record_feed(self, url: str, etag: str, last_modified: str) -> None:
        """Remember a feed's validators; call once its entries are all handled."""
        self._db.execute(
            "INSERT OR REPLACE INTO feeds (url, etag, last_modified) VALUES (?, ?, ?)", (url, etag, last_modified)
        )

    def record_source_feeds(self, source: str, arguments: str, feeds: list[str]) -> None:
        """Remember the feeds a complete run of ``source`` with ``arguments`` started from."""
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

    def count(self) -> int:
        """How many posts are recorded."""
        return self._db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]

    def close(self) -> None:
        self._db.close()
