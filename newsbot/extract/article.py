"""Page -> Article: structured data first, page HTML second, trafilatura for the body."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from html import escape as html_escape
from html import unescape as html_unescape
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from htmldate import find_date

from newsbot.extract import dates, korean, portals
from newsbot.extract.body import extract_body
from newsbot.text import folded, normalize_space
from newsbot.extract.html import decode_html, parse_html
from newsbot.extract.structured import StructuredData, image_urls, names, read_structured_data, text_value
from newsbot.extract.titles import clean_title, title_from_heading
from newsbot.fragments import parse_fragment
from newsbot.images import is_unwanted_image
from newsbot.items import Article

logger = logging.getLogger(__name__)

KOREA_TIMEZONE = "Asia/Seoul"
# Languages whose news is written in one time zone: a date a page in one of them prints without an
# offset is read in it, not in NEWSBOT_DEFAULT_TIMEZONE (a Japanese page's "15時30分" is Tokyo time).
# Korean pages also have all their dates shown in Seoul time (the source's zone).
LANGUAGE_ZONES = {
    "ko": KOREA_TIMEZONE, "ja": "Asia/Tokyo", "zh": "Asia/Shanghai",  # UTC+8 in every place written Chinese
    "de": "Europe/Berlin", "it": "Europe/Rome", "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw",
    "cs": "Europe/Prague", "hu": "Europe/Budapest", "da": "Europe/Copenhagen", "fi": "Europe/Helsinki",
    "el": "Europe/Athens",
}
_PUBLISHED_META = (
    "article:published_time",
    "og:regdate",  # Kakao's pages (Daum News): "20240513125214"
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "og:published_time",
    "article.published",
    "cxenseparse:recs:publishtime",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)
_OUTLET_META = ("application-name", "publisher", "dc.publisher", "writer", "copyright")
"""Meta tags that may name the outlet once more: ``writer`` is Dong-A's (``동아닷컴``)."""
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")
_SECTION_META = ("article:section", "og:article:section", "section", "category", "parsely-section")


def extract_article(
    html: bytes | str,
    url: str,
    *,
    content_type: str | None = None,
    timezone: str | None = None,
    default_timezone: str | None = None,
    guess_date: bool = True,
) -> Article:
    """Extract one news article from a page.

    ``timezone`` is the source's IANA zone for dates printed without an
    offset; when not given, a page in a language of :data:`LANGUAGE_ZONES` uses that zone (Korean:
    Asia/Seoul) and others ``default_timezone`` (UTC when not given either). Never
    raises on bad input: an unusable page gives an Article with empty fields.

    A page that states no publication date in its markup or URL gets htmldate's guess from its
    text; with ``guess_date=False`` (the caller has the article's date from its feed, which also
    gives the time of day) it gets none, and the guess's scans of the whole page are saved.
    """
    article = Article(url=url, feed_url=url)
    text = decode_html(html, content_type)
    tree, article.cut_short = parse_html(text)
    if tree is None:
        return article
    portal = portals.portal_of(tree, url)
    if portal:
        portals.remove_widgets(tree, portal)
    data = read_structured_data(tree, url)
    node = data.article
    visible_text = _visible_text(tree)
    page_title = normalize_space(tree.findtext(".//title") or "")
    page_text = page_title + " " + visible_text
    article.language = _language(tree, data, page_text, text)
    # The source's zone (Korean pages: Seoul) converts the page's dates; the default zone only reads
    # dates printed without an offset, so a date keeps the offset the page gives.
    article.timezone = timezone or (KOREA_TIMEZONE if article.language == "ko" else "")
    reading_zone = article.timezone or LANGUAGE_ZONES.get(article.language) or default_timezone or ""
    article.canonical_url = _canonical(tree, url)
    host = urlsplit(url).hostname or ""
    publisher = [normalize_space(html_unescape(name)) for name in names(node.get("publisher"))] if node else []
    article.source = outlet_name(
        data.first("og:site_name", "application-name"), publisher[0] if publisher else "", host,
        html_unescape(page_title), [*publisher, *(normalize_space(html_unescape(data.first(key))) for key in _OUTLET_META)],
    )
    # the host too: when a name from the title replaced it, it is still no author ("mdr.de")
    site_names = [article.source, data.first("og:site_name", "application-name"), *publisher, host.removeprefix("www.")]
    if portal and data.first(*portal.outlet_meta):
        article.source = normalize_space(data.first(*portal.outlet_meta))  # the outlet, not the portal's label
        site_names.append(article.source)
    raw_title = text_value(node.get("headline") or node.get("name")) if node else ""
    raw_title = raw_title or data.first("og:title", "twitter:title") or normalize_space(tree.findtext(".//title") or "")
    if not raw_title:
        heading = tree.find(".//h1")
        raw_title = normalize_space(heading.text_content()) if heading is not None else ""
    raw_title = html_unescape(html_unescape(raw_title))
    headings = [element.text_content() for element in tree.iterfind(".//h1")][:5]
    article.title = title_from_heading(clean_title(raw_title, site_names, host), headings)
    convert = bool(article.timezone)
    article.published = _published(
        node, data, tree, page_text, url, reading_zone, convert, article.language, guess_date
    )
    article.modified = dates.to_iso(
        (node.get("dateModified") if node else None) or data.first(*_MODIFIED_META) or None, reading_zone or None,
        convert=convert, language=article.language,
    )
    article.authors = [name for name in _authors(node, data) if name not in site_names]
    article.categories = _categories(node, data)
    article.description = normalize_space(html_unescape(
        (text_value(node.get("description")) if node else "")
        or data.first("og:description", "description", "twitter:description")
    ))
    article.image_url = _image(node, data, url)
    article.body_html, article.body_text = extract_body(
        tree, url, text_value(node.get("articleBody")) if node else "", article.title, visible_text, article.authors
    )
    article.body_html, article.body_text = _with_standfirst(article.body_html, article.body_text, article.description, visible_text)
    article.image_url = article.image_url or _first_large_body_image(tree, article.body_html, url)
    return article


