"""The article body: trafilatura on the shared tree, then news boilerplate removed."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.core import determine_returnstring
from trafilatura.settings import Extractor

from newsbot.extract import korean
from newsbot.extract.wires import KOREAN_NAMES, PHOTO_AGENCIES
from newsbot.fragments import FRAGMENT_PARSER
from newsbot.text import LETTER, folded, normalize_space

logger = logging.getLogger(__name__)

BLOCK_TAGS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption", "td", "th")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Lines that news sites put between paragraphs and generic extractors keep.
_BOILERPLATE = re.compile(
    r"^\s*(?:advertisement|advertising|anzeige|publicité|read more\b.*|read next\b.*|related:.*"
    r"|related (?:articles?|stories|coverage)\b.*|most read\b.*|recommended\b.*|you may also like.*"
    r"|sign up (?:for|to)\b.*newsletter.*|subscribe to (?:our|the)\b.*|follow us on\b.*"
    r"|share (?:this|on)\b.*|click here to\b.*|download (?:the|our) app\b.*"
    r"|get the latest\b.*(?:app|newsletter).*|continue reading\b.*|watch:.*|\(end\)|keywords|tags|topics"
    r"|(?:for )?more (?:stories|news|articles) like this\b.*|get in touch with our (?:news )?team\b.*"
    r"|article content"
    r"|explore further|citation:.*|more information:.*|less|(?:\.\.\.|…)?\s*more|(?:photo|image|credit)s?\s*:.{0,80}"
    r"|(?:image |photo )?copyright\b.{0,60}|follow [\w ]{1,30} on (?:instagram|facebook|twitter|x|youtube|tiktok)\b.*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|.{0,80}\bclick(?:ing)? here\b.{0,40}"
    # "read also" and comment, share and paywall prompts in other languages
    r"|(?:les også|lesen sie auch|lies auch|mehr zum thema|(?:à )?lire aussi|leggi anche|lee también|leia também"
    r"|läs också|læs også|lue myös|czytaj (?:też|także)|читайте также)\b.*"
    r"|ähnliche artikel|kommentar abgeben|join (?:our commenting forum|thought-provoking conversations)\b.*"
    r"|add .{1,40} to your google news feed\.?|link zum youtube-inhalt|video starten, abbrechen mit escape"
    r"|bu haberi paylaşın|ilgili konular|この記事は会員限定です。?|有料会員になると.*|この記事を書いた人"
    r"|この記事の画像を見る.*|■?関連(?:キーワード|記事)|完了しました"
    # a photo's credit on a line of its own under it (BBC: "Getty Images", "EPA")
    r"|getty images|(?:" + PHOTO_AGENCIES + r")"
    # one-line section labels of the page around the article
    r"|(?:the )?(?:most )?popular|trending(?: now)?|current issue|top stories|latest (?:news|stories)|live ?blog|faq"
    r"|【[^】]{1,30}】|this is a breaking (?:news )?story\b.*|.{0,40}\b(?:verfügbar bis|available until)\b.{0,30}"
    # teaser lines that end in how long ago another story was posted
    r"|.{0,120}?(?:\d+\s*(?:時間|分|日)前|\b\d+\s+(?:minutes?|hours?|days?)\s+ago|\bvor\s+\d+\s+(?:minuten|stunden|tagen)))\s*$",
    re.IGNORECASE,
)
# Photo credits that end a caption: "Credit: 20th Century Fox", "Photo: Hau Dinh, AP", "(Getty Images)".
_CREDIT = re.compile(
    r"(?:credit|photo|image|picture|foto|사진|자료사진)\s*[:=/]|getty images"
    r"|/ ?(?:" + PHOTO_AGENCIES + r")\b|\b(?:" + PHOTO_AGENCIES + r") photo"
    r"|(?:" + KOREAN_NAMES + r")\s*$",
    re.IGNORECASE,
)
# A video's caption: who discusses what on which programme (Fox News: "… discusses … on 'Fox News Live.'").
_VIDEO_CAPTION = re.compile(
    r"\b(?:discuss(?:es)?|reacts? to|weighs? in on|breaks? down|joins?|explains?)\b.{0,300}"
    r" on ['‘\"“][^'’\"”]{2,40}['’\"”]?\.?['’\"”]?$",
    re.IGNORECASE,
)
_ENDS_WITH_CREDIT = re.compile(r"(?:^|[\s.)])(?:photo|credit|image|picture)s?\s*:\s*[^.:\n]{2,80}$", re.IGNORECASE)
# A JSON-LD articleBody shorter than this is a teaser, not the article.
_MIN_STRUCTURED_BODY = 400
_MIN_BODY_CHARS = 20
# When trafilatura's fast pass may have missed, the page is redone with its full comparison (readability,
# jusText): a body shorter than _MIN_FAST_BODY while most of the page's text lies elsewhere (a short
# body that is a good share of its page is all the page has), mostly short lines without a full stop
# (the Washington Times' menu), or nearly the whole page when much of it is not prose (a 2013 Dong-A
# page with its menus). On the first 400 bench pages the full pass changed a short body only when it
# was under 9 % of the page, and a whole-page one only under 56 % prose (Dong-A's: 72 %).
_MIN_FAST_BODY = 1000
_MAX_SHORT_SHARE = 0.2
_MAX_PAGE_SHARE = 0.9
_MIN_PROSE_SHARE = 0.3
_MIN_WHOLE_PAGE_PROSE = 0.75
# Paywall notices: the article text the page gives away ends there.
_PAYWALL = re.compile(
    r"この記事は(?:会員|有料会員)限定です|有料会員になると|(?:this|the rest of this) (?:article|story) is (?:only )?(?:for|available to) subscribers"
    r"|dieser artikel ist (?:nur )?für abonnenten|article réservé aux abonnés|유료\s*회원\s*전용"
    r"|il vous reste [\d.,]+\s?% de cet article à lire|la suite est réservée aux abonnés"
    # an account-sharing notice (El País): the dialog it opens, then the author box and related links
    r"|tu suscripción se está usando en otro dispositivo|your subscription is being used on another device",
    re.IGNORECASE,
)
_DISCLOSURE = re.compile(
    r"reviews and recommendations are unbiased|\bmay earn an? (?:affiliate )?commission\b"
    r"|\b(?:this|the) (?:article|post|page) (?:contains|may contain|includes) affiliate links",
    re.IGNORECASE,
)
_CLOCK_TIME = re.compile(r"\d{1,2}\s*[:時]\s*\d{2}")
_MAX_DATE_LINE_LETTERS = 12
_MAX_SECTION_LABEL = 40
# A short paragraph that is mostly one link is a promo for another story.
_PROMO_CHARS = 150
_PROMO_LINK_SHARE = 0.8
# A linked paragraph of fewer words is a label or a product name (a recipe's ingredients), not a headline.
_TEASER_WORDS = 4
# Characters of a JSON-LD articleBody's opening looked for again, to tell one said twice.
_REPEAT_PROBE = 80
# A page's figure caption longer than this is an article set in a figure, not a caption.
_MAX_CAPTION = 400
# Characters of a page's caption looked for in the paragraph after its photo.
_CAPTION_PROBE = 40
# A heading opening the body that is this long a part of the title (punctuation aside) is the headline again.
_MIN_TITLE_PART = 15
# A paragraph under a photo with this share of the words of its alt text (four or more) is its caption.
_ALT_WORDS_SHARE = 0.8
_WORDS = re.compile(r"\w+")
_SENTENCE_ENDS = tuple(".!?:;…\"'”’»)。！？다요")


def extract_body(
    tree: lxml.html.HtmlElement, url: str, structured_body: str, title: str, visible_text: str,
    authors: Sequence[str] = (),
) -> tuple[str, str]:
    """Return ``(body_html, body_text)`` for the article in ``tree``; empty strings when none.

    ``visible_text`` is the page's visible text, to tell a whole page from an article; ``authors``
    the names the page gives, whose photos (a byline's headshot) are not the article's.
    """
    # trafilatura's fast pass (no readability/jusText comparison) is 45% quicker and scores higher
    # (Zyte dev F1 0.969 vs 0.963, Fundus 0.930 vs 0.930); its misses are caught and redone in full.
    fragment = _fragment(_trafilatura_html(tree, fast=True), url)
    if _needs_full_extraction(fragment, _non_space_length(visible_text)):
        fragment = _fragment(_trafilatura_html(tree, fast=False), url)
    if fragment is None or len(normalize_space(fragment.text_content())) < _MIN_STRUCTURED_BODY:
        scripted = script_article_html(tree)
        if scripted:
            logger.debug("using article HTML embedded in a script for %s", url)
            fragment = _fragment(f"<html><body>{scripted}</body></html>", url)
    clues = _page_clues(tree, url, title, authors)
    body_html, body_text = _cleaned(fragment, clues)
    if len(body_text) < _MIN_STRUCTURED_BODY:
        # Links and images can tip trafilatura towards a link-rich block (a job board, say); without them
        # it may find the article. Only when the first answer left (almost) nothing.
        plain_html, plain_text = _cleaned(_fragment(_trafilatura_html(tree, fast=False, markup=False), url), clues)
        if len(plain_text) > 2 * len(body_text):
            body_html, body_text = plain_html, plain_text
    structured_body = normalize_space(html.unescape(structured_body or "").replace("\n", "\u2029"))
    structured_body = _said_once(structured_body.replace("\u2029", "\n"))
    if len(structured_body) >= _MIN_STRUCTURED_BODY and len(body_text) < 0.6 * len(structured_body):
        logger.debug("using JSON-LD articleBody for %s", url)
        return _paragraphs_html(structured_body, title)
    if len(body_text) < _MIN_BODY_CHARS:
        return "", ""  # a word or two from a broken page is not an article
    return body_html, body_text


def _said_once(text: str) -> str:
    """``text`` once when it is the same text twice over (Corriere's JSON-LD ``articleBody``)."""
    probe = text[:_REPEAT_PROBE]
    again = text.find(probe, len(text) // 3) if len(probe) == _REPEAT_PROBE else -1
    if again > 0 and text[again:].strip() == text[: len(text) - again].strip():
        return text[:again].strip()
    return text


_SCRIPT_HTML_KEY = re.compile(r'"(?:contentHtml|articleHtml|bodyHtml|content_html|body_html|articleBody|htmlContent)(\\*)"\s*:\s*\\*"')
_PLACEHOLDER = re.compile(r"\$\$[A-Z_]+\$\$")


def script_article_html(tree: lxml.html.HtmlElement) -> str:
    """Article HTML that a script carries as JSON (Next.js and similar apps render it client-side).

    Finds the longest string under a body-like key (``contentHtml``, ``articleBody`` …),
    undoing as many layers of JSON string escaping as the page applied.
    """
    best = ""
    for script in tree.iterfind(".//script"):
        code = script.text or ""
        if len(code) < 500 or ("u003cp" not in code and "<p" not in code):
            continue
        for match in _SCRIPT_HTML_KEY.finditer(code):
            level = len(match.group(1))
            value = _json_string_at(code, match.end(), level)
            if value.count("<p") >= 2 and len(value) > len(best):
                best = value
    return _PLACEHOLDER.sub("", best)


def _json_string_at(code: str, start: int, level: int) -> str:
    """Decode the JSON string starting at ``start`` and escaped ``level`` extra times."""
    position = start
    while True:
        position = code.find('"', position)
        if position == -1:
            return ""
        run = 0
        while code[position - 1 - run] == "\\":
            run += 1
        if run == level:
            break
        position += 1
    raw = code[start : position - level]
    try:
        for _ in range(level + 1):
            raw = json.loads(f'"{raw}"')
    except ValueError:
        return ""
    return raw


def _cleaned(fragment: lxml.html.HtmlElement | None, clues: PageClues) -> tuple[str, str]:
    if fragment is None:
        return "", ""
    clean_fragment(fragment, clues)
    return _serialize(fragment)


def _trafilatura_html(tree: lxml.html.HtmlElement, fast: bool, markup: bool = True) -> str:
    """trafilatura's article HTML for ``tree`` (left unchanged: trafilatura works on a copy).

    ``bare_extraction`` rather than ``extract``: the latter also hashes the text
    for de-duplication, 4 ms a page that nothing here uses. No URL: given one, trafilatura
    resolves every link of the page (70 a page, 6% of its fast pass); :func:`_fragment` resolves
    just the article's.
    """
    options = Extractor(
        output_format="html", fast=fast, comments=False, formatting=markup, links=markup, images=markup, tables=True
    )
    document = trafilatura.bare_extraction(tree, options=options, as_dict=False)
    return determine_returnstring(document, options) if document else ""


def _prose_share(text: str) -> float:
    """Share of ``text`` in sentence-like lines; menus and link lists are short lines without a full stop."""
    lines = [normalize_space(line) for line in text.split("\n")]
    total = sum(len(line) for line in lines) or 1
    return sum(len(line) for line in lines if len(line) >= 120 or line.endswith(_SENTENCE_ENDS)) / total


def _needs_full_extraction(fragment: lxml.html.HtmlElement | None, visible_chars: int) -> bool:
    """Whether trafilatura's fast pass may have missed: a little text on a page of much more, menus,
    or nearly the whole page, menus and all."""
    text = fragment.text_content() if fragment is not None else ""
    page_share = _non_space_length(text) / visible_chars if visible_chars else 0.0
    if len(normalize_space(text)) < _MIN_FAST_BODY and page_share < _MAX_SHORT_SHARE:
        return True
    prose_share = _prose_share(text)
    if prose_share < _MIN_PROSE_SHARE:
        return True
    return page_share > _MAX_PAGE_SHARE and prose_share < _MIN_WHOLE_PAGE_PROSE


def _non_space_length(text: str) -> int:
    # str.split's white space is exactly regex's \s (the 29 characters isspace() knows); three times quicker.
    return len("".join(text.split()))


def _fragment(markup: str, url: str) -> lxml.html.HtmlElement | None:
    """The extracted article as an element, its links and images made absolute against ``url``."""
    if not markup:
        return None
    try:
        document = lxml.html.document_fromstring(markup, parser=FRAGMENT_PARSER)
    except (etree.ParserError, ValueError):
        return None
    body = document.find("body")
    if body is None or not len(body):
        return None
    if url:
        body.rewrite_links(partial(_absolute, url), resolve_base_href=False)
    return body


def _absolute(base: str, link: str) -> str:
    """``link`` resolved against ``base``; an empty one stays empty (a dead "more" link, not the page)."""
    if not link.strip():
        return link
    try:
        return urljoin(base, link)
    except ValueError:  # a malformed URL: left as written, the sanitizer judges it
        return link


def _wrap_figures(body: lxml.html.HtmlElement) -> None:
    """``<img>`` followed by a short paragraph restating its alt text becomes a figure with a caption."""
    for image in list(body.iter("img")):
        following = image.getnext()
        parent = image.getparent()
        if following is None or following.tag != "p" or parent is None or parent.tag == "figure":
            continue
        caption = normalize_space(following.text_content())
        alt = normalize_space(image.get("alt") or "")
        restates_alt = bool(alt) and (
            caption in alt or (alt in caption and len(alt) >= len(caption) / 2) or _says_in_other_words(alt, caption)
        )
        if not caption or len(caption) > 300 or not (restates_alt or _CREDIT.search(caption)):
            continue
        following.tag = "figcaption"
        following.attrib.clear()
        _into_figure(image, following)


def _says_in_other_words(alt: str, caption: str) -> bool:
    """Whether ``caption`` has nearly all the words of an ``alt`` text of four or more, and is at most three
    times as long (Fox News's alt "two new york residents arrested operating undisclosed chinese police
    station" under its photo's caption "Two New York residents were arrested by the FBI for allegedly
    running …"). A paragraph much longer than the alt is a lead that names who is in the photo."""
    alt_words = {word for word in _WORDS.findall(alt.lower()) if len(word) > 2}
    if len(alt_words) < 4 or len(caption) > 3 * len(alt):
        return False
    caption_words = set(_WORDS.findall(caption.lower()))
    return len(alt_words & caption_words) >= _ALT_WORDS_SHARE * len(alt_words)


def _into_figure(image: lxml.html.HtmlElement, caption: lxml.html.HtmlElement) -> None:
    """``image`` and the ``caption`` right after it become one figure, where the image stood."""
    figure = lxml.html.Element("figure")
    image.getparent().replace(image, figure)
    figure.append(image)
    figure.append(caption)
    figure.tail, image.tail = image.tail, None


def _wrap_loose_captions(body: lxml.html.HtmlElement) -> None:
    """A caption found after the photo it is under (a video's, a credit line) joins it in a figure."""
    for caption in list(body.iter("figcaption")):
        image = caption.getprevious()
        parent = caption.getparent()
        if image is not None and image.tag == "img" and parent is not None and parent.tag != "figure":
            if not (image.tail or "").strip():
                _into_figure(image, caption)


def _caption_from_page(image: lxml.html.HtmlElement, caption: str) -> None:
    """``image`` in a figure with ``caption``, unless the article already prints the caption after it."""
    following = image.getnext()
    if following is not None and caption[:_CAPTION_PROBE] in normalize_space(following.text_content()):
        return  # the article prints it already, as a paragraph or a caption
    figcaption = lxml.html.Element("figcaption")
    figcaption.text = caption
    _into_figure(image, figcaption)


def _captioned_photos(body: lxml.html.HtmlElement) -> None:
    """A paragraph or list item holding a photo and text restating its alt is a captioned photo.

    Galleries put them in lists (``<li><img alt="…">caption … more</li>``); as text they
    repeat every caption in the article.
    """
    for element in list(body.iter("p", "li", "div")):
        image = element.find(".//img")
        parent = element.getparent()
        if image is None or parent is None:
            continue
        alt = normalize_space(image.get("alt") or "")
        text = normalize_space(element.text_content())
        if len(alt) < 30 or alt[:40] not in text or len(text) > 2 * len(alt) + 100:
            continue
        if any((link.get("href") or "").strip() for link in element.iter("a")):
            continue  # a linked thumbnail or headline is a teaser for another story, not a caption
        figure = lxml.html.Element("figure")
        figure.append(lxml.html.Element("img", dict(image.attrib)))
        caption = lxml.html.Element("figcaption")
        caption.text = alt
        figure.append(caption)
        if element.tag == "li":
            parent.addprevious(figure)
            parent.remove(element)
            if not len(parent) and not normalize_space(parent.text_content()):
                parent.drop_tree()
        else:
            figure.tail = element.tail
            parent.replace(element, figure)


_ONE_LINK_PARAGRAPHS = etree.XPath("//p[count(.//a) = 1]")


@dataclass(frozen=True)
class PageClues:
    """What the whole page says about blocks of the extracted article."""

    title: str = ""
    headlines: frozenset[str] = frozenset()
    """The page's ``<h1>`` texts, :func:`~newsbot.text.folded`: the headline, which may word the title otherwise."""
    teasers: frozenset[str] = frozenset()
    """Texts of paragraphs and headings that were a link to another story on the page."""
    bylines: frozenset[str] = frozenset()
    """The authors' names, case-folded: a photo of one by the byline is a headshot."""
    captions: Mapping[str, str] = field(default_factory=dict)
    """A photo's address -> the caption the page gives it in its ``<figure>``."""


def _page_clues(tree: lxml.html.HtmlElement, url: str, title: str, authors: Sequence[str]) -> PageClues:
    """What the page says about the extracted article's blocks, its headings and captions read in one walk.

    Teasers are the page's blocks that are one link and nothing else, headlines of other stories:
    short paragraphs of a few words set between the paragraphs (Fox News), and headings linking to
    another page of the same site (a video's or a related story's card, a section's label);
    trafilatura may keep such a block without its link. Headings linking to other sites stay: a
    buying guide's products are its sections. Captions are those of the page's figures, credit
    included, by the photo's address as the extracted article writes it (absolute): trafilatura
    keeps a figure's photo but drops its caption (El País).
    """
    teasers = set()
    for paragraph in _ONE_LINK_PARAGRAPHS(tree):
        text = normalize_space(paragraph.text_content())
        if len(text) < _PROMO_CHARS and len(text.split()) >= _TEASER_WORDS:
            if normalize_space(paragraph.find(".//a").text_content()) == text:
                teasers.add(text)
    site = _site(url)
    captions: dict[str, str] = {}
    headlines = set()
    for element in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "figcaption"):
        if element.tag == "figcaption":
            captions.update(_figure_caption(element, url))
        elif element.tag == "h1":
            headlines.add(folded(element.text_content()))
        elif site:
            teasers.add(_teaser_heading(element, url, site))
    return PageClues(
        title=title,
        headlines=frozenset(headlines - {""}),
        teasers=frozenset(teasers - {""}),
        bylines=frozenset(normalize_space(name).casefold() for name in authors),
        captions=captions,
    )


def _teaser_heading(heading: lxml.html.HtmlElement, url: str, site: str) -> str:
    """``heading``'s text when it is one link and nothing else, to another page of ``site``; else empty."""
    links = list(heading.iter("a"))
    if len(links) != 1:
        return ""
    text = normalize_space(heading.text_content())
    href = _absolute(url, (links[0].get("href") or "").strip())
    if normalize_space(links[0].text_content()) == text and _site(href) == site and href.split("#")[0] != url.split("#")[0]:
        return text
    return ""


def _figure_caption(caption: lxml.html.HtmlElement, url: str) -> dict[str, str]:
    """The addresses of the photo of ``caption``'s figure -> the caption; empty for a caption of no photo."""
    figure = next(caption.iterancestors("figure"), None)
    image = figure.find(".//img") if figure is not None else None
    text = normalize_space(" ".join(caption.itertext()))
    if image is None or not text or len(text) > _MAX_CAPTION:
        return {}
    sources = ((image.get(name) or "").strip() for name in ("src", "data-src", "data-original"))
    return {_absolute(url, source): text for source in sources if source}


def _site(url: str) -> str:
    """``url``'s host without ``www.``; empty for a URL without one or one that does not parse."""
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def clean_fragment(body: lxml.html.HtmlElement, clues: PageClues = PageClues()) -> None:
    """Drop boilerplate blocks (bylines, credits, promos, the repeated headline) in place, and give
    photos the captions trafilatura left out."""
    for line_break in body.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    if clues.bylines:
        for image in list(body.iter("img")):
            parent = image.getparent()
            if parent is not None and parent.tag != "figure" and normalize_space(image.get("alt") or "").casefold() in clues.bylines:
                image.drop_tree()  # the author's headshot by the byline (El País), not a photo of the story
    _wrap_figures(body)
    _captioned_photos(body)
    for caption in body.xpath(".//*[contains(@class, 'caption')]"):
        caption.tag = "figcaption"
    title, teasers = clues.title, clues.teasers
    title_folded = folded(title)
    text_sample = body.text_content()
    is_korean = korean.is_korean(text_sample)
    first_text_block = True
    for element in list(body.iter(*BLOCK_TAGS)):
        if element.getparent() is None or element.tag in ("td", "th", "figcaption"):
            continue  # dropped with an ancestor; table cells and captions are kept as they are
        text = normalize_space(element.text_content())
        if not text:
            if element.find(".//img") is None:
                element.drop_tree()
            continue
        if element.tag != "pre" and not any(char.isalnum() for char in text) and element.find(".//img") is None:
            element.drop_tree()  # "___", "* * *": a rule between parts, not a line of the story (AP)
            continue
        if title and element.tag in _HEADINGS | {"p"} and text == normalize_space(title):
            element.drop_tree()
            continue
        if first_text_block and element.tag in _HEADINGS and len(text) >= _MIN_TITLE_PART and (
            (text_folded := folded(text)) in title_folded or text_folded in clues.headlines
        ):
            # the headline again: punctuated otherwise, without its kicker (Tagesschau), or as the page's h1
            # words it where the title is shorter (AP)
            element.drop_tree()
            continue
        if len(text) < 300 and _DISCLOSURE.search(text):
            element.drop_tree()  # the affiliate-link notice some sites put above the article
            continue
        if len(text) < 200 and _PAYWALL.search(text):
            _drop_from(element)  # what follows a paywall notice is the sign-up form
            break
        if len(text) < 120 and _is_stamp(element, text):
            element.drop_tree()
            continue
        if element.tag in _HEADINGS and text in teasers:
            element.drop_tree()  # a heading linking to another page of the site: a video's or a story's card
            continue
        if element.tag == "p" and (text in teasers or len(text) < _PROMO_CHARS and _link_density(element) >= _PROMO_LINK_SHARE):
            element.drop_tree()  # a headline linking to another story ("China furious at Macron [INSIGHT]")
            continue
        if element.tag == "p" and len(text) < 400 and (_ENDS_WITH_CREDIT.search(text) or _VIDEO_CAPTION.search(text)):
            element.tag = "figcaption"  # a photo or video caption ("… Photo: Hau Dinh, AP"), not article text
            continue
        if is_korean:
            if korean.is_boilerplate_line(text):
                element.drop_tree()
                continue
            if first_text_block and element.tag == "p":
                _strip_leading_dateline(element)
            if "@" in text:
                _strip_emails(element)
            if not normalize_space(element.text_content()) and element.find(".//img") is None:
                element.drop_tree()
                continue
        first_text_block = False
    _wrap_loose_captions(body)
    prune_trailing_links(body)
    if clues.captions:
        for image in body.findall("img"):  # between paragraphs only: a figure cannot go inside a paragraph
            if image.get("src") in clues.captions:
                _caption_from_page(image, clues.captions[image.get("src")])


def _is_stamp(element: lxml.html.HtmlElement, text: str) -> bool:
    """A block of bylines, credits or time stamps only, maybe with its section's link in front
    (Yonhap's "North Korea / 09:31 August 20, 2019")."""
    if _only_stamps(text):
        return True
    unlabelled = text
    for link in element.iter("a"):
        label = normalize_space(link.text_content())
        if label and len(label) <= _MAX_SECTION_LABEL:
            unlabelled = unlabelled.replace(label, " ", 1)
    return unlabelled != text and _only_stamps(unlabelled)


def _only_stamps(text: str) -> bool:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return bool(lines) and all(_BOILERPLATE.match(line) or _is_date_line(line) for line in lines)


def _is_date_line(line: str) -> bool:
    """A time stamp on its own ("Stand: 22.04.2024, 06:00 Uhr", "17:41 JST, October 13, 2024")."""
    return len(line) < 80 and bool(_CLOCK_TIME.search(line)) and len(LETTER.findall(line)) <= _MAX_DATE_LINE_LETTERS


def _drop_from(element: lxml.html.HtmlElement) -> None:
    """Remove ``element`` and everything after it in document order (its ancestors stay)."""
    node = element
    while node is not None and node.tag != "body":
        for sibling in list(node.itersiblings()):
            node.getparent().remove(sibling)  # with its tail: the text after it goes too
        node.tail = None
        node = node.getparent()
    element.drop_tree()


def _link_density(element: lxml.html.HtmlElement) -> float:
    text = normalize_space(element.text_content())
    if not text:
        return 1.0
    linked = sum(len(normalize_space(link.text_content())) for link in element.iter("a"))
    return linked / len(text)


def _is_teaser_list(element: lxml.html.HtmlElement) -> bool:
    """A list of short items that each carry a link or a thumbnail: related stories, not prose."""
    items = element.findall("li") if element.tag in ("ul", "ol") else []
    return len(items) >= 2 and all(
        len(normalize_space(item.text_content())) < 160
        and (item.find(".//a") is not None or item.find(".//img") is not None)
        for item in items
    )


def prune_trailing_links(body: lxml.html.HtmlElement) -> None:
    """Drop the link lists, lone images and short link lines after the article's last paragraph.

    Related-article boxes and "subscribe" links sit there on most news sites.
    """
    while len(body):
        last = body[-1]
        text = normalize_space(last.text_content())
        is_links = last.tag in ("ul", "ol", "p", "div") and _link_density(last) > 0.5
        is_bare_image = not text and last.tag in ("img", "figure", "ul", "ol", "div")
        is_heading = last.tag in _HEADINGS  # of nothing: "More information", "About the author"
        if not (is_links or is_bare_image or is_heading or _is_teaser_list(last)):
            break
        last.drop_tree()


def _strip_leading_dateline(element: lxml.html.HtmlElement) -> None:
    if element.text:
        element.text = korean.strip_dateline(element.text)


def _strip_emails(element: lxml.html.HtmlElement) -> None:
    for node in element.iter():
        if node.text and "@" in node.text:
            node.text = korean.EMAIL.sub("", node.text)
        if node is not element and node.tail and "@" in node.tail:
            node.tail = korean.EMAIL.sub("", node.tail)


def _serialize(body: lxml.html.HtmlElement) -> tuple[str, str]:
    parts = [body.text.strip()] if body.text and body.text.strip() else []
    if parts:
        parts = [f"<p>{html.escape(parts[0])}</p>"]
    texts: list[str] = []
    for child in body:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
        if child.tail and child.tail.strip():
            parts.append(f"<p>{html.escape(child.tail.strip())}</p>")
    if parts and body.text and body.text.strip():
        texts.append(normalize_space(body.text))
    for element in body.iter(*BLOCK_TAGS, "tr"):
        if element.tag in ("td", "th", "figcaption") or element.find(".//p") is not None:
            continue
        if any(ancestor.tag in ("figure", "figcaption") for ancestor in element.iterancestors()):
            continue  # captions belong to the photo, not to the article's text
        if element.tag == "tr":
            if not _is_layout_row(element):
                cells = (normalize_space(cell.text_content()) for cell in element.iter("td", "th"))
                line = " ".join(cell for cell in cells if cell)
                if line:
                    texts.append(line)
            continue
        row = next(element.iterancestors("tr"), None)
        if row is not None and not _is_layout_row(row):
            continue  # a data table's cell: its row is one line
        lines = (normalize_space(line) for line in element.text_content().split("\n"))
        texts.extend(line for line in lines if line)
        if element.getparent() is body and element.tail and element.tail.strip():
            texts.append(normalize_space(element.tail))
    return "\n".join(parts), "\n".join(texts)


def _is_layout_row(row: lxml.html.HtmlElement) -> bool:
    """A table row holding paragraphs or headings is page layout (old sites), not data."""
    return any(element.tag not in ("td", "th") for element in row.iterdescendants(*BLOCK_TAGS))


def _paragraphs_html(text: str, title: str) -> tuple[str, str]:
    paragraphs = [normalize_space(line) for line in text.split("\n")]
    kept = [
        line
        for line in paragraphs
        if line and line != title and not (korean.is_korean(line) and korean.is_boilerplate_line(line))
    ]
    if kept and korean.is_korean(kept[0]):
        kept[0] = korean.strip_dateline(kept[0])
    kept = [line for line in kept if line]
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in kept), "\n".join(kept)
