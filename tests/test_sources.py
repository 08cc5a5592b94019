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
    assert spider.feeds and all(url.startswith("https://") for url in spider.feeds)
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
