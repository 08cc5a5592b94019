"""News1 (뉴스1), Korean wire service.

Feeds: News1 publishes a Google News sitemap (https://www.news1.kr/sitemap/news.xml
at the time of writing) and section RSS. No saved page of news1.kr exists in our
data; this source relies on the generic chain and the Korean rules
(``(서울=뉴스1) 홍길동 기자 =``, ``© News1`` photo credits), tested on other real
Korean pages. ``newsbot smoke news1`` checks it live.
"""

from newsbot.sources.base import NewsSpider


class News1Spider(NewsSpider):
    name = "news1"
    source_name = "뉴스1"
    allowed_domains = ["news1.kr"]
    timezone = "Asia/Seoul"
    feeds = ["https://www.news1.kr/sitemap/news.xml"]
    category_map = {
        "politics": "정치", "economy": "경제", "society": "사회", "world": "국제", "nk": "북한",
        "culture": "문화", "sports": "스포츠", "entertain": "연예", "it-science": "IT·과학",
    }
