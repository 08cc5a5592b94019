"""The one interface to what newsbot has seen and posted, whichever store keeps it.

Keys are canonical URLs: tracking parameters and fragments removed, query sorted,
so the same article under two feed links is one post.
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from w3lib.url import canonicalize_url, url_query_cleaner

from newsbot.files import output_dir
from newsbot.settings_reader import SettingsReader

_TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "ocid", "cmpid", "ref", "rss", "from", "cid",
)


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


def default_state_path(output: str) -> str:
    """Where the state file lives unless ``NEWSBOT_STATE`` says otherwise."""
    return os.path.join(output, ".newsbot", "state.sqlite3")


def state_path(settings: SettingsReader) -> str:
    """The state file ``settings`` (Scrapy's, or the quick check's plain ones) point at."""
    return settings.get("NEWSBOT_STATE") or default_state_path(output_dir(settings))


class StateStore(ABC):
    """What was posted and what the feeds said last time; SQLite on one machine, Redis for many workers."""

    @abstractmethod
    def claim(self, url: str) -> bool:
        """May this process post ``url`` now (nobody else is posting it)?"""

    @abstractmethod
    def release(self, url: str) -> None:
        """Give up the claim on ``url``."""

    @abstractmethod
    def lookup(self, *urls: str) -> PostRecord | None:
        """The post made from any of ``urls``, or None."""

    @abstractmethod
    def record(self, urls: list[str], path: str, content_hash: str, modified: str = "", published: str = "") -> None:
        """Remember a post; call only after its file is completely written."""

    @abstractmethod
    def feed_validators(self, url: str) -> tuple[str, str]:
        """``(etag, last_modified)`` the feed's server sent last time, for a conditional request."""

    @abstractmethod
    def feed_sitemaps(self, url: str) -> list[str]:
        """The sitemaps a sitemap index listed when it was last read (asked again when it answers 304)."""

    @abstractmethod
    def record_feed(self, url: str, etag: str, last_modified: str, sitemaps: Sequence[str] = ()) -> None:
        """Remember a feed's validators (and a sitemap index's sitemaps); call once its entries are all handled."""

    @abstractmethod
    def record_source_feeds(self, source: str, arguments: str, feeds: list[str]) -> None:
        """Remember the feeds a complete run of ``source`` with ``arguments`` read (an index's sitemaps too)."""

    @abstractmethod
    def cached_rewrite(self, key: str) -> dict | None:
        """The model's rewrite kept under ``key`` (article text, model, prompt version), or None."""

    @abstractmethod
    def record_rewrite(self, key: str, rewrite: dict) -> None:
        """Keep an accepted rewrite, so a re-run or a story update with the same article calls no model."""

    @abstractmethod
    def count(self) -> int:
        """How many posts are recorded."""

    @abstractmethod
    def close(self) -> None:
        """Let go of the file or connection."""
