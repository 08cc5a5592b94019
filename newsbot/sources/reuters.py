"""Reuters (reuters.com).

Reuters publishes a Google News sitemap through its Arc outbound feeds.
Fixtures: real reuters.com pages saved by fundus.
"""

from newsbot.sources.base import NewsSpider


class ReutersSpider(NewsSpider):
    name = "reuters"
    source_name = "Reuters"
    allowed_domains = ["reuters.com"]
    timezone = "UTC"
    feeds = ["https://www.reuters.com/arc/outboundfeeds/news-sitemap/?outputType=xml"]
    category_map = {"world": "World", "business": "Business", "markets": "Markets", "technology": "Technology"}
