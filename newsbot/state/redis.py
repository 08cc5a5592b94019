"""The state shared by many workers (``NEWSBOT_REDIS_URL``), with claims so a story is posted once.

Every key starts with ``newsbot:``; the README lists them.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Sequence

from newsbot.state.base import PostRecord, StateStore, url_key

PREFIX = "newsbot"

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
"""This crawl process among the workers: its heartbeat key, its in-flight requests, its post claims."""


SOCKET_TIMEOUT = 30
"""Seconds a Redis call may wait (scrapy-redis's own default): a hung server stops the run, not freezes it."""


def connect(url: str, text: bool = True):
    """A client for the Redis at ``url`` whose loss raises :class:`~newsbot.state.redis_client.RedisLost`
    (the ``redis`` package is the optional ``redis`` extra); with ``text=False`` it answers bytes."""
    from newsbot.state.redis_client import Client

    return Client.from_url(url, decode_responses=text, socket_timeout=SOCKET_TIMEOUT,
                           socket_connect_timeout=SOCKET_TIMEOUT)


class RedisStateStore(StateStore):
    """What was posted, in Redis, plus claims (``SET NX``) so two workers finishing one story post it once."""

    claim_seconds = 300

    def __init__(self, url: str) -> None:
        self.server = connect(url)

    def lookup(self, *urls: str) -> PostRecord | None:
        for url in urls:
            if not url:
                continue
            path = self.server.get(f"{PREFIX}:url:{url_key(url)}")
            if path:
                fields = self.server.hgetall(f"{PREFIX}:post:{path}")
                return PostRecord(path, fields.get("url", ""), fields.get("content_hash", ""),
                                  fields.get("modified", ""), fields.get("published", ""))
        return None

    def record(self, urls: list[str], path: str, content_hash: str, modified: str = "", published: str = "") -> None:
        with self.server.pipeline() as pipe:
            pipe.hset(f"{PREFIX}:post:{path}", mapping={
                "url": urls[0], "content_hash": content_hash, "modified": modified, "published": published,
            })
            for url in dict.fromkeys(urls):
                if url:
                    pipe.set(f"{PREFIX}:url:{url_key(url)}", path)
            pipe.execute()

    def claim(self, url: str) -> bool:
        """True when this worker may post ``url`` now (nobody else is posting it)."""
        return bool(self.server.set(f"{PREFIX}:claim:{url_key(url)}", WORKER_ID, nx=True, ex=self.claim_seconds))

    def release(self, url: str) -> None:
        self.server.delete(f"{PREFIX}:claim:{url_key(url)}")

    def feed_validators(self, url: str) -> tuple[str, str]:
        fields = self.server.hgetall(f"{PREFIX}:feed:{url}")
        return fields.get("etag", ""), fields.get("last_modified", "")

    def feed_sitemaps(self, url: str) -> list[str]:
        return json.loads(self.server.hget(f"{PREFIX}:feed:{url}", "sitemaps") or "[]")

    def record_feed(self, url: str, etag: str, last_modified: str, sitemaps: Sequence[str] = ()) -> None:
        self.server.hset(f"{PREFIX}:feed:{url}", mapping={
            "etag": etag, "last_modified": last_modified, "sitemaps": json.dumps(list(sitemaps)),
        })

    def record_source_feeds(self, source: str, arguments: str, feeds: list[str]) -> None:
        """Nothing to keep: the quick check that reads these runs on one machine only."""

    def cached_rewrite(self, key: str) -> dict | None:
        value = self.server.get(f"{PREFIX}:rewrite:{key}")
        return json.loads(value) if value else None

    def record_rewrite(self, key: str, rewrite: dict) -> None:
        self.server.set(f"{PREFIX}:rewrite:{key}", json.dumps(rewrite, ensure_ascii=False))

    def count(self) -> int:
        return sum(1 for _ in self.server.scan_iter(f"{PREFIX}:post:*"))

    def close(self) -> None:
        self.server.close()
