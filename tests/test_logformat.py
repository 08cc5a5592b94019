"""Scrapy's item log lines name an article by its link, on one line, instead of printing it whole."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newsbot.items import Article
from newsbot.runtime.logformat import ArticleLogFormatter
from newsbot.sources.feed import FeedSpider


def _line(result: dict) -> str:
    return result["msg"] % result["args"]


def test_a_dropped_article_is_one_line_with_its_reason_and_link():
    crawler = get_crawler(FeedSpider, {"DEFAULT_DROPITEM_LOG_LEVEL": "WARNING"})
    spider = FeedSpider.from_crawler(crawler, url="https://example.org/feed.xml")
    article = Article(url="https://example.org/a", feed_url="https://example.org/feed-a", body_html="<p>" + "word " * 2000 + "</p>")
    result = ArticleLogFormatter().dropped(article, DropItem("no body left"), None, spider)
    assert _line(result) == "Dropped: no body left: https://example.org/a"
    assert result["level"] == logging.WARNING  # the level is still Scrapy's to choose
    assert _line(ArticleLogFormatter().item_error(article, ValueError(), None, spider)) == "Error processing https://example.org/a"
    assert "word" not in _line(ArticleLogFormatter().scraped(article, None, spider))
    assert _line(ArticleLogFormatter().dropped({"other": 1}, DropItem("x"), None, spider)) == "Dropped: x: {'other': 1}"
    reason = DropItem("published 800 days ago: https://example.org/a")  # reasons that name the link already
    assert _line(ArticleLogFormatter().dropped(article, reason, None, spider)) == f"Dropped: {reason}"
