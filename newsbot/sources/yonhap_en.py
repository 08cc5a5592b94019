"""Yonhap News Agency, English service (en.yna.co.kr).

Feeds: the RSS feeds listed at https://en.yna.co.kr/ (``/RSS/news.xml`` and sections).
Fixture: a real en.yna.co.kr page saved by newspaper4k.
"""

from newsbot.items import Article
from newsbot.sources.base import NewsSpider


class YonhapEnSpider(NewsSpider):
    name = "yonhap_en"
    source_name = "Yonhap News Agency"
    allowed_domains = ["en.yna.co.kr"]
    timezone = "Asia/Seoul"
    feeds = [
        f"https://en.yna.co.kr/RSS/{section}.xml"
        for section in ("news", "nk", "national", "economy", "culture", "sports")
    ]
    category_map = {"nk": "North Korea", "national": "National", "economy": "Economy", "culture": "Culture", "sports": "Sports"}

    def adjust_article(self, article: Article, response) -> Article:
        # Yonhap English keeps "www.facebook.com" in its author meta; no byline is named on the page.
        article.authors = [name for name in article.authors if "." not in name]
        return article
