"""Find articles in feeds and sitemaps: RSS 0.9x/1.0/2.0, Atom, JSON Feed, sitemaps, news sitemaps.

Feeds go through feedparser (it copes with broken XML and legacy encodings);
sitemaps are read with lxml, entities and network access disabled, so a
hostile sitemap cannot read files or fetch URLs. Not with Scrapy's own
``scrapy.utils.sitemap.Sitemap``: it keeps each ``<url>``'s direct children as
text only, which drops the Google News fields (``news:publication_date``,
``news:title``, ``news:keywords``) newsbot reads. Gzipped sitemaps are unpacked
by the spider with Scrapy's ``gunzip``, as its SitemapSpider does.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree

from newsbot.extract.dates import to_iso

if TYPE_CHECKING:
    from feedparser import FeedParserDict

logger = logging.getLogger(__name__)

_SITEMAP_ROOT = re.compile(rb"<(?:[\w-]+:)?(urlset|sitemapindex)[\s>]")
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)


@dataclass
class FeedEntry:
    """One article link found in a feed or sitemap, with whatever the feed says about it."""

    url: str
    """Absolute article URL."""
    title: str = ""
    """Headline given by the feed (plain text)."""
    published: str = ""
    """Publication time, ISO 8601 with offset; empty when the feed gives none."""
    modified: str = ""
    """Last change per the feed (``<updated>``, ``<lastmod>``); empty when none."""
    categories: list[str] = field(default_factory=list)
    """Feed categories or news keywords."""
    image_url: str = ""
    """Image the feed attaches to the entry (media:content, enclosure, image:image)."""


@dataclass
class FeedDocument:
    """A parsed feed: its entries, or for a sitemap index the sitemaps it points to."""

    kind: str
    """``rss``, ``atom``, ``json``, ``sitemap``, ``sitemapindex`` or ``unknown``."""
    entries: list[FeedEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    error: str = ""
    """Why nothing could be read, when ``kind`` is ``unknown``."""


def parse_feed(body: bytes, url: str, timezone_name: str | None = None) -> FeedDocument:
    """Parse a feed or sitemap document fetched from ``url``."""
    head = body[:2048].lstrip()
    if head.startswith(b"{"):
        return _parse_json_feed(body, url, timezone_name)
    if _SITEMAP_ROOT.search(body[:4096]):
        return _parse_sitemap(body, url, timezone_name)
    return _parse_syndication(body, url, timezone_name)


def _parse_syndication(body: bytes, url: str, tz: str | None) -> FeedDocument:
    import feedparser  # here: a run whose feeds all answer 304 never loads it

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = str(parsed.get("bozo_exception") or "not a feed")
        return FeedDocument(kind="unknown", error=reason)
    kind = "atom" if version.startswith("atom") else "json" if version.startswith("json") else "rss"
    document = FeedDocument(kind=kind)
    for entry in parsed.entries:
        link = _entry_link(entry, url)
        if not link:
            continue
        document.entries.append(
            FeedEntry(
                url=link,
                title=_plain(entry.get("title", "")),
                published=_entry_date(entry.get("published") or entry.get("dc_date"), entry.get("published_parsed"), tz),
                # dict.get: feedparser maps a missing "updated" to "published", which is not a change date.
                modified=_entry_date(dict.get(entry, "updated"), dict.get(entry, "updated_parsed"), tz),
                categories=[tag.get("term", "").strip() for tag in entry.get("tags", []) if tag.get("term", "").strip()],
                image_url=_entry_image(entry, url),
            )
        )
    return document


def _parse_json_feed(body: bytes, url: str, tz: str | None) -> FeedDocument:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        parsed = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        return FeedDocument(kind="unknown", error=f"broken JSON feed: {exc}")
    if not isinstance(parsed, dict) or not isinstance(parsed.get("items"), list):
        return FeedDocument(kind="unknown", error="JSON without a feed's items list")
    document = FeedDocument(kind="json")
    for item in parsed["items"]:
        if not isinstance(item, dict):
            continue
        link = str(item.get("url") or item.get("external_url") or "").strip()
        absolute = urljoin(url, link) if link else ""
        if not absolute.startswith(("http://", "https://")):
            continue
        tags = item.get("tags") if isinstance(item.get("tags"), list) else []
        document.entries.append(
            FeedEntry(
                url=absolute,
                title=_plain(str(item.get("title", ""))),
                published=to_iso(item.get("date_published"), tz),
                modified=to_iso(item.get("date_modified"), tz),
                categories=[str(tag).strip() for tag in tags if str(tag).strip()],
                image_url=urljoin(url, str(item.get("image") or item.get("banner_image") or "")) if (item.get("image") or item.get("banner_image")) else "",
            )
        )
    return document


def _entry_link(entry: FeedParserDict, base: str) -> str:
    candidates = [entry.get("link", "")]
    candidates += [link.get("href", "") for link in entry.get("links", []) if link.get("rel") in (None, "alternate")]
    if entry.get("id", "").startswith(("http://", "https://")) and entry.get("guidislink", True):
        candidates.append(entry["id"])
    for candidate in candidates:
        candidate = (candidate or "").strip()
        if candidate:
            absolute = urljoin(base, candidate)
            if absolute.startswith(("http://", "https://")):
                return absolute
    return ""


def _entry_image(entry: FeedParserDict, base: str) -> str:
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url") and media.get("medium", "image") == "image":
            return urljoin(base, media["url"])
    for enclosure in entry.get("enclosures", []):
        if enclosure.get("type", "").startswith("image/") and enclosure.get("href"):
            return urljoin(base, enclosure["href"])
    return ""


def _entry_date(text: str | None, parsed_utc, tz: str | None) -> str:
    """An entry's date in ``tz``: its own text first (ISO 8601, RFC 822), as feedparser reads a time
    without offset as UTC; feedparser's parse for the formats only it knows; dateparser last."""
    iso = to_iso(text, tz, fuzzy=False) if text else ""
    if iso or not (text or parsed_utc):
        return iso
    if parsed_utc:
        try:
            return to_iso(datetime(*parsed_utc[:6], tzinfo=timezone.utc), tz)
        except (TypeError, ValueError):
            pass
    return to_iso(text, tz) if text else ""


