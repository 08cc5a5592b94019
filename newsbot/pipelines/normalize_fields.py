"""Plain-text fields, dates in the source's zone, categories starting with ``News``."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot.extract.dates import to_iso
from newsbot.text import TITLE_MAX_LENGTH, plain_text

logger = logging.getLogger(__name__)


class NormalizeFieldsPipeline:
    """Makes every text field safe to print and every date ISO 8601 with an offset."""

    default_timezone = "UTC"
    max_age_days = 0.0

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.default_timezone = crawler.settings.get("NEWSBOT_DEFAULT_TIMEZONE", self.default_timezone)
        self.max_age_days = crawler.settings.getfloat("NEWSBOT_MAX_AGE_DAYS", self.max_age_days)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizeFieldsPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        # A source's own zone converts its dates; without one, NEWSBOT_DEFAULT_TIMEZONE only reads
        # offset-less dates and a date keeps the offset the page gave (+09:00 stays +09:00).
        source_zone = adapter.get("timezone") or ""
        adapter["timezone"] = source_zone
        adapter["title"] = plain_text(adapter.get("title"), TITLE_MAX_LENGTH)
        adapter["source"] = plain_text(adapter.get("source"), 100)
        adapter["description"] = plain_text(adapter.get("description"), 1000)
        adapter["authors"] = _unique(plain_text(name, 100) for name in adapter.get("authors") or [])
        categories = [plain_text(name, 60) for name in adapter.get("categories") or []]
        adapter["categories"] = _unique(["News", *categories])
        for field in ("published", "modified"):
            adapter[field] = self._iso(adapter.get(field), source_zone) if adapter.get(field) else ""
        if not adapter["published"]:
            if adapter["modified"]:
                adapter["published"] = adapter["modified"]
                self.stats.inc_value("newsbot/normalize/published_from_modified")
            else:
                self.stats.inc_value("newsbot/normalize/no_date")
                raise DropItem(f"no publication date: {adapter.get('url')}")
        if self.max_age_days > 0:
            age = datetime.now(timezone.utc) - datetime.fromisoformat(adapter["published"])
            if age > timedelta(days=self.max_age_days):
                self.stats.inc_value("newsbot/normalize/too_old")
                raise DropItem(f"published {age.days} days ago, over NEWSBOT_MAX_AGE_DAYS: {adapter.get('url')}")
        if not adapter["title"]:
            self.stats.inc_value("newsbot/normalize/empty_title")
            raise DropItem(f"headline is empty once markup is removed: {adapter.get('url')}")
        return item

    def _iso(self, value: object, source_zone: str) -> str:
        """``value`` in the source's zone, or with its own offset when the source names none."""
        return to_iso(value, source_zone or self.default_timezone, convert=bool(source_zone))


def _unique(values) -> list[str]:
    return [value for value in dict.fromkeys(values) if value]
