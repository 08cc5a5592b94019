"""One trip per article: the worker that extracts a page also sanitizes and summarizes it, and the
crawl process's pipelines then parse nothing again."""

from __future__ import annotations

import asyncio
import gzip
import subprocess
import sys

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from conftest import PAGES
from newsbot.compose import brief, compose_body
from newsbot.exporters.jekyll import PostTemplate
from newsbot.feeds import FeedEntry
from newsbot.pipelines import absolutize_urls, build_excerpt, normalize_fields, sanitize_body
from newsbot.stories import Grouper, features
from newsbot.sources.feed import FeedSpider

URL = "https://www.hankookilbo.com/news/article/A2026012914320005196"
SETTINGS = {"NEWSBOT_WORKERS": 0, "EXTENSIONS": {"newsbot.runtime.workers.WorkerPools": 0}}


def _article(spider_class=FeedSpider):
    crawler = get_crawler(spider_class, SETTINGS)
    spider = spider_class.from_crawler(crawler, url="https://www.hankookilbo.com/feed.xml")
    page = gzip.decompress((PAGES / "fundus-kr-HankookIlbo_2026_01_29.html.gz").read_bytes())
    response = HtmlResponse(url=URL, body=page.replace(b"</p>", b"<script>alert(1)</script></p>", 1), encoding="utf-8")
    return crawler, asyncio.run(anext(spider.parse_article(response, FeedEntry(url=URL))))


def _fail(*args, **kwargs):
    raise AssertionError("the crawl process parsed the body again")


def test_the_worker_returns_the_article_sanitized_and_summarized_and_the_pipelines_parse_nothing(monkeypatch):
    crawler, article = _article()
    assert article.finished
    assert "<script" not in article.body_html and "alert(1)" not in article.body_html
    assert article.excerpt.startswith("장동혁 국민의힘 대표가 당권을 위협하던 한동훈 전 대표를 제명했지만")
    assert article.key_sentences
    body, excerpt = article.body_html, article.excerpt
    monkeypatch.setattr(absolutize_urls, "absolutize_links", _fail)
    monkeypatch.setattr(sanitize_body, "sanitize_html", _fail)
    monkeypatch.setattr(build_excerpt, "article_paragraphs", _fail)
    monkeypatch.setattr(build_excerpt, "excerpt_and_key_sentences", _fail)
    absolutize_urls.AbsolutizeUrlsPipeline.from_crawler(crawler).process_item(article)
    sanitize_body.SanitizeBodyPipeline.from_crawler(crawler).process_item(article)
    asyncio.run(build_excerpt.BuildExcerptPipeline.from_crawler(crawler).process_item(article))
    assert (article.body_html, article.excerpt) == (body, excerpt)
    assert crawler.stats.get_value("newsbot/excerpt/summary") == 1


def test_the_worker_cuts_the_brief_and_makes_the_grouping_terms_and_the_writer_uses_them(monkeypatch):
    crawler, article = _article()
    normalize_fields.NormalizeFieldsPipeline.from_crawler(crawler).process_item(article)
    post = compose_body(article, PostTemplate())
    terms = Grouper().features(article.title, article.body_text)
    monkeypatch.setattr(brief, "fit_copy_limit", _fail)
    monkeypatch.setattr(features, "extract_features", _fail)
    assert compose_body(article, PostTemplate()) == post
    assert Grouper().features(article.title, article.body_text, article.story_terms) == terms
    monkeypatch.undo()
    cuts = []
    monkeypatch.setattr(brief, "fit_copy_limit", lambda *values: cuts.append(values) or ("", []))
    article.title = "장동혁, 한동훈 제명"  # changed on the way (a source's fix): both are made again
    compose_body(article, PostTemplate())
    assert cuts and cuts[0][0] == article.title
    assert Grouper().features(article.title, article.body_text, article.story_terms) != terms


class _EditingSpider(FeedSpider):
    name = "editing"

    def adjust_article(self, article, response):
        article.body_html = '<p>Rewritten by the source.</p><p onclick="x()">A second, longer sentence of it here.</p>'
        return article


def test_a_source_that_changes_the_body_gets_it_sanitized_and_summarized_by_the_pipelines():
    crawler, article = _article(_EditingSpider)
    assert not article.finished
    sanitize_body.SanitizeBodyPipeline.from_crawler(crawler).process_item(article)
    asyncio.run(build_excerpt.BuildExcerptPipeline.from_crawler(crawler).process_item(article))
    assert "onclick" not in article.body_html
    assert article.excerpt == "Rewritten by the source. A second, longer sentence of it here."


