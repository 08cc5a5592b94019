"""Extraction on real saved pages: library call and ``newsbot extract`` command."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

import lxml.html
import pytest

from conftest import PAGES, manifest
from newsbot import extract_article
from newsbot.extract.article import outlet_name
from newsbot.extract.body import clean_fragment
from newsbot.extract.html import decode_html

KOREAN_PAGES = {
    "fundus-kr-HankookIlbo_2025_05_15.html.gz": (
        "왜 경상도, 전라도 나눠서 싸우나... DJ 고향에서 '국민 통합' 외친 이재명",  # fundus' ground truth
        "2025-05-15T20:00",
    ),
    "fundus-kr-HankookIlbo_2026_01_29.html.gz": (
        "장동혁, 한동훈 제명했지만… '윤 어게인' 절연 ·외연 확장 부담 커졌다",
        "2026-01-29T18:40",
    ),
    "fundus-kr-MBN_2025_06_03.html.gz": ("‘흙수저’ 소년공이 쏘아올린 정치 신화", "2025-06-04T02:37"),
    "goose3-donga_korean.html.gz": ("[CEO&]창의적 열정과 소통, 초일류 시험인증 기업이 간다", "2013-10-24T03:00"),
}


def _page(name: str) -> tuple[bytes, str]:
    entry = next(entry for entry in manifest() if entry["file"] == name)
    return gzip.decompress((PAGES / name).read_bytes()), entry["url"]


@pytest.mark.parametrize("entry", manifest(), ids=lambda entry: entry["file"])
def test_every_saved_page_gives_its_true_title_and_day(entry):
    article = extract_article(gzip.decompress((PAGES / entry["file"]).read_bytes()), entry["url"])
    if entry["title"]:
        assert " ".join(article.title.split()) == entry["title"]
    assert article.published[:10] == entry["published_day"]
    assert re.search(r"[+-]\d\d:\d\d$", article.published)
    assert len(article.body_text) > 200 and article.body_html.strip()
    assert article.language and article.source
    # A lead image is a picture's address, never a JSON-LD node's name ("https://.../page#primaryimage").
    assert "#" not in article.image_url, article.image_url


def test_a_json_ld_image_given_by_reference_is_looked_up_in_the_graph():
    """iNews (Yoast): ``"image": {"@id": ".../#primaryimage"}``, the ImageObject with its URL elsewhere."""
    body, url = _page("fundus-uk-iNews_2025_01_28.html.gz")
    article = extract_article(body, url)
    assert article.image_url == "https://inews.co.uk/wp-content/uploads/2025/01/01JJMXM1T3Z99HXM3DJ5QB8YQF.jpg"


@pytest.mark.parametrize("name", sorted(KOREAN_PAGES))
def test_korean_pages_headline_minute_in_kst_and_clean_body(name):
    html, url = _page(name)
    article = extract_article(html, url)
    title, minute = KOREAN_PAGES[name]
    assert article.title == title
    assert article.published.startswith(minute) and article.published.endswith("+09:00")
    assert article.language == "ko"
    assert not re.search(r"\S+@\S+\.\w+", article.body_text)
    assert "무단 전재" not in article.body_text and "무단전재" not in article.body_text
    assert not re.search(r"^\s*[(\[]\S+=\S+[)\]]", article.body_text)


def test_extract_command_prints_the_pages_fields_as_json(tmp_path):
    name = "fundus-us-APNews_2024_09_03.html.gz"
    _, url = _page(name)
    result = subprocess.run(
        [sys.executable, "-m", "newsbot.cli", "extract", str(PAGES / name), "--url", url],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "The presidential campaigns brace for a sprint to Election Day"
    assert data["published"] == "2024-09-03T04:03:19+00:00"
    assert data["authors"] == ["STEVE PEOPLES", "THOMAS BEAUMONT", "AMELIA THOMSON-DEVEAUX"]
    assert data["categories"] == ["Politics"]
    assert data["image_url"].startswith("https://dims.apnews.com/")
    assert data["language"] == "en"
    assert "After a summer of historic tumult" in data["body_text"]
    for field in ("url", "source", "modified", "description", "body_html"):
        assert data[field]
    assert list(data) == [
        "url", "source", "title", "published", "modified", "authors", "categories", "description",
        "body_html", "body_text", "image_url", "language", "canonical_url", "cut_short",
    ], "only what the page gives: no feed, worker, pipeline or writer fields"


@pytest.mark.parametrize("junk", [b"", b"\x00\x01\x02binary", b"<html></html>", "<p>".encode() * 10000, b"\xff\xfe<html>"])
def test_unusable_input_gives_an_empty_article(junk):
    article = extract_article(junk, "https://example.org/x")
    assert not article.body_text and not article.body_html


@pytest.mark.parametrize(
    ("declared", "body", "expected"),
    [
        ("iso-8859-15", "<p>tras su sanción, für</p>".encode("utf-8"), "tras su sanción, für"),  # UTF-8 declared Latin
        ("iso-8859-1", "<p>tras su sanción, für</p>".encode("latin-1"), "tras su sanción, für"),  # what it says
        ("euc-kr", "<p>연합뉴스 기자</p>".encode("cp949"), "연합뉴스 기자"),
    ],
)
def test_pages_decode_to_the_text_a_reader_sees(declared, body, expected):
    page = f'<html><head><meta charset="{declared}"></head><body>'.encode("ascii") + body + b"</body></html>"
    assert expected in decode_html(page)


def _cleaned_body(markup: str) -> str:
    body = lxml.html.document_fromstring(f"<html><body>{markup}</body></html>").find("body")
    clean_fragment(body)
    return lxml.html.tostring(body, encoding="unicode")


def test_body_cleanup_drops_news_boilerplate_and_keeps_the_story():
    story = "<p>The council voted on Tuesday to rebuild the bridge, ending a decade of argument over its cost.</p>"
    cleaned = _cleaned_body(
        story
        + "<p>Stand: 22.04.2024, 06:00 Uhr</p>"
        + '<p><a href="/other">China furious at Macron for Hong Kong protest jibe</a> [INSIGHT]</p>'
        + '<p>Read the <a href="/report">full report</a> from the council, which runs to 300 pages and more.</p>'
        + "<p>この記事は会員限定です。</p>Text after the notice<p>Sign up to read the rest of this story.</p>"
    )
    assert story in cleaned
    assert "full report" in cleaned  # a link inside a sentence is part of the story
    assert "06:00" not in cleaned and "INSIGHT" not in cleaned
    assert "会員限定" not in cleaned and "Sign up" not in cleaned  # all after a paywall notice goes
    assert "Text after" not in cleaned
    assert _cleaned_body(story + "<h3>Related stories</h3>") == f"<body>{story}</body>"  # a heading of nothing


def test_gallery_photo_with_its_caption_becomes_a_figure():
    caption = "Defense Secretary Mark Esper shakes hands with Vietnam's defense minister in Hanoi on Wednesday"
    cleaned = _cleaned_body(f'<ul><li><img src="/a.jpg" alt="{caption}"> {caption} <a href="">more</a></li></ul><p>Story text here.</p>')
    assert f"<figcaption>{caption}</figcaption>" in cleaned
    assert "<li>" not in cleaned


def test_an_account_sharing_notice_and_the_headings_after_the_story_are_not_its_end():
    """El País sets a dialog ("your subscription is being used on another device"), the author box and
    "Más información" after the article: the story ends with its last paragraph."""
    article = extract_article(*_page("fundus-es-ElPais_2024_10_15.html.gz"))
    assert article.body_text.endswith("El consenso sobre la política de asilo se resquebraja.")
    assert "suscripción" not in article.body_text and "Flecha" not in article.body_html


def test_the_headline_again_and_the_authors_headshot_do_not_open_the_body():
    """Tagesschau repeats its headline with the kicker unpunctuated ("Ausschuss zur Ahrtal-Flut Zwei
    Rücktritte …"); El País puts its author's photo (alt "María R. Sahuquillo") by the byline."""
    tagesschau = extract_article(*_page("fundus-de-Tagesschau_2023_04_28.html.gz"))
    assert tagesschau.body_text.startswith("Nach 42 Sitzungen hat der Untersuchungsausschuss")
    el_pais = extract_article(*_page("fundus-es-ElPais_2024_10_15.html.gz"))
    assert el_pais.authors == ["María R. Sahuquillo"]
    assert 'alt="María R. Sahuquillo"' not in el_pais.body_html and "<img" in el_pais.body_html  # the story's photos stay


def test_a_photo_keeps_the_caption_its_figure_gives_it_on_the_page():
    """trafilatura keeps El País's gallery photos but drops their ``<figcaption>`` (caption and credit)."""
    article = extract_article(*_page("fundus-es-ElPais_2024_10_15.html.gz"))
    assert re.search(
        r"<figure><img [^>]*><figcaption>Un miembro de la Armada italiana en el campamento para migrantes construido en "
        r"Gjadër \(Albania\), el 11 de octubre\. Florion Goga \(REUTERS\)</figcaption></figure>", article.body_html
    )
    assert "Florion Goga" not in article.body_text  # a caption is the photo's, not a line of the story


def test_a_json_ld_body_said_twice_gives_way_to_the_pages_paragraphs():
    """Corriere's JSON-LD articleBody is the story twice over in one string; once, it is no longer than
    what the page's paragraphs give, so the body keeps their breaks and subheads."""
    page = gzip.decompress((PAGES.parent / "more-pages" / "fundus-it-CorriereDellaSera_2025_02_04.html.gz").read_bytes())
    article = extract_article(page, "https://www.corriere.it/esteri/25_gennaio_05/trump-accoglie-meloni.shtml")
    assert article.body_text.count("Giorgia Meloni è arrivata a Mar-a-Lago") == 1
    assert len(article.body_text.split("\n")) > 10


def test_the_pages_headline_a_rule_and_a_bare_photo_credit_are_not_lines_of_the_story():
    """AP opens the body with its h1 (worded longer than the title) and sets a "___" rule before the credits;
    the BBC prints "Getty Images" and "EPA" under its photos."""
    ap = extract_article(*_page("fundus-us-APNews_2024_09_03.html.gz"))
    assert ap.body_text.startswith("LA CROSSE, Wis. (AP)") and "___" not in ap.body_text
    bbc = extract_article(*_page("fundus-uk-BBC_2024_08_01.html.gz")).body_text.split("\n")
    assert "Getty Images" not in bbc and "EPA" not in bbc


def test_a_lead_under_the_photo_naming_who_is_in_it_stays_article_text():
    """(Markup written for this test, after a Welt page's lead under its photo.) The alt's words are all in
    the paragraph, but a paragraph over three times as long as the alt is the story, not a caption."""
    lead = ("In der letzten großen TV-Debatte vor der Landtagswahl wirft AfD-Spitzenkandidat Björn Höcke seinem "
            "CDU-Kontrahenten Mario Voigt vor, das Publikum belogen zu haben.")
    cleaned = _cleaned_body(f'<img src="/a.jpg" alt="Mario Voigt (CDU) und Björn Höcke (AfD)"><p>{lead}</p>')
    assert f"<p>{lead}</p>" in cleaned and "figcaption" not in cleaned
    short = "Björn Höcke (AfD) und Mario Voigt (CDU) im Studio."  # the alt's words, not its wording
    cleaned = _cleaned_body(f'<img src="/a.jpg" alt="Mario Voigt (CDU) und Björn Höcke (AfD)"><p>{short}</p>')
    assert f"<figure><img src=\"/a.jpg\" alt=\"Mario Voigt (CDU) und Björn Höcke (AfD)\"><figcaption>{short}</figcaption></figure>" in cleaned


def test_text_in_layout_tables_and_after_control_characters_is_kept():
    story = " ".join(["The association was founded in 1990 by a handful of neighbours in their living room."] * 8)
    page = (
        "<html><head><title>Our club</title></head><body><table><tr><td><img src='/logo.gif'></td>"
        f"<td><p>{story}</p><p>Ends\x0b here with a line about the annual meeting and its agenda.</p></td></tr></table>"
        "</body></html>"
    )
    article = extract_article(page.encode(), "https://club.example.org/about")
    assert story in article.body_text
    assert "annual meeting" in article.body_text


def test_standfirst_printed_under_the_headline_opens_the_body_once():
    dek = "The council approved the new bridge after ten years of argument over what it would cost the town."
    story = "".join(f"<p>Paragraph {n} of the story tells what the vote means for the people who cross the river daily.</p>" for n in range(8))
    page = (
        f'<html><head><meta name="description" content="{dek}"><title>Bridge approved</title></head><body>'
        f'<header><h1>Bridge approved</h1><p class="standfirst">{dek}</p></header><article>{story}</article></body></html>'
    )
    article = extract_article(page.encode(), "https://town.example.org/news/bridge")
    assert article.body_text.startswith(dek)
    assert article.body_text.count(dek) == 1
    hidden = page.replace(f'<p class="standfirst">{dek}</p>', "")  # a description in meta tags only is not shown
    assert dek not in extract_article(hidden.encode(), "https://town.example.org/news/bridge").body_text


def test_article_links_resolve_against_the_page_and_an_empty_more_link_stays_a_caption():
    caption = "Defense Secretary Mark Esper shakes hands with Vietnam's defense minister in Hanoi on Wednesday"
    story = "".join(
        f"<p>Paragraph {n} of the story says what the visit means, as <a href='../analysis/visit-{n}'>our analysis</a> explains.</p>"
        for n in range(8)
    )
    page = (
        "<html><head><title>Esper in Hanoi</title></head><body><article><h1>Esper in Hanoi</h1>"
        f'<ul><li><img src="/photos/esper.jpg" alt="{caption}"> {caption} <a href="">more</a></li></ul>{story}'
        "</article></body></html>"
    )
    article = extract_article(page.encode(), "https://news.example.com/world/esper-hanoi")
    assert 'href="https://news.example.com/analysis/visit-3"' in article.body_html
    assert f"<figcaption>{caption}</figcaption>" in article.body_html
    assert 'src="https://news.example.com/photos/esper.jpg"' in article.body_html


# (og:site_name or application-name, JSON-LD publisher, host) as real pages of the benchmark sets give them
@pytest.mark.parametrize(("site_name", "publisher", "host", "outlet"), [
    ("Freie Presse - Chemnitzer Verlag und Druck GmbH &amp; Co. KG", "", "www.freiepresse.de", "Freie Presse"),
    ("The Jerusalem Post | JPost.com", "", "www.jpost.com", "The Jerusalem Post"),
    ("https://www.kleinezeitung.at", "", "www.kleinezeitung.at", "kleinezeitung.at"),
    ("nationalpost", "National Post", "nationalpost.com", "National Post"),
    ("Breaking Australian and World News Headlines - 9News", "9News", "www.9news.com.au", "9News"),
    ("", "", "www.example.com", "example.com"),
    ("BBC News", "BBC", "www.bbc.com", "BBC News"),  # a name that reads well stays
])
def test_outlet_name_is_the_name_readers_know(site_name, publisher, host, outlet):
    assert outlet_name(site_name, publisher, host) == outlet


@pytest.mark.parametrize(("name", "source"), [
    ("fundus-us-APNews_2023_04_28.html.gz", "AP News"),  # og:site_name "AP NEWS", title "… | AP News"
    ("fundus-us-APNews_2024_09_03.html.gz", "AP News"),
    ("goose3-donga_korean.html.gz", "동아닷컴"),  # no site name: title "… : 뉴스 : 동아닷컴" and <meta name=writer>
    ("fundus-de-Tagesschau_2023_04_28.html.gz", "tagesschau.de"),  # the outlet's own og:site_name stays
])
def test_a_saved_page_names_its_outlet_as_the_outlet_writes_it(name, source):
    assert extract_article(*_page(name)).source == source


# (og:site_name, JSON-LD publisher, host, <title>, the page's other names) as real pages of the benchmark sets give them
@pytest.mark.parametrize(("site_name", "publisher", "host", "title", "other_names", "outlet"), [
    ("PCMAG", "PCMag", "www.pcmag.com", "Next-Gen HAMR Platters Promise 80TB Hard Drives | PCMag", ["PCMag", "PCMag"], "PCMag"),
    ("PAGINA12", "Página12", "www.pagina12.com.ar", "\"La Corte Suprema no imparte justicia sino injusticia\" | Todo listo para la movilización que convocan los organismos de derechos humanos junto a sindicatos, organizaciones sociales y partidos políticos | Página12", ["Página12"], "Página12"),
    ("ELESPECTADOR.COM", "El Espectador", "www.elespectador.com", "Operación Orión, tomas guerrilleras de pueblos y más hechos que investigará la JEP | EL ESPECTADOR", ["El Espectador"], "El Espectador"),
    ("WIRED", "WIRED", "www.wired.com", "Intensified Israeli Surveillance Has Put the West Bank on Lockdown | WIRED", ["WIRED"], "WIRED"),
    ("", "", "www.tulsaworld.com", "Plan to restrict public-records data draws mounting opposition | Tulsa World", [], "Tulsa World"),
    ("", "", "blog.comwrap.com", "Take C.A.R.E. - comwrap auf der DMEXCO 2018", [], "blog.comwrap.com"),
    ("", "", "www.allnewlyrics.com", "“Only One” Lyrics : PJ Morton (Ft. Stevie Wonder)", [], "allnewlyrics.com"),
])
def test_a_name_in_capitals_or_a_bare_host_gives_way_to_the_name_the_page_writes(
    site_name, publisher, host, title, other_names, outlet
):
    assert outlet_name(site_name, publisher, host, title, other_names) == outlet


def test_a_video_caption_above_the_article_is_not_article_text():
    """Fox News puts a video and its caption ("… discusses … on 'Fox News Live.'") above the story; the
    caption was the post's only key point (found by the new-user trial)."""
    article = extract_article(*_page("fundus-us-FoxNews_2023_04_28.html.gz"))
    assert "on 'Fox News Live.'" not in article.body_text
    assert article.body_text.count("The new House committee on China sent a letter Wednesday") == 1
    # kept as the caption of the video's picture, in one figure with it
    assert re.search(r"<figure><img [^>]*><figcaption[^>]*>The Heritage Foundation's Michael Pillsbury discusses", article.body_html)
    # a photo's caption that words its alt text otherwise ("two new york residents arrested …") is no line of the story
    assert "Two New York residents were arrested by the FBI" not in article.body_text
    assert re.search(r"<figure><img [^>]*alt=\"two new york residents[^>]*><figcaption>Two New York residents", article.body_html)
    # the video's headline, a heading that is one link to the site's video page, is no line of the story
    assert "Why the China threat is growing" not in article.body_text


def test_a_heading_linking_to_the_sites_other_pages_goes_and_one_linking_elsewhere_stays():
    """Related stories and section labels are headings linking within the site; a buying guide's
    product headings link to the shops and are the article's sections. (Markup written for this test.)"""
    paragraph = "<p>" + "The review goes on in full sentences about what each of these is good for. " * 6 + "</p>"
    page = (
        "<html><head><title>Six chargers</title></head><body><article><h1>Six chargers</h1>"
        f'<h2><a href="/section/tech">Tech</a></h2>{paragraph}'
        f'<h2><a href="https://shop.example.com/charger-72w">A 72W car charger</a></h2>{paragraph}'
        f'<h3><a href="/2024/05/other-story">Another story the site wants read</a></h3>{paragraph}'
        f'<h2><a href="#faq">Questions</a></h2>{paragraph}</article></body></html>'
    )
    body = extract_article(page.encode(), "https://news.example.org/2024/05/six-chargers").body_text
    assert "A 72W car charger" in body and "Questions" in body
    assert "Tech" not in body.split("\n") and "Another story the site wants read" not in body


def _page_dated_only_in_its_text(language: str, date_text: str) -> bytes:
    """A page whose only date is a line of text: htmldate's last resort hands it to dateparser."""
    paragraph = "<p>" + "The story goes on for a while in plain sentences of ordinary length here. " * 8 + "</p>"
    return (
        f'<html lang="{language}"><head><title>Story</title></head><body><article><h1>Story</h1>'
        f'<p class="date">{date_text}</p>{paragraph}</article></body></html>'
    ).encode()


@pytest.mark.parametrize(
    ("language", "date_text"),
    [("fi", "22. huhtikuuta 2022"), ("sw", "Ijumaa, 22 Aprili 2022"), ("es", "Viernes, 22 de Abril de 2022")],
)
def test_a_date_in_words_is_read_in_the_language_the_page_declares(language, date_text):
    article = extract_article(_page_dated_only_in_its_text(language, date_text), "https://example.org/news/story")
    assert article.published.startswith("2022-04-22T")


def test_dateparser_tries_only_the_pages_language_and_the_twenty_most_used():
    """Trying all 205 would cost 0.9 s and 37 MiB per worker on a text no language reads: a date
    in a rarer language (Swahili) on a page that declares another is no longer read."""
    article = extract_article(_page_dated_only_in_its_text("en", "Alhamisi, 21 Aprili 2022"), "https://example.org/news/story")
    assert not article.published.startswith("2022-04-21")
    article = extract_article(_page_dated_only_in_its_text("sw", "Jumatano, 20 Aprili 2022"), "https://example.org/news/story")
    assert article.published.startswith("2022-04-20T")


@pytest.mark.parametrize(
    ("language", "date_text", "published"),
    [
        ("ja", "公開日：2022年4月22日", "2022-04-22T00:00:00"),
        ("zh", "发布时间：2022年04月23日（六）", "2022-04-23T00:00:00"),
        ("ja", "2022年4月24日 15時30分", "2022-04-24T15:30:00+09:00"),
        ("zh", "2022年4月25日 15:30", "2022-04-25T15:30:00+08:00"),
    ],
)
def test_a_date_in_chinese_characters_is_read_not_taken_as_new_year(language, date_text, published):
    article = extract_article(_page_dated_only_in_its_text(language, date_text), "https://example.org/news/story")
    assert article.published.startswith(published)


def test_with_the_feeds_date_at_hand_no_date_is_guessed_from_the_text():
    page = _page_dated_only_in_its_text("es", "Viernes, 22 de Abril de 2022")
    assert extract_article(page, "https://example.org/news/story", guess_date=False).published == ""


def test_a_copyright_year_is_no_publication_date():
    """htmldate's last resort is a year in the text, as 1 January: newsbot leaves the date empty instead
    (a crawl then takes the feed's date, and a page without any is dropped)."""
    article = extract_article(_page_dated_only_in_its_text("de", "© 2016 Muster GmbH"), "https://example.org/news/story")
    assert article.published == ""


def test_a_first_of_the_month_that_the_page_writes_out_is_kept():
    article = extract_article(_page_dated_only_in_its_text("de", "Pressemitteilung 01.02.2022"), "https://example.org/news/story")
    assert article.published.startswith("2022-02-01T")


def test_a_fact_check_is_dated_and_titled_by_its_claim_review():
    """AFP Faktencheck describes its article as a schema.org ClaimReview (fundus' truth: 2026-05-13 15:44)."""
    page = gzip.decompress((PAGES.parent / "more-pages" / "fundus-de-AFPFaktencheck_2026_05_24.html.gz").read_bytes())
    article = extract_article(page, "https://faktencheck.afp.com/doc.afp.com.B2LA2G3")
    assert article.title == "Angst vor dem Hantavirus lässt Verschwörungserzählungen aus der Corona-Zeit wiederaufleben"
    assert article.published == "2026-05-13T15:44:00+02:00"  # printed without offset: German, so Berlin time


@pytest.mark.parametrize(
    ("text", "day", "written"),
    [
        ("Unser Tipp im November 01. November 2021 | Naturschutz", "2021-11-01", True),
        ("Synchronschwimmen 01.02.2022 Kategorie", "2022-02-01", True),
        ("Posted November 1, 2021 by staff", "2021-11-01", True),
        ("1 de noviembre de 2021", "2021-11-01", True),
        ("2023/11/01 11:35", "2023-11-01", True),
        ("© Gartenjournal, 2022. Impressum", "2022-01-01", False),
        ("wp-content/uploads/2022/10/glashaus.jpg", "2022-10-01", False),
        ("Comunicato Stampa n. 03/2020", "2020-03-01", False),
        ("Nach 11.02.2022 kam 21.02.2022", "2022-02-01", False),
    ],
)
def test_a_first_of_the_month_counts_as_written_only_in_full(text, day, written):
    from newsbot.extract.dates import written_in

    assert written_in(text, day) is written


def test_the_language_of_a_page_that_writes_two_html_tags_is_read():
    """9News writes <html lang="en"> twice (Internet Explorer conditional comments); the parser keeps neither's lang."""
    page = gzip.decompress((PAGES.parent / "more-pages" / "fundus-au-NineNews_2024_05_02.html.gz").read_bytes())
    assert extract_article(page, "https://www.9news.com.au/world/x").language == "en"
