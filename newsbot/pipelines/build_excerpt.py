"""The post summary (whole top-ranked sentences, at most ``NEWSBOT_EXCERPT_LENGTH`` characters) and the brief's key sentences."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newsbot.compose.brief import excerpt_and_key_sentences
from newsbot.runtime.workers import WorkerPools
from newsbot.summarize import article_paragraphs, shorten
from newsbot.text import plain_text


class BuildExcerptPipeline:
    """Summarizes the body and picks the brief's key sentences (one split of the article for both);
    the summary falls back to the page's description, then to its first words."""

    max_length = 150

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_length = crawler.settings.getint("NEWSBOT_EXCERPT_LENGTH", self.max_length)
        # Articles come summarized from the extraction workers; this summarizes any other item there too.
        self.pool = WorkerPools.pool_of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BuildExcerptPipeline:
        return cls(crawler)

    async def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        if adapter.get("finished"):  # summarized by the worker that extracted it (newsbot.finish)
            excerpt, key_sentences = adapter.get("excerpt") or "", adapter.get("key_sentences") or []
        else:
            text = article_paragraphs(adapter.get("body_html") or "") or adapter.get("body_text") or ""
            excerpt, key_sentences = await self.pool.run(
                excerpt_and_key_sentences, text, self.max_length, adapter.get("language") or ""
            )
        if excerpt:
            self.stats.inc_value("newsbot/excerpt/summary")
        else:
            excerpt = shorten(plain_text(adapter.get("description")), self.max_length)
            self.stats.inc_value("newsbot/excerpt/description")
        adapter["excerpt"] = excerpt
        adapter["key_sentences"] = key_sentences
        return item