def test_the_workers_import_no_scrapy():
    """What the fork server preloads for the workers: Scrapy (also through itemadapter) would cost ~30 MB each."""
    code = "import sys, newsbot.runtime.workers as w; [__import__(m) for m in w._PRELOAD]; print(sorted(sys.modules))"
    modules = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert "'scrapy" not in modules and "'itemadapter" not in modules and "'twisted" not in modules


def crawler_probe(*lines: str) -> str:
    """Python code that makes a Crawler of newsbot's settings (plus NAME=VALUE arguments), then runs ``lines``."""
    return (
        "import sys, newsbot.settings as project\n"
        "from scrapy import Spider\nfrom scrapy.crawler import Crawler\nfrom scrapy.settings import Settings\n"
        "from scrapy.utils.reactor import install_reactor\n"
        "install_reactor(project.TWISTED_REACTOR)\n"
        "settings = Settings(); settings.setmodule(project, 'project'); settings.setdict(dict(a.split('=') for a in sys.argv[1:]))\n"
        "crawler = Crawler(Spider, settings); crawler._apply_settings()\n"
    ) + "".join(f"{line}\n" for line in lines)


def test_the_crawl_process_imports_no_control_port_extension():
    """Telnet console and remote control stay out without being imported (the remote control brings aiohttp, 9 MiB)."""
    code = crawler_probe("print(sorted(type(m).__name__ for m in crawler.extensions.middlewares), sorted(sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert "'WorkerPools'" in output and "'CoreStats'" in output
    assert "Telnet" not in output and "RemoteControl" not in output
    assert "'aiohttp'" not in output and "'scrapy.extensions.remote_control'" not in output


def test_cookies_off_leave_the_cookies_middleware_unimported_and_on_it_runs():
    """With cookies off Scrapy would import the middleware only to hear it declines (it brings tldextract and requests)."""
    code = crawler_probe(
        "from scrapy.core.downloader.middleware import DownloaderMiddlewareManager",
        "manager = DownloaderMiddlewareManager.from_crawler(crawler)",
        "print(sorted(type(m).__name__ for m in manager.middlewares), sorted(sys.modules))",
    )
    off = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert "'RobotsTxtMiddleware'" in off and "'ContactUserAgentMiddleware'" in off
    assert "Cookies" not in off and "'scrapy.downloadermiddlewares.cookies'" not in off and "'tldextract'" not in off
    on = subprocess.run([sys.executable, "-c", code, "COOKIES_ENABLED=True"], check=True, capture_output=True, text=True).stdout
    assert "'CookiesMiddleware'" in on


def test_a_worker_gives_its_free_heap_back_after_a_large_page_only(monkeypatch):
    from newsbot import finish

    trimmed = []
    monkeypatch.setattr(finish, "trim_heap", lambda: trimmed.append(True))
    page = gzip.decompress((PAGES / "fundus-kr-HankookIlbo_2026_01_29.html.gz").read_bytes())
    assert len(page) < finish.TRIM_AFTER_BYTES
    finish.finish_page(page, URL, "text/html", None, "UTC", 150)
    assert not trimmed
    large = page.replace(b"</body>", b"<!--" + b" " * finish.TRIM_AFTER_BYTES + b"--></body>")
    assert finish.finish_page(large, URL, "text/html", None, "UTC", 150).finished
    assert trimmed == [True]


def test_the_crawl_process_freezes_its_start_up_objects_and_gives_its_free_heap_back_every_fifty_pages(monkeypatch):
    import gc

    from scrapy import signals
    from scrapy.utils.test import get_crawler

    from newsbot.runtime import memory

    trimmed = []
    monkeypatch.setattr(memory, "trim_heap", lambda: trimmed.append(True))
    crawler = get_crawler(settings_dict={"EXTENSIONS": {"newsbot.runtime.memory.CrawlProcessMemory": 0}})
    memory.CrawlProcessMemory.from_crawler(crawler)
    threshold = gc.get_threshold()
    try:
        crawler.signals.send_catch_log(signals.engine_started)
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] == memory.CrawlProcessMemory.GC_ALLOCATIONS
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    for _ in range(2 * memory.CrawlProcessMemory.TRIM_EVERY - 1):
        crawler.signals.send_catch_log(signals.response_received)
    assert trimmed == [True]
    crawler.signals.send_catch_log(signals.response_received)
    assert trimmed == [True, True]
