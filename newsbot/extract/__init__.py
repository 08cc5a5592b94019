"""Extraction: a saved or fetched page in, an :class:`~newsbot.items.Article` out.

No I/O happens here, so the same code serves spiders, the ``newsbot extract``
command and benchmarks.
"""

from newsbot.extract.article import extract_article

__all__ = ["extract_article"]
