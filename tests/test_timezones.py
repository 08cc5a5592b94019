"""A time printed without an offset is wall-clock time in the source's zone, in pages and in feeds."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from newsbot.feeds import FeedEntry, parse_feed
from newsbot.pipelines.normalize_fields import NormalizeFieldsPipeline
from newsbot.sources.feed import FeedSpider

# Written for this test (not a real site's page or feed): the dates are what matters.
PAGE = (
    '<html lang="en"><head><title>Council votes to rebuild the bridge</title>'
    '<meta property="article:published_time" content="2024-05-03 10:00"></head><body><article>'
    "<h1>Council votes to rebuild the bridge</h1>"
    + "<p>The council met on Tuesday and voted to rebuild the old bridge over the river before winter.</p>" * 4
    + "</article></body></html>"
).encode()
FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example/</link>'
    "<item><title>a</title><link>https://news.example/a</link><pubDate>Fri, 03 May 2024 10:00:00</pubDate></item>"
    "<item><title>b</title><link>https://news.example/b</link><pubDate>Fri, 03 May 2024 10:00:00 +0000</pubDate></item>"
    "</channel></rss>"
).encode()


def _spider(**settings) -> FeedSpider:
    crawler = get_crawler(FeedSpider, {
        "NEWSBOT_WORKERS": 0, "EXTENSIONS": {"newsbot.runtime.workers.WorkerPools": 0}, **settings,
    })
    return FeedSpider.from_crawler(crawler, url="https://news.example/feed.xml")


def test_a_page_date_without_offset_is_read_in_the_default_zone():
    spider = _spider(NEWSBOT_DEFAULT_TIMEZONE="America/New_York")
    response = HtmlResponse(url="https://news.example/a", body=PAGE, encoding="utf-8")
    article = asyncio.run(anext(spider.parse_article(response, FeedEntry(url=response.url))))
    item = NormalizeFieldsPipeline(spider.crawler).process_item(article)
    assert item.published == "2024-05-03T10:00:00-04:00"


def test_a_feed_date_without_offset_is_read_in_the_source_zone():
    entries = parse_feed(FEED, "https://news.example/feed.xml", "Asia/Seoul").entries
    assert [entry.published for entry in entries] == ["2024-05-03T10:00:00+09:00", "2024-05-03T19:00:00+09:00"]


def test_the_feed_spider_reads_offsetless_feed_dates_in_the_default_zone():
    spider = _spider(NEWSBOT_DEFAULT_TIMEZONE="America/New_York", NEWSBOT_STATE=":memory:",
                     EXTENSIONS={"newsbot.runtime.workers.WorkerPools": 0, "newsbot.state.extension.StateExtension": 0})
    response = TextResponse(url="https://news.example/feed.xml", body=FEED, encoding="utf-8",
                            request=Request("https://news.example/feed.xml"))
    requests = list(spider.parse_feed(response))
    assert [request.cb_kwargs["entry"].published for request in requests] == [
        "2024-05-03T10:00:00-04:00", "2024-05-03T06:00:00-04:00",
    ]


def test_a_page_date_with_an_offset_keeps_it_through_extraction_and_the_pipeline():
    page = PAGE.replace(b'content="2024-05-03 10:00"', b'content="2019-08-20T01:10:00+09:00"')
    spider = _spider(NEWSBOT_DEFAULT_TIMEZONE="UTC")
    response = HtmlResponse(url="https://news.example/a", body=page, encoding="utf-8")
    article = asyncio.run(anext(spider.parse_article(response, FeedEntry(url=response.url))))
    assert article.published == "2019-08-20T01:10:00+09:00"
    item = NormalizeFieldsPipeline(spider.crawler).process_item(article)
    assert item.published == "2019-08-20T01:10:00+09:00"


def test_a_page_that_states_no_date_takes_its_feeds_date_not_a_guess_from_its_text():
    """The feed's date has the time of day; htmldate's guess from a date line in the text only the day."""
    page = PAGE.replace(b'<meta property="article:published_time" content="2024-05-03 10:00">', b"").replace(
        b"<h1>", b'<p class="date">Friday, 3 May 2024</p><h1>'
    )
    spider = _spider(NEWSBOT_DEFAULT_TIMEZONE="UTC")
    response = HtmlResponse(url="https://news.example/a", body=page, encoding="utf-8")
    dated = FeedEntry(url=response.url, published="2024-05-03T10:17:00+00:00")
    assert asyncio.run(anext(spider.parse_article(response, dated))).published == "2024-05-03T10:17:00+00:00"
    undated = asyncio.run(anext(spider.parse_article(response, FeedEntry(url=response.url))))
    assert undated.published.startswith("2024-05-03T00:00:00")  # no date in the feed: the guess it is
