"""Body HTML through an nh3 allowlist (:mod:`newsbot.sanitize`): structure stays, anything that runs goes."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot.sanitize import sanitize_html

logger = logging.getLogger(__name__)


class SanitizeBodyPipeline:
    """nh3 with newsbot's allowlist; ``h1`` becomes ``h2`` (the post title is the page's h1)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SanitizeBodyPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        if adapter.get("finished"):
            return item  # sanitized by the worker that extracted it (newsbot.finish)
        adapter["body_html"] = sanitize_html(adapter.get("body_html") or "")
        if not adapter["body_html"].strip():
            self.stats.inc_value("newsbot/sanitize/empty")
            raise DropItem(f"nothing left of the body after sanitizing: {adapter.get('url')}")
        return item
