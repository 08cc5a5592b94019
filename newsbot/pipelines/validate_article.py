"""Drop articles that cannot become a post: no headline, no body, or too little text."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)


class ValidateArticlePipeline:
    """The first gate: a title and a body of at least ``NEWSBOT_MIN_BODY_CHARS`` characters."""

    min_body_chars = 80

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.min_body_chars = crawler.settings.getint("NEWSBOT_MIN_BODY_CHARS", self.min_body_chars)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidateArticlePipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        if not (adapter.get("title") or "").strip():
            self._drop("no_title", "no headline", adapter)
        body_text = (adapter.get("body_text") or "").strip()
        if not body_text or not (adapter.get("body_html") or "").strip():
            self._drop("no_body", "no article body", adapter)
        if len(body_text) < self.min_body_chars:
            self._drop("short_body", f"body has {len(body_text)} characters, fewer than {self.min_body_chars}", adapter)
        self.stats.inc_value("newsbot/validate/ok")
        return item

    def _drop(self, event: str, reason: str, adapter: ItemAdapter) -> None:
        self.stats.inc_value(f"newsbot/validate/{event}")
        raise DropItem(f"{reason}: {adapter.get('url')}")
