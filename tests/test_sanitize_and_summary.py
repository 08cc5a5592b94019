"""Body sanitizing and the 150-character summary, on hostile markup and real pages."""

from __future__ import annotations

import gzip
import re
import sys

import pytest

from conftest import PAGES, manifest
from newsbot import extract_article
from newsbot.sanitize import sanitize_html
from newsbot.summarize import article_paragraphs, shorten, split_sentences, summarize, words
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


# Korean paragraphs from the Hankook Ilbo and Dong-A fixtures, and the rules' harder cases.
KOREAN_SPLITS = [
    (  # a quotation the sentence goes on after ("…지켰다"고 말했다) is not split inside
        '특히 목포를 찾은 이 후보는 "좌측이면 어떻고 우측이면 어떻나"면서 "가장 중요한 기준은 바로 국민이어야 한다. '
        '김대중 대통령은 이점을 명확하게 지켰다"고 말했다. 저출생 고령화로 대한민국이 소멸 위기에 처해 있다.',
        ['특히 목포를 찾은 이 후보는 "좌측이면 어떻고 우측이면 어떻나"면서 "가장 중요한 기준은 바로 국민이어야 한다. '
         '김대중 대통령은 이점을 명확하게 지켰다"고 말했다.', "저출생 고령화로 대한민국이 소멸 위기에 처해 있다."],
    ),
    (  # a paragraph that is all quotation is split into its sentences
        "“우리가 가지고 있는 목표는 확고합니다. 세계 초일류 시험인증 기관으로 도약할 겁니다.”",
        ["“우리가 가지고 있는 목표는 확고합니다.", "세계 초일류 시험인증 기관으로 도약할 겁니다.”"],
    ),
    (  # an opening quote after a full stop starts the next sentence
        "당대표직을 지키기 힘들어서다. '윤 어게인' 세력과의 단절이 절실하다.",
        ["당대표직을 지키기 힘들어서다.", "'윤 어게인' 세력과의 단절이 절실하다."],
    ),
    (  # numbers, a date with full stops, a Latin abbreviation, a list number, brackets, a missing space
        "호남에서 94.7%를 얻었다. 선고는 2024. 5. 13. 오전에 나왔다. U.S. 국무부도 밝혔다. 1. 화내지 마라. "
        "(물론 한 시간이 맞다. 두 시간은 없다.) 끝났다.그러나 다시 시작됐다!",
        ["호남에서 94.7%를 얻었다.", "선고는 2024. 5. 13. 오전에 나왔다.", "U.S. 국무부도 밝혔다.", "1. 화내지 마라.",
         "(물론 한 시간이 맞다. 두 시간은 없다.)", "끝났다.", "그러나 다시 시작됐다!"],
    ),
]


@pytest.mark.parametrize(("paragraph", "sentences"), KOREAN_SPLITS)
def test_korean_sentences_end_at_final_punctuation_outside_quotations_the_sentence_continues_after(paragraph, sentences):
    assert split_sentences(paragraph, "ko") == sentences


