"""Links and image sources in the body made absolute against the article URL."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newsbot.fragments import absolutize_links


class AbsolutizeUrlsPipeline:
    """Relative ``href``/``src`` would point into our own site once published."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AbsolutizeUrlsPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        if not adapter.get("finished"):  # else the extractor resolved them, in the worker
            adapter["body_html"] = absolutize_links(adapter.get("body_html") or "", adapter.get("url"))
        return item
