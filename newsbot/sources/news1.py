"""News1 (뉴스1), Korean wire service: no feed URL newsbot can vouch for.

Public configurations disagree on News1's feeds (``/rss/``, ``/rss/all.xml``, ``/rss/news.xml``,
``/rss/allNews.xml``, ``rss.news1.kr/...``, ``/rss/?cid=501``...), one notes on 2026-03-11 that
``/rss`` "returned HTML, not RSS" and another on 2026-04-07 that News1 ended its RSS service; the
``sitemap/news.xml`` this spider used to read appears in none (search tool, 2026-11). So the spider
lists no feed and ``newsbot crawl news1`` says how to crawl a News1 feed you know works:
``newsbot crawl feed -a url=URL -a source=뉴스1 -a timezone=Asia/Seoul``. The extraction rules
(``(서울=뉴스1) 홍길동 기자 =``, ``© News1`` photo credits) stay, tested on other real Korean pages.
"""

from newsbot.sources.base import NewsSpider


class News1Spider(NewsSpider):
    name = "news1"
    source_name = "뉴스1"
    allowed_domains = ["news1.kr"]
    timezone = "Asia/Seoul"
    feeds: list[str] = []
    category_map = {
        "politics": "정치", "economy": "경제", "society": "사회", "world": "국제", "nk": "북한",
        "culture": "문화", "sports": "스포츠", "entertain": "연예", "it-science": "IT·과학",
    }
