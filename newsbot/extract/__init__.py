"""Extraction: a saved or fetched page in, an :class:`~newsbot.items.Article` out.

No I/O happens here, so the same code serves spiders, the ``newsbot extract``
command and benchmarks. The extractors (trafilatura, extruct, htmldate) load on
first use, in the worker processes of a crawl, not in its main process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsbot.extract.article import extract_article

__all__ = ["extract_article", "extract_page"]


def extract_page(
    body: bytes, url: str, content_type: str, timezone_name: str | None, default_timezone: str | None = None,
    guess_date: bool = True,
) -> Any:
    """:func:`extract_article` with positional arguments, for the worker pool."""
    from newsbot.extract.article import extract_article

    return extract_article(
        body, url, content_type=content_type, timezone=timezone_name, default_timezone=default_timezone,
        guess_date=guess_date,
    )


def __getattr__(name: str) -> Any:
    if name == "extract_article":
        from newsbot.extract.article import extract_article

        return extract_article
    raise AttributeError(f"module 'newsbot.extract' has no attribute {name!r}")
