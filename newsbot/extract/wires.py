"""Wire-agency conventions, as data: how news agencies name themselves in the copy they send.

Wire copy carries the agency's name in its dateline (``(서울=연합뉴스) 홍길동 기자 =``,
``WASHINGTON (Reuters) -``), in photo credits (``/뉴스1``, ``Photo: Hau Dinh, AP``) and in
agency-specific marks (``© News1``, ``photo@newsis.com``). The generic rules that remove
datelines and credits (``korean.py``, ``body.py``, ``summarize.py``) take the names from this
one table; a new agency is a new row here, not a change to those rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Wire:
    """One news agency and the marks it leaves in its copy."""

    korean_names: tuple[str, ...] = ()
    """How a Korean agency names itself in datelines and credits, Hangul first (``연합뉴스``)."""
    latin_names: tuple[str, ...] = ()
    """Its name in Latin letters as datelines print it (``Yonhap``, ``AP``, ``Reuters``)."""
    in_english_datelines: bool = True
    """Appears as ``CITY (NAME) —`` at the start of English copy."""
    photo_credit: bool = False
    """Credited under photos in English captions (``Photo: …, AP``, ``AFP photo``)."""
    credit_marks: tuple[str, ...] = ()
    """Regular expressions of the agency's own credit lines (``©\\s*News1``)."""


WIRES = (
    Wire(korean_names=("연합뉴스",), latin_names=("Yonhap",)),
    Wire(korean_names=("뉴시스",), latin_names=("newsis", "NEWSIS"), in_english_datelines=False,
         credit_marks=(r"photo@newsis\.com",)),
    Wire(korean_names=("뉴스1",), latin_names=("News1",), in_english_datelines=False, credit_marks=(r"©\s*News1",)),
    Wire(latin_names=("AP",), photo_credit=True),
    Wire(latin_names=("Reuters",), photo_credit=True),
    Wire(latin_names=("AFP",), photo_credit=True),
    Wire(latin_names=("EPA",), in_english_datelines=False, photo_credit=True),
    Wire(latin_names=("UPI",)),
    Wire(latin_names=("Bloomberg",)),
    Wire(latin_names=("dpa",)),
    Wire(latin_names=("Xinhua",)),
    Wire(latin_names=("Kyodo",)),
)


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(name) for name in names)


KOREAN_NAMES = _alternation([name for wire in WIRES for name in wire.korean_names])
"""``연합뉴스|뉴시스|뉴스1``: Korean agencies as Korean copy names them."""
KOREAN_AGENCY_NAMES = _alternation(
    [name for wire in WIRES for name in wire.korean_names]
    + [name for wire in WIRES if wire.korean_names for name in wire.latin_names]
)
"""Korean agencies by every name their datelines use, Hangul or Latin."""
ENGLISH_DATELINE_NAMES = _alternation([name for wire in WIRES if wire.in_english_datelines for name in wire.latin_names])
"""Agencies of ``CITY (NAME) —`` datelines in English copy."""
PHOTO_AGENCIES = _alternation([name.lower() for wire in WIRES if wire.photo_credit for name in wire.latin_names])
"""Agencies credited under photos, lower-case (match with ``re.IGNORECASE``)."""
CREDIT_MARKS = "|".join(mark for wire in WIRES for mark in wire.credit_marks)
"""Any agency's own credit line."""
