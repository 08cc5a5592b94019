"""Newsis (뉴시스), Korean wire service.

Feeds: the RSS feeds Newsis lists at https://www.newsis.com/RSS/ .
No saved page of newsis.com exists in our data; this source relies on the
generic chain and the Korean rules (``[서울=뉴시스]홍길동 기자 =`` datelines,
``photo@newsis.com`` credits), tested on other real Korean pages.
``newsbot smoke newsis`` checks it live.
"""

from newsbot.sources.base import NewsSpider


class NewsisSpider(NewsSpider):
    name = "newsis"
    source_name = "뉴시스"
    allowed_domains = ["newsis.com"]
    timezone = "Asia/Seoul"
    feeds = [
        f"https://www.newsis.com/RSS/{section}.xml"
        for section in ("sokbo", "politic", "economy", "society", "international", "culture", "sports", "entertain")
    ]
    category_map = {
        "sokbo": "속보", "politic": "정치", "economy": "경제", "society": "사회", "international": "국제",
        "culture": "문화", "sports": "스포츠", "entertain": "연예",
    }