# Compiled once; plain strings (not lxml's "smart" ones that keep a link to their parent): 40% faster.
# The body's text nodes found in one walk down from it, already in document order ("//body//text()" has
# libxml2 sort them: 30% slower; testing every text node of the page for a body ancestor: 35% slower).
# libxml2's HTML parser always puts the one body right under html.
_VISIBLE_TEXT = lxml.etree.XPath(
    "/html/body/descendant::text()[not(parent::script or parent::style or parent::noscript)]", smart_strings=False
)


_STANDFIRST_PROBE = 60  # characters of the description looked for in the page and in the body


def _with_standfirst(body_html: str, body_text: str, description: str, visible_text: str) -> tuple[str, str]:
    """The standfirst (the summary printed under the headline) ahead of the body when the extractor left it out.

    Pages carry it as their description too; it counts only when the page shows it, not in meta tags alone.
    """
    probe = description[:_STANDFIRST_PROBE]
    if not body_text or len(description) < 40 or probe in normalize_space(body_text):
        return body_html, body_text
    first_line = normalize_space(body_text.split("\n", 1)[0])
    if first_line[:_STANDFIRST_PROBE] in description:
        return body_html, body_text  # the body already opens with (part of) it
    shown_at = visible_text.find(probe)
    body_at = visible_text.find(first_line[:_STANDFIRST_PROBE])
    if shown_at == -1 or (body_at != -1 and shown_at > body_at):
        return body_html, body_text  # not on the page, or printed after the story starts (a teaser elsewhere)
    return f"<p>{html_escape(description)}</p>\n{body_html}", f"{description}\n{body_text}"


def _visible_text(tree: lxml.html.HtmlElement) -> str:
    """The page's visible text (no script or style), for the language, Korean date lines and body checks."""
    return normalize_space(" ".join(_VISIBLE_TEXT(tree)))


_TAGLINE_CHARS = 30
_NOT_ALPHANUMERIC = re.compile(r"\W+")


def outlet_name(site_name: str, publisher: str, host: str, title: str = "", other_names: Sequence[str] = ()) -> str:
    """The outlet's name for the attribution: the page's site name (``og:site_name``), cleaned, unless
    the JSON-LD publisher names it better; else the publisher; else a name at either end of the page's
    ``title`` that the host or ``other_names`` confirm; else the host. A name in capitals ("AP NEWS")
    is written as ``other_names`` or the title spell it ("AP News") when one of them is the same name."""
    site_name = normalize_space(html_unescape(site_name or ""))
    if publisher and (not site_name or _publisher_reads_better(site_name, publisher)):
        site_name, publisher = publisher, ""
    name = re.sub(r"^https?://(?:www\.)?", "", site_name).rstrip("/")  # "https://www.kleinezeitung.at"
    if " | " in name:
        name = name.split(" | ", 1)[0]  # "The Jerusalem Post | JPost.com", "LinkNaija | Nigeria's popular news platform"
    for separator in (" - ", " – ", " — "):
        head = name.split(separator, 1)[0]
        if head != name and len(head) <= _TAGLINE_CHARS:
            name = head  # "Freie Presse - Chemnitzer Verlag und Druck GmbH & Co. KG"
    title_parts = [part for part in _TITLE_PARTS.split(title) if part.strip()]
    if not name and len(title_parts) > 1:
        name = _confirmed_title_name(title_parts, host, other_names)
    if name.isupper():
        name = _as_written_elsewhere(name, [*other_names, *title_parts])
    return name or host.removeprefix("www.")


