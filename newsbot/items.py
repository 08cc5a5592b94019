"""The article item that flows from a source through the pipelines to a post.

One item per article. Extraction fills the article fields; the pipelines then
fill the post fields (``excerpt``, ``image``). Every field is a
plain JSON value so the item can be printed, queued or stored as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    url: str = ""
    """Final URL of the article page (after redirects), absolute."""
    source: str = ""
    """Human name of the publisher, e.g. ``연합뉴스`` or ``AP News``."""
    title: str = ""
    """Headline as plain text, without the site's name suffix."""
    published: str = ""
    """Publication time, ISO 8601 with a UTC offset (``2025-05-30T20:15:00+09:00``)."""
    modified: str = ""
    """Last modification time, same format as ``published``; empty when unknown."""
    authors: list[str] = field(default_factory=list)
    """Author names as plain text, in page order."""
    categories: list[str] = field(default_factory=list)
    """Sections or topics as named by the source (mapped to post categories later)."""
    description: str = ""
    """The page's own summary (JSON-LD ``description`` or ``og:description``)."""
    body_html: str = ""
    """Article body as HTML: paragraphs, headings, lists, tables, quotes, figures."""
    body_text: str = ""
    """Article body as plain text, one paragraph per line."""
    image_url: str = ""
    """Absolute URL of the lead image chosen by extraction; empty when none."""
    language: str = ""
    """BCP 47 language code of the article (``ko``, ``en``)."""
    canonical_url: str = ""
    """The page's ``rel=canonical`` URL when it names one, else empty."""
    feed_url: str = ""
    """The link the feed or sitemap gave for this article (before redirects)."""
    feed_modified: str = ""
    """The entry's change date per the feed (``<updated>``, ``<lastmod>``); empty when none."""
    timezone: str = ""
    """IANA time zone of the source, used for naive dates and the post's file date."""
    cut_short: bool = False
    """True when the page nests deeper than the HTML parser reads (255 levels, a nesting bomb):
    the fields come from the part before."""
    excerpt: str = ""
    """Post summary, plain text, at most 150 characters (set by a pipeline)."""
    key_sentences: list[str] = field(default_factory=list)
    """Up to five whole sentences of the article, plain text, in article order, none in ``excerpt`` (the brief's list)."""
    brief: dict = field(default_factory=dict)
    """The brief's summary and key sentences already cut to the copy limit by the worker:
    ``{"for", "summary", "key_sentences"}``, ``for`` a digest of the title, summary, key sentences
    and text they were cut from (the writer cuts again when any of them changed); empty when not made."""
    story_terms: dict = field(default_factory=dict)
    """The article's story-grouping terms before IDF (:mod:`newsbot.stories.features`), made by the
    worker: ``{"for", "terms"}``, ``for`` a digest of the title and text they come from; empty when not made."""
    rewrite: dict = field(default_factory=dict)
    """A model's rewrite that passed the checks, in the JSON contract of :mod:`newsbot.compose.rewrite`; empty when none."""
    finished: bool = False
    """True when the worker that extracted the article also made its links absolute, sanitized
    ``body_html`` and summarized it into ``excerpt`` and ``key_sentences`` (:mod:`newsbot.finish`):
    the pipelines then check and count, and parse nothing again."""
    image: str = ""
    """Image the post shows: a site path (``/assets/...``) or an absolute URL (set by a pipeline)."""
    images: list[dict] = field(default_factory=list)
    """ImagesPipeline results: ``{"url", "path", "checksum", "status"}`` per download."""
    sources: list[dict] = field(default_factory=list)
    """``{"name", "url"}`` of every article of the post's story in arrival order (set by the writer)."""
    last_modified_at: str = ""
    """When the post was last updated by a later article of its story, ISO 8601 UTC; empty on a new post."""
    post_date: str = ""
    """Publication time of the article that opened the post (set by the writer): the post stays dated by
    it when a later, more complete article becomes the main one, so its permalink never moves."""


PAGE_FIELDS = (
    "url", "source", "title", "published", "modified", "authors", "categories", "description",
    "body_html", "body_text", "image_url", "language", "canonical_url", "cut_short",
)
"""The fields a page gives (what ``newsbot extract`` prints); the rest come from the feed, the
worker, the pipelines and the writer."""

