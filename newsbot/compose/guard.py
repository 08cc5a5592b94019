"""Does a rewrite say only what the article says? Numbers and quoted speech, checked against the article.

A model that invents a figure or puts words in someone's mouth is the failure that hurts a news
site most, and both are cheap to catch: every digit run of the rewrite (``9,876`` read as ``9876``)
must be in the article, and every quotation in the article's language must be in it word for word.
"""

from __future__ import annotations

import re
import unicodedata

from newsbot.extract import korean

_THOUSANDS = re.compile(r"(?<=\d)[,\u066c](?=\d{3}(?!\d))")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_DOUBLE_QUOTED = re.compile(r"[\"“”„«»「『]([^\"“”„«»」』]{2,}?)[\"“”„«»」』]")
_SINGLE_QUOTED = re.compile(r"[‘'’]([^‘'’]{2,}?)[’'‘]")
_EDGE_PUNCTUATION = " .,!?…·:;-–—"
_MONTHS = {
    name: str(number)
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH_NAME = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?", re.IGNORECASE)


def numbers(text: str) -> set[str]:
    """Digit runs of ``text``, thousands separators and leading zeros dropped (``9,876`` -> ``9876``)."""
    text = _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))
    return {run.lstrip("0") or "0" for run in _DIGITS.findall(text)}


def article_numbers(article: str) -> set[str]:
    """The numbers a rewrite may use: the article's, plus the month numbers of month names it spells out
    (an English wire's ``May 30`` is ``5월 30일`` in a Korean post)."""
    found = numbers(article)
    found.update(_MONTHS[match.group(1).lower()] for match in _MONTH_NAME.finditer(article))
    return found


def invented_numbers(texts: list[str], article: str) -> list[str]:
    """Numbers in ``texts`` that the article does not contain."""
    allowed = article_numbers(article)
    return sorted({number for text in texts for number in numbers(text)} - allowed)


def _squeeze(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def quotations(text: str, article_language: str) -> list[str]:
    """Quoted passages of ``text`` written in the article's language.

    Double quotes (and 「」『』) always; single quotes only around Korean, where they mark quoted
    words, since in English they are apostrophes as often as quotes.
    """
    article_is_korean = article_language.startswith("ko")
    found = [match.group(1) for match in _DOUBLE_QUOTED.finditer(text)]
    found += [match.group(1) for match in _SINGLE_QUOTED.finditer(text) if korean.HANGUL.search(match.group(1))]
    quotes = []
    for quote in found:
        quote = quote.strip(_EDGE_PUNCTUATION)
        if not quote:
            continue
        is_korean = bool(korean.HANGUL.search(quote))
        if is_korean == article_is_korean:
            quotes.append(quote)
    return quotes


def invented_quotations(texts: list[str], article: str, article_language: str) -> list[str]:
    """Quotations in ``texts`` (in the article's language) that the article does not hold word for word.

    Compared without white space, so a model's re-spacing of Korean is not an invention.
    """
    haystack = _squeeze(article)
    return [
        quote for text in texts for quote in quotations(text, article_language) if _squeeze(quote) not in haystack
    ]
