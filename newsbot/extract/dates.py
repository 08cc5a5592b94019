"""Dates as ISO 8601 with a UTC offset, whatever form the page gives them in."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo


# Korean pages print their time as "입력 2025.05.30 20:15" or "2025-05-30 오후 8:15".
_KOREAN_DATE = re.compile(
    r"(?:입력|등록|기사입력|최초\s*입력|게재|송고|발행|작성)\s*[:：]?\s*"
    r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?\.?\s*"
    r"(?:\([월화수목금토일]\)\s*)?(오전|오후|AM|PM)?\s*(\d{1,2})\s*[:시]\s*(\d{2})"
)
# Japanese and Chinese pages print "2022年4月22日 15時30分" or "2022年04月22日（金）15:30".
_CJK_DATE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*[(（][^)）]{1,3}[)）])?"
    r"(?:\s*(\d{1,2})\s*[時时:：]\s*(\d{2}))?"
)
_URL_DATE = re.compile(r"/(20\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|\b)")
_DIGITS_ONLY = re.compile(r"^\d{9,13}$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$")  # 20240513125214: wall-clock time

DATE_LANGUAGES = ("en", "ru", "es", "fr", "de", "ja", "tr", "pt", "fa", "it", "zh", "zh-Hans", "nl", "vi", "pl", "ar", "ko", "cs", "id", "uk")
"""The languages dateparser reads a free-text date in, besides the page's own: the first 20 of its order
of use. Left to try all 205, a text that no language reads (``Hire the top 3% of freelance talent
Copyright 2010``) makes it compile three patterns for each one: 0.9 s of CPU and 37 MiB in every worker
process that meets such a text."""


def zone(name: str | None) -> ZoneInfo | timezone:
    """The named IANA zone, UTC when the name is empty or unknown."""
    if not name:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return timezone.utc


@functools.cache
def date_languages(page_language: str = "") -> tuple[str, ...]:
    """:data:`DATE_LANGUAGES`, with the page's language (``fi``) if dateparser knows it and they lack it."""
    from dateparser.data.languages_info import language_order

    if page_language and page_language not in DATE_LANGUAGES and page_language in language_order:
        return (page_language, *DATE_LANGUAGES)
    return DATE_LANGUAGES


def read_htmldate_in(page_language: str) -> None:
    """Gives htmldate's own dateparser, its last resort on a page's text, the :func:`date_languages`
    of this page (htmldate keeps one parser for all pages and lets it try every language)."""
    from htmldate.extractors import get_external_parser

    get_external_parser().languages = list(date_languages(page_language))


def parse_date(value: object, tz: str | None = None, fuzzy: bool = True, language: str = "") -> datetime | None:
    """Parse a date from a page; naive values are read in ``tz``.

    ISO 8601 and RFC 822 are read directly; epoch seconds and milliseconds are accepted;
    anything else goes to dateparser unless ``fuzzy`` is false, read in the page's ``language``
    and the :data:`DATE_LANGUAGES`.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        if not text or len(text) > 100:
            return None
        parsed = _parse_text(text, tz, fuzzy, language)
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz))
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed.replace(microsecond=0)


def _parse_text(text: str, tz: str | None, fuzzy: bool, language: str) -> datetime | None:
    compact = _COMPACT.match(text)
    if compact:
        try:
            return datetime(*map(int, compact.groups()))
        except ValueError:
            return None
    if _DIGITS_ONLY.match(text):
        stamp = int(text)
        return datetime.fromtimestamp(stamp / 1000 if stamp > 10**11 else stamp, timezone.utc)
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)  # RSS's RFC 822 dates; naive when they give no offset
    except (TypeError, ValueError, IndexError):
        pass
    if not fuzzy:
        return None
    import dateparser  # here: a run that finds nothing new never loads it (a fifth of a second)

    return dateparser.parse(
        text,
        languages=date_languages(language),
        settings={
            "TIMEZONE": tz or "UTC",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
            "STRICT_PARSING": False,
        },
    )


def to_iso(value: object, tz: str | None = None, fuzzy: bool = True, convert: bool = True, language: str = "") -> str:
    """``value`` as ``YYYY-MM-DDTHH:MM:SS+HH:MM`` in ``tz`` (its own offset if no tz, or if not ``convert``:
    then ``tz`` only reads a value without offset); '' if unparseable. ``language``: the page's."""
    parsed = parse_date(value, tz, fuzzy, language)
    if parsed is None:
        return ""
    if tz and convert:
        parsed = parsed.astimezone(zone(tz))
    return parsed.isoformat()


def korean_visible_date(text: str) -> str:
    """The first '입력 2025.05.30 20:15' style time in a page's text, as naive ISO; '' if none."""
    match = _KOREAN_DATE.search(text)
    if not match:
        return ""
    year, month, day, half, hour, minute = match.groups()
    hour_value = int(hour)
    if half in ("오후", "PM") and hour_value < 12:
        hour_value += 12
    if half in ("오전", "AM") and hour_value == 12:
        hour_value = 0
    try:
        return datetime(int(year), int(month), int(day), hour_value, int(minute)).isoformat()
    except ValueError:
        return ""


def cjk_visible_date(text: str) -> str:
    """The first "2022年4月22日" style date in a page's text (with its time if it gives one), as naive
    ISO; '' if none. htmldate does not read these (it takes the year alone, as 1 January)."""
    for match in _CJK_DATE.finditer(text):
        year, month, day, hour, minute = match.groups()
        try:
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0)).isoformat()
        except ValueError:
            continue
    return ""


def url_date(url: str) -> str:
    """A ``/2024/05/17/`` style date in a URL as ``YYYY-MM-DD``; '' if none."""
    match = _URL_DATE.search(url)
    return "-".join(match.groups()) if match else ""


def written_in(text: str, day: str) -> bool:
    """Whether ``text`` writes the day ``day`` (``YYYY-MM-DD``) out in full: ``01.02.2022``, ``2022-02-01``,
    ``02/01/2022``, ``2022年2月1日``, ``1. Februar 2022``, ``November 1, 2021`` (a month word in any
    language between or after the day and the year).

    htmldate falls back on the first of a month or of January when a page's text gives only a month
    or a year (a copyright line); this tells such a guess from a date the page states.
    """
    year, month, date = (int(part) for part in day.split("-"))
    d, m = rf"0?{date}", rf"0?{month}"
    patterns = (
        rf"(?<!\d){d}\s?[./-]\s?{m}\s?[./-]\s?{year}(?!\d)",
        rf"(?<!\d){year}\s?[./-]\s?{m}\s?[./-]\s?{d}(?!\d)",
        rf"(?<!\d){m}/{d}/{year}(?!\d)",
        rf"{year}\s*[年년]\s*{m}\s*[月월]\s*{d}\s*[日일]",
        rf"(?<!\d){d}(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+)?[^\W\d_]{{3,12}}\.?,?\s+(?:de\s+)?{year}(?!\d)",
        rf"[^\W\d_]{{3,12}}\.?\s+{d}(?:st|nd|rd|th)?,?\s+{year}(?!\d)",
    )
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in patterns)