_TITLE_PARTS = re.compile(r"\s+(?:[|:·•«»]+|[-–—]+)\s+|\s*[|｜]\s*")
_YEAR = re.compile(r"\d{4}")  # a part of a headline ("comwrap auf der DMEXCO 2018"), not a name
_TLD = re.compile(r"\.[a-z]{2,6}$", re.IGNORECASE)


def _confirmed_title_name(parts: list[str], host: str, other_names: Sequence[str]) -> str:
    """The last (else the first) part of the page title when it holds the host's name ("Tulsa World" on
    tulsaworld.com) or another tag names the outlet alike ("동아닷컴" in ``<meta name=writer>``); else empty."""
    label = folded(max(host.removeprefix("www.").split(".")[:-1] or [""], key=len))
    others = {folded(other) for other in other_names} - {""}
    for part in (parts[-1].strip(), parts[0].strip()):
        part_folded = folded(part)
        names_host = len(label) >= 3 and label in part_folded and not _YEAR.search(part)
        if len(part) <= _TAGLINE_CHARS and part_folded and (names_host or part_folded in others):
            return part
    return ""


def _as_written_elsewhere(name: str, others: Sequence[str]) -> str:
    """``name`` in capitals as another place on the page writes it in mixed case ("PCMAG" -> "PCMag",
    "ELESPECTADOR.COM" -> "El Espectador"); ``name`` when none spells the same name."""
    wanted = {folded(name), folded(_TLD.sub("", name))} - {""}
    for other in others:
        other = other.strip()
        if not other.isupper() and other != other.lower() and folded(other) in wanted:
            return other
    return name


def _publisher_reads_better(site_name: str, publisher: str) -> bool:
    """Whether the JSON-LD publisher names the outlet better than the page's site name: a slug or
    handle ("canada", "nationalpost", "@politifact" for "Canada.com", "National Post", "PolitiFact")
    or a tagline around it ("Breaking Australian and World News Headlines - 9News" for "9News")."""
    if publisher == site_name:
        return False
    squeezed = _NOT_ALPHANUMERIC.sub("", site_name.lower())
    if (site_name.islower() or site_name.startswith("@")) and squeezed and squeezed in _NOT_ALPHANUMERIC.sub("", publisher.lower()):
        return True
    return bool(publisher) and len(site_name) > _TAGLINE_CHARS and publisher.lower() in site_name.lower()


# An <html> tag the parser did not take its attributes from: a page that writes two (Internet Explorer
# conditional comments: 9News) keeps neither's.
_HTML_LANG = re.compile(r"""<html\b[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3})""", re.IGNORECASE)


def _language(tree: lxml.html.HtmlElement, data: StructuredData, page_text: str, html: str) -> str:
    """The page's language: Korean by its text, else as the page declares it (``en-AU`` is ``en``)."""
    declared = tree.get("lang")
    if declared is None:
        written = _HTML_LANG.search(html, 0, 20_000)
        declared = written.group(1) if written else ""
    declared = declared or data.first("og:locale", "content-language", "language", "dc.language") or ""
    declared = declared.replace("_", "-").split("-")[0].strip().lower()
    if korean.is_korean(page_text):
        return "ko"
    return declared[:3] if declared.isalpha() else ""


def _canonical(tree: lxml.html.HtmlElement, url: str) -> str:
    for link in tree.iterfind(".//link[@rel]"):
        if link.get("rel", "").lower() == "canonical" and link.get("href"):
            return urljoin(url, link.get("href").strip())
    return ""


def _published(
    node: dict, data: StructuredData, tree: lxml.html.HtmlElement, page_text: str, url: str, tz: str, convert: bool,
    language: str, guess: bool,
) -> str:
    for candidate in _published_candidates(node, data, tree, page_text):
        iso = dates.to_iso(candidate, tz or None, convert=convert, language=language) if candidate else ""
        if iso:
            return iso
    day = dates.url_date(url)
    if not day:
        day = _htmldate(tree, url, language, page_text) if guess else ""
        written = dates.cjk_visible_date(page_text)  # htmldate does not read these, and gives no time of day
        if written and (not day or written.startswith(day)):
            day = written
    return dates.to_iso(day, tz or None, convert=convert) if day else ""


