"""The rest of an article's one trip through a worker: after extraction, its links made absolute,
its body through the allowlist, its summary and the brief's key sentences. The article comes back
to the crawl process finished, and the crawl process does I/O and state without parsing the body
again."""

from __future__ import annotations

from newsbot.compose.brief import excerpt_and_key_sentences
from newsbot.extract import extract_page
from newsbot.fragments import absolutize_links
from newsbot.items import Article
from newsbot.sanitize import sanitize_html
from newsbot.summarize import article_paragraphs


def finish_page(
    body: bytes, url: str, content_type: str, timezone_name: str | None, default_timezone: str | None,
    excerpt_length: int,
) -> Article:
    """:func:`~newsbot.extract.extract_page`, then :func:`finish_article`: a page's work in a worker."""
    return finish_article(extract_page(body, url, content_type, timezone_name, default_timezone), excerpt_length)


def finish_article(article: Article, excerpt_length: int) -> Article:
    """What the absolutize, sanitize and excerpt pipelines would do, done here; marks it ``finished``.

    A body with nothing left after sanitizing stays as it was, unfinished: the sanitize pipeline
    drops it, with its reason.
    """
    body_html = sanitize_html(absolutize_links(article.body_html, article.url))
    if not body_html.strip():
        return article
    article.body_html = body_html
    text = article_paragraphs(body_html) or article.body_text
    article.excerpt, article.key_sentences = excerpt_and_key_sentences(text, excerpt_length, article.language)
    article.finished = True
    return article
