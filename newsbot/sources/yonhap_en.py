"""Yonhap News Agency, English service (en.yna.co.kr).

Fixture: a real en.yna.co.kr page saved by newspaper4k.
"""

from newsbot.items import Article
from newsbot.sources.base import NewsSpider


class YonhapEnSpider(NewsSpider):
    name = "yonhap_en"
    source_name = "Yonhap News Agency"
    allowed_domains = ["en.yna.co.kr"]
    timezone = "Asia/Seoul"
    # Feed URLs as other projects use them (the search tool's exact-string index, 2026-11, which names
    # no repository for these hits): RSS/news.xml in six public feed lists (news-digest and
    # world-news aggregators), RSS/economy.xml in two. The section feeds this spider used to ask for
    # (nk, national, culture, sports) appear in none, and a 2026-10 probe in one of those lists found
    # en.yna.co.kr/RSS/main.xml and /rss/ answering 404: they are left out.
    feeds = [f"https://en.yna.co.kr/RSS/{section}.xml" for section in ("news", "economy")]
    category_map = {"economy": "Economy"}

    def adjust_article(self, article: Article, response) -> Article:
        # Yonhap English keeps "www.facebook.com" in its author meta; no byline is named on the page.
        article.authors = [name for name in article.authors if "." not in name]
        return article