# Paragraphs of the saved pages (Daily Maverick, Free Beacon, tagesschau): a quotation is never cut.
WESTERN_SPLITS = [
    (  # a quotation of two sentences, then who said it: one sentence
        "“These are the facts: starvation is here. Humanitarian aid is being used as a weapon of war,” Hijazi said.",
        ["“These are the facts: starvation is here. Humanitarian aid is being used as a weapon of war,” Hijazi said."],
    ),
    (  # the closing quote after the full stop stays with its sentence
        'Tester criticized a federal bailout of the bank and pledged to hold bank executives and regulators "accountable." '
        "But the same day, Tester attended a fundraiser in Palo Alto, Calif., organized by a lawyer for the firm.",
        ['Tester criticized a federal bailout of the bank and pledged to hold bank executives and regulators "accountable."',
         "But the same day, Tester attended a fundraiser in Palo Alto, Calif., organized by a lawyer for the firm."],
    ),
    (  # a quotation closing the paragraph is one sentence, straight quotes or German ones
        'Der Trierer Politikwissenschaftler Uwe Jun stellt dem Ausschuss insgesamt ein gutes Zeugnis aus. "Die Gespräche '
        'waren häufig von Sachlichkeit geprägt. Es war vergleichsweise wenig parteipolitische Polemik erkennbar."',
        ["Der Trierer Politikwissenschaftler Uwe Jun stellt dem Ausschuss insgesamt ein gutes Zeugnis aus.",
         '"Die Gespräche waren häufig von Sachlichkeit geprägt. Es war vergleichsweise wenig parteipolitische Polemik erkennbar."'],
    ),
    (
        "„Wir sind ganz schön abgeschnitten. Alles ist digital.“ Das sagt er im Gespräch.",
        ["„Wir sind ganz schön abgeschnitten. Alles ist digital.“", "Das sagt er im Gespräch."],
    ),
    (  # a photo credit in brackets is not split into a sentence of its own
        "Zane Dangor at the ICJ on Monday, 28 April 2025. (Photo: Frank van Beek / UN Photo/ICJ-CIJ. Courtesy of the ICJ)",
        ["Zane Dangor at the ICJ on Monday, 28 April 2025.", "(Photo: Frank van Beek / UN Photo/ICJ-CIJ. Courtesy of the ICJ)"],
    ),
]


@pytest.mark.parametrize(("paragraph", "sentences"), WESTERN_SPLITS)
def test_sentences_of_other_languages_never_end_inside_a_quotation(paragraph, sentences):
    assert split_sentences(paragraph, "en") == sentences


@pytest.mark.parametrize(("text", "length", "shortened"), [
    ('He said the plan was "a disaster for everyone involved in it" and left.', 40, "He said the plan was…"),
    ('He said "a disaster for everyone involved in it" and left.', 40, 'He said "a disaster for everyone…"'),
    ("“We will win this war and then we will go home,” he said.", 30, "“We will win this war and…”"),
    ("Plain words that are too long for the room here.", 30, "Plain words that are too…"),
])
def test_a_shortened_text_leaves_no_quotation_open(text, length, shortened):
    assert shorten(text, length) == shortened
    assert len(shortened) <= length


def test_a_summary_cut_to_the_copy_limit_keeps_whole_sentences_with_their_quotes():
    from newsbot.compose.brief import copy_limit, fit_copy_limit

    summary = 'He pledged to act "now." The vote is on Monday.'
    article = summary + " Other words the post does not copy at all, none."
    assert len('He pledged to act "now."') <= copy_limit(article) < len(summary)
    assert fit_copy_limit("Title", summary, [], article) == ('He pledged to act "now."', [])
    quoted = '"We will win. They will lose," he said. The vote is on Monday.'
    article = quoted + " Other words the post does not copy at all, none of them here."
    assert fit_copy_limit("Title", quoted, [], article) == ('"We will win. They will lose," he said.', [])


def test_korean_summary_needs_no_tokenizer_and_compares_words_without_their_particles():
    article = extract_article(gzip.decompress((PAGES / "fundus-kr-HankookIlbo_2026_01_29.html.gz").read_bytes()), "https://www.hankookilbo.com/")
    summary = summarize(article_paragraphs(article.body_html), 150, article.language)
    assert summary.startswith("장동혁 국민의힘 대표가 당권을 위협하던 한동훈 전 대표를 제명했지만, 어깨는 한층 무거워졌다.")
    assert "kiwipiepy" not in sys.modules
    assert words("대통령은 대통령의 Samsung", "ko") == {"대통", "sa"}


@pytest.mark.parametrize(
    ("attribute", "relative"),
    [('href="/a"', True), ("href=/a", True), ("src='pic.jpg'", True), ('href=""', True),
     ('href="https://x.example/"', False), ("href=https://x.example/", False), ("href='#note'", False),
     ('src="data:image/png;base64,AA"', False), ("href=mailto:a@x.example", False)],
)
def test_the_relative_link_check_tells_quoted_and_unquoted_values_apart(attribute, relative):
    from newsbot.fragments import _RELATIVE_LINK

    assert bool(_RELATIVE_LINK.search(f"<a {attribute}>x</a>")) is relative
