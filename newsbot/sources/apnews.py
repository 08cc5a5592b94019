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
    # The Google News sitemap as flairNLP/fundus reads it (found with the search tool, 2026-11:
    # src/fundus/publishers/us/__init__.py,
    # NewsMap("https://apnews.com/news-sitemap-content.xml")); also in Tarantiner/today_news
    # today_news/spiders/apnews.py and AP's robots.txt as quoted by other projects' tests.
    feeds = ["https://apnews.com/news-sitemap-content.xml"]
    category_map = {"politics": "Politics", "world news": "World", "business": "Business", "sports": "Sports"}
