"""Fields -> post body, per ``NEWSBOT_BODY``: ``brief`` (default), ``full`` or ``rewrite``.

- brief: headline, summary and key sentences of the article within a copy limit (:mod:`.brief`);
- full: the article as extracted, for users licensed to republish it (:mod:`.full`);
- rewrite: a model's rewrite in the seed's shape, checked against the article (:mod:`.rewrite`,
  :mod:`.guard`); a post whose rewrite failed or was rejected is a brief.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsbot.compose.brief import article_text, brief_cut, render_brief
from newsbot.compose.full import render_full
from newsbot.compose.texts import post_texts
from newsbot.summarize import whole_sentences
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
    """The composer that made it: ``brief``, ``full`` or ``rewrite``."""


def compose_body(item: object, template: PostTemplate) -> Body:
    """The body ``template.body_mode`` asks for; a brief when a rewrite was asked for but there is none."""
    from itemadapter import ItemAdapter  # here: it imports Scrapy, which workers importing .brief must not

    adapter = item if isinstance(item, ItemAdapter) else ItemAdapter(item)
    title = plain_text(adapter.get("title"))
    excerpt = plain_text(adapter.get("excerpt"))
    language = adapter.get("language") or ""
    if template.body_mode == "full":
        return Body(render_full(adapter), title, excerpt, language, "full")
    rewrite = adapter.get("rewrite")
    if template.body_mode == "rewrite" and rewrite:
        from newsbot.compose.rewrite import render_rewrite

        return Body(
            render_rewrite(rewrite, template.text("key_points_heading", template.post_language),
                           post_texts(template.post_language)["key_points_detail"]),
            plain_text(rewrite["title"]),
            whole_sentences(plain_text(rewrite["summary"]), template.excerpt_length, template.post_language),
            template.post_language,
            "rewrite",
        )
    summary, key_sentences = brief_cut(
        title, excerpt, list(adapter.get("key_sentences") or []), article_text(adapter), adapter.get("brief")
    )
    heading = template.text("key_points_heading", language)
    return Body(render_brief(title, summary, key_sentences, heading), title, summary, language, "brief")
