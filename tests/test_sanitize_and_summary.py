"""Body sanitizing and the 150-character summary, on hostile markup and real pages."""

from __future__ import annotations

import gzip
import re

import pytest

from conftest import PAGES, manifest
from newsbot import extract_article
from newsbot.pipelines.sanitize_body import sanitize_html
from newsbot.summarize import article_paragraphs, summarize
from newsbot.text import plain_text

HOSTILE = """
<h1>Head</h1><script>alert(1)</script><style>p{}</style><iframe src="https://evil.example"></iframe>
<p onclick="steal()">Text <a href="javascript:alert(1)">js link</a> <a href="https://ok.example/a">ok</a></p>
<form action="/x"><input name="q"></form><object data="x.swf"></object><embed src="x.swf"><base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example"><img src="data:image/png;base64,AAAA" onerror="x()">
<img src="https://img.example/a.jpg" alt="photo"><table><tr><td>cell</td></tr></table><ul><li>item</li></ul>
<a href="mailto:desk@example.org">mail</a><svg><script>alert(2)</script></svg>
"""


def test_sanitizer_keeps_structure_and_removes_everything_that_runs():
    clean = sanitize_html(HOSTILE)
    for banned in ("<script", "<style", "<iframe", "<form", "<input", "<object", "<embed", "<base", "<meta", "<svg", "onclick", "onerror", "javascript:", "data:", "alert("):
        assert banned not in clean.lower()
    for kept in ("<h2>Head</h2>", "<table>", "<li>item</li>", 'src="https://img.example/a.jpg"', 'href="https://ok.example/a"', 'href="mailto:desk@example.org"'):
        assert kept in clean
    assert "js link" in clean


@pytest.mark.parametrize("value", ["<b>bold</b> title", "&lt;script&gt;alert(1)&lt;/script&gt;", "tab\tand\x00nul\u202e rtl", "a < b and c > d"])
def test_plain_text_has_no_markup_or_control_characters(value):
    text = plain_text(value)
    assert not re.search(r"<[A-Za-z/!?]", text)
    assert not any(ord(char) < 32 for char in text)
    assert "\u202e" not in text


REAL = [entry for entry in manifest()]


@pytest.mark.parametrize("entry", REAL, ids=lambda entry: entry["file"])
def test_summary_is_whole_sentences_from_the_article_within_150_characters(entry):
    article = extract_article(gzip.decompress((PAGES / entry["file"]).read_bytes()), entry["url"])
    text = article_paragraphs(article.body_html)
    summary = summarize(text, 150, article.language)
    assert 0 < len(summary) <= 150
    flat = " ".join(text.split())
    if not summary.endswith("…"):
        for sentence in re.split(r"(?<=[.!?。！？…][\"”’'])\s+|(?<=[.!?。！？…])\s+", summary):
            assert sentence.strip() in flat
    assert "기자 =" not in summary and "무단" not in summary and "@" not in summary
    assert "(AP) —" not in summary and "(Reuters) -" not in summary


def test_relative_links_are_resolved_and_a_body_already_absolute_is_left_as_it_is():
    from scrapy.utils.test import get_crawler

    from newsbot.items import Article
    from newsbot.pipelines.absolutize_urls import AbsolutizeUrlsPipeline

    pipeline = AbsolutizeUrlsPipeline.from_crawler(get_crawler())
    url = "https://news.example.com/world/2024/story.html"
    relative = Article(url=url, body_html='<p>See <a href="../analysis">this</a> <img src="pic.jpg" alt=""></p>')
    body = pipeline.process_item(relative).body_html
    assert 'href="https://news.example.com/world/analysis"' in body and 'src="https://news.example.com/world/2024/pic.jpg"' in body
    absolute = '<p>See <a href="https://a.example/x">this</a>, <a href="#note">note</a><br><img src="https://a.example/p.jpg"></p>'
    assert pipeline.process_item(Article(url=url, body_html=absolute)).body_html == absolute  # not parsed and rewritten
