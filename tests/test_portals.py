"""Portal pages (Daum News): the outlet's article without the portal's reader tools, name or lost time."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsbot import extract_article
from newsbot.summarize import article_paragraphs, summarize

PORTAL = Path(__file__).parent / "fixtures" / "korean-portal"
# The portal's reader tools around the article: automatic summary, text to speech, font size, translation.
WIDGET_WORDS = ("요약보기", "자동요약", "음성으로 듣기", "음성재생", "(예시)", "글씨크기", "번역")


def _daum():
    page = gzip.decompress((PORTAL / "daum-news-1.html.gz").read_bytes())
    truth = json.loads(gzip.decompress((PORTAL / "daum-news-1.truth.json.gz").read_bytes()))
    return extract_article(page, truth["url"]), truth["content"].split("\n")


def test_a_daum_page_gives_the_outlets_article_without_the_portals_widgets():
    article, truth = _daum()
    body = article.body_text
    for word in WIDGET_WORDS:
        assert word not in body, word
    lines = body.split("\n")
    assert lines[0] == truth[0]
    # Every paragraph of the benchmark's text but the photo captions and the copyright line (credited "ⓒ", "©"),
    # which newsbot leaves out of every body.
    assert [line for line in truth if line not in body and not ("ⓒ" in line or "©" in line)] == []
    excerpt = summarize(article_paragraphs(article.body_html), 150, "ko")
    assert excerpt and not any(word in excerpt for word in WIDGET_WORDS)


def test_a_daum_page_names_the_outlet_and_keeps_the_time_of_day():
    article, _ = _daum()
    assert article.source == "데일리안"  # not the portal's label "언론사 뷰"
    assert article.published == "2024-05-13T12:52:14+09:00"


def test_a_daum_page_under_another_address_is_still_read_as_daums():
    """A saved or mirrored page: its og:url says it is Daum's, whatever address it was read from."""
    page = gzip.decompress((PORTAL / "daum-news-1.html.gz").read_bytes())
    article = extract_article(page, "https://mirror.example.org/saved/daum-news-1.html")
    assert article.source == "데일리안"
    assert not any(word in article.body_text for word in WIDGET_WORDS)
