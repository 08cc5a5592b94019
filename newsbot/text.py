"""Plain text for fields that themes print unescaped (titles, excerpts, categories)."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

import regex

_TAG = re.compile(r"<[A-Za-z!/?][^<>]*>?")
_TAG_START = re.compile(r"<(?=[A-Za-z!/?])")
# Cc and Cf minus the ones text needs (tab and newline become spaces below; ZWJ/ZWNJ shape scripts).
_KEEP_FORMAT = {"\u200c", "\u200d"}
_CONTROL = regex.compile(r"[\p{Cc}\p{Cf}\p{Cs}\p{Co}\u2028\u2029]")
LETTER = re.compile(r"[^\W\d_]")
"""One letter of any script (``\\w`` without digits and underscore)."""
_OTHER_LINE_SPACES = r"\t\r\f\v\u00a0\u2000-\u200b\u3000"
"""White space on a line besides the space itself (no-break, ideographic, zero-width...)."""
# Only what changes: a run led by another space character, or two spaces and more (a quarter faster
# than matching every single space, and normalize_space runs over every page's text).
_LINE_SPACE = re.compile(f"[{_OTHER_LINE_SPACES}][ {_OTHER_LINE_SPACES}]*| [ {_OTHER_LINE_SPACES}]+")


TITLE_MAX_LENGTH = 300
"""Longest title kept, in characters (cut at a word)."""


def digest(*parts: str) -> str:
    """A short digest of ``parts``: which values a worker's precomputed field was made from."""
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def normalize_space(text: str) -> str:
    """Collapse runs of white space on a line (including no-break and ideographic spaces) to one space."""
    return _LINE_SPACE.sub(" ", text).strip()


def escape_liquid(markup: str) -> str:
    """Braces as entities: the page reads the same and Liquid finds no tag to run."""
    return markup.replace("{", "&#123;").replace("}", "&#125;")


def plain_text(value: object, max_length: int = 0) -> str:
    """Markup, entities and control characters out; one line; cut at ``max_length`` if given.

    The result holds no ``<tag``, so a theme printing it unescaped shows text only.
    """
    text = _without_controls(html.unescape(str(value or "")))
    if "<" in text:  # most text (a sentence, a title) has none: no tag to strip, no control to recheck
        for _ in range(3):  # entities can hide a second layer of markup
            stripped = _TAG.sub(" ", text)
            if stripped == text:
                break
            text = html.unescape(stripped)
        text = _TAG_START.sub("< ", _without_controls(text))
    text = " ".join(text.split())  # the same white space as \s
    if max_length and len(text) > max_length:
        text = text[:max_length].rsplit(" ", 1)[0].rstrip()
    return text


def _without_controls(text: str) -> str:
    """Control and format characters out (line breaks become spaces), before any markup check."""
    if text.isprintable():  # none of them (nor a line break) in it: most titles and descriptions
        return text
    return _CONTROL.sub(_control_replacement, text)


def _control_replacement(match: regex.Match) -> str:
    char = match.group()
    if char in "\t\n\r\u2028\u2029":
        return " "
    return char if char in _KEEP_FORMAT else ""


def folded(text: str) -> str:
    """``text`` without case, accents and punctuation: ``Página12`` and ``PAGINA12`` fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())
