"""AP News (apnews.com): the Associated Press wire.

AP publishes no public RSS; it publishes a Google News sitemap. Fixtures: real
apnews.com pages saved by fundus.
"""

from newsbot.sources.base import NewsSpider


class ApnewsSpider(NewsSpider):
    name = "apnews"
    source_name = "AP News"
    allowed_domains = ["apnews.com"]
    timezone = "America/New_York"
    feeds = ["https://apnews.com/news-sitemap-content.xml"]
    category_map = {"politics": "Politics", "world news": "World", "business": "Business", "sports": "Sports"}
