"""NEWSBOT_INCLUDE / NEWSBOT_EXCLUDE: keywords and regular expressions on title and text, per source too."""

from __future__ import annotations

import json

import pytest
from test_story_posts import HANKOOK, MBN, korean_paragraphs, korean_site

from conftest import run_newsbot
from newsbot.config import SettingsError, validate_settings
from newsbot.devserver import LocalServer
from newsbot.stories.filters import ArticleFilter


def test_keywords_match_whole_latin_words_and_inside_korean_words():
    wanted = ArticleFilter(include=["war", "북한"])
    assert wanted.reason_to_skip("Trade war looms", "") is None
    assert wanted.reason_to_skip("New software", "released today") == "not_included"
    assert wanted.reason_to_skip("", "북한은 19일 미사일을 쐈다") is None
    unwanted = ArticleFilter(exclude=["/^\\[(포토|영상)\\]/", "Sponsored"])
    assert unwanted.reason_to_skip("[포토] 서울 첫눈", "본문") == "excluded:^\\[(포토|영상)\\]"
    assert unwanted.reason_to_skip("서울 첫눈 [포토]", "본문") is None
    assert unwanted.reason_to_skip("Markets", "SPONSORED content") == "excluded:(?<![A-Za-z0-9])Sponsored(?![A-Za-z0-9])"


def test_a_pattern_that_is_not_a_regular_expression_is_a_settings_error():
    with pytest.raises(SettingsError, match=r"NEWSBOT_EXCLUDE=/\(unclosed/: .*not a regular expression"):
        validate_settings({"NEWSBOT_EXCLUDE": "/(unclosed/"})
    validate_settings({"NEWSBOT_INCLUDE": ["북한", "/^\\[속보\\]/"], "NEWSBOT_EXCLUDE": "광고,Sponsored"})


def test_skipped_articles_are_never_posted_and_counted_by_reason(tmp_path):
    title, paragraphs = korean_paragraphs(*HANKOOK)
    other_title, other = korean_paragraphs(*MBN)
    site = korean_site([("/a/1", title, paragraphs, "가통신"), ("/a/2", other_title, other, "가통신")])
    with LocalServer(site) as url:
        result = run_newsbot(tmp_path, f"{url}/feed.xml", "-s", "NEWSBOT_EXCLUDE=/흙수저/")
        assert result.returncode == 0, result.stderr[-3000:]
    posts = list((tmp_path / "_posts").glob("*.md"))
    assert len(posts) == 1 and "title: 왜 경상도" in posts[0].read_text(encoding="utf-8")
    report = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())["sources"][0]
    assert report["dropped"] == {"matches a NEWSBOT_EXCLUDE pattern": 1}
    assert "matches a NEWSBOT_EXCLUDE pattern" in result.stdout


def test_a_source_adds_its_own_patterns_to_the_settings():
    from scrapy.exceptions import DropItem, NotConfigured
    from scrapy.utils.test import get_crawler

    from newsbot.items import Article
    from newsbot.pipelines.filter_articles import FilterArticlesPipeline
    from newsbot.sources.base import NewsSpider

    class PhotoFreeSpider(NewsSpider):
        name = "photo_free"
        exclude = ["/^\\[포토\\]/"]

    with pytest.raises(NotConfigured):
        FilterArticlesPipeline.from_crawler(get_crawler(NewsSpider))
    crawler = get_crawler(PhotoFreeSpider, {"NEWSBOT_EXCLUDE": "광고"})
    pipeline = FilterArticlesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    kept = Article(title="서울 첫눈", body_text="본문")
    assert pipeline.process_item(kept) is kept
    for title in ("[포토] 서울 첫눈", "서울 첫눈 광고"):
        with pytest.raises(DropItem):
            pipeline.process_item(Article(title=title, body_text="본문"))
    assert crawler.stats.get_value("newsbot/filter/excluded") == 2
