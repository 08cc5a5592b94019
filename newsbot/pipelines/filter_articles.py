"""Skip articles the operator does not want: ``NEWSBOT_INCLUDE`` / ``NEWSBOT_EXCLUDE``, per source too."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newsbot.stories.filters import ArticleFilter, pattern_list

logger = logging.getLogger(__name__)


class FilterArticlesPipeline:
    """Keyword and regular-expression filters on title and text, before any work is spent on a post.

    The settings apply to every source; a spider's ``include`` and ``exclude`` attributes add
    patterns for its source. Skips are counted under ``newsbot/filter/not_included`` and
    ``newsbot/filter/excluded``.
    """

    def __init__(self, crawler: Crawler, include: list[str], exclude: list[str]) -> None:
        self.stats = crawler.stats
        self.crawler = crawler
        self.include, self.exclude = include, exclude
        self.filter: ArticleFilter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FilterArticlesPipeline:
        include = pattern_list(crawler.settings.get("NEWSBOT_INCLUDE"))
        exclude = pattern_list(crawler.settings.get("NEWSBOT_EXCLUDE"))
        spider_class = crawler.spidercls
        include += pattern_list(getattr(spider_class, "include", None))
        exclude += pattern_list(getattr(spider_class, "exclude", None))
        if not include and not exclude:
            logger.debug("off: no NEWSBOT_INCLUDE or NEWSBOT_EXCLUDE patterns: every article is posted")
            raise NotConfigured  # without a message: Scrapy logs one at WARNING, and this is the default
        return cls(crawler, include, exclude)

    def open_spider(self) -> None:
        self.filter = ArticleFilter(self.include, self.exclude)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        reason = self.filter.reason_to_skip(adapter.get("title") or "", adapter.get("body_text") or "")
        if reason is None:
            return item
        event, _, pattern = reason.partition(":")
        self.stats.inc_value(f"newsbot/filter/{event}")
        why = f"matches NEWSBOT_EXCLUDE pattern {pattern!r}" if pattern else "matches no NEWSBOT_INCLUDE pattern"
        raise DropItem(f"{why}: {adapter.get('url')}")
