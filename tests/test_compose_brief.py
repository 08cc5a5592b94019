"""The brief (the default body): headline, summary, key sentences and the link, within the copy limit."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, PAGES, read_post, run_crawl

from newsbot import extract_article
from newsbot.compose.brief import ArticleRuns, copied_chars, copy_limit, excerpt_and_key_sentences, fit_copy_limit
from newsbot.devserver import LocalServer, LocalSite, SavedPage
from newsbot.exporters.jekyll import PostTemplate, render_post
from newsbot.summarize import article_paragraphs, leans_on_previous

KOREAN = FIXTURES / "korean"


def korean_pages() -> list[tuple[Path, str]]:
    """Every real Korean-language page in the fixtures: four in ``pages/``, the Daum portal page in ``korean/``."""
    found = []
    for folder in (PAGES, KOREAN):
        for entry in json.loads((folder / "manifest.json").read_text(encoding="utf-8")):
            page = folder / entry["file"]
            if len(re.findall(r"[가-힣]", gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))) > 500:
                found.append((page, entry["url"]))
    return found


def visible_text(post: str) -> str:
    """Everything a reader of the post file can read: front matter and body, tags out, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", post))


def test_copied_chars_counts_article_characters_inside_shared_20_character_runs():
    article = "가" * 10 + "0123456789abcdefghijklmnopqrstuvwxyz" + "나" * 10
    assert copied_chars("0123456789abcdefghij", article) == 20
    assert copied_chars("0123456789abcdefghi", article) == 0  # 19 characters: no run
    assert copied_chars("xx 0123456789abcdefghijklmnopqrstuvwxyz yy", article) == 36
    # The same copied passage twice (summary and excerpt) counts once; white space is collapsed.
    assert copied_chars("0123456789abcdefghij / 0123456789abcdefghij", article) == 20
    assert copied_chars("a  b\n c" * 5, "a b c" * 5) == len("a b c" * 5)
    # A passage the article prints twice is copied twice when the post holds it once.
    assert copied_chars("0123456789abcdefghij", "0123456789abcdefghij xx 0123456789abcdefghij") == 40
    assert copy_limit("x" * 3000) == 600 and copy_limit("x" * 900) == 300


def test_korean_fixture_set_has_the_five_real_korean_pages():
    assert len(korean_pages()) == 5


