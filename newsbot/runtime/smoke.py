"""``newsbot smoke``: does each feed of a source answer with a feed? (live, for users with network)."""

from __future__ import annotations

import gzip
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import HTTPError

from newsbot.feeds import parse_feed

MAX_FEED_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class FeedCheck:
    """What one feed URL answered."""

    url: str
    status: int | None
    """HTTP status; None when no answer came (DNS, refused, timeout)."""
    kind: str = ""
    """What :func:`newsbot.feeds.parse_feed` made of the body (``rss``, ``sitemap``, ``unknown``...)."""
    entries: int = 0
    sitemaps: int = 0
    """Child sitemaps, for a sitemap index."""
    error: str = ""

    @property
    def ok(self) -> bool:
        """A 200 with a feed or sitemap holding entries (or child sitemaps)."""
        return self.status == 200 and self.kind not in ("", "unknown") and bool(self.entries or self.sitemaps)

    def line(self) -> str:
        status = f"HTTP {self.status}" if self.status is not None else "no answer"
        if self.ok:
            found = f"{self.kind}, {self.entries} entries" + (f", {self.sitemaps} sitemaps" if self.sitemaps else "")
            return f"ok      {self.url}: {status}, {found}"
        why = self.error or (f"{self.kind or 'nothing'} with no entries" if self.status == 200 else "not a feed")
        return f"FAILED  {self.url}: {status}, {why}"


def check_feed(url: str, user_agent: str, timeout: float) -> FeedCheck:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read(MAX_FEED_BYTES)
    except HTTPError as error:
        return FeedCheck(url, error.code, error=error.reason or "HTTP error")
    except (OSError, ValueError) as error:
        return FeedCheck(url, None, error=str(getattr(error, "reason", error)))
    if body[:2] == b"\x1f\x8b":  # a .xml.gz sitemap
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as error:
            return FeedCheck(url, status, "unknown", error=f"broken gzip ({error})")
    document = parse_feed(body, url)
    return FeedCheck(url, status, document.kind, len(document.entries), len(document.sitemaps), document.error)


def check_feeds(urls: list[str], user_agent: str, timeout: float = 30) -> list[FeedCheck]:
    """:func:`check_feed` for each URL (four at a time), in the order given."""
    if not urls:
        return []
    with ThreadPoolExecutor(min(4, len(urls))) as pool:
        return list(pool.map(lambda url: check_feed(url, user_agent, timeout), urls))
