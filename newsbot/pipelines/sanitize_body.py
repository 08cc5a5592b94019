"""Body HTML through an nh3 allowlist: structure stays, anything that runs goes."""

from __future__ import annotations

import logging

import nh3
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot.fragments import inner_html, parse_fragment

logger = logging.getLogger(__name__)

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "figure", "figcaption", "img", "picture",
        "a", "blockquote", "q", "cite", "pre", "code",
        "b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "mark", "abbr", "time", "span",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
    "time": {"datetime"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_PREFIXES = ("http://", "https://", "/assets/")
# Whole elements (with their text) that never belong in a post.
_CLEAN_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math", "button", "select", "textarea"})


class SanitizeBodyPipeline:
    """nh3 with newsbot's allowlist; ``h1`` becomes ``h2`` (the post title is the page's h1)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SanitizeBodyPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        before = adapter.get("body_html") or ""
        adapter["body_html"] = sanitize_html(before)
        if not adapter["body_html"].strip():
            self.stats.inc_value("newsbot/sanitize/empty")
            raise DropItem(f"nothing left of the body after sanitizing: {adapter.get('url')}")
        if adapter["body_html"] != before:
            self.stats.inc_value("newsbot/sanitize/changed")
        return item


def sanitize_html(markup: str) -> str:
    """Allowlisted HTML only: no scripts, styles, frames, forms, handlers or unsafe URLs."""
    cleaned = nh3.clean(
        markup.replace("<h1", "<h2").replace("</h1", "</h2"),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    fragment = parse_fragment(cleaned)
    if fragment is None:
        return ""
    for image in list(fragment.iter("img")):
        source = (image.get("src") or "").strip()
        if not source.startswith(_IMAGE_PREFIXES):
            image.drop_tree()
    for link in list(fragment.iter("a")):
        if not (link.get("href") or "").strip().startswith(("http://", "https://", "mailto:")):
            link.drop_tag()  # the text stays, the link (empty, relative or unsafe) goes
    return inner_html(fragment).strip()
