"""What Korean news pages wrap around an article, and how to recognise it.

Wire copy opens with a dateline and byline (``(서울=연합뉴스) 홍길동 기자 =``),
ends with the reporter's e-mail and a copyright line
(``<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>``), and carries photo credits
(``[연합뉴스 자료사진]``) and related-article boxes. These patterns hold for
any Korean outlet, not just the wires newsbot ships sources for; the agencies'
names and own marks come from the table in ``wires.py``.
"""

from __future__ import annotations

import re

from newsbot.extract.wires import CREDIT_MARKS, KOREAN_AGENCY_NAMES, KOREAN_NAMES

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Counted by what is left once the rest is removed: quicker than a list of every letter.
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_NOT_HANGUL = re.compile(r"[^\uac00-\ud7a3]+")
_REPORTER = r"[가-힣]{2,4}(?:\s*[·ㆍ,]\s*[가-힣]{2,4})*\s*(?:기자|특파원|객원기자|인턴기자|선임기자|통신원|PD)"
_AGENCY = r"(?:" + KOREAN_AGENCY_NAMES + r"|[가-힣A-Za-z0-9]{1,12})"

# "(서울=연합뉴스) 홍길동 기자 = ", "[서울=뉴시스]홍길동 기자 = ", "【서울=뉴스1】"
DATELINE = re.compile(
    r"^\s*[(\[【〔]\s*[가-힣A-Za-z·ㆍ ]{1,20}\s*=\s*" + _AGENCY + r"\s*[)\]】〕]\s*"
    r"(?:(?:" + _REPORTER + r")\s*)?(?:[=＝]\s*)?"
)
# A line that is nothing but a byline, optionally with an e-mail: "홍길동 기자 hong@yna.co.kr"
BYLINE_LINE = re.compile(
    r"^\s*[(\[]?\s*(?:" + _AGENCY + r"\s*)?" + _REPORTER
    + r"\s*[)\]]?\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)?\s*[)\]]?\s*$"
)
EMAIL = re.compile(r"\s*[(<\[]?[\w.+-]+@[\w-]+(?:\.[\w-]+)+[)>\]]?")
COPYRIGHT = re.compile(
    r"(?:저작권자|무단\s*전재|재배포\s*금지|무단전재|All rights reserved|Copyright\s*(?:ⓒ|©|\(c\))"
    r"|(?:ⓒ|©)\s*\S+\s*(?:무단|All)|<ⓒ)",
    re.IGNORECASE,
)
PHOTO_CREDIT = re.compile(
    r"^\s*[\[(]\s*(?:[^\]\)]{0,40}(?:사진|자료사진|그래픽|제공|캡처|촬영|이미지)[^\]\)]{0,20})\s*[\])]\s*$"
    r"|^\s*(?:사진|그래픽|자료)\s*[=:/]\s*\S.{0,40}$"
    r"|/(?:" + KOREAN_NAMES + r")\s*$"
    r"|" + CREDIT_MARKS
)
PROMO = re.compile(
    r"^\s*(?:▶|☞|■\s*관련|※|\[관련\s*기사\]|관련\s*기사|관련기사|<관련\s*기사>)"
    r"|(?:구독하세요|제보는\s*카카오톡|앱\s*설치|무료\s*구독|구독\s*신청|네이버\s*채널|뉴스레터\s*(?:신청|구독)|기사\s*제보"
    r"|URL이\s*복사되었습니다|공유하기|기사\s*스크랩|글자\s*크기|(?:본문|콘텐츠|메뉴)\s*바로\s*가기)",
)
# "신현주 기자" as an author name: the job title is not part of the name.
_REPORTER_TITLE = re.compile(r"\s*(?:기자|특파원|선임기자|객원기자|인턴기자)$")
# " | 연합뉴스", " - 한국일보", " : 네이트 뉴스" at the end of a headline.
TITLE_SUFFIX_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " : ", " · ", " < ", " > ", "ㅣ", "|", "-", "::")


def is_korean_text(text: str, language: str) -> bool:
    """Korean by the language a page declared (``ko``) or by its letters."""
    return language == "ko" or is_korean(text)


def is_korean(text: str, threshold: float = 0.3) -> bool:
    """True when at least ``threshold`` of the letters in ``text`` are Hangul."""
    sample = text[:3000]
    if threshold > 0 and not HANGUL.search(sample):
        return False  # most text: no Hangul at all, no letters to count
    letters = len(_NOT_LETTERS.sub("", sample))
    return bool(letters) and len(_NOT_HANGUL.sub("", sample)) / letters >= threshold


def is_boilerplate_line(text: str) -> bool:
    """A paragraph that is only byline, copyright, photo credit or promotion."""
    stripped = text.strip()
    if not stripped:
        return True
    if BYLINE_LINE.match(stripped) or COPYRIGHT.search(stripped) and len(stripped) < 200:
        return True
    if EMAIL.fullmatch(stripped):
        return True
    return bool(len(stripped) < 160 and (PHOTO_CREDIT.search(stripped) or PROMO.search(stripped)))


def strip_dateline(text: str) -> str:
    """Remove a leading wire dateline and byline, and reporter e-mail addresses."""
    text = DATELINE.sub("", text, count=1)
    return EMAIL.sub("", text).strip() if "@" in text else text


def strip_reporter_title(name: str) -> str:
    """``홍길동 기자`` -> ``홍길동``."""
    return _REPORTER_TITLE.sub("", name)