def _published_candidates(node: dict, data: StructuredData, tree: lxml.html.HtmlElement, page_text: str) -> Iterator[str]:
    """Publication dates the page states, most trusted first; each looked for only if the ones before fail."""
    if node:
        yield node.get("datePublished") or node.get("dateCreated") or ""
    yield data.first(*_PUBLISHED_META)
    time_element = tree.find(".//time[@datetime]")
    if time_element is not None:
        yield time_element.get("datetime")
    yield dates.korean_visible_date(page_text)  # the whole visible text: the date may be below a long menu
    yield from _date_attributes(tree)


_DATE_ATTRIBUTE = re.compile(r"(?:publish|pub[-_]?date|deploy[-_]?dt|reg[-_]?date|created?[-_]?(?:at|date|dt))", re.I)
_NOT_FIRST_DATE = re.compile(r"(?:re[-_]?deploy|modif|updat|edit)", re.I)


def _date_attributes(tree: lxml.html.HtmlElement) -> list[str]:
    """Dates that sites keep in attributes (``data-deploy-dt="2026.01.29 18:40"``) for scripts to show."""
    found: list[str] = []
    for element in tree.xpath("//body//*[@*[starts-with(name(), 'data-')]]")[:2000]:
        for name, value in element.attrib.items():
            if _DATE_ATTRIBUTE.search(name) and not _NOT_FIRST_DATE.search(name) and any(ch.isdigit() for ch in value):
                found.append(value)
                if len(found) >= 3:
                    return found
    return found


def _htmldate(tree: lxml.html.HtmlElement, url: str, language: str, page_text: str) -> str:
    """htmldate's best guess of the original publication day (day precision), '' if none or if it is
    only the first of a month that the page's markup does not give and its text does not write out."""
    dates.read_htmldate_in(language)
    try:
        day = find_date(tree, extensive_search=True, original_date=True, url=url) or ""
        if (
            day.endswith("-01")
            and not dates.written_in(page_text, day)
            and find_date(tree, extensive_search=False, original_date=True, url=url) != day
        ):
            logger.debug("htmldate guessed %s from a year or month in the text of %s", day, url)
            return ""
        return day
    except (ValueError, TypeError) as exc:
        logger.debug("htmldate failed on %s: %s", url, exc)
        return ""


def _authors(node: dict, data: StructuredData) -> list[str]:
    found = names(node.get("author")) if node else []
    if not found:
        for key in _AUTHOR_META:
            found = [value for value in data.meta_all.get(key, []) if value.strip() and "://" not in value]
            if found:
                break
    cleaned: list[str] = []
    for name in found:
        name = korean.strip_reporter_title(normalize_space(name))
        if name and len(name) < 80 and name not in cleaned:
            cleaned.append(name)
    return cleaned


def _categories(node: dict, data: StructuredData) -> list[str]:
    section = node.get("articleSection") if node else None
    values = section if isinstance(section, list) else [section] if section else []
    if not values:
        values = [data.first(*_SECTION_META)]
    cleaned: list[str] = []
    for value in values:
        value = normalize_space(text_value(value))
        if value and value not in cleaned and len(value) < 60:
            cleaned.append(value)
    return cleaned


def _image(node: dict, data: StructuredData, url: str) -> str:
    candidates = image_urls(node.get("image")) if node else []
    candidates += [data.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")]
    for candidate in candidates:
        if candidate and not candidate.startswith("data:") and not is_unwanted_image(candidate):
            absolute = urljoin(url, candidate)
            if absolute.startswith(("http://", "https://")):
                return absolute
    return ""


LEAD_IMAGE_MIN_SIZE = 150


def _first_large_body_image(tree: lxml.html.HtmlElement, body_html: str, url: str) -> str:
    """The article's first photo when the page names no lead image: not tiny, not a logo or pixel.

    Sizes are read on the page itself (the extracted body keeps no ``width``).
    """
    fragment = parse_fragment(body_html)
    if fragment is None:
        return ""
    in_body = {urljoin(url, (image.get("src") or "").strip()) for image in fragment.iter("img")}
    for image in tree.iter("img"):
        source = urljoin(url, (image.get("src") or "").strip())
        if source not in in_body or not source.startswith(("http://", "https://")) or is_unwanted_image(source):
            continue
        sizes = [image.get(name, "") for name in ("width", "height")]
        if not any(size.isdigit() and int(size) < LEAD_IMAGE_MIN_SIZE for size in sizes):
            return source
    return ""
