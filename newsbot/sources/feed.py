"""Any feed or sitemap: ``scrapy crawl feed -a url=https://example.com/rss.xml``."""

from __future__ import annotations

from typing import Any, ClassVar

from newsbot.config import Rule, SettingsError, check_arguments, text, timezone, urls
from newsbot.sources.base import NewsSpider


class FeedSpider(NewsSpider):
    """Reads the feeds given with ``-a url=`` (several separated by commas or spaces).

    Optional: ``-a source="Publisher name"``, ``-a timezone=Asia/Seoul``, ``-a limit=N``.
    """

    name = "feed"
    spider_arguments: ClassVar[dict[str, Rule]] = {
        "url": urls("http", "https"),
        "source": text(),
        "timezone": timezone(empty_ok=True),
        **NewsSpider.spider_arguments,
    }

    @classmethod
    def check_arguments(cls, arguments: dict[str, str]) -> None:
        check_arguments(arguments, cls.spider_arguments)  # first: a misspelt name ("urll") is named
        if not arguments.get("url"):  # its feeds come from -a url=, not the class
            raise SettingsError("the feed spider needs a feed or sitemap URL: -a url=URL")

    def __init__(
        self, *args: Any, url: str = "", source: str = "", timezone: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.feeds = [part for part in url.replace(",", " ").split() if part]
        if not self.feeds:
            raise SettingsError("the feed spider needs a feed or sitemap URL: -a url=URL")
        self.source_name = source
        self.timezone = timezone
