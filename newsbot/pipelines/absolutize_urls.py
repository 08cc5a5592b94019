"""Links and image sources in the body made absolute against the article URL."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newsbot.fragments import inner_html, parse_fragment


class AbsolutizeUrlsPipeline:
    """Relative ``href``/``src`` would point into our own site once published."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AbsolutizeUrlsPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        fragment = parse_fragment(adapter.get("body_html") or "")
        if fragment is None:
            return item
        fragment.make_links_absolute(adapter.get("url"), resolve_base_href=False, handle_failures="discard")
        adapter["body_html"] = inner_html(fragment)
        return item
