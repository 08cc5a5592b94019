"""Scrapy's log lines about items, naming an article by its link rather than printing all of it."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class ArticleLogFormatter(LogFormatter):
    """Scrapy logs a scraped, dropped or failed item whole: an article's body, brief and story terms
    are kilobytes a line. Here it is its link (and the drop's reason, as before), on one line."""

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        result = super().scraped(item, response, spider)
        return {**result, "msg": "Scraped from %(src)s: %(item)s", "args": {**result["args"], "item": named(item)}}

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        link = named(item)
        message = "Dropped: %(exception)s" if link in str(exception) else "Dropped: %(exception)s: %(item)s"
        return {**result, "msg": message, "args": {**result["args"], "item": link}}

    def item_error(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        result = super().item_error(item, exception, response, spider)
        return {**result, "args": {**result["args"], "item": named(item)}}


def named(item: Any) -> str:
    """An article's link (its feed entry's when it has none yet); anything else as Scrapy would show it."""
    if not ItemAdapter.is_item(item):
        return repr(item)
    adapter = ItemAdapter(item)
    return adapter.get("url") or adapter.get("feed_url") or repr(item)
