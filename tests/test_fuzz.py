"""Property tests on the pieces that take outside input: feeds, extraction, sanitizer, writer.

Bounded (a fixed number of examples, no deadline), so the suite's time stays flat.
"""

from __future__ import annotations

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itemadapter import ItemAdapter

from newsbot import extract_article
from newsbot.exporters.jekyll import PostTemplate, post_filename, render_post
from newsbot.feeds import parse_feed
from newsbot.items import Article
from newsbot.sanitize import sanitize_html
from newsbot.text import plain_text

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = ["p", "script", "style", "iframe", "a", "img", "svg", "math", "form", "table", "td", "h1", "title", "meta", "object", "noscript", "template", "base"]
ATTRIBUTES = ["href", "src", "onclick", "onerror", "style", "srcdoc", "formaction", "xlink:href", "data"]
VALUES = ["javascript:alert(1)", " JaVaScRiPt:x", "data:text/html,<script>", "https://ok.example/", "vbscript:x", "&#106;avascript:x", "{{ x }}", '"><script>x</script>']
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@st.composite
def markup(draw, depth: int = 3) -> str:
    """Random nested HTML made of the tags and attributes attackers use."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            attributes = "".join(
                f' {draw(st.sampled_from(ATTRIBUTES))}="{draw(st.sampled_from(VALUES))}"'
                for _ in range(draw(st.integers(0, 2)))
            )
            parts.append(f"<{tag}{attributes}>{draw(markup(depth - 1))}</{tag}>")
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@FUZZ
@given(markup())
def test_sanitized_html_never_holds_anything_that_runs(value):
    clean = sanitize_html(value).lower()
    for banned in ("<script", "<style", "<iframe", "<svg", "<math", "<form", "<object", "<base", "<meta", "<template"):
        assert banned not in clean
    assert not re.search(r"<[^>]*\son\w+\s*=", clean)
    for attribute in re.findall(r'<[^<>]*?\s(?:href|src)="([^"]*)"', clean):
        assert attribute.startswith(("http://", "https://", "mailto:", "/assets/"))


@FUZZ
@given(st.one_of(st.binary(max_size=3000), markup().map(lambda m: f"<html><head><title>{m}</title></head><body>{m}</body></html>".encode())))
def test_extraction_never_raises(page):
    article = extract_article(page, "https://fuzz.example/a")
    assert isinstance(article.title, str) and isinstance(article.body_html, str)


@FUZZ
@given(st.one_of(st.binary(max_size=3000), markup().map(lambda m: f'<?xml version="1.0"?><rss><channel><item><title>{m}</title><link>{m}</link></item></channel></rss>'.encode())))
def test_feed_parsing_never_raises_and_gives_only_web_links(document):
    parsed = parse_feed(document, "https://fuzz.example/feed")
    assert all(entry.url.startswith(("http://", "https://")) for entry in parsed.entries)


# Endings that mean something to YAML or to Jekyll's front matter delimiters.
ENDINGS = ["", "...", "---", ":", " #", "'", '"', "\\", "|", ">"]
# Jekyll's own front matter match: from a first "---" line to the next "---" or "..." line.
JEKYLL_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n?)^(?:---|\.\.\.)\s*$\n?", re.DOTALL | re.MULTILINE)


@FUZZ
@given(title=st.tuples(TEXT, st.sampled_from(ENDINGS)).map(lambda parts: parts[0] * 3 + parts[1]), excerpt=TEXT, body=markup())
def test_any_title_gives_parseable_front_matter_and_a_safe_file_name(title, excerpt, body):
    article = Article(
        url="https://fuzz.example/a/../../etc/passwd", title=title, excerpt=excerpt, body_html=sanitize_html(body),
        published="2025-01-01T00:00:00+09:00", timezone="Asia/Seoul", source=title, categories=["News", title],
    )
    post = render_post(article, PostTemplate())
    matter = yaml.safe_load(JEKYLL_FRONT_MATTER.match(post).group(1))
    assert matter["title"] == plain_text(title)
    for field in ("title", "excerpt", "feature_text"):
        assert not re.search(r"<[A-Za-z/!?]", matter[field])
    assert "{{" not in post.split("---\n", 2)[2] and "{%" not in post.split("---\n", 2)[2]
    assert re.fullmatch(r"2025-01-01-[a-z0-9-]+\.md", post_filename(ItemAdapter(article)))