@pytest.mark.parametrize("page,url", korean_pages(), ids=lambda value: getattr(value, "name", ""))
def test_brief_of_a_real_korean_page_copies_at_most_a_third_and_600_characters(page, url):
    article = extract_article(gzip.decompress(page.read_bytes()), url)
    assert article.language == "ko"
    text = article_paragraphs(article.body_html) or article.body_text
    article.excerpt, article.key_sentences = excerpt_and_key_sentences(text, 150, "ko")
    assert article.excerpt and 1 <= len(article.key_sentences) <= 5
    assert not any(sentence in article.excerpt for sentence in article.key_sentences)
    post = render_post(article, PostTemplate())
    _, body = post.split("---\n", 2)[1:]
    limit = min(len(" ".join(article.body_text.split())) // 3, 600)
    assert copied_chars(visible_text(post), article.body_text) <= limit
    assert body.count("<h2>") == 2 and "<ul>" in body
    assert f'<a href="{html.escape(url)}">' in body
    full = render_post(article, PostTemplate(body_mode="full"))
    assert copied_chars(visible_text(full), article.body_text) > limit  # the measure sees a copy


@pytest.mark.parametrize("page,url", korean_pages()[:2], ids=lambda value: getattr(value, "name", ""))
def test_copied_prefixes_agree_with_copied_for_every_prefix_of_a_real_brief(page, url):
    article = extract_article(gzip.decompress(page.read_bytes()), url)
    text = article_paragraphs(article.body_html) or article.body_text
    summary, keys = excerpt_and_key_sentences(text, 150, "ko")
    runs = ArticleRuns(article.body_text + "\n" + summary)  # the summary twice: runs that repeat count twice
    post = " ".join([article.title, summary, *keys])
    by_prefix = runs.copied_prefixes(post)
    assert by_prefix[-1] == runs.copied(post) > 0
    for end in range(0, len(post), 7):
        prefix = post[:end].rstrip()
        expected = by_prefix[len(prefix) - 20] if len(prefix) >= 20 else 0
        assert runs.copied(prefix) == expected


def copied_by_definition(post: str, article: str, run: int = 20) -> int:
    """The article's characters inside a ``run``-character window the post also holds, by brute force."""
    post, article = " ".join(post.split()), " ".join(article.split())
    covered = [False] * len(article)
    for start in range(len(article) - run + 1):
        if article[start : start + run] in post:
            covered[start : start + run] = [True] * run
    return sum(covered)


def test_copy_measure_counts_what_the_definition_counts_on_real_and_shuffled_text():
    """The measure looks the article up only near blocks the post shares and counts a copied stretch
    a character at a time: it must still count every copied character, once."""
    import random

    article = extract_article(gzip.decompress((PAGES / "fundus-us-APNews_2024_09_03.html.gz").read_bytes()), "https://apnews.com/")
    text = article.body_text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    generator = random.Random(7)
    posts = [" ".join(sentences[:3]), text[:700], text[-400:] + " " + text[:300], "nothing in common with it at all"]
    for _ in range(40):
        picked = generator.sample(sentences, min(len(sentences), generator.randint(1, 6)))
        cut = [sentence[generator.randint(0, 15) :] for sentence in picked]  # runs that start mid-word
        posts.append(" ".join(cut + ["and some words of the post's own"] * generator.randint(0, 2)))
    for post in posts:
        assert copied_chars(post, text) == copied_by_definition(post, text)
        prefix = post[: len(post) // 2]
        assert copied_chars(prefix, text) == copied_by_definition(prefix, text)


@pytest.mark.parametrize("page,url", korean_pages(), ids=lambda value: getattr(value, "name", ""))
def test_korean_excerpt_with_the_seed_note_stays_within_150_characters(page, url):
    article = extract_article(gzip.decompress(page.read_bytes()), url)
    text = article_paragraphs(article.body_html) or article.body_text
    article.excerpt, article.key_sentences = excerpt_and_key_sentences(text, 150, "ko")
    template = PostTemplate()
    matter = yaml.safe_load(render_post(article, template).split("---\n", 2)[1])
    assert len(matter["excerpt"]) <= 150
    assert matter["excerpt"].endswith(template.summary_note)
    summary = matter["excerpt"].removesuffix(template.summary_note).strip()
    assert summary and article.excerpt.startswith(summary)  # whole leading sentences of the summary


def test_copy_limit_wins_over_summary_and_key_sentences_of_a_short_article():
    sentences = [f"{index}번째 문장은 충분히 길어서 스무 글자 넘게 이어지는 내용을 담고 있습니다." for index in range(6)]
    text = " ".join(sentences)  # ~270 characters: a third is ~90, not even one summary of 150
    summary, keys = fit_copy_limit("제목", " ".join(sentences[:2]), sentences[2:5], text)
    assert keys == []
    assert copied_chars(" ".join(["제목", summary]), text) <= copy_limit(text)
    assert summary  # what is left is a shortened sentence, not nothing


def test_key_sentences_lean_on_no_sentence_left_out():
    text = "\n".join([
        "정부가 올해 경제성장률 전망치를 기존보다 낮춘 수정 전망을 오늘 발표했다.",
        "수출 둔화와 내수 부진이 겹쳤다는 것이 정부의 설명이다.",
        "이를 두고 시장에서는 예상보다 큰 폭의 하향이라는 평가가 나왔다.",
        "한국은행도 다음 달 회의에서 전망치를 다시 점검할 예정이다.",
        "그러나 일부 전문가들은 하반기 반등 가능성을 여전히 높게 본다.",
        "정부는 추가 경기 대책을 이달 안에 내놓겠다고 밝혔다.",
        "기획재정부 관계자는 재정 집행을 앞당기는 방안을 검토하고 있다고 말했다.",
        "업계는 규제 완화가 함께 이뤄져야 한다고 요구하고 있다.",
        "하지만 세수 여건이 좋지 않아 대책의 규모는 크지 않을 전망이다.",
        "전문가들은 구조 개혁이 병행돼야 한다고 입을 모았다.",
    ])
    summary, keys = excerpt_and_key_sentences(text, 80, "ko")
    shown = [summary, *keys]
    lines = text.split("\n")
    for position, line in enumerate(lines):
        if leans_on_previous(line) and any(line in part for part in shown):
            assert any(lines[position - 1] in part for part in shown), line


@pytest.mark.parametrize("sentence", [
    "Monate später kam das heraus.", "Dabei blieb es.", "Months later the report came out.", "Cependant, rien n'a changé.",
    "Sin embargo, nada cambió.",
])
def test_openers_that_lean_on_the_sentence_before_in_other_languages(sentence):
    assert leans_on_previous(sentence)


@pytest.mark.parametrize("sentence", ["Das Kind kann nicht zur Kita.", "Diese Woche tagt die EZB.", "Il tutto a poche ore dal derby."])
def test_articles_and_determiners_do_not_count_as_leaning(sentence):
    assert not leans_on_previous(sentence)


def test_the_summary_of_a_real_german_page_leaves_out_what_leans_on_a_sentence_it_omits():
    """The new-user trial's find: Tagesschau's excerpt ended in "Monate später kam das heraus." without
    the sentence it follows."""
    page = PAGES / "fundus-de-Tagesschau_2023_04_28.html.gz"
    article = extract_article(gzip.decompress(page.read_bytes()), "https://www.tagesschau.de/inland/ahrtal-untersuchungsausschuss-101.html")
    text = article_paragraphs(article.body_html)
    assert "Monate später kam das heraus." in text
    summary, keys = excerpt_and_key_sentences(text, 150, article.language)
    assert summary and "Monate später" not in " ".join([summary, *keys])


def test_default_crawl_of_real_korean_pages_writes_briefs_within_the_copy_limit(tmp_path):
    site = LocalSite()
    articles = {}
    for page, url in korean_pages():
        path = "/" + url.split("://", 1)[1]
        site.add(SavedPage(path=path, body=gzip.decompress(page.read_bytes())))
        articles[path] = extract_article(gzip.decompress(page.read_bytes()), url).body_text
    with LocalServer(site) as base:
        result = run_crawl(tmp_path, f"{base}/feed.xml")
    assert result.returncode == 0, result.stderr[-3000:]
    posts = sorted((tmp_path / "_posts").glob("*.md"))
    assert len(posts) == len(articles) == 5
    ratios = []
    for post in posts:
        matter, body = read_post(post)
        path = matter["source_url"].split(base, 1)[1]
        text = articles[path]
        copied = copied_chars(visible_text(post.read_text(encoding="utf-8")), text)
        assert copied <= min(len(" ".join(text.split())) // 3, 600), post.name
        ratios.append(copied / len(" ".join(text.split())))
        assert body.count("<h2>") >= 1 and body.index("<h2>") < body.index("<p>", body.index("<h2>"))
        assert f'<p>원문: <a href="{matter["source_url"]}">' in body
        assert "<table" not in body  # none of the article's own markup
    assert max(ratios) <= 1 / 3


def test_compose_command_prints_the_post_of_a_saved_page_in_each_mode(tmp_path):
    import subprocess
    import sys

    page, url = korean_pages()[0]

    def compose(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "newsbot.cli", "compose", *arguments], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    brief = compose(str(page), "--url", url)
    assert brief.returncode == 0, brief.stderr[-2000:]
    assert "<h2>주요 내용</h2>" in brief.stdout and f'<a href="{url}">' in brief.stdout
    matter = yaml.safe_load(brief.stdout.split("---\n")[1])
    assert matter["sources"] == [{"name": matter["source"], "url": url}]  # as the crawl's post of a one-article story
    assert matter["image"] == extract_article(gzip.decompress(page.read_bytes()), url).image_url  # not downloaded: its URL
    alone = compose(str(page), "--url", url, "-s", "NEWSBOT_STORIES=False")
    assert "sources" not in yaml.safe_load(alone.stdout.split("---\n")[1])
    full = compose(str(page), "--url", url, "-s", "NEWSBOT_BODY=full")
    assert full.returncode == 0 and "<h2>주요 내용</h2>" not in full.stdout and len(full.stdout) > len(brief.stdout)
    assert not list(tmp_path.iterdir())  # no output directory, no state: nothing written
    missing = compose(str(tmp_path / "missing.html"), "--url", url)
    assert missing.returncode == 2 and missing.stderr.startswith("newsbot: cannot read") and "Traceback" not in missing.stderr
    wrong = compose(str(page), "--url", url, "-s", "NEWSBOT_BODY=everything")
    assert wrong.returncode == 2 and "NEWSBOT_BODY" in wrong.stderr and "Traceback" not in wrong.stderr


def test_no_summary_or_key_point_of_real_wire_copy_opens_with_its_dateline():
    """Yonhap's English page (newspaper4k's saved copy) puts a section line before "SEOUL, Aug. 20 (Yonhap) --"."""
    page = PAGES / "newspaper4k-yna_co_kr.html.gz"
    article = extract_article(gzip.decompress(page.read_bytes()), "https://en.yna.co.kr/view/AEN20190820002300325")
    summary, key_sentences = excerpt_and_key_sentences(article_paragraphs(article.body_html), 150, "en")
    assert summary and key_sentences
    for sentence in [summary, *key_sentences]:
        assert "(Yonhap)" not in sentence, sentence
    assert any(sentence.startswith("North Korea's official newspaper blasted") for sentence in [summary, *key_sentences])


def test_a_long_article_gets_key_points_within_the_copy_limit():
    """The new-user trial's find: El País's 8,273 characters gave one fragment and no key points."""
    page = PAGES / "fundus-es-ElPais_2024_10_15.html.gz"
    article = extract_article(gzip.decompress(page.read_bytes()), "https://elpais.com/internacional/2024-10-15/bruselas.html")
    text = article_paragraphs(article.body_html)
    summary, keys = excerpt_and_key_sentences(text, 150, article.language)
    assert summary.startswith("La presidenta de la Comisión Europea, Ursula von der Leyen")
    summary, keys = fit_copy_limit(article.title, summary, keys, article.body_text)
    assert len(keys) >= 2 and not any(leans_on_previous(sentence) for sentence in keys)
    assert copied_chars(" ".join([article.title, summary, *keys]), article.body_text) <= copy_limit(article.body_text)


def test_a_key_sentence_over_the_copy_limit_gives_way_to_a_shorter_one_after_it():
    lead, long, short = "Lead words here about the event, told plainly.", "Long key sentence with many words in it. " * 4, "Short key point, said plainly."
    text = " ".join([lead, long, short, "x" * 300])
    assert copy_limit(text) < len(lead) + len(long) and len(lead) + len(short) < copy_limit(text)
    summary, keys = fit_copy_limit("Title", lead, [long.strip(), short], text)
    assert (summary, keys) == (lead, [short])
    assert copied_chars(" ".join(["Title", summary, *keys]), text) <= copy_limit(text)
