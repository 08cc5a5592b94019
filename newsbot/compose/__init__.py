"""Fields -> post body, per ``NEWSBOT_BODY``: ``brief`` (default) or ``full``.

- brief: headline, summary and key sentences of the article within a copy limit (:mod:`.brief`);
- full: the article as extracted, for users licensed to republish it (:mod:`.full`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter

from newsbot.compose.brief import article_text, fit_copy_limit, render_brief
from newsbot.compose.full import render_full
from newsbot.text import plain_text

if TYPE_CHECKING:
    from newsbot.exporters.jekyll import PostTemplate


@dataclass(frozen=True)
class Body:
    """What a composer gives the exporter."""

    html: str
    """Body HTML between the image paragraph and the attribution (braces not yet escaped)."""
    title: str
    """The post title, plain text."""
    excerpt: str
    """The summary for ``excerpt`` and ``feature_text``, plain text."""
    language: str
    """Language the post is written in (the summary note is added to Korean posts)."""
    mode: str
    """The composer that made it: ``brief`` or ``full``."""


def compose_body(item: object, template: PostTemplate) -> Body:
    """The body ``template.body_mode`` asks for."""
    adapter = item if isinstance(item, ItemAdapter) else ItemAdapter(item)
    title = plain_text(adapter.get("title"))
    excerpt = plain_text(adapter.get("excerpt"))
    language = adapter.get("language") or ""
    if template.body_mode == "full":
        return Body(render_full(adapter), title, excerpt, language, "full")
    summary, key_sentences = fit_copy_limit(title, excerpt, list(adapter.get("key_sentences") or []), article_text(adapter))
    return Body(render_brief(title, summary, key_sentences, template.key_points_heading), title, summary, language, "brief")
