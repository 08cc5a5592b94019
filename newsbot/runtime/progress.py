"""A live progress line for people running a crawl in a terminal; silent under cron."""

from __future__ import annotations

import logging
import sys

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)


class ProgressLine:
    """Rewrites one line on standard error each second: requests, posts written, items dropped."""

    interval = 1.0

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        if not crawler.settings.getbool("NEWSBOT_PROGRESS", True) or not sys.stderr.isatty():
            logger.debug("off: no terminal to draw a progress line on (or NEWSBOT_PROGRESS is off)")
            raise NotConfigured  # without a message: Scrapy logs one at WARNING, and this is the default
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.draw, spider)
        self.loop.start(self.interval)

    def draw(self, spider) -> None:
        stats = self.crawler.stats
        sys.stderr.write(
            f"\r{spider.name}: {stats.get_value('response_received_count', 0)} fetched, "
            f"{stats.get_value('newsbot/write/new', 0)} new, {stats.get_value('newsbot/write/updated', 0)} updated, "
            f"{stats.get_value('item_dropped_count', 0)} dropped "
        )
        sys.stderr.flush()

    def spider_closed(self, spider) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
            self.draw(spider)
            sys.stderr.write("\n")
