"""Every source: one file named like its spider, one fixture, and the fields it must get right."""

from __future__ import annotations

import asyncio
import gzip
import json
import pkgutil
import re
from importlib import import_module
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

import newsbot.sources
from newsbot.config import SettingsError
from newsbot.feeds import FeedEntry
from newsbot.sources.base import NewsSpider

FIXTURES = Path(__file__).parent / "fixtures"
INFRASTRUCTURE = {"base", "feed"}


def _source_modules() -> list[str]:
    return [info.name for info in pkgutil.iter_modules(newsbot.sources.__path__) if info.name not in INFRASTRUCTURE]


def _spider_class(module_name: str) -> type[NewsSpider]:
    module = import_module(f"newsbot.sources.{module_name}")
    classes = [value for value in vars(module).values() if isinstance(value, type) and issubclass(value, NewsSpider) and value.__module__ == module.__name__]
    assert len(classes) == 1, module_name
    return classes[0]


def test_the_six_wire_sources_exist():
    assert set(_source_modules()) >= {"yonhap", "yonhap_en", "newsis", "news1", "apnews", "reuters"}


@pytest.mark.parametrize("module_name", _source_modules())
def test_source_file_is_named_like_its_spider_and_has_a_fixture(module_name):
    spider = _spider_class(module_name)
    assert spider.name == module_name
    assert all(url.startswith("https://") for url in spider.feeds)
    if spider.feeds:
        assert "search tool" in (Path(import_module(spider.__module__).__file__).read_text(encoding="utf-8"))
    else:  # no feed could be vouched for: a run says so, in one line
        with pytest.raises(SettingsError, match=f"source {module_name} has no feed URL"):
            spider.check_arguments({})
    assert spider.allowed_domains and spider.timezone and spider.source_name
    assert (FIXTURES / "sources" / f"{module_name}.json").exists()


@pytest.mark.parametrize("module_name", _source_modules())
def test_source_extracts_its_fixture(module_name):
    expected = json.loads((FIXTURES / "sources" / f"{module_name}.json").read_text(encoding="utf-8"))
    spider_class = _spider_class(module_name)
    spider = spider_class.from_crawler(get_crawler(spider_class, {"NEWSBOT_WORKERS": 0, "EXTENSIONS": {"newsbot.runtime.workers.WorkerPools": 0}}))
    body = gzip.decompress((FIXTURES / "pages" / expected["page"]).read_bytes())
    response = HtmlResponse(url=expected["url"], body=body, encoding="utf-8")
    article = asyncio.run(anext(spider.parse_article(response, FeedEntry(url=expected["url"]))))
    assert article.title == expected["title"]
    assert article.published == expected["published"]
    assert re.search(r"[+-]\d\d:\d\d$", article.published)
    assert article.authors == expected["authors"]
    assert article.source == spider_class.source_name == expected["source"]
    lines = article.body_text.split("\n")
    assert lines[0].startswith(expected["body_starts"]) and lines[-1].endswith(expected["body_ends"])
    assert article.image_url == expected["image_url"]
    if spider_class.timezone == "Asia/Seoul":
        assert article.published.endswith("+09:00")


def test_smoke_tells_per_feed_whether_it_answered_with_a_feed(saved_site):
    from newsbot.devserver import LocalServer, SavedPage
    from newsbot.runtime.smoke import check_feeds

    saved_site.add(SavedPage(path="/sitemap.xml.gz", body=gzip.compress(saved_site.sitemap("http://127.0.0.1")),
                             content_type="application/gzip"))
    page = next(iter(saved_site.pages))
    with LocalServer(saved_site) as url:
        checks = check_feeds([f"{url}/feed.xml", f"{url}/sitemap.xml", f"{url}/sitemap.xml.gz", f"{url}/RSS/politic.xml", f"{url}{page}"], "test")
    lines = [check.line() for check in checks]
    pages = len(saved_site.pages) - 1
    assert [check.ok for check in checks] == [True, True, True, False, False], lines
    assert [(check.status, check.kind, check.entries) for check in checks[:3]] == [(200, "rss", pages + 1), (200, "sitemap", pages + 1), (200, "sitemap", pages)]
    assert lines[0].startswith("ok ") and f"rss, {pages + 1} entries" in lines[0]
    assert lines[3].startswith("FAILED") and "HTTP 404" in lines[3]
    assert lines[4].startswith("FAILED") and "HTTP 200" in lines[4]