def _plain(text: str) -> str:
    return " ".join(text.split())


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_sitemap(body: bytes, url: str, tz: str | None) -> FeedDocument:
    try:
        root = etree.fromstring(body, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        return FeedDocument(kind="unknown", error=f"broken sitemap: {exc}")
    if root is None:
        return FeedDocument(kind="unknown", error="empty sitemap")
    if _local(root.tag) == "sitemapindex":
        locations = [_child_text(node, "loc") for node in root if _local(node.tag) == "sitemap"]
        return FeedDocument(kind="sitemapindex", sitemaps=[urljoin(url, loc) for loc in locations if loc])
    document = FeedDocument(kind="sitemap")
    for node in root:
        if _local(node.tag) != "url":
            continue
        location = _child_text(node, "loc")
        if not location:
            continue
        entry = FeedEntry(url=urljoin(url, location), modified=to_iso(_child_text(node, "lastmod"), tz))
        for child in node:
            name = _local(child.tag)
            if name == "news":
                entry.title = _plain(_child_text(child, "title"))
                entry.published = to_iso(_child_text(child, "publication_date"), tz)
                keywords = _child_text(child, "keywords")
                entry.categories = [word.strip() for word in keywords.split(",") if word.strip()]
            elif name == "image" and not entry.image_url:
                entry.image_url = urljoin(url, _child_text(child, "loc")) if _child_text(child, "loc") else ""
        document.entries.append(entry)
    return document


def _child_text(node: etree._Element, name: str) -> str:
    for child in node:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""
