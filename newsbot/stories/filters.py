"""NEWSBOT_INCLUDE / NEWSBOT_EXCLUDE patterns: keywords, or regular expressions written ``/like this/``.

A keyword matches case-insensitively anywhere in the title or text; where it begins or ends
with a Latin letter or digit it must be a whole word there ("war" does not match "software"),
while a Hangul keyword matches inside words too, as Korean attaches particles ("북한" matches
"북한은"). A ``/regular expression/`` is searched as written, case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")


def compile_pattern(pattern: str) -> re.Pattern:
    """One pattern as a compiled regular expression; ``re.error`` when a ``/regex/`` is not one."""
    pattern = pattern.strip()
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        return re.compile(pattern[1:-1], re.IGNORECASE)
    start = r"(?<![A-Za-z0-9])" if _LATIN_EDGE.match(pattern[:1]) else ""
    end = r"(?![A-Za-z0-9])" if _LATIN_EDGE.match(pattern[-1:]) else ""
    return re.compile(start + re.escape(pattern) + end, re.IGNORECASE)


def pattern_list(value: str | Iterable[str] | None) -> list[str]:
    """Patterns from a setting: a list, or text separated by commas (``-s NEWSBOT_EXCLUDE=광고,/^\\[포토\\]/``)."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


class ArticleFilter:
    """Which articles to post: matching an include pattern (when there are any) and no exclude pattern."""

    def __init__(self, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> None:
        self.include = [compile_pattern(pattern) for pattern in include]
        self.exclude = [compile_pattern(pattern) for pattern in exclude]

    def reason_to_skip(self, title: str, text: str) -> str | None:
        """``not_included`` or ``excluded:<pattern>`` when the article is not wanted, else None."""
        content = f"{title}\n{text}"
        if self.include and not any(pattern.search(content) for pattern in self.include):
            return "not_included"
        for pattern in self.exclude:
            if pattern.search(content):
                return f"excluded:{pattern.pattern}"
        return None
