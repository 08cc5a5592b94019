"""The full body: the article as extracted and sanitized, for users licensed to republish it (a wire contract)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # itemadapter imports Scrapy: not in the workers
    from itemadapter import ItemAdapter


def render_full(adapter: ItemAdapter) -> str:
    """The sanitized article body as it is."""
    return (adapter.get("body_html") or "").strip()
