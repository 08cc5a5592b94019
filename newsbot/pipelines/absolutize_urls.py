"""Links and image sources in the body made absolute against the article URL."""

from __future__ import annotations

import re

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newsbot.fragments import inner_html, parse_fragment


# A link or image source that is not already absolute (nor a fragment, mail or data URL). The quote
# is matched or refused outright (no possessive ``?+``, which needs Python 3.11): either a quote and
# then a relative value, or no quote at all and a relative value.
_ABSOLUTE = r"(?:https?://|#|mailto:|data:)"
_RELATIVE_LINK = re.compile(
    rf"""\b(?:href|src|srcset|poster|action|cite|data)\s*=\s*(?:["'](?!{_ABSOLUTE})|(?!["']|{_ABSOLUTE}))""", re.I
)


class AbsolutizeUrlsPipeline:
    """Relative ``href``/``src`` would point into our own site once published."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AbsolutizeUrlsPipeline:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        if not _RELATIVE_LINK.search(adapter.get("body_html") or ""):
            return item  # the extractor resolved them already: no need to parse the body again
        fragment = parse_fragment(adapter.get("body_html") or "")
        if fragment is None:
            return item
        fragment.make_links_absolute(adapter.get("url"), resolve_base_href=False, handle_failures="discard")
        adapter["body_html"] = inner_html(fragment)
        return item
