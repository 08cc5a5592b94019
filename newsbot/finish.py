"""The rest of an article's one trip through a worker: after extraction (which made its links
absolute), its body through the allowlist, its summary and the brief's key sentences. The article
comes back to the crawl process finished, and the crawl process does I/O and state without parsing
the body again."""

from __future__ import annotations

from newsbot.compose.brief import excerpt_and_key_sentences, made_brief
from newsbot.extract import extract_page
from newsbot.items import Article
from newsbot.runtime.memory import TRIM_AFTER_BYTES, trim_heap
from newsbot.sanitize import sanitize_html
from newsbot.stories.features import made_terms
from newsbot.stories.grouper import GrouperConfig
from newsbot.summarize import article_paragraphs
from newsbot.text import TITLE_MAX_LENGTH, plain_text


def finish_page(
    body: bytes, url: str, content_type: str, timezone_name: str | None, default_timezone: str | None,
    excerpt_length: int, guess_date: bool = True,
) -> Article:
    """:func:`~newsbot.extract.extract_page`, then :func:`finish_article`: a page's work in a worker."""
    article = finish_article(
        extract_page(body, url, content_type, timezone_name, default_timezone, guess_date), excerpt_length
    )
    if len(body) > TRIM_AFTER_BYTES:
        trim_heap()
    return article


def finish_article(article: Article, excerpt_length: int) -> Article:
    """What the sanitize and excerpt pipelines would do, done here; marks it ``finished``. The
    absolutize pipeline has nothing to do: the extractor resolved the body's links against its URL.

    Also what the writer needs of the body: the brief's cut to the copy limit and the story
    grouping terms, made from the title as the pipelines will have normalized it (the writer
    makes them again if anything they were made from changed on the way).

    A body with nothing left after sanitizing stays as it was, unfinished: the sanitize pipeline
    drops it, with its reason.
    """
    body_html = sanitize_html(article.body_html)
    if not body_html.strip():
        return article
    article.body_html = body_html
    text = article_paragraphs(body_html) or article.body_text
    article.excerpt, article.key_sentences = excerpt_and_key_sentences(text, excerpt_length, article.language)
    title = plain_text(article.title, TITLE_MAX_LENGTH)
    brief_text = article.body_text or plain_text(article.body_html)
    article.brief = made_brief(plain_text(title), plain_text(article.excerpt), article.key_sentences, brief_text)
    article.story_terms = made_terms(title, article.body_text, GrouperConfig.title_weight)
    article.finished = True
    return article
