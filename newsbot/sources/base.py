"""The spider every source builds on: feeds and sitemaps in, one Article per linked page out."""

from __future__ import annotations

import logging
import struct
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar

import scrapy
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure

from newsbot import signals as newsbot_signals
from newsbot.config import Rule, SettingsError, check_arguments, integer
from newsbot.feeds import FeedEntry, parse_feed
from newsbot.finish import finish_page
from newsbot.items import Article
from newsbot.middlewares import RequestRefused
from newsbot.pipelines.build_excerpt import BuildExcerptPipeline
from newsbot.runtime.workers import WorkerPool, WorkerPools
from newsbot.state import StateStore, arguments_key
from newsbot.state.extension import StateExtension

logger = logging.getLogger(__name__)


class NewsSpider(scrapy.Spider):
    """Crawl ``feeds`` (RSS, Atom, JSON Feed, sitemaps, news sitemaps) and extract every article.

    Subclasses set the class attributes below and override :meth:`adjust_article`
    only where the generic extraction gets a field wrong.
    """

    source_name: str = ""
    """Publisher name for posts; empty = what the page says (``og:site_name``)."""
    feeds: list[str] = []
    """Feed and sitemap URLs the site publishes."""
    timezone: str = ""
    """IANA zone for dates printed without offset; empty = the page language's zone where it has one
    (Asia/Seoul for Korean pages, ``newsbot.extract.article.LANGUAGE_ZONES``), else ``NEWSBOT_DEFAULT_TIMEZONE``."""
    category_map: dict[str, str] = {}
    """Source section (lower-cased) -> readable category."""
    include: list[str] = []
    """Keywords or ``/regular expressions/`` an article of this source must match (with ``NEWSBOT_INCLUDE``)."""
    exclude: list[str] = []
    """Keywords or ``/regular expressions/`` that keep an article of this source unposted (with ``NEWSBOT_EXCLUDE``)."""
    max_articles_per_feed: int = 0
    """Follow at most this many entries of each feed (0 = all); ``-a limit=N`` overrides."""
    spider_arguments: ClassVar[dict[str, Rule]] = {"limit": integer(minimum=0, meaning="0: all")}
    """The ``-a NAME=VALUE`` arguments the spider takes, and what each accepts."""

    @classmethod
    def check_arguments(cls, arguments: dict[str, str]) -> None:
        """Raise :class:`~newsbot.config.SettingsError` for an argument this spider would not take.

        Also for a source that lists no feed (none could be vouched for): the message says how to
        crawl one with the ``feed`` spider.
        """
        if not cls.feeds:
            raise SettingsError(
                f"source {cls.name} has no feed URL newsbot can vouch for (see newsbot/sources/{cls.name}.py); "
                f"crawl one you know with: newsbot crawl feed -a url=URL -a source={cls.source_name} -a timezone={cls.timezone}"
            )
        check_arguments(arguments, cls.spider_arguments)

    def __init__(self, *args: Any, limit: str | int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if limit is not None:
            self.max_articles_per_feed = int(limit)
        self._feed_validators: dict[str, tuple[str, str, list[str]]] = {}
        """Per feed fetched this run: its ETag, Last-Modified and (for a sitemap index) its sitemaps."""
        self._feeds_read: dict[str, None] = {}
        """Every feed asked this run, in order (304s and an index's sitemaps too), each asked once."""
        self.feed_failures: list[tuple[str, str]] = []
        """``(url, cause)`` of each feed that could not be fetched, for the run's final error line."""
        self.article_failures: Counter[str] = Counter()
        """How many articles failed to download, by cause (``DNS lookup failed``, ``HTTP 403``...)."""

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.excerpt_length = crawler.settings.getint("NEWSBOT_EXCERPT_LENGTH", BuildExcerptPipeline.max_length)
        max_age_days = crawler.settings.getfloat("NEWSBOT_MAX_AGE_DAYS", 0)
        spider.oldest = datetime.now(timezone.utc) - timedelta(days=max_age_days) if max_age_days > 0 else None
        spider.run_arguments = arguments_key(kwargs)
        spider.default_timezone = crawler.settings.get("NEWSBOT_DEFAULT_TIMEZONE") or "UTC"
        return spider

    def feed_urls(self) -> list[str]:
        """The feeds to read; the generic ``feed`` spider takes them from ``-a url=``."""
        return list(self.feeds)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.pool.start_fork_server()
        for url in self.feed_urls():
            yield self.feed_request(url)

    def _sitemap_requests(self, urls: list[str]) -> Iterator[scrapy.Request]:
        """The sitemaps of an index, but none asked already (two indexes may list the same one)."""
        for url in urls:
            if url not in self._feeds_read:
                yield self.feed_request(url)

    def feed_request(self, url: str) -> scrapy.Request:
        """A conditional GET: the server may answer 304 when the feed has not changed since the last run."""
        self._feeds_read[url] = None
        etag, last_modified = self.state.feed_validators(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return scrapy.Request(
            url,
            callback=self.parse_feed,
            errback=self.feed_failed,
            headers=headers,
            meta={"newsbot_feed": True, "handle_httpstatus_list": [304]},
            dont_filter=True,
        )

    @property
    def state(self) -> StateStore:
        return StateExtension.store_of(self.crawler)

    @property
    def pool(self) -> WorkerPool:
        """The extraction pool (``NEWSBOT_WORKERS``)."""
        return WorkerPools.pool_of(self.crawler)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        requested = response.meta.get("redirect_urls", [response.request.url])[0]  # as feed_request looks it up
        if response.status == 304:
            stats.inc_value("newsbot/feed/fetched")
            stats.inc_value("newsbot/feed/not_modified")
            logger.info("feed not modified since the last run: %s", response.url)
            # An unchanged sitemap index says nothing of its sitemaps: ask them as last time.
            yield from self._sitemap_requests(self.state.feed_sitemaps(requested))
            return
        body = self._feed_body(response)
        document = parse_feed(body, response.url, self.timezone or self.default_timezone) if body is not None else None
        if document is None or document.kind == "unknown":
            stats.inc_value("newsbot/feed/unparseable")
            logger.error("not a feed or sitemap: %s (%s)", response.url, document.error if document else "broken gzip")
            return
        self._feed_validators[requested] = (
            response.headers.get("ETag", b"").decode("latin-1"),
            response.headers.get("Last-Modified", b"").decode("latin-1"),
            document.sitemaps,
        )
        stats.inc_value("newsbot/feed/fetched")
        yield from self._sitemap_requests(document.sitemaps)
        entries = document.entries
        if self.max_articles_per_feed:
            entries = entries[: self.max_articles_per_feed]
        stats.inc_value("newsbot/feed/entries", len(entries))
        for entry in entries:
            if not self.wants(entry):
                continue
            if self.oldest and entry.published and datetime.fromisoformat(entry.published) < self.oldest:
                stats.inc_value("newsbot/feed/too_old")
                continue
            previous = self.state.lookup(entry.url)
            if previous and not (entry.modified and entry.modified != previous.modified):
                stats.inc_value("newsbot/feed/already_posted")
                continue
            self.pool.start()  # there is work: get the extractors ready
            yield scrapy.Request(
                entry.url, callback=self.parse_article, errback=self.article_failed, cb_kwargs={"entry": entry}
            )

    def _feed_body(self, response: Response) -> bytes | None:
        """The document's bytes: a gzipped sitemap (``.xml.gz``, sent without ``Content-Encoding``) unpacked,
        as Scrapy's SitemapSpider does, no larger than ``DOWNLOAD_MAXSIZE``; None when it does not unpack."""
        if not gzip_magic_number(response):
            return response.body
        try:
            return gunzip(response.body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        except (OSError, EOFError, ValueError, struct.error) as error:  # ValueError: over DOWNLOAD_MAXSIZE
            logger.debug("cannot gunzip %s: %s", response.url, error)
            return None

    def wants(self, entry: FeedEntry) -> bool:
        """Hook: skip entries a source does not want (videos, galleries); all by default."""
        return True

    async def parse_article(self, response: Response, entry: FeedEntry) -> AsyncIterator[Article]:
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("newsbot/article/not_html")
            logger.warning("not an HTML page, skipped: %s", response.url)
            self.crawler.signals.send_catch_log(
                signal=newsbot_signals.article_failed, url=entry.url, spider=self, request=response.request
            )
            return
        article = await self.pool.run(
            finish_page,
            response.body,
            response.url,
            response.headers.get("Content-Type", b"").decode("latin-1"),
            self.timezone or None,
            self.default_timezone,
            self.excerpt_length,
            not entry.published,  # the feed's date, with its time of day, beats a guess from the page's text
        )
        if article.cut_short:
            stats.inc_value("newsbot/bomb/deep_html")
            logger.warning("page nested deeper than the HTML parser reads, read up to there: %s", response.url)
        article.feed_url = entry.url
        article.feed_modified = entry.modified
        article.title = article.title or entry.title
        article.published = article.published or entry.published
        article.modified = article.modified or entry.modified
        article.categories = article.categories or entry.categories
        article.image_url = article.image_url or entry.image_url
        if self.source_name:
            article.source = self.source_name
        article.categories = [self.category_map.get(name.lower(), name) for name in article.categories]
        stats.inc_value("newsbot/article/extracted")
        body_html = article.body_html
        article = self.adjust_article(article, response)
        if article.body_html != body_html:
            article.finished = False  # a source's fix to the body: the pipelines sanitize and summarize it
        yield article

    def adjust_article(self, article: Article, response: Response) -> Article:
        """Hook for per-source fixes of fields the generic chain gets wrong."""
        return article

    def closed(self, reason: str) -> None:
        """Keep the feeds' validators only after a complete run, so an interrupted one is redone.

        Also which feeds this run read (a sitemap index's sitemaps too): ``newsbot crawl``'s quick check
        asks them first next time.
        """
        stats = self.crawler.stats
        if reason != "finished" or stats.get_value("newsbot/article/error"):
            return
        for url, (etag, last_modified, sitemaps) in self._feed_validators.items():
            if etag or last_modified:
                self.state.record_feed(url, etag, last_modified, sitemaps)
        self.state.record_source_feeds(self.name, self.run_arguments, list(self._feeds_read))

    def feed_failed(self, failure: Failure) -> None:
        if failure.check(RequestRefused):  # a sitemap child the content pointed somewhere unsafe
            self.crawler.stats.inc_value("newsbot/feed/refused")
            return
        self.crawler.stats.inc_value("newsbot/feed/error")
        self.feed_failures.append((failure.request.url, failure_cause(failure)))
        logger.error("feed failed: %s (%s)", failure.request.url, failure.getErrorMessage())

    def article_failed(self, failure: Failure) -> None:
        url = failure.request.cb_kwargs["entry"].url  # the in-flight key, also after a redirect
        self.crawler.signals.send_catch_log(
            signal=newsbot_signals.article_failed, url=url, spider=self, request=failure.request
        )
        if failure.check(RequestRefused):  # logged where refused; the content's doing, not a failed run
            self.crawler.stats.inc_value("newsbot/article/refused")
            return
        self.crawler.stats.inc_value("newsbot/article/error")
        self.article_failures[failure_cause(failure)] += 1
        logger.warning("article failed: %s (%s)", failure.request.url, failure.getErrorMessage())


def failure_cause(failure: Failure) -> str:
    """A failed request's cause in a few words: ``DNS lookup failed``, ``connection refused``, ``HTTP 404``..."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(CannotResolveHostError, twisted_error.DNSLookupError):
        return "DNS lookup failed"
    if failure.check(DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError):
        return "connection refused"
    if failure.check(DownloadTimeoutError, twisted_error.TimeoutError, twisted_error.TCPTimedOutError):
        return "timed out"
    return failure.getErrorMessage() or failure.type.__name__
