"""The Jekyll writer against golden files (brief, the default, and full), with titles that try to break YAML and Liquid."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from newsbot.exporters.jekyll import PostTemplate, post_filename, render_post, slugify
from newsbot.items import Article
from itemadapter import ItemAdapter

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "yaml-breakers": Article(
        url="https://www.yna.co.kr/view/AKR20250530000100001",
        source="연합뉴스",
        title="속보: # 'quoted' \"double\" --- next line\n두 번째 줄",
        published="2025-05-30T20:15:00+09:00",
        timezone="Asia/Seoul",
        language="ko",
        categories=["News", "정치"],
        excerpt="김정은 위원장이 러시아 국방차관을 접견했다. 양측은 군사협력을 논의했다.",
        key_sentences=["회담은 노동당 본부청사에서 열렸다고 조선중앙통신이 전했다.", "<b>태그</b>처럼 보이는 글자도 글자로 남는다."],
        body_html="<h2>소제목</h2><p>본문 첫 문단입니다.</p><table><tr><td>표</td></tr></table>",
        image="/assets/img/posts/abc.jpg",
    ),
    "liquid-and-markdown": Article(
        url="https://apnews.com/article/liquid-1",
        source="AP News",
        title="{{ site.secret }} and {% raw %} tags: [link](javascript:alert(1))",
        published="2024-09-03T04:03:19+00:00",
        timezone="UTC",
        language="en",
        categories=["News", "Politics"],
        excerpt="Costs {{ 5 | plus: 1 }} dollars; see [here](javascript:alert(1)) and *stars*.",
        key_sentences=["A key sentence with {% include x.html %} in it."],
        body_html="<p>Template {{ page.title }} and {% endraw %}{% include x.html %} stay text.</p>",
        image="",
    ),
}


@pytest.mark.parametrize("mode", ["brief", "full"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_post_matches_golden_file(name, mode):
    rendered = render_post(CASES[name], PostTemplate(body_mode=mode))
    golden = GOLDEN / (f"{name}.md" if mode == "brief" else f"{name}.{mode}.md")
    expected = golden.read_text(encoding="utf-8")
    if rendered != expected and os.environ.get("NEWSBOT_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
        pytest.fail(f"{golden.name} rewritten: review the diff, commit it, and run again without NEWSBOT_UPDATE_GOLDEN")
    assert rendered == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_front_matter_parses_back_to_the_same_text(name):
    article = CASES[name]
    matter = yaml.safe_load(render_post(article, PostTemplate()).split("---\n")[1])
    assert matter["title"] == " ".join(article.title.split())
    assert matter["categories"][0] == "News"
    assert matter["excerpt"].startswith(article.excerpt)
    assert matter["source_url"] == article.url


def test_korean_post_carries_the_seed_note_after_the_summary():
    matter = yaml.safe_load(render_post(CASES["yaml-breakers"], PostTemplate()).split("---\n")[1])
    assert matter["excerpt"].endswith("*이 요약문은 150자로 요약되었습니다.")
    assert matter["feature_text"].startswith("## koreablockchain 실시간 뉴스 속보입니다.\n\n김정은")


def test_body_braces_cannot_reach_liquid():
    full = render_post(CASES["liquid-and-markdown"], PostTemplate(body_mode="full")).split("---\n", 2)[2]
    assert "{{" not in full and "{%" not in full
    assert "&#123;&#123; page.title &#125;&#125;" in full
    brief = render_post(CASES["liquid-and-markdown"], PostTemplate()).split("---\n", 2)[2]
    assert "{{" not in brief and "{%" not in brief
    assert "<li>A key sentence with &#123;% include x.html %&#125; in it.</li>" in brief


def test_brief_is_headline_summary_key_sentences_and_link_not_the_article():
    body = render_post(CASES["yaml-breakers"], PostTemplate()).split("---\n", 2)[2]
    assert "본문 첫 문단입니다" not in body and "<table>" not in body
    assert body.index("<h2>속보: # &#x27;quoted&#x27;") < body.index("<p>김정은 위원장이") < body.index("<h2>주요 내용</h2>")
    assert "<li>&lt;b&gt;태그&lt;/b&gt;처럼 보이는 글자도 글자로 남는다.</li>" in body
    assert '<p>원문: <a href="https://www.yna.co.kr/view/AKR20250530000100001">연합뉴스</a></p>' in body


def test_attribution_links_every_source_of_a_story_and_the_main_article_once():
    article = Article(**{
        **CASES["yaml-breakers"].__dict__,
        "url": "https://www.yna.co.kr/view/AKR1",
    })
    adapter = ItemAdapter(article)
    adapter_dict = dict(adapter)
    adapter_dict["sources"] = [
        {"name": "뉴시스", "url": "https://www.newsis.com/view/NISX1"},
        {"name": "연합뉴스", "url": "https://www.yna.co.kr/view/AKR1"},
        {"name": "뉴스1 <b>", "url": "https://www.news1.kr/articles/5?a=1&b={{x}}"},
    ]
    body = render_post(adapter_dict, PostTemplate(body_mode="full")).split("---\n", 2)[2]
    lines = [line for line in body.splitlines() if line.startswith("<p>원문:")]
    assert lines == [
        '<p>원문: <a href="https://www.newsis.com/view/NISX1">뉴시스</a></p>',
        '<p>원문: <a href="https://www.yna.co.kr/view/AKR1">연합뉴스</a></p>',
        '<p>원문: <a href="https://www.news1.kr/articles/5?a=1&amp;b=&#123;&#123;x&#125;&#125;">뉴스1</a></p>',
    ]
    without_main = {**adapter_dict, "sources": adapter_dict["sources"][:1]}
    body = render_post(without_main, PostTemplate()).split("---\n", 2)[2]
    assert [line for line in body.splitlines() if line.startswith("<p>원문:")] == [
        '<p>원문: <a href="https://www.yna.co.kr/view/AKR1">연합뉴스</a></p>',
        '<p>원문: <a href="https://www.newsis.com/view/NISX1">뉴시스</a></p>',
    ]


def test_file_name_is_dated_in_source_zone_ascii_bounded_and_stable():
    article = CASES["yaml-breakers"]
    name = post_filename(ItemAdapter(article))
    assert name.startswith("2025-05-30-") and name.endswith(".md")
    assert set(name[:-3]) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert name == post_filename(ItemAdapter(article))
    late = Article(**{**article.__dict__, "published": "2025-05-30T23:30:00+00:00"})
    assert post_filename(ItemAdapter(late)).startswith("2025-05-31-")  # 08:30 next day in Seoul
    assert len(post_filename(ItemAdapter(Article(**{**article.__dict__, "title": "word " * 200})))) < 100
    assert slugify("!!!") == ""
    assert "article-" in post_filename(ItemAdapter(Article(**{**article.__dict__, "title": "!!!"})))


def test_post_date_keeps_the_pages_own_offset_when_the_source_names_no_zone():
    from scrapy.utils.test import get_crawler

    from newsbot.pipelines.normalize_fields import NormalizeFieldsPipeline

    pipeline = NormalizeFieldsPipeline(get_crawler(settings_dict={"NEWSBOT_DEFAULT_TIMEZONE": "UTC"}))
    article = Article(**{**CASES["liquid-and-markdown"].__dict__, "published": "2019-08-20T01:10:00+09:00", "timezone": ""})
    adapter = ItemAdapter(pipeline.process_item(article))
    assert adapter["published"] == "2019-08-20T01:10:00+09:00"
    matter = yaml.safe_load(render_post(article, PostTemplate()).split("---\n")[1])
    assert str(matter["date"]) == "2019-08-20 01:10:00+09:00"
    assert post_filename(adapter).startswith("2019-08-20-")
    naive = Article(**{**article.__dict__, "published": "2019-08-20T01:10:00"})
    assert ItemAdapter(pipeline.process_item(naive))["published"] == "2019-08-20T01:10:00+00:00"  # default zone reads it
    named = Article(**{**article.__dict__, "published": "2019-08-19T16:10:00+00:00", "timezone": "Asia/Seoul"})
    assert ItemAdapter(pipeline.process_item(named))["published"] == "2019-08-20T01:10:00+09:00"  # the source's zone


def test_story_post_with_no_summary_has_one_front_matter_that_parses():
    """A page whose brief found no summary sentence (a real listicle did this) still gets valid YAML.

    With an empty summary, feature_text ended in blank lines; libyaml then closed the piece dumped
    before ``sources:`` with a ``...`` document end, and the front matter no longer parsed.
    """
    adapter_dict = dict(ItemAdapter(CASES["liquid-and-markdown"]))
    adapter_dict.update(excerpt="", key_sentences=[], sources=[{"name": "AP News", "url": adapter_dict["url"]}])
    text = render_post(adapter_dict, PostTemplate())
    matter_text = text.split("---\n")[1]
    assert "\n...\n" not in matter_text
    matter = yaml.safe_load(matter_text)
    assert matter["sources"] == [{"name": "AP News", "url": adapter_dict["url"]}]
    assert matter["feature_text"].strip() == matter["feature_text"].split("\n")[0].strip()


def test_a_title_that_ends_in_an_ellipsis_keeps_it_and_its_line_end():
    """A real page's headline ("Alles hat seine Zeit...", trafilatura's evaluation pages) lost its
    dots and its line end with the document-end marker, and ran into ``categories:``."""
    adapter_dict = dict(ItemAdapter(CASES["liquid-and-markdown"]))
    adapter_dict.update(title="Alles hat seine Zeit...", sources=[{"name": "AP News", "url": adapter_dict["url"]}])
    matter = yaml.safe_load(render_post(adapter_dict, PostTemplate()).split("\n---\n")[0].removeprefix("---\n"))
    assert matter["title"] == "Alles hat seine Zeit..."
    assert matter["categories"]


def test_texts_around_a_post_follow_its_language_unless_the_user_set_them():
    from scrapy.settings import Settings

    from newsbot.extract.korean import HANGUL

    for template in (PostTemplate(), PostTemplate.from_settings(Settings(_project_settings()))):
        english = render_post(CASES["liquid-and-markdown"], template)
        assert not HANGUL.search(english), english  # no 주요 내용, 원문, 속보 on an English post
        assert "<h2>Key points</h2>" in english and '<p>Source: <a href="https://apnews.com/article/liquid-1">' in english
        korean = render_post(CASES["yaml-breakers"], template)
        assert "<h2>주요 내용</h2>" in korean and "<p>원문: <a " in korean and "실시간 뉴스 속보는, " in korean
    assert PostTemplate().text("key_points_heading", "de") == "Key points"  # English for every other language
    chosen = PostTemplate.from_settings(Settings({
        **_project_settings(), "NEWSBOT_KEY_POINTS_HEADING": "요점", "NEWSBOT_FOOTER": "More: {site_url}",
    }))
    for name in ("liquid-and-markdown", "yaml-breakers"):  # what the user set goes on every post
        post = render_post(CASES[name], chosen)
        assert "<h2>요점</h2>" in post and post.endswith("More: https://newsdao.kr\n")


def test_an_english_rewrite_has_english_table_headings():
    from newsbot.compose import compose_body

    rewrite = {"title": "Title", "summary": "Summary.", "sections": [{"heading": "What happened", "paragraphs": ["Text."]}],
               "key_points": [{"label": "When", "text": "Today"}], "closing": "End."}
    item = {**dict(ItemAdapter(CASES["liquid-and-markdown"])), "rewrite": rewrite}
    body = compose_body(item, PostTemplate(body_mode="rewrite", post_language="en")).html
    assert "<b>Key points</b>" in body and "<b>Details</b>" in body
    korean = compose_body(item, PostTemplate(body_mode="rewrite")).html
    assert "<b>주요 내용</b>" in korean and "<b>내용</b>" in korean


def _project_settings() -> dict:
    import newsbot.settings

    return {name: getattr(newsbot.settings, name) for name in dir(newsbot.settings) if name.isupper()}
