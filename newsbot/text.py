"""Plain text for fields that themes print unescaped (titles, excerpts, categories)."""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"<[A-Za-z!/?][^<>]*>?")
_TAG_START = re.compile(r"<(?=[A-Za-z!/?])")
# Cc and Cf minus the ones text needs (tab and newline become spaces below; ZWJ/ZWNJ shape scripts).
_KEEP_FORMAT = {"\u200c", "\u200d"}
_SPACE = re.compile(r"\s+")


def plain_text(value: object, max_length: int = 0) -> str:
    """Markup, entities and control characters out; one line; cut at ``max_length`` if given.

    The result holds no ``<tag``, so a theme printing it unescaped shows text only.
    """
    text = _without_controls(html.unescape(str(value or "")))
    for _ in range(3):  # entities can hide a second layer of markup
        stripped = _TAG.sub(" ", text)
        if stripped == text:
            break
        text = html.unescape(stripped)
    text = _TAG_START.sub("< ", _without_controls(text))
    text = _SPACE.sub(" ", text).strip()
    if max_length and len(text) > max_length:
        text = text[:max_length].rsplit(" ", 1)[0].rstrip()
    return text


def _without_controls(text: str) -> str:
    """Control and format characters out (line breaks become spaces), before any markup check."""
    return "".join(
        " " if char in "\t\n\r\u2028\u2029" else char
        for char in text
        if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co") or char in _KEEP_FORMAT or char in "\t\n\r"
    )
